"""The meeting a report is about: date, time of day, place, kind, title, reviewed period."""

import re

from xaso.periods import find_period
from xaso.reading.dates import EVENT, SINCE, UNTIL, DateMention
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
_BODY_LINE = 120  # characters: a line this long is a paragraph, not a headline or a stamp
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


def lead_end(text: str) -> int:
    """Where the lead ends: after the first paragraph long enough to be body text (the
    headline and the portal's stamp lines before it are short)."""
    offset = 0
    for line in text.splitlines(keepends=True):
        offset += len(line)
        if len(line.strip()) >= _BODY_LINE:
            return offset
    return offset


def meeting_date(dates: list[DateMention], lead_end: int | None = None) -> DateMention | None:
    """The meeting's own date: the first event date ("Sáng 8/7", "Ngày 22/6,") of the lead,
    else one written with a time of day, else the first "ngày …" event date; never a deadline,
    a plan, a cited document's date or the portal's stamp. Failing those, a reckoning date or a
    span's start in the lead ("Tính đến ngày 15/6/2024, …")."""
    lead_end = lead_end if lead_end is not None else 0
    marked = [m for m in dates if (m.time_of_day or m.after_ngay) and not m.stamp]
    events = [m for m in marked if m.role == EVENT]
    for mention in events:
        if mention.start < lead_end:
            return mention
    for mention in events:
        if mention.time_of_day:
            return mention
    if events:
        return events[0]
    for mention in marked:
        if mention.role in (UNTIL, SINCE) and mention.start < lead_end:
            return mention
    return None


def read_meeting(text: str, dates: list[DateMention], year: int | None) -> MeetingInfo:
    title = title_of(text)
    lead = text[:1500]
    when = meeting_date(dates, lead_end(text))
    place = _PLACE.search(lead)
    kind = meeting_kind(title or "") or meeting_kind(lead)
    period = None
    if kind == "campaign_launch":  # a campaign's own dates, wherever they are written
        period = find_period(text, year, span_only=True)
    period = period or find_period(title or "", year) or find_period(lead, year)
    return MeetingInfo(
        date=when.date if when else None,
        time_of_day=when.time_of_day if when else None,
        place=" ".join(place.group("place").split()) if place else None,
        kind=kind,
        title=title,
        period=period,
    )
