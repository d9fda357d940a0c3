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
