"""What the home page shows an officer: the reporter's reports due, drafts, returned ones and
reminders; the reviewer's submissions waiting and the completeness of each form's current
period. A fixed number of queries whatever the number of units, forms and submissions.

"Their units" are the units where the user holds a role (not the units below them): a village
head reports for the village; the commune's officer reviews the commune's forms.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Prefetch, Q

from xaso.org.models import Membership, OrgUnit, Role
from xaso.org.paths import ancestor_paths
from xaso.org.policy import WRITERS
from xaso.periods import Period
from xaso.reporting.models import ReportForm, Submission, SubmissionStatus
from xaso.reporting.reminders import (
    completeness_path,
    current_period,
    open_reminders,
    recent_periods,
    sheet_path,
    submission_path,
)
from xaso.reporting.selectors import SENT, Completeness, is_reporter, sort_into

LIST_LIMIT = 20


@dataclass
class DueReport:
    """A report one of the user's units owes, for the current or a recently overdue period."""

    unit: OrgUnit
    form: ReportForm
    period: Period
    deadline: datetime
    submission: Submission | None
    overdue: bool  # the deadline passed and it was not sent

    @property
    def link(self) -> str:
        return sheet_path(self.unit.code, self.form.code, self.period.code)

    @property
    def status(self) -> str:
        if self.submission is None:
            return "Chưa nhập"
        return self.submission.get_status_display()


@dataclass
class FormProgress:
    """A form the user's unit reviews, and who has reported for its current period."""

    found: Completeness

    @property
    def link(self) -> str:
        form = self.found.form
        return completeness_path(form.reviewer.code, form.code, self.found.period.code)


@dataclass
class Home:
    memberships: list[Membership]
    due: list[DueReport] = field(default_factory=list)
    drafts: list[Submission] = field(default_factory=list)
    returned: list[Submission] = field(default_factory=list)
    reminders: list = field(default_factory=list)
    waiting: list[Submission] = field(default_factory=list)
    more_waiting: bool = False
    progress: list[FormProgress] = field(default_factory=list)
    has_forms: bool = False

    @property
    def units(self) -> list[OrgUnit]:
        seen: dict[int, OrgUnit] = {}
        for membership in self.memberships:
            seen.setdefault(membership.unit.pk, membership.unit)
        return list(seen.values())


def _forms(writer_units, managed_units) -> list[ReportForm]:
    """The active forms the units report on or review. Two queries."""
    paths = {u.path for u in managed_units}
    for unit in writer_units:
        paths.update(ancestor_paths(unit.path))
    forms = list(
        ReportForm.objects.filter(active=True)
        .filter(Q(reviewer__path__in=paths) | Q(reporter_units__in=writer_units))
        .distinct()
        .select_related("reviewer")
        .prefetch_related(
            Prefetch("reporter_units", queryset=OrgUnit.objects.only("pk"), to_attr="_listed")
        )
    )
    for form in forms:
        form.listed = {unit.pk for unit in form._listed}
    return forms


def _due_reports(forms, writer_units, now) -> list[DueReport]:
    """The current period of each form the units report on, and the periods overdue within
    the reminders' window. One query."""
    back = timedelta(days=settings.REMINDER_OVERDUE_DAYS)
    lines: list[DueReport] = []
    current_codes: dict[int, str | None] = {}
    for form in forms:
        units = [unit for unit in writer_units if is_reporter(form, unit, form.listed)]
        if not units:
            continue
        current = current_period(form, now)
        current_codes[form.pk] = current[0].code if current else None
        periods = {p.code: (p, d) for p, d in recent_periods(form, now, back=back) if d < now}
        if current:
            periods[current[0].code] = current
        for period, deadline in sorted(periods.values(), key=lambda pd: pd[1]):
            lines += [DueReport(u, form, period, deadline, None, False) for u in units]
    if not lines:
        return []
    found = {
        (s.form_id, s.unit_id, s.period): s
        for s in Submission.objects.filter(
            form__in={line.form.pk for line in lines},
            unit__in={line.unit.pk for line in lines},
            period__in={line.period.code for line in lines},
        )
    }
    shown = []
    for line in lines:
        line.submission = found.get((line.form.pk, line.unit.pk, line.period.code))
        sent = line.submission is not None and line.submission.status in SENT
        line.overdue = not sent and line.deadline < now
        if sent and line.period.code != current_codes[line.form.pk]:
            continue  # an older period, done
        shown.append(line)
    return shown


def _progress(forms, now) -> list[FormProgress]:
    """Completeness of each reviewed form's current period, as `selectors.completeness` counts
    it (a returned report counts as sent when first sent). Two queries for all the forms."""
    current = {form.pk: current_period(form, now) for form in forms}
    forms = [form for form in forms if current[form.pk]]
    if not forms:
        return []
    reachable = Q(pk__in={pk for form in forms for pk in form.listed})
    for form in forms:
        if form.reporter_kind:
            reachable |= Q(path__startswith=form.reviewer.path, kind=form.reporter_kind)
    candidates = list(OrgUnit.objects.filter(reachable).order_by("path"))
    submissions = {
        (s.form_id, s.unit_id, s.period): s
        for s in Submission.objects.filter(
            form__in=forms, period__in={current[form.pk][0].code for form in forms}
        ).select_related("unit")
    }
    progress = []
    for form in forms:
        period, deadline = current[form.pk]
        expected = [unit for unit in candidates if is_reporter(form, unit, form.listed)]
        own = {
            unit_id: submission
            for (form_id, unit_id, code), submission in submissions.items()
            if form_id == form.pk and code == period.code
        }
        progress.append(
            FormProgress(sort_into(Completeness(form, period, deadline, expected), own))
        )
    return progress


def home_of(user, now: datetime) -> Home:
    memberships = list(
        Membership.objects.filter(user=user).select_related("unit").order_by("unit__path", "pk")
    )
    home = Home(memberships)
    writer_units = [m.unit for m in memberships if m.role in WRITERS]
    managed_units = [m.unit for m in memberships if m.role == Role.MANAGER]
    if not writer_units:
        return home
    forms = _forms(writer_units, managed_units)
    managed = {unit.pk for unit in managed_units}
    reviewed = [form for form in forms if form.reviewer_id in managed]
    home.has_forms = bool(forms)
    if not forms:
        return home
    home.due = _due_reports(forms, writer_units, now)
    shown = {line.submission.pk for line in home.due if line.submission}
    unfinished = (
        Submission.objects.filter(
            unit__in=writer_units, status__in=(SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
        )
        .exclude(pk__in=shown)
        .select_related("form", "unit")
        .order_by("-updated_at")[:LIST_LIMIT]
    )
    for submission in unfinished:
        if submission.status == SubmissionStatus.RETURNED:
            home.returned.append(submission)
        else:
            home.drafts.append(submission)
    home.reminders = open_reminders(writer_units)
    if reviewed:
        waiting = list(
            Submission.objects.filter(form__in=reviewed, status=SubmissionStatus.SUBMITTED)
            .select_related("form", "unit")
            .order_by("submitted_at", "pk")[: LIST_LIMIT + 1]
        )
        home.waiting, home.more_waiting = waiting[:LIST_LIMIT], len(waiting) > LIST_LIMIT
        home.progress = _progress(reviewed, now)
    for submission in home.drafts + home.returned + home.waiting:
        submission.sheet_link = sheet_path(
            submission.unit.code, submission.form.code, submission.period
        )
        submission.review_link = submission_path(submission.pk)
    return home
