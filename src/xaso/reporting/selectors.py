"""Reads of the reporting cycle: a form's indicators, who reports on it, its periods, and
completeness (who has reported, on time or late, and who has not)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from xaso.catalog.models import Indicator
from xaso.org.models import OrgUnit
from xaso.periods import Period, PeriodKind, parse_period, period_for_date
from xaso.reporting.models import PeriodType, ReportForm, Submission, SubmissionStatus

# The period kind of each form's period type ("day" is a one-day span).
KINDS = {
    PeriodType.WEEK: PeriodKind.WEEK,
    PeriodType.MONTH: PeriodKind.MONTH,
    PeriodType.QUARTER: PeriodKind.QUARTER,
    PeriodType.HALF: PeriodKind.HALF,
    PeriodType.YEAR: PeriodKind.YEAR,
    PeriodType.DAY: PeriodKind.SPAN,
}


def form_indicators(form: ReportForm) -> list[Indicator]:
    """The form's indicators, in the form's order."""
    return [item.indicator for item in form.items.select_related("indicator").order_by("position")]


def expected_units(form: ReportForm) -> QuerySet[OrgUnit]:
    """The units that report on the form: every unit of the form's kind below the reviewer,
    and the units listed."""
    listed = Q(pk__in=form.reporter_units.values("pk"))
    if form.reporter_kind:
        below = Q(path__startswith=form.reviewer.path, kind=form.reporter_kind) & ~Q(
            pk=form.reviewer.pk
        )
        listed |= below
    return OrgUnit.objects.filter(listed).order_by("path")


def reports_on(form: ReportForm, unit: OrgUnit) -> bool:
    return expected_units(form).filter(pk=unit.pk).exists()


def is_reporter(form: ReportForm, unit: OrgUnit, listed: set[int]) -> bool:
    """`expected_units`' rule for one unit already loaded, given the ids of the form's listed
    reporters: no query (for pages that check many units against many forms)."""
    if unit.pk in listed:
        return True
    return bool(
        form.reporter_kind
        and unit.kind == form.reporter_kind
        and unit.path.startswith(form.reviewer.path)
        and unit.pk != form.reviewer_id
    )


def period_of_day(form: ReportForm, day: date) -> Period:
    """The form's period that contains `day`."""
    if form.period_type == PeriodType.DAY:
        return parse_period(f"{day:%Y-%m-%d}..{day:%Y-%m-%d}")
    return period_for_date(KINDS[PeriodType(form.period_type)], day)


def check_form_period(form: ReportForm, period: Period) -> None:
    """Refuse a period the form does not report on (wrong kind, outside a campaign's days)."""
    kind = KINDS[PeriodType(form.period_type)]
    one_day = period.kind is PeriodKind.SPAN and period.start == period.end
    if period.kind is not kind or (form.period_type == PeriodType.DAY and not one_day):
        raise ValidationError(
            {
                "period": f"Biểu {form.name} báo cáo {form.get_period_type_display().lower()}; "
                f"{period.label} không phải kỳ của biểu này."
            }
        )
    if form.span_start and (period.end < form.span_start or period.start > form.span_end):
        raise ValidationError(
            {
                "period": f"{period.label} nằm ngoài đợt báo cáo "
                f"{form.span_start:%d/%m/%Y}–{form.span_end:%d/%m/%Y}."
            }
        )


def form_periods(form: ReportForm, *, until: date, count: int = 8) -> list[Period]:
    """The form's last `count` periods that have started by `until`, newest first (within
    the campaign's days for a campaign's form)."""
    if form.span_end and until > form.span_end:
        until = form.span_end
    found: list[Period] = []
    day = until
    while len(found) < count:
        if form.span_start and day < form.span_start:
            break
        period = period_of_day(form, day)
        found.append(period)
        day = period.start - timedelta(days=1)
    return found


@dataclass
class Completeness:
    form: ReportForm
    period: Period
    deadline: datetime
    expected: list[OrgUnit] = field(default_factory=list)
    on_time: list[Submission] = field(default_factory=list)
    late: list[Submission] = field(default_factory=list)
    drafts: list[Submission] = field(default_factory=list)  # started, not sent
    missing: list[OrgUnit] = field(default_factory=list)  # nothing sent (drafts included)

    @property
    def submitted(self) -> int:
        return len(self.on_time) + len(self.late)

    @property
    def rate(self) -> float | None:
        return None if not self.expected else round(100 * self.submitted / len(self.expected), 1)

    @property
    def timely_rate(self) -> float | None:
        return None if not self.expected else round(100 * len(self.on_time) / len(self.expected), 1)


SENT = (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED, SubmissionStatus.RETURNED)


def existed_during(unit: OrgUnit, period: Period) -> bool:
    """A unit owes reports only for periods it existed in: today's communes (from 01/7/2025)
    owe none for 2022, the communes they replaced none after 30/06/2025."""
    began = unit.valid_from is None or unit.valid_from <= period.end
    return began and (unit.valid_to is None or unit.valid_to >= period.start)


def completeness(form: ReportForm, period: Period, *, units=None) -> Completeness:
    """Who was expected to report on `form` for `period`, who sent it on time, late, or not
    at all. A returned report counts as sent (when it was first sent). Two queries."""
    expected = [
        unit
        for unit in (units if units is not None else expected_units(form))
        if existed_during(unit, period)
    ]
    found = Completeness(form, period, form.deadline_of(period), expected)
    submissions = {
        s.unit_id: s
        for s in Submission.objects.filter(
            form=form, period=period.code, unit__in=expected
        ).select_related("unit", "form")
    }
    return sort_into(found, submissions)


def sort_into(found: Completeness, submissions: dict[int, Submission]) -> Completeness:
    """Put each expected unit under on time, late or missing, by its report (by unit id)."""
    for unit in found.expected:
        submission = submissions.get(unit.pk)
        if submission is None or submission.status not in SENT:
            found.missing.append(unit)
            if submission is not None:
                found.drafts.append(submission)
        elif submission.first_submitted_at <= found.deadline:
            found.on_time.append(submission)
        else:
            found.late.append(submission)
    return found


def forms_for_unit(unit: OrgUnit) -> list[ReportForm]:
    """The active forms the unit reports on or reviews (its own, or any above it whose
    reporters include it)."""
    ancestors = [unit.path[:i] for i in range(OrgUnit.steplen, len(unit.path) + 1, OrgUnit.steplen)]
    candidates = (
        ReportForm.objects.filter(active=True)
        .filter(Q(reviewer__path__in=ancestors) | Q(reporter_units=unit))
        .distinct()
        .select_related("reviewer")
        .prefetch_related("reporter_units")
    )
    return [
        form
        for form in candidates
        if form.reviewer_id == unit.pk
        or is_reporter(form, unit, {u.pk for u in form.reporter_units.all()})
    ]
