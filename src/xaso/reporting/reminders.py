"""Reminders to units that have not sent their report: before the deadline
(`settings.REMINDER_BEFORE_HOURS`) and once when it has passed (up to
`settings.REMINDER_OVERDUE_DAYS` after it). `xaso remind` runs `remind()` every few minutes.

Each reminder goes out once, however many runs overlap: a run first inserts the `Reminder`
row (form, unit, period, kind) and only the run whose insert succeeded sends it; the unique
constraint decides between concurrent runs. A run that could not send (the mail server down)
leaves the row unsent and free for the next run; a row that a run took and is still sending
is left alone for `CLAIM_LEASE`. The row is the home page's reminder too, sent by mail or not.

Mails go to the active users holding a reporter or manager role on the unit itself who have an
e-mail address, through Django's mail settings (docs/deploy.md "Reminders").
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import formataddr
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from xaso.org.models import Membership, OrgUnit, Role
from xaso.periods import Period
from xaso.reporting.deadlines import VIETNAM
from xaso.reporting.models import Reminder, ReminderKind, ReportForm
from xaso.reporting.selectors import completeness, period_of_day

CLAIM_LEASE = timedelta(minutes=10)
MAX_PERIODS_BACK = 64  # a daily form with a long overdue window stops here

# The pages reminders and the homes link to.


def sheet_path(unit_code: str, form_code: str, period_code: str) -> str:
    return reverse("reporting:sheet", args=[unit_code, form_code, period_code])


def submission_path(submission_id: int) -> str:
    return reverse("reporting:submission", args=[submission_id])


def completeness_path(unit_code: str, form_code: str, period_code: str) -> str:
    page = reverse("reporting:completeness", args=[unit_code, form_code])
    return f"{page}?{urlencode({'period': period_code})}"


def format_deadline(moment: datetime) -> str:
    """dd/mm/yyyy HH:MM in Vietnam time."""
    return f"{moment.astimezone(VIETNAM):%d/%m/%Y %H:%M}"


# ---- periods around a moment -------------------------------------------------------------


def recent_periods(form: ReportForm, now: datetime, *, back: timedelta) -> list[tuple]:
    """The form's periods that have started by `now` whose deadline is not more than `back`
    before `now`, newest first, as (period, deadline). Deadlines grow with the periods, so
    the walk stops at the first one too old."""
    day = now.astimezone(VIETNAM).date()
    if form.span_end and day > form.span_end:
        day = form.span_end
    found: list[tuple[Period, datetime]] = []
    while len(found) < MAX_PERIODS_BACK:
        if form.span_start and day < form.span_start:
            break
        period = period_of_day(form, day)
        due = form.deadline_of(period)
        if due < now - back:
            break
        found.append((period, due))
        day = period.start - timedelta(days=1)
    return found


def current_period(form: ReportForm, now: datetime) -> tuple | None:
    """The period being reported on at `now`: the oldest started one whose deadline has not
    passed, else the newest started one (its deadline just passed). None before a campaign's
    first day. As (period, deadline)."""
    day = now.astimezone(VIETNAM).date()
    if form.span_start and day < form.span_start:
        return None
    open_ = recent_periods(form, now, back=timedelta(0))
    if open_:
        return open_[-1]
    if form.span_end and day > form.span_end:
        day = form.span_end
    period = period_of_day(form, day)
    return period, form.deadline_of(period)


# ---- what is due -------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    form: ReportForm
    unit: OrgUnit
    period: Period
    kind: str  # ReminderKind
    deadline: datetime

    @property
    def key(self) -> dict:
        return {"form": self.form, "unit": self.unit, "period": self.period.code, "kind": self.kind}


def _windows() -> tuple[timedelta, timedelta]:
    return (
        timedelta(hours=settings.REMINDER_BEFORE_HOURS),
        timedelta(days=settings.REMINDER_OVERDUE_DAYS),
    )


def due_reminders(now: datetime) -> list[Due]:
    """The reminders due at `now` and not yet sent: for each active form and each period whose
    deadline is within the "before" window (kind before) or passed within the overdue window
    (kind overdue), every expected unit that has not sent its report."""
    before, after = _windows()
    found: list[Due] = []
    forms = ReportForm.objects.filter(active=True).select_related("reviewer").order_by("pk")
    for form in forms:
        for period, deadline in recent_periods(form, now, back=after):
            if deadline - before <= now <= deadline:
                kind = ReminderKind.BEFORE
            elif deadline < now <= deadline + after:
                kind = ReminderKind.OVERDUE
            else:
                continue
            missing = completeness(form, period).missing
            if not missing:
                continue
            sent = set(
                Reminder.objects.filter(
                    form=form, period=period.code, kind=kind, sent_at__isnull=False
                ).values_list("unit_id", flat=True)
            )
            found += [
                Due(form, unit, period, kind, deadline) for unit in missing if unit.pk not in sent
            ]
    return found


def recipients_of(units) -> dict[int, list[tuple[str, str]]]:
    """{unit id: [(name, e-mail)]}: the active users with a reporter or manager role on the
    unit itself who have an address. One query."""
    found: dict[int, list[tuple[str, str]]] = {}
    rows = (
        Membership.objects.filter(
            unit__in=[unit.pk for unit in units],
            role__in=(Role.REPORTER, Role.MANAGER),
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("unit_id", "user__username")
    )
    for row in rows:
        entry = (row.user.get_full_name() or row.user.username, row.user.email)
        if entry not in found.setdefault(row.unit_id, []):
            found[row.unit_id].append(entry)
    return found


# ---- the mail ----------------------------------------------------------------------------


def reminder_message(due: Due, name: str, address: str) -> EmailMessage:
    form, unit, period = due.form, due.unit, due.period
    overdue = due.kind == ReminderKind.OVERDUE
    subject = (
        f"{'Quá hạn báo cáo' if overdue else 'Nhắc báo cáo'}: {form.name} "
        f"{period.label} — {unit.full_name}"
    )
    state = (
        "Đã quá hạn nộp. Xin gửi báo cáo sớm nhất có thể."
        if overdue
        else "Sắp đến hạn nộp. Xin hoàn thành và gửi báo cáo trước hạn."
    )
    body = "\n".join(
        [
            f"Kính gửi {name},",
            "",
            f"{unit.full_name} chưa gửi {form.name} {period.label}.",
            f"Hạn nộp: {format_deadline(due.deadline)}.",
            state,
            "",
            "Mở biểu báo cáo:",
            settings.SITE_URL + sheet_path(unit.code, form.code, period.code),
            "",
            "Thư gửi tự động từ xã số; xin đừng trả lời thư này.",
        ]
    )
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[formataddr((name, address))],
    )


# ---- sending, once -----------------------------------------------------------------------


@dataclass
class Outcome:
    due: Due
    status: str  # "sent", "failed", "taken" (another run has it)
    emails: list[str] = field(default_factory=list)
    error: str = ""


# Refusals of one message; anything else means the server cannot be reached or dropped us.
REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def _claim(due: Due, now: datetime) -> Reminder | None:
    """Take the reminder for this run: insert it, or take one a failed run left. None when
    another run has it (or sent it)."""
    try:
        with transaction.atomic():
            return Reminder.objects.create(**due.key, deadline=due.deadline, claimed_at=now)
    except IntegrityError:
        pass
    taken = Reminder.objects.filter(
        **due.key, sent_at__isnull=True, claimed_at__lt=now - CLAIM_LEASE
    ).update(claimed_at=now, attempts=F("attempts") + 1)
    return Reminder.objects.get(**due.key) if taken else None


def _release(reminder: Reminder, now: datetime, error: str, delivered: list[str]) -> None:
    """Not (all) sent: free for the next run, keeping who already has it."""
    Reminder.objects.filter(pk=reminder.pk).update(
        claimed_at=now - CLAIM_LEASE - timedelta(seconds=1),
        error=error[:300],
        recipients="\n".join(delivered),
    )


def send_reminders(dues: list[Due], *, now: datetime, connection=None) -> list[Outcome]:
    """Send each due reminder that this run can claim. A message refused fails its reminder
    only; when the mail server cannot be reached the run stops there ("not tried" for the
    rest), and the next run takes up what was not sent."""
    recipients = recipients_of([due.unit for due in dues])
    connection = connection or get_connection()
    outcomes: list[Outcome] = []
    opened = unreachable = False
    try:
        for due in dues:
            if unreachable:
                outcomes.append(Outcome(due, "not_tried"))
                continue
            reminder = _claim(due, now)
            if reminder is None:
                outcomes.append(Outcome(due, "taken"))
                continue
            delivered = [a for a in reminder.recipients.splitlines() if a]
            outcome = Outcome(due, "sent", delivered)
            outcomes.append(outcome)
            for name, address in recipients.get(due.unit.pk, []):
                if address in delivered:
                    continue
                try:
                    if not opened:
                        connection.open()
                        opened = True
                    connection.send_messages([reminder_message(due, name, address)])
                except (smtplib.SMTPException, OSError) as error:
                    outcome.status, outcome.error = "failed", f"{address}: {error}"
                    unreachable = not isinstance(error, REFUSED)
                    break
                delivered.append(address)
            if outcome.status == "sent":
                Reminder.objects.filter(pk=reminder.pk).update(
                    sent_at=now, recipients="\n".join(delivered), error=""
                )
            else:
                _release(reminder, now, outcome.error, delivered)
    finally:
        if opened:
            connection.close()
    return outcomes


def remind(*, now: datetime | None = None, connection=None) -> list[Outcome]:
    """Send what is due at `now` (default: this moment). Safe to run every few minutes."""
    now = now or timezone.now()
    return send_reminders(due_reminders(now), now=now, connection=connection)


# ---- the home page -----------------------------------------------------------------------


def open_reminders(units, *, limit: int = 10):
    """The latest reminders to these units whose report has still not been sent. One query."""
    from django.db.models import Exists, OuterRef

    from xaso.reporting.models import Submission
    from xaso.reporting.selectors import SENT

    sent = Submission.objects.filter(
        form=OuterRef("form"), unit=OuterRef("unit"), period=OuterRef("period"), status__in=SENT
    )
    return list(
        Reminder.objects.filter(unit__in=units)
        .exclude(Exists(sent))
        .select_related("form", "unit")
        .order_by("-claimed_at", "-pk")[:limit]
    )
