"""What reading a document yields: an Extraction, plain data with offsets into the text.

Pure: no Django. `to_json` gives the shape `xaso ingest --json` prints.
"""

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from xaso.vn.numbers import plain_number


@dataclass
class FigureMention:
    label: str  # what is counted, as the text names it: "thu ngân sách", "cây bóng mát"
    value: Decimal
    unit: str | None  # a code of xaso.vn.units ("trieu_dong", "m") or None
    unit_text: str = ""  # the unit as written ("triệu đồng", "m")
    plan: Decimal | None = None  # the plan it is measured against, in the same unit
    plan_source: str | None = None  # figures.TargetSource code: "district_plan", ...
    plan_source_text: str | None = None  # as written: "kế hoạch huyện giao"
    percent_stated: Decimal | None = None
    percent_computed: Decimal | None = None  # value / plan × 100, rounded like the stated one
    consistent: bool | None = None  # stated vs computed within rounding; None if nothing to check
    estimated: bool = False  # "ước đạt", "ước thực hiện"
    ambiguous: bool = False  # a number form that could be read two ways
    note: str | None = None
    # "target": a plan or goal stated as such (kế hoạch, chỉ tiêu, phấn đấu …), its source in
    # plan_source when the text says it; "result": what was done (measured against `plan`).
    role: str = "result"
    # The index of an earlier figure with the same label and unit but another value: the same
    # thing reported twice (reading.repeats); the review leaves this one out.
    same_as: int | None = None
    text: str = ""  # the span the figure was read from
    start: int = 0
    end: int = 0


@dataclass
class RatioMention:
    what: str  # "chi bộ", "tiêu chí", "thôn"
    achieved: int | None  # None for a bare count such as "12 thôn"
    total: int
    text: str = ""
    start: int = 0
    end: int = 0


@dataclass
class PersonMention:
    name: str
    position: str  # as written
    position_normalised: str
    role: str | None = None  # chair, directing, concluding, reporting, speaker, author
    start: int = 0
    end: int = 0


@dataclass
class MeetingInfo:
    date: dt.date | None = None
    time_of_day: str | None = None  # morning, afternoon, evening
    place: str | None = None
    kind: str | None = None  # a meetings.MeetingKind code
    title: str | None = None
    period: str | None = None  # a period code: "2022-11", "2022-H1", "2020..2025"


@dataclass
class Extraction:
    source: str
    text: str
    meeting: MeetingInfo = field(default_factory=MeetingInfo)
    dates: list[dt.date] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    people: list[PersonMention] = field(default_factory=list)
    figures: list[FigureMention] = field(default_factory=list)
    ratios: list[RatioMention] = field(default_factory=list)
    limitations: list[str] = field(default_factory=list)
    directives: list[str] = field(default_factory=list)
    awards: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)  # pages read by OCR, to be checked

    def to_json(self) -> dict:
        """JSON-ready: dates as ISO strings, Decimals as plain numbers, no offsets or text."""
        data = asdict(self)
        data.pop("text")
        for item in data["figures"] + data["ratios"] + data["people"]:
            for key in ("start", "end", "text"):
                item.pop(key, None)
        return _plain(data)


def _plain(value):
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return plain_number(value)
    return value
