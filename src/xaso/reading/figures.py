"""Figures and ratios in review reports and news articles.

:func:`find_figures` reads quantities that carry a unit ("1.135m", "12 hệ thống", "209 tỷ
đồng"), with the plan and percent they are measured against when the text gives them
(see :mod:`xaso.reading.plans`). :func:`find_ratios` reads "17/17 chi bộ" and bare counts
of units such as "thôn trưởng 12 thôn". Numbers are read by
:func:`xaso.vn.numbers.parse_number` (a dot before exactly three digits groups thousands).

What is left out, for precision: numbers without a unit, so dates ("30/11/2022", "15/4"),
times ("10:01"), years ("năm 2022"), codes ("03-NQ/HU", "05/2022/QĐ-UBND"), ordinals
("lần thứ 2") and anniversaries ("155 năm thành lập": "năm" is not a unit) give nothing;
so does a percent of a plan ("đạt 95% kế hoạch") that no value can be attached to.

Labels name what the number counts:

* a count unit is the head of its own noun phrase: "Trồng 215 cây bóng mát" → "cây bóng
  mát", "Làm mới 12 hệ thống xử lý nước thải sinh hoạt" → "hệ thống xử lý nước thải sinh hoạt";
* a measure ("m", "tấn", "tỷ đồng") is labelled by the noun phrase after it ("tiếp nhận 211
  tấn xi măng" → "xi măng"), or, when the number is introduced as a result ("được", "đạt",
  "ước đạt", "trị giá", ":") or nothing follows it, by the subject before it, without leading
  verbs, periods or "tổng": "Mở rộng hành lang GT được 1.135m" → "hành lang GT", "Thu trợ cấp
  cân đối: 986 triệu đồng" → "thu trợ cấp cân đối", "Tổng thu ngân sách 6 tháng đầu năm 2020
  ước đạt 3.750 triệu đồng/…" → "thu ngân sách";
* a second plan comparison that directly follows a first one ("…giao), 3.750 triệu
  đồng/16.477 triệu đồng (…)") repeats its label.

Offsets refer to the NFC form of the text (the reader normalises before reading).
Pure: no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from xaso.reading import budget
from xaso.reading.model import FigureMention, RatioMention
from xaso.reading.plans import (
    FIRST_NUMBER,
    PERCENT_CLAUSE,
    PLAN_PAIR,
    SOURCE,
    SP,
    START,
    UNIT,
    alternation,
    assign_roles,
    plan_source,
    read_number,
    read_plan,
    resolve_unit,
)
from xaso.vn.text import nfc
from xaso.vn.units import ALIASES, Unit

__all__ = ["find_figures", "find_ratios"]

_I = re.IGNORECASE
# A number followed by a unit; not the first half of "30/11" or "10:01".
_QUANTITY = re.compile(
    rf"(?P<num>{FIRST_NUMBER})(?!{SP}*+/{SP}*+\d)(?!:\d){SP}*+(?P<unit>{UNIT})", _I
)
# A number that may start a figure or a ratio: a unit, a "%" or a "/" follows it. Most
# numbers in reports (years, dates) are left out by this one scan.
_CANDIDATE = re.compile(FIRST_NUMBER + rf"(?={SP}{{0,3}}(?:[^\W\d_]|%)|{SP}*+/)")
# An achievement percent with no value of its own: "95% kế hoạch".
_OF_PLAN = re.compile(rf"{SP}*+{SOURCE}", _I)

# Units whose bare count is the number of units there are: "thôn trưởng 12 thôn".
_ORG_UNITS = ("thôn", "xóm", "bản", "tổ dân phố", "khu dân cư", "chi bộ", "tổ liên gia")
_BARE_COUNT = re.compile(
    rf"(?P<n>{START}\d*)(?![.,]?\d){SP}+(?P<what>{alternation(_ORG_UNITS)})(?![^\W_])"
    rf"(?:{SP}+(?:trực{SP}+thuộc|trên{SP}+địa{SP}+bàn|toàn{SP}+xã|của{SP}+xã|trong{SP}+xã))?"
    rf"(?={SP}*+(?:[.;,:)\n]|$))",
    _I,
)
_ORG_CODES = frozenset(ALIASES[form].code for form in _ORG_UNITS if form in ALIASES)
# What a ratio counts: any count unit, and units of organisation that are not units of measure.
_RATIO_NOUNS = [form for form, unit in ALIASES.items() if unit.is_count] + [
    *_ORG_UNITS,
    *("xã", "thị trấn", "đơn vị", "cơ quan", "hợp tác xã", "tổ chức cơ sở đảng", "chi hội"),
    *("chi đoàn", "chỉ tiêu", "nội dung", "thành viên", "doanh nghiệp", "tổ chức"),
]
_RATIO = re.compile(
    rf"(?P<a>{START}\d*){SP}*+/{SP}*+(?P<t>\d+)(?![.,]?\d)(?!{SP}*+/)"
    rf"{SP}*+(?P<what>{alternation(_RATIO_NOUNS)})(?![^\W_])",
    _I,
)

# A number right after these words is a date, a year or an ordinal, not a quantity.
_NOT_QUANTITY_AFTER = frozenset(
    {"năm", "ngày", "tháng", "quý", "số", "thứ", "khóa", "khoá", "kỳ", "thôn", "xóm", "tổ"}
)
_DATE_WORDS = frozenset({"ngày", "sáng", "chiều", "tối", "trưa", "đêm", "hôm", "từ", "đến"})
_PUNCTUATION = "\"'“”‘’()[],;:.!?-–—…"
_LETTER = re.compile(r"[^\W\d_]")
_APPROXIMATE = re.compile(rf"(?:^|\s)(hơn|trên|gần|khoảng|xấp{SP}+xỉ){SP}*+$", _I)
_ESTIMATED = re.compile(r"\bước(?:\s+(?:đạt|thực\s+hiện|tính|thu|khoảng))(?![^\W_])", _I)
_SENTENCE_END = re.compile(r"[;!?\n]|\.(?!\d)")
_BOUNDARY = re.compile(r"[;!?\n()\[\]]|\.(?!\d)|:(?!\d)")
# The number is stated as a result of the phrase before it.
_RESULT_MARKER = re.compile(
    rf"(?:được|đạt|là|:|trị{SP}+giá(?:{SP}+đầu{SP}+tư)?|số{SP}+tiền|ước{SP}+\w+)"
    rf"(?:{SP}+(?:hơn|trên|gần|khoảng))?{SP}*+$",
    _I,
)
_STOP_WORDS = (
    "và|hoặc|để|với|trong|tại|theo|qua|của|cho|từ|trên|nhằm|thay|bằng|đến|tới|so|nhưng"
    rf"|được|là|ước|trị|đạt(?!{SP}+chuẩn)"
)
_FOLLOWING = re.compile(rf"(?:{SP}+(?!(?:{_STOP_WORDS})(?![^\W_]))[^\W\d_][\w-]*){{1,8}}", _I)

# Cleaning a subject ("Tổng thu ngân sách 6 tháng đầu năm 2020 ước đạt" → "thu ngân sách").
_TRAILING = re.compile(
    r"(?:^|\s)(?:ước(?:\s+(?:đạt|thực\s+hiện|tính|thu|khoảng))?|đạt|được|là|còn|chiếm|tăng"
    r"|giảm|gồm|có|trị\s+giá(?:\s+đầu\s+tư)?|giá\s+trị\s+đầu\s+tư|hơn|trên|gần|khoảng"
    r"|xấp\s+xỉ)[\s,:;–-]*$",
    _I,
)
_GENERIC_TAIL = re.compile(r"(?:^|\s)(?:với\s+)?(tổng\s+giá\s+trị|giá\s+trị|số\s+tiền)$", _I)
_PERIOD = re.compile(
    r"\b\d{1,2}\s+tháng(?:\s+(?:đầu|cuối))?\s+năm(?:\s+\d{4})?|\bnăm\s+(?:19|20)\d\d\b"
    r"|\btháng\s+\d{1,2}(?:[/-]\d{4})?\b|\bquý\s+(?:[IV]+|\d)(?:[/-]\d{4})?\b",
    _I,
)
_LEADING = re.compile(
    r"^(?:mở\s+rộng|làm\s+mới|làm|xây\s+dựng|xây|trồng\s+mới|trồng\s+bổ\s+sung|trồng"
    r"|hoàn\s+thành|di\s+dời|che\s+chắn|chỉnh\s+trang|phá\s+bỏ|đắp|tiếp\s+nhận"
    r"|thực\s+hiện\s+việc|thực\s+hiện|triển\s+khai|vận\s+động|huy\s+động|hỗ\s+trợ"
    r"|nâng\s+cấp|sửa\s+chữa|kết\s+nạp|giải\s+ngân|với|cho|và|của|trong|đã|đang"
    r"|tiếp\s+tục|đều|tổng(?=\s+(?!giá\s+trị$)\w+\s+\w))(?:\s+|$)",
    _I,
)
_CUT = re.compile(r"\s(?:tại|cho|với|theo|của|trên\s+địa\s+bàn)\s.*$", _I)
_MAX_WORDS = 10


@dataclass
class _Hit:
    figure: FigureMention
    number_start: int
    unit_end: int
    unit: Unit
    written_unit: str
    is_plan: bool = False


def _word_before(text: str, pos: int) -> str:
    words = text[max(0, pos - 16) : pos].split()
    return words[-1].strip(_PUNCTUATION).lower() if words else ""


def _lower_first(label: str) -> str:
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return label
    return label[:1].lower() + label[1:]


def _tidy(phrase: str) -> str:
    return " ".join(phrase.split()).strip(" ,;:-–")


def _strip_tail(phrase: str, pattern: re.Pattern) -> str:
    """Drop trailing words ``pattern`` (anchored at the end, short) matches, repeatedly."""
    while found := pattern.search(phrase, max(0, len(phrase) - 32)):
        phrase = _tidy(phrase[: found.start()])
    return phrase


def _clean_subject(piece: str, keep_verb: bool = False) -> str:
    """The noun phrase a subject clause names, or "" if it names none.

    With ``keep_verb``, a clause that is only a verb ("Huy động") is kept as the label.
    """
    phrase = _strip_tail(_tidy(piece), _TRAILING)
    lowered = phrase.lower()
    if "tháng" in lowered or "năm" in lowered or "quý" in lowered:
        phrase = _strip_tail(_tidy(_PERIOD.sub(" ", phrase)), _TRAILING)
    generic = _GENERIC_TAIL.search(phrase, max(0, len(phrase) - 32))
    if generic and generic.start() > 0:
        phrase = _tidy(phrase[: generic.start()])
    if len(phrase.split()) > _MAX_WORDS and ", " in phrase:
        last = phrase.rsplit(", ", 1)[1]
        if len(last.split()) > 1:
            phrase = last  # "…được quan tâm, thực hiện việc chi trả…": the last clause
    verb = phrase
    while leading := _LEADING.match(phrase):
        phrase = phrase[leading.end() :]
    if not phrase and keep_verb and not generic:
        phrase = verb
    phrase = _tidy(_CUT.sub("", phrase))
    if not phrase and generic:
        phrase = " ".join(generic.group(1).split())
    words = phrase.split()
    if len(words) > _MAX_WORDS:
        for separator in (" và ", ", "):
            head = phrase.split(separator, 1)[0]
            if 1 < len(head.split()) <= _MAX_WORDS:
                words = head.split()
                break
        words = words[:_MAX_WORDS]
    return _lower_first(_tidy(" ".join(words)))


def _subject(text: str, start: int, floor: int, keep_verb: bool = False) -> str:
    """The subject named before ``start``, looking no further back than ``floor``."""
    low = max(floor, start - 160)
    end = start
    bounds = list(_BOUNDARY.finditer(text, low, start))
    for bound in [*reversed(bounds), None]:
        piece = text[bound.end() if bound else low : end]
        label = _clean_subject(piece, keep_verb)
        if label:
            return label
        if bound is None or bound.group() != ":":
            return ""
        end = bound.start()
    return ""


def _estimated(text: str, start: int, floor: int) -> bool:
    """Whether the sentence before ``start`` (not crossing ``floor``) says "ước đạt", …"""
    low = max(floor, start - 240)
    window = text[low:start].lower()
    if "ước" not in window:
        return False
    ends = list(_SENTENCE_END.finditer(window))
    return bool(_ESTIMATED.search(window, ends[-1].end() if ends else 0))


def _label(hit: _Hit, text: str, floor: int) -> tuple[str, int]:
    """The label of ``hit`` and where the text it was taken from ends."""
    figure = hit.figure
    following = _FOLLOWING.match(text, hit.unit_end)
    after = _tidy(following.group()) if following else ""
    extent = max(figure.end, following.end() if following else 0)
    if hit.is_plan or figure.percent_stated is not None:
        subject = _subject(text, hit.number_start, floor, keep_verb=not _counts(hit.unit))
        if subject:
            return subject, figure.end
        return _lower_first(_tidy(f"{hit.written_unit} {after}")), extent
    if _counts(hit.unit):
        return _lower_first(_tidy(f"{hit.written_unit} {after}")), extent
    before = text[max(floor, hit.number_start - 40) : hit.number_start]
    if _RESULT_MARKER.search(before) or not after:
        subject = _subject(text, hit.number_start, floor)
        if subject or not after:
            return subject, figure.end
    return _lower_first(after), extent


def _plan_hit(text: str, start: int) -> _Hit | None:
    match = PLAN_PAIR.match(text, start)
    read = read_plan(match, text) if match else None
    if read is None:
        return None
    written = match["vunit"] or match["punit"]
    unit_end = match.end("vunit") if match["vunit"] else match.end("punit")
    unit = resolve_unit(written, text, unit_end)
    return _Hit(read[0], start, unit_end, unit, written, is_plan=True)


def _with_percent(
    figure: FigureMention, text: str, pct: str, wording: str, end: int
) -> FigureMention:
    """``figure`` with an achievement percent of a plan whose value is not given."""
    stated = read_number(pct)
    if stated is None:
        return figure
    wording = " ".join(wording.split())
    end = figure.start + len(text[figure.start : end].rstrip())
    return replace(
        figure,
        percent_stated=stated.value,
        plan_source=plan_source(wording),
        plan_source_text=wording,
        text=text[figure.start : end],
        end=end,
    )


def _counts(unit: Unit) -> bool:
    return unit.is_count and unit.family != "percent"


def _quantity_hit(text: str, start: int, hits: list[_Hit]) -> _Hit | None:
    match = _QUANTITY.match(text, start)
    if match is None or _word_before(text, start) in _NOT_QUANTITY_AFTER:
        return None
    unit = resolve_unit(match["unit"], text, match.end())
    number = read_number(match["num"])
    if unit is None or number is None:
        return None
    if unit.code in _ORG_CODES and _BARE_COUNT.match(text, start):
        return None  # "12 thôn" is a ratio: the number of villages there are
    of_plan = _OF_PLAN.match(text, match.end()) if unit.family == "percent" else None
    if of_plan:
        # "đạt 95% kế hoạch": the percent of a value stated just before, if any.
        previous = hits[-1].figure if hits else None
        if (
            previous is not None
            and previous.plan is None
            and previous.percent_stated is None
            and not _SENTENCE_END.search(text, previous.end, start)
        ):
            hits[-1].figure = _with_percent(
                previous, text, match["num"], of_plan.group(), of_plan.end()
            )
        return None
    approximate = _APPROXIMATE.search(text, max(0, start - 16), start)
    notes = [number.note] if number.note else []
    if approximate:
        notes.append(f"Số gần đúng (‘{approximate.group(1)}’).")
    figure = FigureMention(
        label="",
        value=number.value,
        unit=unit.code,
        unit_text=" ".join(match["unit"].split()),
        ambiguous=number.ambiguous,
        note=" ".join(notes) or None,
        text=match.group(),
        start=start,
        end=match.end(),
    )
    percent = None
    if unit.family != "percent" and text.find("%", match.end(), match.end() + 40) >= 0:
        percent = PERCENT_CLAUSE.match(text, match.end())
    if percent and percent["src"]:
        figure = _with_percent(figure, text, percent["pct"], percent["src"], percent.end())
    return _Hit(figure, start, match.end(), unit, match["unit"])


@lru_cache(maxsize=4)
def _candidates(text: str) -> tuple[int, ...]:
    """Where the numbers that may start a figure or ratio are; shared by both finders."""
    return tuple(match.start() for match in _CANDIDATE.finditer(text))


def _hits(text: str) -> list[_Hit]:
    """Results against plans and quantities, in order; one pass over the numbers."""
    hits: list[_Hit] = []
    covered = 0  # numbers before this offset were read as part of a figure
    for start in _candidates(text):
        if start < covered:
            continue
        budget.check()
        hit = _plan_hit(text, start) if text.find("/", start, start + 48) >= 0 else None
        if hit is None:
            hit = _quantity_hit(text, start, hits)
        if hit is not None:
            hits.append(hit)
            covered = hit.figure.end
    return hits


def find_figures(text: str) -> list[FigureMention]:
    """Every quantity with a unit in ``text``, in order, with plan and percent when stated."""
    text = nfc(text)
    hits = _hits(text)
    figures: list[FigureMention] = []
    previous: _Hit | None = None
    floor = 0  # where the text the previous figure was read from ends
    for hit in hits:
        budget.check()
        figure = hit.figure
        repeat = (
            hit.is_plan
            and previous is not None
            and previous.is_plan
            and not _LETTER.search(text[floor : hit.number_start])
        )
        if repeat:
            figure.label, figure.estimated = previous.figure.label, previous.figure.estimated
            extent = figure.end
        else:
            figure.label, extent = _label(hit, text, floor)
            figure.estimated = _estimated(text, hit.number_start, floor)
        floor = max(floor, extent)
        figures.append(figure)
        previous = hit
    assign_roles(text, figures)
    return figures


def find_ratios(text: str) -> list[RatioMention]:
    """Ratios ("17/17 chi bộ": achieved of total) and bare counts ("12 thôn"), in order.

    A pair is a ratio only when a count noun follows it and the first number does not
    exceed the second, so dates ("30/4 và", "ngày 1/5"), codes ("05/2022/QĐ-TTg") and
    amounts against a plan ("1.200/2.000 triệu đồng", "45/60 hộ, đạt 75% KH") are not.
    """
    text = nfc(text)
    ratios: list[RatioMention] = []
    for start in _candidates(text):
        budget.check()
        match = _RATIO.match(text, start)
        if match:
            achieved, total = int(match["a"]), int(match["t"])
            if (
                total > 0
                and achieved <= total
                and _word_before(text, start) not in _DATE_WORDS
                and _plan_hit(text, start) is None
            ):
                what = " ".join(match["what"].lower().split())
                ratios.append(
                    RatioMention(what, achieved, total, match.group(), start, match.end())
                )
            continue
        match = _BARE_COUNT.match(text, start)
        if match and _word_before(text, start) not in _DATE_WORDS:
            what = " ".join(match["what"].lower().split())
            end = match.end("what")
            ratios.append(RatioMention(what, None, int(match["n"]), text[start:end], start, end))
    return ratios
