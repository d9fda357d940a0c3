"""Reporting periods: years, halves, quarters, months, ISO weeks, terms and spans.

A period is named by a short code ("2022", "2022-H1", "2022-9M", "2022-Q2", "2022-11",
"2022-W15", "2020..2025", "2022-04-15..2022-05-30"); see ``docs/periods.md``.
Pure standard library: no Django here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

__all__ = [
    "Period",
    "PeriodError",
    "PeriodKind",
    "expand_periods",
    "parse_period",
    "period_for_date",
]

MAX_TERM_YEARS = 10
MIN_YEAR = 1900  # the years a period may lie in: wide for any report, and far enough from
MAX_YEAR = 2199  # year 9999 that month ends and ISO weeks never leave the calendar
MAX_MONTHS = 240  # the longest month range expand_periods will produce

_EXAMPLES = "ví dụ: 2022, 2022-H1, 2022-11, 2022-W15, 2020..2025"
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

_YEAR = re.compile(r"([0-9]{4})")
_HALF = re.compile(r"([0-9]{4})-H([12])")
_NINE = re.compile(r"([0-9]{4})-9M")
_QUARTER = re.compile(r"([0-9]{4})-Q([0-9])")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")
_WEEK = re.compile(r"([0-9]{4})-W([0-9]{1,2})")
_TERM = re.compile(r"([0-9]{4})\s*(?:\.\.|-|–)\s*([0-9]{4})")
_DATE = r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
_SPAN = re.compile(_DATE + r"\s*\.\.\s*" + _DATE)
_MONTH_RANGE = re.compile(r"([0-9]{4}-[0-9]{1,2})\s*\.\.\s*([0-9]{4}-[0-9]{1,2})")


class PeriodError(ValueError):
    """A period code is invalid; ``message`` is Vietnamese and shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PeriodKind(StrEnum):
    YEAR = "year"
    HALF = "half"
    NINE_MONTHS = "nine_months"
    QUARTER = "quarter"
    MONTH = "month"
    WEEK = "week"
    TERM = "term"
    SPAN = "span"


@dataclass(frozen=True, order=False, eq=False)
class Period:
    code: str
    kind: PeriodKind
    start: date
    end: date  # inclusive

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.code == other.code

    def __hash__(self) -> int:
        return hash(self.code)

    def __str__(self) -> str:
        return self.code

    @property
    def year(self) -> int:
        """The year the period belongs to; for an ISO week, its ISO year."""
        if self.kind is PeriodKind.WEEK:
            return int(self.code[:4])
        return self.start.year

    @property
    def label(self) -> str:
        """Vietnamese name: "quý II/2022", "tháng 11/2022", "nhiệm kỳ 2020–2025", ..."""
        year = self.year
        match self.kind:
            case PeriodKind.YEAR:
                return f"năm {year}"
            case PeriodKind.HALF:
                part = "đầu" if self.start.month == 1 else "cuối"
                return f"6 tháng {part} năm {year}"
            case PeriodKind.NINE_MONTHS:
                return f"9 tháng đầu năm {year}"
            case PeriodKind.QUARTER:
                return f"quý {_ROMAN[(self.start.month + 2) // 3]}/{year}"
            case PeriodKind.MONTH:
                return f"tháng {self.start.month}/{year}"
            case PeriodKind.WEEK:
                return f"tuần {int(self.code[6:])}/{year}"
            case PeriodKind.TERM:
                return f"nhiệm kỳ {self.start.year}–{self.end.year}"
        return f"từ {self.start:%d/%m/%Y} đến {self.end:%d/%m/%Y}"

    def contains(self, other: Period) -> bool:
        """True when ``other`` lies wholly inside this period."""
        return self.start <= other.start and other.end <= self.end

    def months(self) -> list[Period]:
        """The calendar months that lie wholly inside this period, in order."""
        result = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            candidate = _month(year, month)
            if self.contains(candidate):
                result.append(candidate)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return result


def _invalid(code: str) -> PeriodError:
    return PeriodError(f"‘{code}’ không phải là mã kỳ hợp lệ ({_EXAMPLES}).")


def _check_years(*years: int) -> None:
    for year in years:
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise PeriodError(
                f"Năm {year} nằm ngoài khoảng năm được hỗ trợ ({MIN_YEAR}–{MAX_YEAR})."
            )


def _month_end(year: int, month: int) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return following - timedelta(days=1)


def _month(year: int, month: int) -> Period:
    return Period(
        f"{year:04d}-{month:02d}", PeriodKind.MONTH, date(year, month, 1), _month_end(year, month)
    )


def _year(year: int) -> Period:
    return Period(f"{year:04d}", PeriodKind.YEAR, date(year, 1, 1), date(year, 12, 31))


def _half(year: int, half: int) -> Period:
    start = date(year, 1, 1) if half == 1 else date(year, 7, 1)
    end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
    return Period(f"{year:04d}-H{half}", PeriodKind.HALF, start, end)


def _nine_months(year: int) -> Period:
    return Period(f"{year:04d}-9M", PeriodKind.NINE_MONTHS, date(year, 1, 1), date(year, 9, 30))


def _quarter(year: int, quarter: int) -> Period:
    first = 3 * quarter - 2
    return Period(
        f"{year:04d}-Q{quarter}",
        PeriodKind.QUARTER,
        date(year, first, 1),
        _month_end(year, first + 2),
    )


def _week(year: int, week: int) -> Period:
    monday = date.fromisocalendar(year, week, 1)
    return Period(f"{year:04d}-W{week:02d}", PeriodKind.WEEK, monday, monday + timedelta(days=6))


def _term(code: str, first: int, last: int) -> Period:
    if last <= first:
        raise PeriodError(f"Nhiệm kỳ ‘{code}’ phải có năm kết thúc sau năm bắt đầu.")
    if last - first > MAX_TERM_YEARS:
        raise PeriodError(f"Nhiệm kỳ ‘{code}’ dài quá {MAX_TERM_YEARS} năm.")
    return Period(
        f"{first:04d}..{last:04d}", PeriodKind.TERM, date(first, 1, 1), date(last, 12, 31)
    )


def _span(code: str, numbers: tuple[int, ...]) -> Period:
    try:
        start, end = date(*numbers[:3]), date(*numbers[3:])
    except ValueError:
        raise PeriodError(f"‘{code}’ có ngày không tồn tại.") from None
    if end < start:
        raise PeriodError(f"Trong ‘{code}’, ngày kết thúc đứng trước ngày bắt đầu.")
    return Period(f"{start.isoformat()}..{end.isoformat()}", PeriodKind.SPAN, start, end)


def parse_period(code: str) -> Period:
    """Read a period code; raise :class:`PeriodError` (Vietnamese) if it is invalid."""
    text = unicodedata.normalize("NFC", code or "").strip()
    if not text:
        raise PeriodError("Chưa nhập mã kỳ.")
    shown, text = text, text.upper()
    if (found := _YEAR.fullmatch(text)) is not None:
        make = _year
    elif (found := _HALF.fullmatch(text)) is not None:
        make = _half
    elif (found := _NINE.fullmatch(text)) is not None:
        make = _nine_months
    elif (found := _QUARTER.fullmatch(text)) is not None:
        make = _quarter
    elif (found := _MONTH.fullmatch(text)) is not None:
        make = _month
    elif (found := _WEEK.fullmatch(text)) is not None:
        year, week = map(int, found.groups())
        if 1 <= week <= 53 and year >= 1:
            _check_years(year)
            try:
                return _week(year, week)
            except (ValueError, OverflowError):
                raise PeriodError(f"Năm {year} không có tuần {week}.") from None
        raise _invalid(shown)
    elif (found := _TERM.fullmatch(text)) is not None:
        first, last = map(int, found.groups())
        if first < 1:
            raise _invalid(shown)
        _check_years(first, last)
        return _term(shown, first, last)
    elif (found := _SPAN.fullmatch(text)) is not None:
        numbers = tuple(map(int, found.groups()))
        if numbers[0] >= 1 and numbers[3] >= 1:
            _check_years(numbers[0], numbers[3])
        return _span(shown, numbers)
    else:
        raise _invalid(shown)
    numbers = tuple(map(int, found.groups()))
    if numbers[0] >= 1:
        _check_years(numbers[0])
    try:
        return make(*numbers)
    except (ValueError, KeyError):
        raise _invalid(shown) from None


def period_for_date(kind: PeriodKind | str, day: date) -> Period:
    """The period of ``kind`` that contains ``day``.

    Only kinds that tile the calendar are possible; a day after September has no
    "9 tháng đầu năm", and terms and spans cannot be derived from a day.
    """
    try:
        kind = PeriodKind(kind)
    except ValueError:
        raise PeriodError(f"Không có loại kỳ ‘{kind}’.") from None
    if isinstance(day, datetime):
        day = day.date()
    _check_years(day.year)
    if kind is PeriodKind.WEEK:
        _check_years(day.isocalendar().year)
    match kind:
        case PeriodKind.YEAR:
            return _year(day.year)
        case PeriodKind.HALF:
            return _half(day.year, 1 if day.month <= 6 else 2)
        case PeriodKind.NINE_MONTHS if day.month <= 9:
            return _nine_months(day.year)
        case PeriodKind.QUARTER:
            return _quarter(day.year, (day.month + 2) // 3)
        case PeriodKind.MONTH:
            return _month(day.year, day.month)
        case PeriodKind.WEEK:
            iso = day.isocalendar()
            return _week(iso.year, iso.week)
    raise PeriodError(f"Không xác định được kỳ loại ‘{kind.value}’ cho ngày {day:%d/%m/%Y}.")


def expand_periods(spec: str) -> list[Period]:
    """The months a period specification covers.

    ``"2024"`` gives the twelve months of 2024, ``"2024-H1"`` its six months,
    ``"2024-01..2024-06"`` those six months and a single month gives itself.
    """
    text = unicodedata.normalize("NFC", spec or "").strip()
    found = _MONTH_RANGE.fullmatch(text)
    if found is not None:
        first, last = (parse_period(part) for part in found.groups())
        if last.start < first.start:
            raise PeriodError(f"Trong ‘{text}’, tháng kết thúc đứng trước tháng bắt đầu.")
        span = Period(text, PeriodKind.SPAN, first.start, last.end)
        if len(months := span.months()) > MAX_MONTHS:
            raise PeriodError(f"‘{text}’ dài quá {MAX_MONTHS} tháng.")
        return months
    period = parse_period(text)
    months = period.months()
    if not months:
        raise PeriodError(f"Kỳ ‘{text}’ không chứa trọn một tháng nào.")
    return months


def previous_period(period: Period) -> Period | None:
    """The period of the same kind just before: the previous month, quarter, half, year or
    week; last year's first nine months; the term before a term. None for a free span or
    before the calendar's first year."""
    try:
        match period.kind:
            case PeriodKind.NINE_MONTHS:
                return parse_period(f"{period.year - 1}-9M")
            case PeriodKind.TERM:
                length = period.end.year - period.start.year
                return parse_period(f"{period.start.year - length}..{period.start.year}")
            case PeriodKind.SPAN:
                return None
        return period_for_date(period.kind, period.start - timedelta(days=1))
    except PeriodError:
        return None


# --- Phrases: periods as officers type them and as reports write them -----------------

MAX_PHRASE_LENGTH = 80  # a period typed in a box; longer is refused before any matching
_PHRASE_EXAMPLES = (
    "Ví dụ: tháng 11/2022, quý II/2022, 6 tháng đầu năm 2022, năm 2022, nhiệm kỳ 2020-2025."
)
_QUARTER_NUMBERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_DASHES = re.compile("[\u2010-\u2015\u2212]")
_NAMED_GROUP = re.compile(r"\(\?P<(\w+)>")

# One grammar, written once with the words left open, read with two vocabularies: the
# reports' own words (accents required, so "Nam" or "quỹ" in a sentence is not a period)
# and what officers type, folded by _fold (lower case, no accents, "đ" as "d", one space,
# one kind of dash), where numbers are taken loosely so a wrong one can be named. No two
# runs of spaces stand side by side around an optional part: a long run stays linear.
_GRAMMAR = [
    (
        "span",
        r"{from}(?:{day})?(?P<d1>\d{{1,2}})/(?P<m1>\d{{1,2}})(?:\s*/\s*(?P<y1>\d{{4}}))?"
        r"\s*(?:[-–—]|{to})\s*(?:{day})?(?P<d2>\d{{1,2}})/(?P<m2>\d{{1,2}})/(?P<y2>\d{{4}})",
    ),
    ("half", r"(?<!\w)(?:0?6|{six})\s+{month}(?P<which>{first}|{last}){of_year}"),
    ("nine", r"(?<!\w)(?:0?9|{nine})\s+{month}{nine_first}{of_year}"),
    ("quarter", r"{quarter}(?P<q>{q})(?:{sep}(?P<y>{year}))?"),
    ("term", r"{term}(?P<t1>{year4})\s*(?:[-–—]|\.\.|{to})\s*(?P<t2>{year4})"),
    ("month", r"{month}(?P<m>{m})(?:{sep}(?P<y>{year}))?(?![\d/])"),
    ("week", r"{week}(?P<w>{w})(?:{sep}(?P<y>{year})){week_year}(?![\d/])"),
    ("year", r"{year_word}(?P<y>{year})"),
]
_IN_TEXT = {
    "from": r"từ\s+",
    "day": r"ngày\s+",
    "to": "đến",
    "six": "sáu",
    "nine": "chín",
    "month": r"tháng\s+",
    "first": "đầu",
    "last": "cuối",
    "of_year": r"\s+năm(?:\s+(?P<y>{year}))?",
    "nine_first": "đầu",
    "quarter": r"quý\s+",
    "q": "IV|III|II|I|[1-4]",
    "sep": r"\s*(?:/|năm)\s*",
    "term": r"nhiệm\s+kỳ\s+",
    "m": "1[0-2]|0?[1-9]",
    "week": r"tuần\s+",
    "w": r"\d{{1,2}}",
    "week_year": "",
    "year_word": r"năm\s+",
    "year": r"(?:19|20)\d\d",
    "year4": r"(?:19|20)\d\d",
}
_TYPED = {
    "from": r"(?:tu\s+)?",
    "day": r"ngay\s+",
    "to": "den",
    "six": "sau",
    "nine": "chin",
    "month": r"(?:thang|th|t)\s*",
    "first": "dau",
    "last": "cuoi",
    "of_year": r"(?:\s*nam)?(?:\s*/?\s*(?P<y>{year}))?",
    "nine_first": "(?:dau)?",
    "quarter": r"(?:quy|qui|q)\s*",
    "q": "[ivx]+|[0-9]+",
    "sep": r"(?:\s*(?:/|-|nam)\s*|\s+)",
    "term": r"(?:nhiem\s*ky\s*)?",
    "m": "[0-9]+",
    "week": r"(?:tuan|w)\s*",
    "w": "[0-9]+",
    "week_year": "?",
    "year_word": r"nam\s*",
    "year": "[0-9]+",
    "year4": "[0-9]{{4}}",
}
# Typed only: bare numbers ("11/2022") and code shapes, so a wrong code is named too.
_TYPED_ONLY = [
    ("year", r"(?P<y>\d{4})"),
    ("month", r"(?P<m>\d{1,2})\s*[/-]\s*(?P<y>\d+)"),
    ("month", r"(?P<y>\d{4})-(?P<m>\d+)"),
    ("half", r"(?P<y>\d{4})-h(?P<h>\d+)"),
    ("nine", r"(?P<y>\d{4})-9m"),
    ("quarter", r"(?P<y>\d{4})-q(?P<q>\d+)"),
    ("week", r"(?P<y>\d{4})-w(?P<w>\d+)"),
    (
        "span",
        r"(?P<y1>\d{4})-(?P<m1>\d{1,2})-(?P<d1>\d{1,2})\s*\.\.\s*"
        r"(?P<y2>\d{4})-(?P<m2>\d{1,2})-(?P<d2>\d{1,2})",
    ),
]


def _compile(forms: list[tuple[str, str]], flags: int) -> tuple[re.Pattern, list[str]]:
    """One alternation of the forms, first form first; form i's groups are prefixed "f{i}_"."""
    parts = [
        f"(?P<f{i}>" + _NAMED_GROUP.sub(f"(?P<f{i}_\\1>", pattern) + ")"
        for i, (_, pattern) in enumerate(forms)
    ]
    return re.compile("|".join(parts), flags), [kind for kind, _ in forms]


def _vocabulary(words: dict[str, str]) -> list[tuple[str, str]]:
    filled = {key: value.format(**words) for key, value in words.items()}
    return [(kind, pattern.format(**filled)) for kind, pattern in _GRAMMAR]


_TEXT_PHRASE, _TEXT_KINDS = _compile(_vocabulary(_IN_TEXT), re.IGNORECASE)
_TEXT_SPAN, _ = _compile(_vocabulary(_IN_TEXT)[:1], re.IGNORECASE)
_TYPED_PHRASE, _TYPED_KINDS = _compile(_vocabulary(_TYPED) + _TYPED_ONLY, re.ASCII | re.I)


class _Problem(Exception):
    """What is wrong with a phrase that was recognised, in Vietnamese, lower case."""


def _fold(text: str) -> str:
    lowered = text.lower().replace("đ", "d")
    bare = "".join(c for c in unicodedata.normalize("NFD", lowered) if not unicodedata.combining(c))
    return " ".join(_DASHES.sub("-", bare).split())


def _phrase_year(text: str | None, default: int | None = None) -> int:
    if text is None:
        if default is None:
            raise _Problem("chưa ghi năm")
        return default
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _Problem(f"năm {year} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}")
    return year


def _phrase_day(year: str, month: str, day: str) -> date:
    number = _phrase_year(year)
    try:
        return date(number, int(month), int(day))
    except ValueError:
        raise _Problem(f"ngày {int(day)}/{int(month)}/{number} không tồn tại") from None


def _in_range(number: int, low: int, high: int, problem: str) -> int:
    if not low <= number <= high:
        raise _Problem(problem)
    return number


def _from_phrase(kind: str, found: dict[str, str | None], default_year: int | None) -> Period:
    """The period a recognised phrase names, or :class:`_Problem` saying what is wrong."""
    if kind == "span":
        end = _phrase_day(found["y2"], found["m2"], found["d2"])
        start = _phrase_day(found["y1"] or found["y2"], found["m1"], found["d1"])
        if end < start:
            raise _Problem("ngày kết thúc đứng trước ngày bắt đầu")
        return Period(f"{start}..{end}", PeriodKind.SPAN, start, end)
    if kind == "term":
        first, last = _phrase_year(found["t1"]), _phrase_year(found["t2"])
        if last <= first:
            raise _Problem("năm kết thúc nhiệm kỳ phải sau năm bắt đầu")
        if last - first > MAX_TERM_YEARS:
            raise _Problem(f"nhiệm kỳ dài quá {MAX_TERM_YEARS} năm")
        return _term(f"{first}..{last}", first, last)
    if kind == "half":
        which = found.get("which")
        half = (1 if _fold(which) == "dau" else 2) if which else int(found["h"])
        _in_range(half, 1, 2, "nửa năm chỉ có H1 (6 tháng đầu năm) và H2 (6 tháng cuối năm)")
        return _half(_phrase_year(found["y"], default_year), half)
    if kind == "quarter":
        quarter = _QUARTER_NUMBERS.get(found["q"].lower().lstrip("0") or "0")
        if quarter is None:
            raise _Problem("quý phải từ I đến IV")
        return _quarter(_phrase_year(found["y"], default_year), quarter)
    if kind == "month":
        month = _in_range(int(found["m"]), 1, 12, "tháng phải từ 1 đến 12")
        return _month(_phrase_year(found["y"], default_year), month)
    if kind == "week":
        week = _in_range(int(found["w"]), 1, 53, "tuần phải từ 1 đến 53")
        year = _phrase_year(found["y"], default_year)
        try:
            return _week(year, week)
        except ValueError:
            raise _Problem(f"năm {year} không có tuần {week}") from None
    if kind == "nine":
        return _nine_months(_phrase_year(found["y"], default_year))
    return _year(_phrase_year(found["y"], default_year))


def _groups(found: re.Match, kinds: list[str]) -> tuple[str, dict[str, str | None]]:
    index = next(i for i in range(len(kinds)) if found.group(f"f{i}") is not None)
    prefix = f"f{index}_"
    return kinds[index], {
        name[len(prefix) :]: value
        for name, value in found.groupdict().items()
        if name.startswith(prefix)
    }


def read_period(text: str) -> Period:
    """Read a period as a person types it: a code (see :func:`parse_period`) or a phrase
    ("tháng 11/2022", "quý II/2022", "6 tháng đầu năm 2020", "nhiệm kỳ 2020-2025", ...),
    in any case, with or without accents. Raise :class:`PeriodError` with a Vietnamese
    message that quotes the text, says what is wrong when it can, and gives examples."""
    stripped = (text or "").strip()
    if len(stripped) > MAX_PHRASE_LENGTH:
        raise PeriodError(
            f"Kỳ ‘{stripped[:24]}…’ dài quá {MAX_PHRASE_LENGTH} ký tự. {_PHRASE_EXAMPLES}"
        )
    shown = " ".join(unicodedata.normalize("NFC", stripped).split())
    if not shown:
        raise PeriodError(f"Chưa nhập kỳ. {_PHRASE_EXAMPLES}")
    try:
        return parse_period(shown)
    except PeriodError:
        pass
    found = _TYPED_PHRASE.fullmatch(_fold(shown))
    if found is None:
        raise PeriodError(f"Không hiểu kỳ ‘{shown}’. {_PHRASE_EXAMPLES}")
    try:
        return _from_phrase(*_groups(found, _TYPED_KINDS), None)
    except _Problem as problem:
        raise PeriodError(f"Không hiểu kỳ ‘{shown}’: {problem}. {_PHRASE_EXAMPLES}") from None


def find_period(text: str, year: int | None = None, *, span_only: bool = False) -> str | None:
    """The code of the first period a running text names ("báo cáo tháng 11/2022" →
    "2022-11"), with the report's words spelled as written; a period written without its
    year ("6 tháng đầu năm") takes ``year``, or is none without it. The first period
    named decides: None when it does not exist. ``span_only`` looks for date spans only
    ("từ ngày 15/4 đến 30/5/2022")."""
    pattern, kinds = (_TEXT_SPAN, _TEXT_KINDS[:1]) if span_only else (_TEXT_PHRASE, _TEXT_KINDS)
    found = pattern.search(text)
    if found is None:
        return None
    try:
        return _from_phrase(*_groups(found, kinds), year).code
    except (_Problem, PeriodError):
        return None
