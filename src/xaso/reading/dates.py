"""Dates as Vietnamese reports write them: "30/11/2022", "Ngày 22/6", "Sáng ngày 8/7/2020",
"ngày 15/4 /2022", "ngày 30 tháng 11 năm 2022"; the year taken from context when missing."""

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from xaso.reading import budget

TIME_OF_DAY = {"sáng": "morning", "trưa": "afternoon", "chiều": "afternoon", "tối": "evening"}

_DAY_MONTH_YEAR = re.compile(
    r"(?<![\d/.])(?P<day>[0-3]?\d)\s?/\s?(?P<month>[01]?\d)(?:\s?/\s?(?P<year>(?:19|20)\d\d))?"
    r"(?![\d/]|\s?/\s?\d)(?!\s*-\s*(?:NQ|QĐ|CT|KH|HD|TB|BC|KL)\b)"
)
_WRITTEN = re.compile(
    r"ngày\s+(?P<day>[0-3]?\d)\s+tháng\s+(?P<month>[01]?\d)(?:\s+năm\s+(?P<year>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
# "Sáng ngày 8/7/2020", "Chiều ngày 21/6", "Ngày 22/6," — what precedes a date tells its role.
_LEAD = re.compile(r"(?:(?P<tod>sáng|trưa|chiều|tối)\s+)?(?P<ngay>ngày)?\s*$", re.IGNORECASE)
_STAMP_AFTER = re.compile(r"^\s*\d{1,2}:\d{2}")  # "30/11/2022 10:01": a publication stamp


@dataclass(frozen=True)
class DateMention:
    date: dt.date
    start: int
    end: int
    time_of_day: str | None  # morning/afternoon/evening when written before it
    after_ngay: bool  # written "ngày …": an event date rather than a number pair
    stamp: bool  # followed by a clock time: the portal's publication stamp
    year_guessed: bool


def context_year(text: str) -> int | None:
    """The year the document is about: the most frequent year among full dates, else any."""
    full = [int(m.group("year")) for m in _DAY_MONTH_YEAR.finditer(text) if m.group("year")]
    years = full or [int(y) for y in _YEAR.findall(text)]
    return Counter(years).most_common(1)[0][0] if years else None


def find_dates(text: str, *, default_year: int | None = None) -> list[DateMention]:
    year_fallback = default_year or context_year(text)
    found: list[DateMention] = []
    for pattern in (_DAY_MONTH_YEAR, _WRITTEN):
        for match in pattern.finditer(text):
            budget.check()
            day, month = int(match.group("day")), int(match.group("month"))
            year = int(match.group("year")) if match.group("year") else year_fallback
            before = text[max(0, match.start() - 12) : match.start()]
            lead = _LEAD.search(before)
            after_ngay = pattern is _WRITTEN or bool(lead and lead.group("ngay"))
            if year is None or not (1 <= month <= 12 and 1 <= day <= 31):
                continue
            if not match.group("year") and not after_ngay:
                continue  # a bare "20/11" may be a ratio; only "ngày 20/11" is surely a date
            try:
                date = dt.date(year, month, day)
            except ValueError:
                continue
            tod = lead.group("tod") if lead else None
            found.append(
                DateMention(
                    date=date,
                    start=match.start(),
                    end=match.end(),
                    time_of_day=TIME_OF_DAY.get(tod.lower()) if tod else None,
                    after_ngay=after_ngay,
                    stamp=bool(_STAMP_AFTER.match(text[match.end() : match.end() + 8])),
                    year_guessed=not match.group("year"),
                )
            )
    return sorted(found, key=lambda mention: mention.start)
