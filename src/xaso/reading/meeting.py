"""The meeting a report is about: date, time of day, place, kind, title, reviewed period."""

import re

from xaso.periods import PeriodError, parse_period
from xaso.reading.dates import DateMention
from xaso.reading.model import MeetingInfo
from xaso.reading.people import NAME_SYLLABLE

_KINDS = [  # first match wins: the more specific wording first
    (
        "executive_extended",
        re.compile(r"BCH[^.\n]{0,40}mở\s+rộng|Ban\s+Chấp\s+hành[^.\n]{0,40}mở\s+rộng", re.I),
    ),
    ("executive_regular", re.compile(r"BCH[^.\n]{0,40}thường\s+kỳ|hội\s+nghị\s+thường\s+kỳ", re.I)),
    (
        "campaign_launch",
        re.compile(r"phát\s+động\s+(?:phong\s+trào\s+)?thi\s+đua|lễ\s+phát\s+động", re.I),
    ),
    ("citizen_dialogue", re.compile(r"đối\s+thoại", re.I)),
    ("briefing", re.compile(r"giao\s+ban", re.I)),
    ("interim_review", re.compile(r"sơ\s+kết", re.I)),
    ("final_review", re.compile(r"tổng\s+kết", re.I)),
    ("working_session", re.compile(r"làm\s+việc\s+với|buổi\s+làm\s+việc", re.I)),
]
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_PERIODS = re.compile(
    r"(?P<half>6\s+tháng\s+(?P<which>đầu|cuối)\s+năm(?:\s+(?P<hy>(?:19|20)\d\d))?)"
    r"|(?P<nine>9\s+tháng\s+đầu\s+năm(?:\s+(?P<ny>(?:19|20)\d\d))?)"
    r"|(?P<quarter>quý\s+(?P<q>IV|III|II|I|[1-4])(?:\s*(?:/|năm)\s*(?P<qy>(?:19|20)\d\d))?)"
    r"|(?P<term>nhiệm\s+kỳ\s+(?P<t1>(?:19|20)\d\d)\s*[-–—]\s*(?P<t2>(?:19|20)\d\d))"
    r"|(?P<month>tháng\s+(?P<m>1[0-2]|0?[1-9])(?:\s*(?:/|năm)\s*(?P<my>(?:19|20)\d\d))?)(?![\d/])"
    r"|(?P<year>năm\s+(?P<y>(?:19|20)\d\d))",
    re.IGNORECASE,
)
_SPAN = re.compile(
    r"từ\s+(?:ngày\s+)?(?P<d1>\d{1,2})/(?P<m1>\d{1,2})\s*(?:/\s*(?P<y1>\d{4}))?\s*(?:[-–—]|đến)\s*"
    r"(?:ngày\s+)?(?P<d2>\d{1,2})/(?P<m2>\d{1,2})/(?P<y2>\d{4})",
    re.IGNORECASE,
)
_PLACE_WORD = rf"(?:{NAME_SYLLABLE}|\d+|[A-ZĐ]{{2,}}|xã|thị\s+trấn|huyện|thôn|phường)"
_PLACE = re.compile(
    r"\b[Tt]ại\s+(?P<place>(?i:xã|thị\s+trấn|huyện|thôn|phường|hội\s+trường|nhà\s+văn\s+hóa"
    rf"|trụ\s+sở)(?:[ \t]+{_PLACE_WORD}){{1,6}})"
)


def meeting_kind(text: str) -> str | None:
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind
    return None


def title_of(text: str) -> str | None:
    """The first line, when it reads as a headline: short and not a finished sentence."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= 250 and not line.endswith(".") else None
    return None


def find_period(text: str, year: int | None) -> str | None:
    """The first period the text names, as a period code ("2022-11", "2022-H1", "2020..2025")."""
    span = _SPAN.search(text)
    match = _PERIODS.search(text)
    if span and (match is None or span.start() < match.start()):
        y1 = span.group("y1") or span.group("y2")
        code = (
            f"{y1}-{int(span.group('m1')):02d}-{int(span.group('d1')):02d}.."
            f"{span.group('y2')}-{int(span.group('m2')):02d}-{int(span.group('d2')):02d}"
        )
        return _valid(code)
    if match is None:
        return None
    if match.group("half"):
        y = match.group("hy") or year
        return _valid(f"{y}-H{1 if match.group('which').lower() == 'đầu' else 2}") if y else None
    if match.group("nine"):
        y = match.group("ny") or year
        return _valid(f"{y}-9M") if y else None
    if match.group("quarter"):
        y = match.group("qy") or year
        q = match.group("q").upper()
        return _valid(f"{y}-Q{_ROMAN.get(q, q)}") if y else None
    if match.group("term"):
        return _valid(f"{match.group('t1')}..{match.group('t2')}")
    if match.group("month"):
        y = match.group("my") or year
        return _valid(f"{y}-{int(match.group('m')):02d}") if y else None
    return _valid(match.group("y"))


def _valid(code: str) -> str | None:
    try:
        return parse_period(code).code
    except PeriodError:
        return None


def meeting_date(dates: list[DateMention]) -> DateMention | None:
    """The meeting's own date: one written with a time of day ("Sáng ngày 30/11/2022"), else
    the first "ngày …" date that is not the portal's publication stamp."""
    for mention in dates:
        if mention.time_of_day and not mention.stamp:
            return mention
    for mention in dates:
        if mention.after_ngay and not mention.stamp:
            return mention
    return None


def read_meeting(text: str, dates: list[DateMention], year: int | None) -> MeetingInfo:
    title = title_of(text)
    lead = text[:1500]
    when = meeting_date(dates)
    place = _PLACE.search(lead)
    kind = meeting_kind(title or "") or meeting_kind(lead)
    period = None
    if kind == "campaign_launch":
        span = _SPAN.search(text)
        period = find_period(text[span.start() :], year) if span else None
    period = period or find_period(title or "", year) or find_period(lead, year)
    return MeetingInfo(
        date=when.date if when else None,
        time_of_day=when.time_of_day if when else None,
        place=" ".join(place.group("place").split()) if place else None,
        kind=kind,
        title=title,
        period=period,
    )
