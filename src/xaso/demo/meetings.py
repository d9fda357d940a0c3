"""Loads the five meetings of the source reports (data/meetings.toml) through the meetings
services. A meeting already recorded (same host, date and title) is left alone."""

import tomllib
from pathlib import Path

from xaso.catalog.models import Indicator
from xaso.meetings.models import Meeting
from xaso.meetings.services import (
    AttendeeInput,
    AwardInput,
    DirectiveInput,
    DocumentInput,
    directive_follow_up,
)
from xaso.meetings.services import meeting_record as record
from xaso.org.models import OrgUnit, UnitGroup

DATA = Path(__file__).parent / "data" / "meetings.toml"


def load_meetings() -> int:
    with DATA.open("rb") as handle:
        entries = tomllib.load(handle)["meetings"]
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    created = 0
    for entry in entries:
        host = units[entry["host"]]
        if Meeting.objects.filter(host=host, date=entry["date"], title=entry["title"]).exists():
            continue
        directives = entry.get("directives", [])
        meeting = record(
            host=host,
            kind=entry["kind"],
            title=entry["title"],
            date=entry["date"],
            time_of_day=entry.get("time_of_day", ""),
            place=entry.get("place", ""),
            period=entry.get("period", ""),
            units=[units[code] for code in entry.get("units", [])],
            attendees=[AttendeeInput(**item) for item in entry.get("attendees", [])],
            documents=[DocumentInput(**item) for item in entry.get("documents", [])],
            limitations=entry.get("limitations", []),
            directives=[
                DirectiveInput(
                    text=item["text"],
                    assigned_to=[units[code] for code in item["assigned_to"]],
                    due_date=item.get("due_date"),
                    due_period=item.get("due_period", ""),
                    issued_by=item.get("issued_by", ""),
                    indicators=[indicators[code] for code in item.get("indicators", [])],
                )
                for item in directives
            ],
            awards=[AwardInput(**item) for item in entry.get("awards", [])],
            summary=entry.get("summary", ""),
            conclusions=entry.get("conclusions", ""),
            source=entry.get("source", ""),
            channel="demo",
            group=UnitGroup.objects.get(code=entry["group"]) if "group" in entry else None,
        )
        for directive, item in zip(meeting.directives.order_by("number"), directives, strict=True):
            follow_ups = item.get("follow_ups", [])
            if item.get("status") and not follow_ups:
                follow_ups = [
                    {
                        "date": directive.due_date or meeting.date,
                        "status": item["status"],
                        "note": "Đã hoàn thành (dữ liệu minh họa).",
                    }
                ]
            for follow_up in follow_ups:
                directive_follow_up(
                    directive=directive,
                    status=follow_up["status"],
                    note=follow_up["note"],
                    date=follow_up["date"],
                    channel="demo",
                )
        created += 1
    return created
