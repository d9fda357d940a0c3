"""Reports sent as a chat message: "Thôn Cẩm Trang tuần 3: trồng mới 320 m hàng rào xanh, 5 hộ
chỉnh trang vườn, 2 nhà vệ sinh tự hoại." → a value per indicator of a report form.

:func:`read_chat_report` takes the message and the form's indicators (:class:`IndicatorSpec`:
code, name, unit code, aliases) and returns a :class:`ChatReading`: each value in its
indicator's unit with the words it was read from, the unit and period the header names, and
every number that was not taken, with the reason. Nothing here decides what is saved: an
officer checks the reading first.

How a message is read:

* Text is compared folded (no diacritics, lower case; :func:`xaso.vn.text.fold`), letter for
  letter so offsets stay those of the NFC text: "hang rao xanh 200m" is "hàng rào xanh 200 m".
* A figure is a number ("1.250", "2,5") and the unit written after it, if any ("m", "km",
  "hộ", "cái", "triệu"): :mod:`xaso.vn.units`. Numbers after "tuần", "tháng", "thôn", "năm"…,
  dates and times are not figures; "3/5" is listed as not read.
* The message is cut at line ends, ".", ";", ",", "và", "+" and bullets; a cut piece without a
  number belongs to the piece before it in the same sentence, or the one after. A number's
  words are those of its piece, up to the neighbouring numbers.
* Words are compared as a bag of syllables, so order does not matter; filler ("trồng mới",
  "làm", "được", "xây") is ignored on both sides, chat shorthand is expanded ("HR" → "hàng
  rào", "GTNT" → "giao thông nông thôn"). A syllable weighs 1 / (how many of the form's
  indicators use it): words that tell indicators apart count most.
* Candidates need a word of their own beyond the count noun, and a unit that fits: a measure
  converts within its family ("1,2 km" → 1200 m), never between families; a count noun
  ("hộ", "vườn") that differs from the indicator's is allowed when the words say so, and it
  is a word of the name when the name contains it ("2 nhà vệ sinh" for "Hộ xây nhà vệ sinh").
* The best by words wins; among those within a hair of it, a fitting unit decides; if two
  remain equal the figure is not taken and the reading says which indicators tied.
  An indicator named by two figures takes neither. (Words and matching:
  :mod:`xaso.reading.chat_match`.)

Pure: no Django.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal

from xaso.reading import chat_match as cm
from xaso.vn.numbers import NumberError, parse_number
from xaso.vn.text import fold, nfc
from xaso.vn.units import ALIASES, Unit, UnitError, convert

__all__ = [
    "MAX_LENGTH",
    "ChatError",
    "ChatReading",
    "ChatValue",
    "IndicatorSpec",
    "LeftOver",
    "read_chat_report",
]

MAX_LENGTH = 5000


class ChatError(ValueError):
    """The message cannot be read at all; ``message`` is Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    unit: str  # a code of xaso.vn.units
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChatValue:
    code: str
    value: Decimal  # in the indicator's unit
    source: str  # the words of the message it was read from
    start: int
    end: int
    unit_written: str | None = None  # "km", "hộ"
    note: str | None = None


@dataclass(frozen=True)
class LeftOver:
    text: str  # the piece of the message
    reason: str  # Vietnamese, for the officer
    start: int
    end: int
    candidates: tuple[str, ...] = ()  # the indicator codes that tied or did not fit


@dataclass
class ChatReading:
    values: list[ChatValue] = field(default_factory=list)
    unit_name: str | None = None  # "Thôn Cẩm Trang", as written
    period: str | None = None  # "tuần 3", "tháng 4/2022", as written
    period_code: str | None = None  # "2022-W15", "2022-04" when the year is written
    left_over: list[LeftOver] = field(default_factory=list)

    def value_of(self, code: str) -> Decimal | None:
        return next((v.value for v in self.values if v.code == code), None)


# ---- units written after a number -----------------------------------------------------------

_UNIT_FORMS = sorted(((fold(written), unit) for written, unit in ALIASES.items()), reverse=True)
_UNIT_FORMS.sort(key=lambda item: len(item[0]), reverse=True)


def _unit_after(folded: str, pos: int) -> tuple[int, int, Unit] | None:
    """The unit written at ``pos`` (after optional spaces): (start, end, unit)."""
    start = pos
    while start < len(folded) and folded[start] == " ":
        start += 1
    for written, unit in _UNIT_FORMS:
        if folded.startswith(written, start):
            end = start + len(written)
            if end == len(folded) or not folded[end].isalnum():
                return start, end, unit
    return None


# ---- header: the unit and the period --------------------------------------------------------

_KIND = r"thon|xom|to\s+dan\s+pho|tdp|khu\s+pho|kp|ban|ap|to"
_UNIT_HEAD = re.compile(rf"(?<!\w)(?:{_KIND})\s+")
_NUMBER_NAME = re.compile(r"\d{1,3}(?!\d)")
_NAME_STOP = cm.word_set(
    "tuan thang quy dot nam ngay bao cao bc va da trong lam duoc xay chinh nhu gui"
)
_PERIOD = re.compile(
    r"(?<!\w)(?:"
    r"tuan\s+(?:thu\s+)?(?P<w>\d{1,2})(?:\s*/\s*(?P<wy>(?:19|20)\d\d))?"
    r"|thang\s+(?P<m>1[0-2]|0?[1-9])(?:\s*/\s*(?P<my>(?:19|20)\d\d))?"
    r"|quy\s+(?:[1-4]|iv|i{1,3})(?:\s*/\s*(?:19|20)\d\d)?"
    r"|dot\s+\d{1,2}"
    r"|(?:tu\s+)?ngay\s+\d{1,2}/\d{1,2}(?:/\d{4})?"
    r"(?:\s*(?:-|den)\s*(?:ngay\s+)?\d{1,2}/\d{1,2}(?:/\d{4})?)?"
    r")(?![\d/\w])"
)


def _unit_name(text: str, folded: str, limit: int) -> tuple[int, int] | None:
    """The reporting unit the header names, before ``limit``: "Thôn Cẩm Trang", "xom 7"."""
    for head in _UNIT_HEAD.finditer(folded, 0, limit):
        kind = text[head.start() : head.end()].split()[0].lower()
        if kind in {"ban", "ap", "to"} and fold(kind) == kind:
            continue  # "ban", "to" without diacritics are ordinary words
        if number := _NUMBER_NAME.match(folded, head.end()):
            return head.start(), number.end()
        end, count = head.end(), 0
        capitalised = text[head.end() : head.end() + 1].isupper()
        for word in re.finditer(r"[^\W\d_]+|\S", text[head.end() : limit]):
            token = word.group()
            gap = text[end : head.end() + word.start()]
            if count and (gap.strip() or "\n" in gap):
                break
            if not token.isalpha() or count == 4 or (capitalised and not token[0].isupper()):
                break
            if not capitalised and fold(token) in _NAME_STOP:
                break
            end, count = head.end() + word.end(), count + 1
        if count:
            return head.start(), end
    return None


def _period(folded: str) -> tuple[re.Match, str | None] | None:
    match = _PERIOD.search(folded)
    if match is None:
        return None
    code = None
    if match.group("wy"):
        code = f"{match.group('wy')}-W{int(match.group('w')):02d}"
    elif match.group("my"):
        code = f"{match.group('my')}-{int(match.group('m')):02d}"
    return match, code


# ---- numbers and pieces ---------------------------------------------------------------------

_NUMBER = re.compile(r"(?<![\w.,/])\d+(?:[.,]\d+)*(?!\d)")
_NOT_A_FIGURE_AFTER = cm.word_set(
    "tuan thang nam ngay quy dot thon xom to tdp kp so thu khoa ky doi ban ap lan phong"
)
_SLASH = re.compile(r"\s*/\s*\d")
_RATIO = re.compile(r"\d[\d.,]*(?:\s*/\s*\d[\d.,]*)*")
_CLOCK = re.compile(r"\s*(?::|h)\d")
# Where a sentence ends, and where a clause of a sentence ends.
_SENTENCE = re.compile(r"\n|[!?]|(?<!\d)\.|\.(?!\d)|(?:^|(?<=\s))[-–•*]\s")
_CLAUSE = re.compile(r";|(?<!\d),|,(?!\d)|(?<=\s)(?:va|\+)(?=\s)")


@dataclass
class _Figure:
    start: int
    end: int  # after the unit, if any
    number: str
    unit: Unit | None = None
    unit_text: str | None = None
    clause: int = 0
    sentence: int = 0


def _figures(text: str, folded: str, masked: list[tuple[int, int]]) -> list[_Figure | LeftOver]:
    found: list[_Figure | LeftOver] = []
    for match in _NUMBER.finditer(folded):
        start, end = match.span()
        if any(a <= start < b for a, b in masked):
            continue
        before = folded[max(0, start - 12) : start].split()
        if before and before[-1] in _NOT_A_FIGURE_AFTER:
            continue
        if _SLASH.match(folded, end) or folded[max(0, start - 1) : start] == "/":
            if not (before and before[-1] == "ngay"):
                end = _RATIO.match(folded, start).end()
                found.append(LeftOver(text[start:end], "Không đọc số dạng tỉ số/ngày.", start, end))
            continue
        if _CLOCK.match(folded, end):
            continue
        figure = _Figure(start, end, text[start:end])
        if unit := _unit_after(folded, end):
            figure.end, figure.unit, figure.unit_text = unit[1], unit[2], text[unit[0] : unit[1]]
        found.append(figure)
    return found


def _cuts(folded: str, pattern: re.Pattern) -> list[int]:
    return sorted({m.start() for m in pattern.finditer(folded)} | {0, len(folded)})


def _index(cuts: list[int], pos: int) -> int:
    """Which of the pieces between ``cuts`` holds ``pos``."""
    return min(bisect_right(cuts, pos), len(cuts) - 1) - 1


# ---- the message ----------------------------------------------------------------------------


def _header_end(folded: str, first_figure: int, named: list[tuple[int, int]]) -> int:
    """The end of a header line closed by a colon ("Thôn X tuần 3:"), or 0."""
    colon = folded.find(":", 0, first_figure)
    if colon < 0:
        return 0
    if any(end <= colon for _, end in named) or "bao cao" in folded[:colon]:
        return colon + 1
    return 0


def _value(figure: _Figure, target: IndicatorSpec) -> tuple[Decimal, str | None]:
    parsed = parse_number(figure.number)
    value = parsed.value
    unit = figure.unit
    if unit is not None and not cm.is_count(unit) and unit.code != target.unit:
        value = convert(value, unit.code, target.unit)
    return value, parsed.note


def _names(specs: list[IndicatorSpec]) -> str:
    return "; ".join(f"‘{spec.name}’" for spec in specs)


def read_chat_report(text: str, indicators: list[IndicatorSpec]) -> ChatReading:
    """Read a report written as a chat message into values of the given indicators."""
    text = nfc(text or "")
    if len(text) > MAX_LENGTH:
        raise ChatError(
            f"Tin nhắn dài quá {MAX_LENGTH:,} ký tự".replace(",", ".")
            + ": hãy dán báo cáo của từng thôn một."
        )
    folded = cm.fold_keep(text)
    reading = ChatReading()
    masked: list[tuple[int, int]] = []
    if period := _period(folded):
        match, reading.period_code = period
        reading.period = text[match.start() : match.end()]
        masked.append(match.span())
    figures = [f for f in _figures(text, folded, masked) if isinstance(f, _Figure)]
    first = figures[0].start if figures else len(text)
    if named := _unit_name(text, folded, first):
        reading.unit_name = " ".join(text[named[0] : named[1]].split())
        masked.append(named)
    header = _header_end(folded, first, masked)
    masked.append((0, header))
    items = [item for item in _figures(text, folded, masked) if item.start >= header]
    figures = [item for item in items if isinstance(item, _Figure)]
    reading.left_over.extend(item for item in items if isinstance(item, LeftOver))

    specs = cm.prepare(indicators)
    taken: dict[str, list[tuple[ChatValue, IndicatorSpec]]] = {}
    previous: tuple[_Figure, frozenset[str], dict, str | None] | None = None
    for figure, (words, spans) in zip(figures, _contexts(folded, figures, masked), strict=True):
        found, unfit = cm.candidates(words, figure.unit, figure.unit_text, specs)
        winner, tied = cm.choose(found)
        if not found and not unfit and figure.unit is not None and previous is not None:
            # "11 hộ trồng hàng rào xanh, tổng chiều dài 640m": a measure whose words name
            # nothing speaks of what the figure before it in the sentence spoke of.
            before, before_words, before_spans, before_code = previous
            if before.sentence == figure.sentence:
                others = [p for p in specs if p.spec.code != before_code]
                found, _ = cm.candidates(
                    before_words | words, figure.unit, figure.unit_text, others
                )
                winner, tied = cm.choose(found)
                if winner is not None:
                    spans = {**before_spans, **spans}
        previous = (figure, words, spans, winner.spec.code if winner else None)
        piece = _span(text, figure, spans, tied)
        if winner is None:
            reading.left_over.append(_left_over(text, piece, tied, unfit))
            continue
        try:
            value, note = _value(figure, winner.spec)
        except (NumberError, UnitError) as error:
            reading.left_over.append(LeftOver(text[piece[0] : piece[1]], error.message, *piece))
            continue
        start, end = _span(text, figure, spans, [winner])
        chat_value = ChatValue(
            winner.spec.code, value, text[start:end], start, end, figure.unit_text, note
        )
        taken.setdefault(winner.spec.code, []).append((chat_value, winner.spec))
    for code, values in taken.items():
        if len(values) == 1:
            reading.values.append(values[0][0])
            continue
        spec = values[0][1]
        for chat_value, _ in values:
            reason = (
                f"Nhiều số cho cùng chỉ tiêu ‘{spec.name}’: không tự cộng hay chọn, hãy nhập tay."
            )
            reading.left_over.append(
                LeftOver(chat_value.source, reason, chat_value.start, chat_value.end, (code,))
            )
    reading.values.sort(key=lambda v: v.start)
    reading.left_over.sort(key=lambda item: item.start)
    return reading


def _left_over(
    text: str, piece: tuple[int, int], tied: list[cm.Candidate], unfit: list[IndicatorSpec]
) -> LeftOver:
    shown = text[piece[0] : piece[1]]
    if tied:
        specs = [c.spec for c in tied]
        reason = f"Khớp ngang nhau với {_names(specs)}: không tự chọn, hãy nhập tay."
        return LeftOver(shown, reason, *piece, tuple(s.code for s in specs))
    if unfit:
        reason = f"Đơn vị không hợp với {_names(unfit)}."
        return LeftOver(shown, reason, *piece, tuple(s.code for s in unfit))
    return LeftOver(shown, "Không khớp chỉ tiêu nào của biểu mẫu.", *piece)


def _span(
    text: str, figure: _Figure, spans: dict[str, list[tuple[int, int]]], chosen: list
) -> tuple[int, int]:
    """From the first to the last word used (the figure itself included); every word
    around the figure when no indicator was chosen."""
    start, end = figure.start, figure.end
    words = {w for c in chosen for w in c.matched} if chosen else set(spans)
    for word in words:
        for a, b in spans.get(word, ()):
            start, end = min(start, a), max(end, b)
    return start, end


def _contexts(
    folded: str, figures: list[_Figure], masked: list[tuple[int, int]]
) -> list[tuple[frozenset[str], dict[str, list[tuple[int, int]]]]]:
    """For each figure, the words around it (its bag) and where each word is written."""
    sentences = _cuts(folded, _SENTENCE)
    clauses = sorted(set(sentences) | set(_cuts(folded, _CLAUSE)))
    sentence_of = [_index(sentences, start) for start in clauses[:-1]]
    for f in figures:
        f.clause = _index(clauses, f.start)
        f.sentence = sentence_of[f.clause]
    by_sentence: dict[int, list[int]] = {}
    for c in sorted({f.clause for f in figures}):
        by_sentence.setdefault(sentence_of[c], []).append(c)
    # A clause without a number joins the previous clause of its sentence, else the next.
    joined: dict[int, list[int]] = {c: [c] for group in by_sentence.values() for c in group}
    for c in range(len(clauses) - 1):
        group = by_sentence.get(sentence_of[c])
        if c in joined or not group:
            continue
        at = bisect_right(group, c)
        joined[group[at - 1] if at else group[0]].append(c)
    blocked = bytearray(len(folded))
    for a, b in [*masked, *((f.start, f.end) for f in figures)]:
        blocked[a:b] = b"\1" * (b - a)
    out = []
    for i, figure in enumerate(figures):
        words: set[str] = set()
        where: dict[str, list[tuple[int, int]]] = {}
        for c in joined[figure.clause]:
            a, b = clauses[c], clauses[c + 1]
            if c == figure.clause:
                if i > 0 and figures[i - 1].clause == c:
                    a = figures[i - 1].end
                if i + 1 < len(figures) and figures[i + 1].clause == c:
                    b = figures[i + 1].start
            for match in cm.WORD.finditer(folded, a, b):
                if blocked[match.start()]:
                    continue
                for word in cm.SHORTHAND.get(match.group(), match.group()).split():
                    if word not in cm.FILLER:
                        words.add(word)
                        where.setdefault(word, []).append(match.span())
        out.append((frozenset(words), where))
    return out
