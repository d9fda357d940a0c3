"""What the unit page shows of the reporting cycle beside its figures: for each child and
indicator of its breakdown, whether the child owed a report on a form that has the indicator
for the period shown and whether it sent it ("chưa báo cáo", "nộp muộn", "chờ duyệt", "bị trả
lại"); and which figures of the unit and its children are approved (`Result.approved`).

Only a form's own periods have a status (a week for a weekly form, a month for a monthly
one; within a campaign's days). The forms that can concern the page are those reviewed by the
unit or by a unit above it: every reporter is below its form's reviewer, so a child's form is
reviewed by the unit or an ancestor, and so is any form that approved one of the unit's own
figures.

A fixed number of queries whatever the number of children: one when no form has the period's
type and one of the indicators (nothing is approved then either), else three — the forms'
items, the approved figures, the children's reports — and one more when a form lists some of
the children by name; the reports are not read when no child reports on those forms (a
commune's page in a month of the province's monthly form, on which the communes report).

The figures app does not know the reporting cycle; the unit page (a view) asks this module.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, Q

from xaso.catalog.models import Indicator
from xaso.figures.models import Result
from xaso.org.models import OrgUnit
from xaso.org.paths import ancestor_paths
from xaso.org.selectors import children as children_of
from xaso.periods import Period, PeriodKind
from xaso.reporting.models import (
    PeriodType,
    ReportForm,
    ReportFormItem,
    Submission,
    SubmissionStatus,
)
from xaso.reporting.reminders import format_deadline
from xaso.reporting.selectors import KINDS, SENT


@dataclass(frozen=True)
class ChildReport:
    """A child's report on one form for the period: owed, and sent or not."""

    form: ReportForm
    deadline: datetime
    submission: Submission | None = None

    @property
    def sent(self) -> bool:
        return self.submission is not None and self.submission.status in SENT

    @property
    def late(self) -> bool:
        return self.sent and self.submission.first_submitted_at > self.deadline

    @property
    def waiting(self) -> bool:
        return self.sent and self.submission.status == SubmissionStatus.SUBMITTED

    @property
    def returned(self) -> bool:
        return self.sent and self.submission.status == SubmissionStatus.RETURNED

    @property
    def deadline_text(self) -> str:
        """dd/mm/yyyy HH:MM, Vietnam time."""
        return format_deadline(self.deadline)


@dataclass
class UnitReports:
    period: Period
    # (child id, indicator id) -> the child's report on the first form that has the indicator
    reports: dict[tuple[int, int], ChildReport] = field(default_factory=dict)
    # (unit path, indicator id) of the unit's and its children's approved figures
    approved: set[tuple[str, int]] = field(default_factory=set)
    # The indicators (active ones) some child owes a report on, by id: a line is owed even
    # when no figure came
    indicators: dict[int, Indicator] = field(default_factory=dict)
    # Whether some form has this period and one of the indicators (else nothing is approved)
    has_forms: bool = False

    def of(self, child: OrgUnit, indicator_id: int) -> ChildReport | None:
        return self.reports.get((child.pk, indicator_id))

    def is_approved(self, unit: OrgUnit, indicator_id: int) -> bool:
        return (unit.path, indicator_id) in self.approved


def _period_types(period: Period) -> list[str]:
    """The form period types whose periods have `period`'s shape."""
    one_day = period.kind is PeriodKind.SPAN and period.start == period.end
    return [
        str(kind)
        for kind, period_kind in KINDS.items()
        if period_kind is period.kind and (kind != PeriodType.DAY or one_day)
    ]


def report_status_by_child(
    unit: OrgUnit,
    period: Period,
    indicators: list[Indicator] | None,
    *,
    children: list[OrgUnit] | None = None,
) -> UnitReports:
    """The children's reports for `period` on the forms that have these indicators (None:
    any), and the approved figures of the unit and its children for them (see the module's
    docstring). `children`: the unit's children when the caller has them already."""
    found = UnitReports(period)
    types = _period_types(period)
    if not types or indicators == []:
        return found
    kids = list(children_of(unit)) if children is None else list(children)
    below = Q(unit_depth=unit.depth + 1, unit_path__startswith=unit.path)
    listed = ReportForm.reporter_units.through.objects.filter(
        reportform_id=OuterRef("form_id"),
        orgunit__depth=unit.depth + 1,
        orgunit__path__startswith=unit.path,
    )
    items = ReportFormItem.objects.filter(
        form__reviewer__path__in=ancestor_paths(unit.path, include_self=True),
        form__period_type__in=types,
    )
    if indicators is not None:
        items = items.filter(indicator__in=indicators)
    items = items.filter(
        Q(form__span_start__isnull=True)
        | Q(form__span_start__lte=period.end, form__span_end__gte=period.start)
    )
    if kids:  # whether a form lists children by name matters only when there are children
        items = items.annotate(lists_children=Exists(listed))
    items = list(
        items.select_related("form", "indicator").order_by(
            "form__reviewer__path", "form__code", "position", "pk"
        )
    )
    if not items:
        return found  # no form has this period: nothing owed, nothing approved
    found.has_forms = True
    # Approved figures stay approved when a form is later switched off: read for all forms.
    found.approved = set(
        Result.objects.filter(
            Q(unit_depth=unit.depth, unit_path=unit.path) | below,
            period=period.code,
            approved=True,
            indicator_id__in={item.indicator_id for item in items},
        ).values_list("unit_path", "indicator_id")
    )
    active = [item for item in items if item.form.active]
    if not active or not kids:
        return found
    by_name: dict[int, set[int]] = {}  # form id -> ids of the children it lists
    if any(item.lists_children for item in active):
        for form_id, unit_id in ReportForm.reporter_units.through.objects.filter(
            reportform_id__in={item.form_id for item in active if item.lists_children},
            orgunit__depth=unit.depth + 1,
            orgunit__path__startswith=unit.path,
        ).values_list("reportform_id", "orgunit_id"):
            by_name.setdefault(form_id, set()).add(unit_id)
    owed: dict[tuple[int, int], ReportForm] = {}  # (child id, indicator id) -> its form
    for item in active:
        form = item.form
        for kid in kids:
            key = (kid.pk, item.indicator_id)
            if key in owed:
                continue  # the first form that has the indicator speaks for it
            if (form.reporter_kind and kid.kind == form.reporter_kind) or (
                kid.pk in by_name.get(form.pk, ())
            ):
                owed[key] = form
                if item.indicator.active:
                    found.indicators[item.indicator_id] = item.indicator
    if not owed:
        return found  # the forms are the unit's own, or its parent's: no child reports
    submissions = {
        (s.form_id, s.unit_id): s
        for s in Submission.objects.filter(
            form_id__in={form.pk for form in owed.values()},
            period=period.code,
            unit__depth=unit.depth + 1,
            unit__path__startswith=unit.path,
        ).only("form_id", "unit_id", "status", "first_submitted_at", "submitted_at", "version")
    }
    deadlines = {form.pk: form.deadline_of(period) for form in owed.values()}
    for (kid_id, indicator_id), form in owed.items():
        found.reports[(kid_id, indicator_id)] = ChildReport(
            form, deadlines[form.pk], submissions.get((form.pk, kid_id))
        )
    return found
