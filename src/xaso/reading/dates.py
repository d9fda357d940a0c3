"""Dates as Vietnamese reports write them: "30/11/2022", "Ngày 22/6", "Sáng ngày 8/7/2020",
"ngày 15/4 /2022", "Sáng 30-1", "Ngày 19 - 12 - 2016", "ngày 30 tháng 11 năm 2022", "Ngày 27 và
28-7-2016"; what the words before a date say of its role (the event, a deadline, the end or the
start of a span, a plan, a cited document); the publication stamp; and the year taken from the
stamp or from the text when a date has none."""

import datetime as dt
import re
from dataclasses import dataclass

from xaso.reading import budget

TIME_OF_DAY = {"sáng": "morning", "trưa": "afternoon", "chiều": "afternoon", "tối": "evening"}

# Roles read from the words before a date.
EVENT = "event"  # "Sáng 8/7", "Ngày 22/6," — or no cue at all
DEADLINE = "deadline"  # "trước ngày 30/11/2019", "chậm nhất ngày 5/12"
UNTIL = "until"  # "đến ngày 30/6", "tính đến hết ngày 21/3": a span's end or a reckoning date
SINCE = "since"  # "từ ngày 15/4": a span's start
PLANNED = "planned"  # "dự kiến tổ chức vào ngày 01/7": something yet to happen
CITED = "cited"  # "Nghị quyết số 10-NQ/TU ngày 14/11/2016": the date of a document cited
OCCASION = "occasion"  # "chào mừng ngày 2/9", "kỷ niệm ngày 20/10": a holiday, not the event


def _numeric(sep: str, not_after: str) -> re.Pattern[str]:
    """day{sep}month[{sep}year], not inside a longer number, a code or a ratio's tail."""
    return re.compile(
        rf"(?<![\w{not_after}])(?P<day>[0-3]?\d){sep}(?P<month>[01]?\d)"
        rf"(?:{sep}(?P<year>(?:19|20)\d\d))?"
        rf"(?![\d/]|{sep}\d|\s?[-/]\s?[A-ZĐ]{{2}})"
    )


_SLASHED = _numeric(r"\s?/\s?", r"/.,")  # "8/7", "15/4 /2022", "30/11/2022"
_HYPHENED = _numeric(r"\s?[-–]\s?", r"/.,–-")  # "30-1", "15-7-2019", "19 - 12 - 2016"
# "Sáng 15.7", "ngày 15.7.2019": dots also group thousands ("1.250"), so only after a cue.
_DOTTED = _numeric(r"\.", r"/.,")
_WRITTEN = re.compile(
    r"ngày\s+(?P<day>[0-3]?\d)\s+tháng\s+(?P<month>[01]?\d)(?:\s+năm\s+(?P<year>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
_PATTERNS = (_SLASHED, _HYPHENED, _DOTTED, _WRITTEN)
_WEEKDAY = r"(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật)"

# What is written just before a date. Every part is optional, so it always matches at the end.
_LEAD = re.compile(
    r"(?:(?<!\w)(?P<role>trước|chậm\s+nhất(?:\s+là)?|muộn\s+nhất(?:\s+là)?|hạn(?:\s+chót)?"
    r"|không\s+quá|(?:tính\s+|cho\s+)?(?:đến|tới)(?:\s+hết)?|hết|(?:kể\s+|bắt\s+đầu\s+)?từ)"
    r"\s+(?:(?:vào|là)\s+)?)?"
    r"(?:(?<!\w)(?P<tod>sáng|trưa|chiều|tối)(?:\s+(?:hôm\s+)?(?:nay|qua))?"
    rf"(?:\s+{_WEEKDAY})?\s*[,(]?\s*"
    rf"|(?<!\w)(?P<today>hôm\s+(?:nay|qua)|{_WEEKDAY})\s*[,(]?\s*)?"
    r"(?P<ngay>(?<!\w)ngày\s*)?$",
    re.IGNORECASE,
)
_ROLE_OF_CUE = [
    (re.compile(r"trước|chậm|muộn|hạn|không", re.I), DEADLINE),
    (re.compile(r"tính|cho|đến|tới|hết", re.I), UNTIL),
    (re.compile(r"từ|kể|bắt", re.I), SINCE),
]
# "Ngày 27 và 28-7-2016", "ngày 27, 28/7": the first day of a run shares the next one's month.
_RUN_HEAD = re.compile(
    r"(?<!\w)(?P<ngay>ngày)\s+(?P<day>[0-3]?\d)\s*(?:và|,|đến|tới|-|–)\s*(?:ngày\s+)?$",
    re.IGNORECASE,
)
_PLANNED = re.compile(r"dự\s+kiến|sẽ\s+(?:được\s+)?(?:tổ\s+chức|diễn\s+ra|khai\s+mạc|họp)", re.I)
_OCCASION = re.compile(r"kỷ\s+niệm|chào\s+mừng|nhân\s+dịp|hướng\s+tới", re.I)
_CLAUSE_END = re.compile(r"[.;!?\n]")
# A document's code just before: "số 25/KH-UBND ngày", "Nghị quyết 10-NQ/TU, ngày".
_CITED = re.compile(r"\d+\s?[-/]\s?[A-ZĐ][\w/.-]*\s*,?\s*(?:ngày\s*)?$")

# The portal's publication stamp: "30/11/2022 10:01", "09:21 19/06/2023", "Cập nhật: 12/03/2020",
# "Thứ Tư, 08/04/2015, 08:11 [GMT+7]", or a date alone on its line.
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?"
_CLOCK_AFTER = re.compile(rf"\s*[,|-]?\s*{_CLOCK}")
_CLOCK_BEFORE = re.compile(rf"{_CLOCK}\s*[,|-]?\s*$")
_STAMP_LABEL = (
    r"(?:ngày\s+)?(?:cập\s+nhật|đăng(?:\s+ngày|\s+lúc)?|xuất\s+bản|thời\s+gian\s+đăng)"
    r"(?:\s+lúc)?"
)
_STAMP_LINE_HEAD = re.compile(
    rf"^[\s(\[|-]*(?:{_WEEKDAY}\s*,?\s*)?(?:{_STAMP_LABEL}\s*:?\s*)?(?:{_CLOCK}\s*[,|-]?\s*)?$",
    re.IGNORECASE,
)
_STAMP_LINE_TAIL = re.compile(
    rf"^[\s,)\]|-]*(?:{_CLOCK})?\s*(?:\[?\(?GMT\s*[+-]\s*\d+\)?\]?)?[\s)\]|]*$", re.IGNORECASE
)
_STAMP_LABEL_BEFORE = re.compile(rf"{_STAMP_LABEL}\s*:?\s*$", re.IGNORECASE)

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_YEAR_RANGE = re.compile(r"(?<!\d)(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d(?!\d)")


@dataclass(frozen=True)
class DateMention:
    date: dt.date
    start: int
    end: int
    time_of_day: str | None  # morning/afternoon/evening when written before it
    after_ngay: bool  # written "ngày …" (or "hôm nay (…)"): a date rather than a number pair
    stamp: bool  # the portal's publication stamp
    year_guessed: bool
    role: str = EVENT  # EVENT, DEADLINE, UNTIL, SINCE, PLANNED, CITED or OCCASION


@dataclass(frozen=True)
class _Raw:
    day: int
    month: int
    year: int | None
    start: int
    end: int
    time_of_day: str | None
    after_ngay: bool
    stamp: bool
    role: str


def context_year(text: str) -> int | None:
    """The year the text is about: the year written most often ("năm 2024", "tháng 1-2026",
    full dates); the years of a span ("nhiệm kỳ 2020-2025") count for less, as a term or a
    plan's years say little of when the event was. A tie goes to the later year: a report
    looks back at history ("20/10/1930") but is written in its own time."""
    votes: dict[int, float] = {}
    range_spans = [(r.start(), r.end()) for r in _YEAR_RANGE.finditer(text)]
    for match in _YEAR.finditer(text):
        spanned = any(start <= match.start() < end for start, end in range_spans)
        year = int(match.group())
        votes[year] = votes.get(year, 0) + (0.25 if spanned else 1)
    if not votes:
        return None
    return max(votes, key=lambda year: (votes[year], year))


def find_dates(text: str, *, default_year: int | None = None) -> list[DateMention]:
    """Every date written in `text`, in order. A date without a year takes the publication
    stamp's year (the year before when the day would fall after the stamp), else
    `default_year`, else the text's own year (`context_year`)."""
    raws = sorted(_raw_dates(text), key=lambda raw: raw.start)
    published = _publication_date(raws)
    fallback = default_year or context_year(text)
    found = []
    for raw in raws:
        year = raw.year or _year_for(raw, published, fallback)
        if year is None:
            continue
        try:
            date = dt.date(year, raw.month, raw.day)
        except ValueError:
            continue
        found.append(
            DateMention(
                date=date,
                start=raw.start,
                end=raw.end,
                time_of_day=raw.time_of_day,
                after_ngay=raw.after_ngay,
                stamp=raw.stamp,
                year_guessed=raw.year is None,
                role=raw.role,
            )
        )
    return found


def _year_for(raw: _Raw, published: dt.date | None, fallback: int | None) -> int | None:
    if published is None:
        return fallback
    if (raw.month, raw.day) > (published.month, published.day):
        return published.year - 1  # "Sáng 28/12" in a page stamped 05/01/2024 was in 2023
    return published.year


def _publication_date(raws: list[_Raw]) -> dt.date | None:
    for raw in raws:
        if raw.stamp and raw.year:
            try:
                return dt.date(raw.year, raw.month, raw.day)
            except ValueError:
                continue
    return None


def _raw_dates(text: str):
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            budget.check()
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue  # "ngày 30 tháng 11" read once, not again as something else
            raw = _read_match(text, match, pattern)
            if raw is None:
                continue
            taken.append((match.start(), match.end()))
            yield from _run_head(text, raw)
            yield raw


def _read_match(text: str, match: re.Match[str], pattern: re.Pattern[str]) -> _Raw | None:
    day, month = int(match.group("day")), int(match.group("month"))
    year = int(match.group("year")) if match.group("year") else None
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    before = text[max(0, match.start() - 40) : match.start()]
    lead = _LEAD.search(before)
    tod = lead.group("tod")
    after_ngay = pattern is _WRITTEN or bool(lead.group("ngay") or lead.group("today"))
    if (year is None or pattern is _DOTTED) and not (after_ngay or tod):
        return None  # a bare "7/9" is a ratio; "ngày 7/9" or "Sáng 7/9" is a date
    return _Raw(
        day=day,
        month=month,
        year=year,
        start=match.start(),
        end=match.end(),
        time_of_day=TIME_OF_DAY.get(tod.lower()) if tod else None,
        after_ngay=after_ngay,
        stamp=_is_stamp(text, match.start(), match.end(), year),
        role=_role(before, lead),
    )


def _role(before: str, lead: re.Match[str]) -> str:
    if cue := lead.group("role"):
        return next(role for pattern, role in _ROLE_OF_CUE if pattern.match(cue))
    if _CITED.search(before):
        return CITED
    clause = _CLAUSE_END.split(before)[-1]
    if _PLANNED.search(clause):
        return PLANNED
    if _OCCASION.search(clause.split(",")[-1]):
        return OCCASION
    return EVENT


def _run_head(text: str, raw: _Raw):
    """The first day of "Ngày 27 và 28-7-2016": 27/7/2016, an event date like the run."""
    head = _RUN_HEAD.search(text[max(0, raw.start - 20) : raw.start])
    if head is None:
        return
    start = raw.start - (len(text[max(0, raw.start - 20) : raw.start]) - head.start())
    before = text[max(0, start - 40) : start]
    lead = _LEAD.search(before)
    tod = lead.group("tod")
    yield _Raw(
        day=int(head.group("day")),
        month=raw.month,
        year=raw.year,
        start=start,
        end=raw.end,
        time_of_day=TIME_OF_DAY.get(tod.lower()) if tod else None,
        after_ngay=True,
        stamp=False,
        role=_role(before, lead),
    )


def _is_stamp(text: str, start: int, end: int, year: int | None) -> bool:
    if _CLOCK_AFTER.match(text, end):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    head, tail = text[line_start:start], text[end:line_end]
    if _CLOCK_BEFORE.search(head) or (year and _STAMP_LABEL_BEFORE.search(head)):
        return True
    return bool(year and _STAMP_LINE_HEAD.match(head) and _STAMP_LINE_TAIL.match(tail))
