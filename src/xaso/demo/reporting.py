"""Loads the demo's reporting cycle (data/reporting.toml): two report forms, who sent on
time, late, or not at all, a report returned with a reason, and two users to try it as (a
village head who reports, the commune officer who reviews).

Everything goes through the reporting services with the moments the reports were sent
(`at=`), so completeness, timeliness and the audit trail read as if the weeks had happened.
The values are the figures the demo already holds for those units and periods.
"""

import tomllib
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model

from xaso.catalog.models import Indicator
from xaso.org import policy
from xaso.org.models import OrgUnit, Role
from xaso.org.services import membership_grant
from xaso.periods import parse_period
from xaso.reporting.deadlines import VIETNAM
from xaso.reporting.definitions import define_form
from xaso.reporting.models import ReportForm, Submission
from xaso.reporting.services import approve_report, return_report, save_report, submit_report

DATA = Path(__file__).parent / "data"


def _read() -> dict:
    with (DATA / "reporting.toml").open("rb") as handle:
        return tomllib.load(handle)


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VIETNAM)


def _moments(form: ReportForm, period) -> dict[str, datetime]:
    """When a report of `period` is sent on time, late, and when it is reviewed."""
    due = form.deadline_of(period)
    if form.period_type == "week":
        return {
            "on_time": _moment(due.date() - timedelta(days=1), 16),  # Thursday
            "late": _moment(due.date() + timedelta(days=1), 9, 30),  # Saturday
            "review": _moment(due.date() + timedelta(days=3), 9),  # Monday
            "resend": _moment(due.date() + timedelta(days=3), 10),
            "final": _moment(due.date() + timedelta(days=4), 9),
        }
    first = due.date().replace(day=1)
    return {
        "on_time": _moment(first + timedelta(days=2), 10),
        "late": _moment(first + timedelta(days=7), 10),
        "review": _moment(first + timedelta(days=9), 9),
        "resend": _moment(first + timedelta(days=10), 10),
        "final": _moment(first + timedelta(days=11), 9),
    }


def _users(entries: list[dict], commune: OrgUnit) -> None:
    from xaso.demo.loader import DEMO_PASSWORD

    for item in entries:
        if "unit_code" in item:
            unit = OrgUnit.objects.get(code=item["unit_code"])
        else:
            unit = OrgUnit.objects.get(path__startswith=commune.path, name=item["unit"])
        user, created = get_user_model().objects.get_or_create(
            username=item["username"], defaults={"first_name": item["first_name"]}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        membership_grant(user=user, unit=unit, role=Role(item["role"]))


def _reporter(form_data: dict, key: str) -> OrgUnit:
    """A schedule's unit: a code, else a name among the form's reporters."""
    found = OrgUnit.objects.filter(code=key).first()
    if found is None:
        reviewer = OrgUnit.objects.get(code=form_data["reviewer"])
        found = OrgUnit.objects.get(path__startswith=reviewer.path, name=key)
    return found


def _play(form, unit, period, event: str, reason: str, reporter, reviewer) -> None:
    """One unit's report for one period, as the schedule says it went."""
    if event == "missing":
        return
    existing = Submission.objects.filter(form=form, unit=unit, period=period.code).first()
    if existing is not None:
        return  # loaded before
    submission, _ = save_report(form=form, unit=unit, period=period, entries={})
    if event == "draft":
        return
    at = _moments(form, period)
    sent_at = at["late"] if event == "late" else at["on_time"]
    submission = submit_report(
        submission=submission, user=reporter, version=submission.version, confirm=True, at=sent_at
    )
    if event == "waiting":
        return
    if event == "returned":
        submission = return_report(
            submission=submission,
            user=reviewer,
            reason=reason,
            version=submission.version,
            at=at["review"],
        )
        submission = submit_report(
            submission=submission,
            user=reporter,
            version=submission.version,
            confirm=True,
            at=at["resend"],
        )
        approve_report(
            submission=submission, user=reviewer, version=submission.version, at=at["final"]
        )
        return
    approve_report(
        submission=submission, user=reviewer, version=submission.version, at=at["review"]
    )


def load_reporting() -> int:
    """The demo's forms and reports; how many reports there are."""
    data = _read()
    trang_giang = OrgUnit.objects.get(code=data["forms"][0]["reviewer"])
    _users(data["users"], trang_giang)
    users = get_user_model().objects
    for item in data["forms"]:
        reviewer = OrgUnit.objects.get(code=item["reviewer"])
        indicators = [Indicator.objects.get(code=code) for code in item["indicators"]]
        form = define_form(
            code=item["code"],
            name=item["name"],
            reviewer=reviewer,
            period_type=item["period_type"],
            deadline_rule=item["deadline_rule"],
            indicators=[(indicator, item["group"]) for indicator in indicators],
            reporter_kind=item.get("reporter_kind", ""),
            reporter_units=[OrgUnit.objects.get(code=c) for c in item.get("reporter_units", [])],
            span=tuple(item["span"]) if "span" in item else None,
        )
        reporter = users.get(username=item["reporter_user"])
        reviewer_user = users.get(username=item["reviewer_user"])
        periods = [parse_period(code) for code in item["periods"]]
        for key, events in item["schedule"].items():
            unit = _reporter(item, key)
            # A village's head reports for it; other units' reports are sent by the demo user.
            sender = reporter if policy.can_record(reporter, unit) else reviewer_user
            for period, event in zip(periods, events, strict=True):
                _play(form, unit, period, event, item["reason"], sender, reviewer_user)
    return Submission.objects.count()
