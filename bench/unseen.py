"""The reader on reports it was not built on (issue 19): precision, recall and F1 per kind.

`bench/unseen/tune.toml` (two thirds) and `bench/unseen/heldout.toml` (one third, every third
excerpt in the order written, fixed before any scoring) hold excerpts modelled on real
Vietnamese local-government news, each with a gold answer written by hand before the reader
saw it. The held-out third is never used to tune the reader; both are reported.

Matching rules (the TOML files' header says the same):
- dates: the gold `date` against the reader's `meeting.date`, equal or not (one item each side,
  none when absent).
- places: sets of "<kind> <Name>" after NFC, case folding and collapsing spaces.
- people: sets of names (folded). positions: for every name found on both sides whose gold
  position is not empty, right when one folded position (punctuation dropped) contains the
  other; a wrong one counts once as a false positive and once as a false negative.
- figures: value + unit. The unit is folded, "m²" read "m2", "đ" read "đồng", commas dropped;
  leading scale words (nghìn/ngàn, triệu, tỷ) multiply the value, so "18,5 triệu đồng" equals
  "18500000 đồng". Units agree when equal, or (neither a rate with "/") when one is the other's
  leading words ("lượt" / "lượt lao động"). Each gold figure matches at most one predicted
  figure. A result figure's `plan` is also read as a target figure of the same unit.
  roles: for every matched figure, its role ("result" | "target"; a reader without roles says
  "result") right or wrong, counted like positions.
- ratios: x/y pairs (achieved, total), multiset; bare counts (achieved None) are left out.
- limitations, directives: counts; true positives = the smaller of the two counts.
"""

import statistics
import time
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

DIR = Path(__file__).resolve().parent / "unseen"
SPLITS = ("tune", "heldout")
KINDS = (
    "dates",
    "places",
    "people",
    "positions",
    "figures",
    "roles",
    "ratios",
    "limitations",
    "directives",
)
ROLES = ("result", "target")
PLACE_KINDS = (
    "tỉnh",
    "thành phố",
    "huyện",
    "quận",
    "thị xã",
    "thị trấn",
    "xã",
    "phường",
    "thôn",
    "xóm",
    "bản",
    "ấp",
    "khu",
    "khóm",
    "tổ dân phố",
    "khu phố",
)
SCALES = {"nghìn": 1000, "ngàn": 1000, "triệu": 10**6, "tỷ": 10**9}
REPEATS = 5

# F1 of the reader as it was when this set was made (commit of issue 19's dev set, 05/12/2026),
# before anyone tuned it on tune.toml (reader at commit dc9f9d4): the first run of this bench.
BEFORE: dict[str, dict[str, float | None]] = {
    "dates": {"tune": 0.76, "heldout": 0.62},
    "places": {"tune": 0.86, "heldout": 0.82},
    "people": {"tune": 0.67, "heldout": 0.59},
    "positions": {"tune": 1.0, "heldout": 1.0},
    "figures": {"tune": 0.57, "heldout": 0.71},
    "roles": {"tune": 0.89, "heldout": 0.78},
    "ratios": {"tune": 0.85, "heldout": 1.0},
    "limitations": {"tune": 0.26, "heldout": 0.0},
    "directives": {"tune": 0.64, "heldout": 0.64},
}


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def scores(self) -> dict:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        if self.tp == 0:  # nothing right: 0, unless there was nothing to find or to say
            f1 = 0.0 if self.fp + self.fn else None
        else:
            f1 = 2 * precision * recall / (precision + recall)
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn}, precision, recall, f1


# ---------------------------------------------------------------- loading and checking the set


def load(split: str) -> list[dict]:
    """The excerpts of one split, checked (ValueError naming the excerpt and field)."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: one of {', '.join(SPLITS)}")
    data = tomllib.loads((DIR / f"{split}.toml").read_text(encoding="utf-8"))
    excerpts = data.get("excerpt", [])
    for excerpt in excerpts:
        check(excerpt)
    return excerpts


def check(excerpt: dict) -> None:
    where = excerpt.get("id", "?")

    def fail(field: str, why: str):
        raise ValueError(f"{where}: {field}: {why}")

    for field in ("id", "portal", "url", "text"):
        if not isinstance(excerpt.get(field), str) or not excerpt[field].strip():
            fail(field, "missing")
    if not excerpt["url"].startswith(("http://", "https://")):
        fail("url", "not an address")
    text = _fold(excerpt["text"])
    if "date" in excerpt:
        try:
            date.fromisoformat(excerpt["date"])
        except (TypeError, ValueError):
            fail("date", f"not ISO: {excerpt['date']!r}")
    for place in excerpt.get("places", []):
        kind = next((k for k in PLACE_KINDS if place.startswith(k + " ")), None)
        if kind is None:
            fail("places", f"{place!r} does not start with a kind in lower case")
        if _fold(place[len(kind) + 1 :]) not in text:
            fail("places", f"{place!r}: name not in the text")
    for person in excerpt.get("people", []):
        if len(person) != 2 or not all(isinstance(part, str) for part in person):
            fail("people", f"{person!r} is not [name, position]")
        if _fold(person[0]) not in text:
            fail("people", f"{person[0]!r} not in the text")
    for figure in excerpt.get("figures", []):
        if len(figure) != 3 or figure[2] not in ROLES:
            fail("figures", f"{figure!r} is not [value, unit, result|target]")
        try:
            Decimal(figure[0])
        except (InvalidOperation, TypeError):
            fail("figures", f"value {figure[0]!r} is not a plain number")
        if not figure[1].strip():
            fail("figures", f"{figure!r} has no unit")
    for ratio in excerpt.get("ratios", []):
        if len(ratio) != 3 or not all(isinstance(n, int) for n in ratio[:2]):
            fail("ratios", f"{ratio!r} is not [achieved, total, what]")
        if not 0 <= ratio[0] <= ratio[1]:
            fail("ratios", f"{ratio!r}: achieved must be between 0 and total")
    for field in ("limitations", "directives"):
        if not isinstance(excerpt.get(field, 0), int) or excerpt.get(field, 0) < 0:
            fail(field, "must be a count")


# ---------------------------------------------------------------------------------- matching


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _bare(text: str) -> str:
    kept = "".join(ch if ch.isalnum() or ch.isspace() else " " for ch in _fold(text))
    return " ".join(kept.split())


def _unit(value: Decimal, unit: str) -> tuple[Decimal, str]:
    words = _fold(unit).replace("m²", "m2").replace(",", " ").replace(" / ", "/").split()
    while words and words[0] in SCALES:
        value *= SCALES[words.pop(0)]
    words = ["đồng" if word == "đ" else word for word in words]
    return value, " ".join(words)


def _units_agree(one: str, two: str) -> bool:
    if one == two:
        return True
    if "/" in one or "/" in two or not one or not two:
        return False
    short, long = sorted((one.split(), two.split()), key=len)
    return long[: len(short)] == short


def compare(gold: dict, predicted: dict) -> dict[str, Counts]:
    """Counts per kind for one excerpt. Both sides have the gold's shape: `date` (ISO or
    absent), `places`, `people` ([name, position]), `figures` ([value, unit, role]),
    `ratios` ([achieved, total, what]), `limitations`, `directives` (counts)."""
    out = {kind: Counts() for kind in KINDS}
    g_date, p_date = gold.get("date"), predicted.get("date")
    hit = bool(g_date) and g_date == p_date
    out["dates"] = Counts(int(hit), int(bool(p_date) and not hit), int(bool(g_date) and not hit))

    g_places = {_fold(p) for p in gold.get("places", [])}
    p_places = {_fold(p) for p in predicted.get("places", [])}
    out["places"] = _sets(g_places, p_places)

    g_people = {_fold(name): position for name, position in gold.get("people", [])}
    p_people = {_fold(name): position for name, position in predicted.get("people", [])}
    out["people"] = _sets(set(g_people), set(p_people))
    for name in set(g_people) & set(p_people):
        want, got = _bare(g_people[name]), _bare(p_people[name])
        if want:
            right = bool(got) and (want in got or got in want)
            out["positions"].add(Counts(int(right), int(not right), int(not right)))

    unused = [
        (*_unit(Decimal(value), unit), role) for value, unit, role in predicted.get("figures", [])
    ]
    for value, unit, role in gold.get("figures", []):
        g_value, g_unit = _unit(Decimal(value), unit)
        candidates = [
            i for i, (v, u, _) in enumerate(unused) if v == g_value and _units_agree(g_unit, u)
        ]
        if not candidates:
            out["figures"].fn += 1
            continue
        best = min(candidates, key=lambda i: (unused[i][1] != g_unit, unused[i][2] != role))
        right = unused.pop(best)[2] == role
        out["figures"].tp += 1
        out["roles"].add(Counts(int(right), int(not right), int(not right)))
    out["figures"].fp += len(unused)

    g_ratios = Counter((a, t) for a, t, _ in gold.get("ratios", []))
    p_ratios = Counter((a, t) for a, t, _ in predicted.get("ratios", []) if a is not None)
    tp = sum((g_ratios & p_ratios).values())
    out["ratios"] = Counts(tp, sum(p_ratios.values()) - tp, sum(g_ratios.values()) - tp)

    for kind in ("limitations", "directives"):
        want, got = gold.get(kind, 0), predicted.get(kind, 0)
        out[kind] = Counts(min(want, got), got - min(want, got), want - min(want, got))
    return out


def _sets(gold: set, predicted: set) -> Counts:
    return Counts(len(gold & predicted), len(predicted - gold), len(gold - predicted))


def predict(extraction) -> dict:
    """The reader's Extraction in the gold's shape."""
    figures = []
    for figure in extraction.figures:
        unit = figure.unit_text or figure.unit or ""
        figures.append([str(figure.value), unit, getattr(figure, "role", None) or "result"])
    for figure in extraction.figures:
        unit = figure.unit_text or figure.unit or ""
        plan = [str(figure.plan), unit, "target"] if figure.plan is not None else None
        if plan and not any(_same_figure(plan, other) for other in figures):
            figures.append(plan)
    meeting_date = extraction.meeting.date
    return {
        "date": meeting_date.isoformat() if meeting_date else None,
        "places": list(extraction.places),
        "people": [[person.name, person.position] for person in extraction.people],
        "figures": figures,
        "ratios": [[r.achieved, r.total, r.what] for r in extraction.ratios],
        "limitations": len(extraction.limitations),
        "directives": len(extraction.directives),
    }


def _same_figure(one: list, two: list) -> bool:
    a, b = _unit(Decimal(one[0]), one[1]), _unit(Decimal(two[0]), two[1])
    return a == b and one[2] == two[2]


# ----------------------------------------------------------------------------------- scoring


def totals(pairs) -> dict:
    """Precision, recall and F1 per kind over (gold, predicted) pairs, micro-averaged."""
    summed = {kind: Counts() for kind in KINDS}
    for gold, predicted in pairs:
        for kind, counts in compare(gold, predicted).items():
            summed[kind].add(counts)
    result = {}
    for kind, counts in summed.items():
        raw, precision, recall, f1 = counts.scores()
        result[kind] = {**raw, "precision": precision, "recall": recall, "f1": f1}
    return result


def score(split: str, *, repeats: int = REPEATS) -> dict:
    """Read every excerpt of `split` as a plain-text document and score the reader on it."""
    from xaso.reading import read_text

    excerpts = load(split)
    pairs = [(excerpt, predict(read_text(excerpt["text"]))) for excerpt in excerpts]
    rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        for excerpt in excerpts:
            read_text(excerpt["text"])
        rates.append(len(excerpts) / (time.perf_counter() - started))
    portals = {excerpt["url"].split("/")[2] for excerpt in excerpts}
    return {
        "split": split,
        "excerpts": len(excerpts),
        "portals": len(portals),
        "kinds": totals(pairs),
        "docs_per_second": statistics.median(rates) if rates else None,
    }


def _cell(value) -> str:
    return "—" if value is None else f"{value:.2f}"


def run() -> str:
    results = {split: score(split) for split in SPLITS}
    for split, result in results.items():
        f1s = ", ".join(f"{k} {_cell(v['f1'])}" for k, v in result["kinds"].items())
        print(f"unseen {split}: {f1s}; {result['docs_per_second']:.0f} docs/s")
    hosts = {e["url"].split("/")[2] for split in SPLITS for e in load(split)}
    tune, held = results["tune"], results["heldout"]
    rows = []
    for kind in KINDS:
        cells = []
        for result in (tune, held):
            k = result["kinds"][kind]
            cells.append(
                f"{_cell(k['precision'])} / {_cell(k['recall'])} / **{_cell(k['f1'])}** "
                f"({k['tp']}, {k['fp']}, {k['fn']})"
            )
        before = BEFORE.get(kind, {})
        was = f"{_cell(before.get('tune'))} / {_cell(before.get('heldout'))}" if before else "—"
        rows.append(f"| {kind} | {cells[0]} | {cells[1]} | {was} |")
    return "\n".join(
        [
            "## Reading reports it has never seen (`bench/unseen.py`, issue 19)",
            "",
            f"{tune['excerpts'] + held['excerpts']} excerpts modelled on real local-government "
            f"news from {len(hosts)} portals (commune, district and province portals; party, "
            "People's Committees and Councils, mass organisations), paraphrased, annotated by "
            "hand before the reader ran on them (`bench/unseen/*.toml`; rules in "
            "`bench/unseen.py` and docs/reading.md). Tuning set: "
            f"{tune['excerpts']} excerpts; held-out set (every third, never used to tune): "
            f"{held['excerpts']}. Each cell: precision / recall / **F1** (true positives, false "
            "positives, false negatives), micro-averaged. Goal (issue 19): F1 ≥ 0.90 on every "
            "kind, ≥ 0.95 on dates and figures.",
            "",
            "| kind | tune P / R / **F1** | held-out P / R / **F1** "
            "| F1 before (tune / held-out) |",
            "|---|---|---|---|",
            *rows,
            "",
            f"Reading speed on these excerpts (`read_text`, median of {REPEATS} passes): "
            f"{tune['docs_per_second']:.0f} documents/s (tune), "
            f"{held['docs_per_second']:.0f} documents/s (held-out).",
            "",
        ]
    )
