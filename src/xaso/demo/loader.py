"""Loads the demo: the places and figures of the five reports, and a generated tree beneath.

Everything goes through the same services as the web form (`org.services`,
`catalog.services`, `figures.services`), so the demo exercises the real paths. Loading twice
changes nothing: units are upserted by code and unchanged figures are not rewritten.

`xaso demo` loads it into an empty database only: on one that holds data (`holdings`) it serves
what is there, since loading would put the demo's values back over figures a user changed.
`erase_everything` empties the database first (`xaso demo --reset`).
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction

from xaso.catalog.models import Indicator
from xaso.catalog.services import indicator_upsert
from xaso.demo.campaigns import load_campaigns
from xaso.demo.criteria import load_criteria
from xaso.demo.generate import generate_figures, generate_units
from xaso.demo.groups import load_groups
from xaso.demo.lineage import load_lineage
from xaso.demo.meetings import load_meetings
from xaso.demo.plans import load_plans
from xaso.demo.reporting import load_reporting
from xaso.figures import subtotals
from xaso.figures.models import EntryChannel
from xaso.figures.services import record_result, set_target
from xaso.org.models import OrgUnit, Role
from xaso.org.services import membership_grant, unit_upsert
from xaso.vn.numbers import format_number

DATA = Path(__file__).parent / "data"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "xaso-demo"  # noqa: S105 — a published demo login, not a secret


@dataclass(frozen=True)
class DemoReport:
    units: int
    indicators: int
    targets: int
    results: int
    meetings: int
    username: str
    password: str

    def summary(self) -> str:
        return (
            f"Dữ liệu mẫu: {format_number(self.units)} đơn vị, "
            f"{format_number(self.indicators)} chỉ tiêu, "
            f"{format_number(self.targets)} chỉ tiêu kế hoạch, "
            f"{format_number(self.results)} kết quả, {format_number(self.meetings)} hội nghị."
        )


@dataclass(frozen=True)
class Holdings:
    """What a database holds, counted: to decide whether the demo may load, and to say so."""

    units: int
    results: int
    targets: int
    meetings: int
    users: int

    @property
    def empty(self) -> bool:
        """No units and no figures: the demo loads without putting anyone's data back."""
        return not (self.units or self.results or self.targets)

    def describe(self) -> str:
        return (
            f"{format_number(self.units)} đơn vị, {format_number(self.results)} kết quả, "
            f"{format_number(self.targets)} chỉ tiêu kế hoạch, "
            f"{format_number(self.meetings)} hội nghị, {format_number(self.users)} người dùng"
        )


def holdings() -> Holdings:
    from xaso.figures.models import Result, Target
    from xaso.meetings.models import Meeting

    return Holdings(
        units=OrgUnit.objects.count(),
        results=Result.objects.count(),
        targets=Target.objects.count(),
        meetings=Meeting.objects.count(),
        users=get_user_model().objects.count(),
    )


def erase_everything() -> Holdings:
    """Empty every table (Django's flush: data, users and audit trail alike); what was there."""
    erased = holdings()
    if connection.in_atomic_block:
        # Inside a transaction (a test), PostgreSQL refuses to TRUNCATE tables with deferred
        # foreign-key checks still pending: run them now.
        connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    return erased


def demo_login_works() -> bool:
    """Whether the published demo login opens this database (to print it only then)."""
    user = get_user_model().objects.filter(username=DEMO_USERNAME, is_active=True).first()
    return user is not None and user.check_password(DEMO_PASSWORD)


def _read(name: str) -> dict:
    with (DATA / name).open("rb") as handle:
        return tomllib.load(handle)


def load_indicators() -> dict[str, Indicator]:
    indicators = {}
    for position, item in enumerate(_read("indicators.toml")["indicators"], start=1):
        indicators[item["code"]] = indicator_upsert(
            code=item["code"],
            name=item["name"],
            unit=item["unit"],
            rollup=item.get("rollup", "sum"),
            direction=item.get("direction", "up"),
            group=item.get("group", ""),
            position=position * 10,
            over_time=item.get("over_time"),
        )
    return indicators


def load_places() -> list[dict]:
    """Upsert the report places; returns their entries (with what to generate beneath)."""
    places = _read("places.toml")["units"]
    for item in places:
        parent = OrgUnit.objects.get(code=item["parent"]) if "parent" in item else None
        unit_upsert(
            code=item["code"],
            name=item["name"],
            kind=item["kind"],
            parent=parent,
            valid_to=item.get("valid_to"),
            note=item.get("note", ""),
        )
    return places


def load_report_figures(indicators: dict[str, Indicator]) -> None:
    data = _read("figures.toml")
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    for item in data.get("targets", []):
        set_target(
            unit=units[item["unit"]],
            indicator=indicators[item["indicator"]],
            period=item["period"],
            source=item["source"],
            value=item["value"],
            note=item.get("note", ""),
            channel=EntryChannel.DEMO,
        )
    for item in data.get("results", []):
        record_result(
            unit=units[item["unit"]],
            indicator=indicators[item["indicator"]],
            period=item["period"],
            value=item["value"],
            status=item.get("status", "final"),
            channel=EntryChannel.DEMO,
            note=item.get("note", ""),
        )


def ensure_demo_user():
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME,
        defaults={"first_name": "Cán bộ", "last_name": "Văn phòng", "is_staff": True},
    )
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save()
    for root in OrgUnit.objects.filter(depth=1):
        membership_grant(user=user, unit=root, role=Role.MANAGER, channel=EntryChannel.DEMO)
    return user


@transaction.atomic
def load_demo() -> DemoReport:
    from xaso.figures.models import Result, Target
    from xaso.meetings.models import Meeting

    indicators = load_indicators()
    places = load_places()
    generate_units(places)
    campaign = _read("figures.toml").get("campaign")
    with subtotals.deferred():  # every subtotal refreshed once, at the end
        generate_figures(places, indicators, campaign)
        # The reports' own figures last: they are what the officers wrote and they win.
        load_report_figures(indicators)
    load_groups()  # before the meetings: report 003's is held by a cluster
    load_lineage()  # today's Xã Hà Linh and Xã Hương Khê, made of the seeds' communes
    load_meetings()
    ensure_demo_user()
    # Plans last: their documents, a revision, and targets handed down by households.
    load_plans()
    # Seed 002's campaign, launched, handed down by households, and its villages' days.
    load_campaigns()
    # The reporting cycle over those figures: forms, reports sent on time, late, or not.
    load_reporting()
    # Where the units stand on their criteria sets, recorded and computed from figures.
    load_criteria()
    return DemoReport(
        units=OrgUnit.objects.count(),
        indicators=Indicator.objects.count(),
        targets=Target.objects.count(),
        results=Result.objects.count(),
        meetings=Meeting.objects.count(),
        username=DEMO_USERNAME,
        password=DEMO_PASSWORD,
    )
