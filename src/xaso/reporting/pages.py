"""Reads for the reporting pages: a form's sheet for one unit and period (values, targets,
last period's values), the forms of a unit with their current period, the rates of a form
over its last periods, and what changed in a report since a writer opened it.

Each read takes a fixed number of queries, whatever the number of indicators or units.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from xaso.figures.models import Result
from xaso.figures.selectors import targets_containing
from xaso.figures.services import Clash, Seen, to_indicator_unit
from xaso.org.models import OrgUnit
from xaso.periods import Period, previous_period
from xaso.reporting.models import ReportForm, ReportFormItem, Submission
from xaso.reporting.reminders import current_period
from xaso.reporting.selectors import Completeness, completeness, expected_units, form_periods


@dataclass
class Sheet:
    """A unit's report on a form for a period: four queries (the form's items, the report,
    the unit's figures of the period and the one before, its targets)."""

    form: ReportForm
    unit: OrgUnit
    period: Period
    deadline: datetime
    submission: Submission | None
    items: list[ReportFormItem]
    current: dict = field(default_factory=dict)  # indicator id -> Result of the period
    previous: dict = field(default_factory=dict)  # indicator id -> Result of the one before
    targets: dict = field(default_factory=dict)  # indicator id -> [Target], narrowest first
    before: str = ""  # the previous period's label

    @property
    def indicators(self) -> list:
        return [item.indicator for item in self.items]

    @property
    def groups(self) -> dict[int, str]:
        return {item.indicator_id: item.group for item in self.items}

    @property
    def version(self) -> int:
        return self.submission.version if self.submission else 0


def sheet(form: ReportForm, unit: OrgUnit, period: Period) -> Sheet:
    items = list(form.items.select_related("indicator").order_by("position", "pk"))
    indicators = [item.indicator for item in items]
    submission = (
        Submission.objects.filter(form=form, unit=unit, period=period.code)
        .select_related("submitted_by", "reviewed_by")
        .first()
    )
    before = previous_period(period)
    codes = [period.code] + ([before.code] if before else [])
    found = Sheet(form, unit, period, form.deadline_of(period), submission, items)
    found.before = before.label if before else ""
    rows = Result.objects.filter(
        unit_path=unit.path, unit_depth=unit.depth, period__in=codes, indicator__in=indicators
    ).select_related("entered_by")
    for result in rows:
        (found.current if result.period == period.code else found.previous)[result.indicator_id] = (
            result
        )
    found.targets = {
        key[1]: targets
        for key, targets in targets_containing([unit], period, indicators=indicators).items()
    }
    return found


@dataclass(frozen=True)
class Change:
    """A figure of the report that someone else changed since the writer opened the page:
    `yours` is None when the writer left the box as it was shown."""

    clash: Clash
    touched: bool


def changes_since(found: Sheet, entries: dict, seen: dict) -> list[Change]:
    """The figures of the sheet that differ from what the writer saw (`seen`, by indicator),
    with what the writer typed: those the writer changed too are clashes to decide on."""
    changes = []
    for indicator, (text, status) in entries.items():
        before = seen.get(indicator)
        if before is None:
            continue
        current = found.current.get(indicator.pk)
        if before.matches(*((None, "") if current is None else (current.value, current.status))):
            continue
        yours: Decimal | None = None
        if (text or "").strip():
            try:
                yours = to_indicator_unit(indicator, text)
            except ValidationError:
                yours = None
        touched = not before.matches(yours, status)
        changes.append(Change(Clash(indicator, before, current, yours, status), touched))
    return changes


@dataclass
class FormLine:
    """One form of a unit's "Báo cáo" tab: its current period, and the unit's report (for
    a unit that reports on it) or who has reported (for the reviewing unit)."""

    form: ReportForm
    period: Period | None
    deadline: datetime | None
    reports: bool
    submission: Submission | None = None
    found: Completeness | None = None


def unit_forms(unit: OrgUnit, forms: list[ReportForm], now: datetime) -> list[FormLine]:
    """One query for the unit's reports of the current periods; two per reviewed form."""
    lines = []
    for form in forms:
        current = current_period(form, now)
        period, due = current if current else (None, None)
        lines.append(FormLine(form, period, due, reports=form.reviewer_id != unit.pk))
    keys = [(line.form.pk, line.period.code) for line in lines if line.reports and line.period]
    if keys:
        own = {
            (s.form_id, s.period): s
            for s in Submission.objects.filter(
                unit=unit,
                form__in=[form_id for form_id, _ in keys],
                period__in=[code for _, code in keys],
            )
        }
        for line in lines:
            if line.reports and line.period:
                line.submission = own.get((line.form.pk, line.period.code))
    for line in lines:
        if not line.reports and line.period:
            line.found = completeness(line.form, line.period)
    return lines


@dataclass(frozen=True)
class Rate:
    period: Period
    expected: int
    submitted: int
    on_time: int
    rate: float | None
    timely_rate: float | None


def reporters_in(form: ReportForm, unit: OrgUnit) -> list[OrgUnit]:
    """The units in `unit`'s subtree that report on the form (one query)."""
    return list(expected_units(form).filter(path__startswith=unit.path))


def rates(form: ReportForm, units: list[OrgUnit], until, count: int = 8) -> list[Rate]:
    """Submitted and on-time rates of the form's last `count` periods up to `until`, newest
    first: one query per period."""
    found = []
    for period in form_periods(form, until=until, count=count):
        one = completeness(form, period, units=units)
        found.append(
            Rate(
                period,
                len(one.expected),
                one.submitted,
                len(one.on_time),
                one.rate,
                one.timely_rate,
            )
        )
    return found


__all__ = ["Change", "FormLine", "Rate", "Seen", "Sheet", "changes_since", "rates", "sheet"]
