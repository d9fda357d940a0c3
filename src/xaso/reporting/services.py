"""The reporting cycle's writes: a unit's report on a form for a period goes
draft → submitted → approved (locked), or back to the reporter (returned, with a reason).

- The values are the unit's results (`figures.services.enter_unit_figures`, the same sheet
  service as the data-entry page), restricted to the form's indicators.
- Every state change carries the version the writer saw; a writer overtaken by someone else
  gets `StaleSubmission` and nothing changes. The same action sent twice (a double click) is
  done once: sending a sent report, approving an approved one, changes nothing.
- Submitting runs the form's checks (`reporting.validation`): errors block, warnings need one
  confirmation. Approving marks the results approved: from then on they change only as a
  correction by the reviewer, with a reason.
- Reporters are managers' and reporters' of the unit (`policy.can_record`); reviewers manage
  the form's reviewing unit (`policy.can_manage`). Every change is audited.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from xaso.audit.models import Action, Entity
from xaso.audit.services import audit_record
from xaso.figures.models import EntryChannel, Result
from xaso.figures.services import SheetSaved, enter_unit_figures
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.periods import Period
from xaso.reporting.models import ReportForm, Submission, SubmissionStatus
from xaso.reporting.selectors import check_form_period, form_indicators, reports_on

EDITABLE = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


class StaleSubmission(Exception):
    """Someone changed the report since the writer opened it; nothing was changed."""

    def __init__(self, submission: Submission):
        self.submission = submission
        who = submission.submitted_by or submission.reviewed_by
        by = f" ({who.get_full_name() or who.username})" if who else ""
        super().__init__(
            f"Báo cáo đã được thay đổi{by} trong lúc bạn mở trang: nay "
            f"{submission.get_status_display().lower()}. Hãy xem lại rồi làm tiếp."
        )


class NeedsConfirmation(Exception):
    """Warnings the submitter must confirm once; nothing was sent."""

    def __init__(self, warnings: dict[str, str]):
        self.warnings = warnings
        super().__init__("Có số liệu bất thường, cần xác nhận trước khi gửi.")


def _audit(submission: Submission, action: str, old: dict | None, user, reason: str = ""):
    audit_record(
        entity=Entity.SUBMISSION,
        object_id=submission.pk,
        unit=submission.unit,
        period=submission.period,
        action=action,
        old=old,
        new={"form": submission.form.code, "status": submission.status},
        user=user,
        channel=EntryChannel.FORM,
        reason=reason,
    )


def _locked(form: ReportForm, unit: OrgUnit, period: Period) -> Submission:
    """The unit's report, locked for this transaction; created as a draft when new."""
    key = {"form": form, "unit": unit, "period": period.code}
    found = Submission.objects.select_for_update().filter(**key).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            created = Submission.objects.create(
                **key, period_start=period.start, period_end=period.end
            )
    except IntegrityError:  # created by a concurrent first save: use theirs
        return Submission.objects.select_for_update().get(**key)
    _audit(created, Action.CREATE, None, None)
    return created


def _check_version(submission: Submission, version: int | None) -> None:
    if version is not None and version != submission.version:
        raise StaleSubmission(submission)


@transaction.atomic
def save_report(
    *,
    form: ReportForm,
    unit: OrgUnit,
    period: Period,
    entries: dict,
    user=None,
    seen: dict | None = None,
    version: int | None = None,
) -> tuple[Submission, SheetSaved]:
    """Save a draft of a unit's report: {indicator: (value as typed, status)} for the form's
    indicators. A sent or approved report cannot be edited here (see `correct_report`)."""
    if user is not None:
        policy.require_record(user, unit, what="báo cáo")
    check_form_period(form, period)
    if not reports_on(form, unit):
        raise ValidationError({"unit": f"{unit.full_name} không báo cáo theo biểu {form.name}."})
    submission = _locked(form, unit, period)
    _check_version(submission, version)
    if submission.status not in EDITABLE:
        raise ValidationError(
            {
                "status": f"Báo cáo {submission.get_status_display().lower()}: không sửa được "
                "nữa. Muốn sửa, đề nghị đơn vị nhận trả lại báo cáo."
            }
        )
    allowed = set(form_indicators(form))
    outside = [indicator.name for indicator in entries if indicator not in allowed]
    if outside:
        raise ValidationError({"entries": f"Không thuộc biểu mẫu: {', '.join(outside)}."})
    saved = enter_unit_figures(
        unit=unit, period=period, entries=entries, user=user, seen=seen or {}
    )
    if saved.changed:
        submission.version += 1
        submission.save(update_fields=["version", "updated_at"])
    return submission, saved


@transaction.atomic
def submit_report(
    *,
    submission: Submission,
    user=None,
    version: int | None = None,
    confirm: bool = False,
    at: datetime | None = None,
) -> Submission:
    """Send a report to its reviewing unit. Sending it again changes nothing. `at` is the
    moment it was sent when past reports are loaded (the demo, an import); now by default."""
    from xaso.reporting.validation import check_report

    if user is not None:
        policy.require_record(user, submission.unit, what="gửi báo cáo")
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status == SubmissionStatus.SUBMITTED and version == submission.version - 1:
        return submission  # this very submit, sent twice
    _check_version(submission, version)
    if submission.status not in EDITABLE:
        raise ValidationError(
            {"status": f"Báo cáo {submission.get_status_display().lower()}: không gửi lại được."}
        )
    errors, warnings = check_report(submission)
    if errors:
        raise ValidationError(errors)
    if warnings and not confirm:
        raise NeedsConfirmation(warnings)
    old = {"status": submission.status}
    now = at or timezone.now()
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at, submission.submitted_by = now, user
    submission.first_submitted_at = submission.first_submitted_at or now
    submission.return_reason = ""
    submission.version += 1
    submission.save()
    _audit(submission, Action.UPDATE, old, user)
    return submission


def _results_of(submission: Submission):
    return Result.objects.filter(
        unit_path=submission.unit.path,
        unit_depth=submission.unit.depth,
        period=submission.period,
        indicator__in=form_indicators(submission.form),
    )


@transaction.atomic
def approve_report(
    *, submission: Submission, user=None, version: int | None = None, at: datetime | None = None
):
    """Approve a sent report: its figures are locked (changed only as corrections)."""
    submission = Submission.objects.select_for_update().select_related("form").get(pk=submission.pk)
    if user is not None:
        policy.require_manage(user, submission.form.reviewer, what="duyệt báo cáo")
    if submission.status == SubmissionStatus.APPROVED and version == submission.version - 1:
        return submission  # approved twice in a row by the same click
    _check_version(submission, version)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError({"status": "Chỉ duyệt được báo cáo đã gửi."})
    old = {"status": submission.status}
    submission.status = SubmissionStatus.APPROVED
    submission.reviewed_at, submission.reviewed_by = at or timezone.now(), user
    submission.version += 1
    submission.save()
    _results_of(submission).update(approved=True)
    _audit(submission, Action.UPDATE, old, user)
    return submission


@transaction.atomic
def return_report(
    *,
    submission: Submission,
    reason: str,
    user=None,
    version: int | None = None,
    at: datetime | None = None,
) -> Submission:
    """Send a report back to its unit with a reason (a sent one, or reopen an approved one:
    its figures are unlocked)."""
    submission = Submission.objects.select_for_update().select_related("form").get(pk=submission.pk)
    if user is not None:
        policy.require_manage(user, submission.form.reviewer, what="trả lại báo cáo")
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Hãy ghi lý do trả lại để đơn vị biết cần sửa gì."})
    if submission.status == SubmissionStatus.RETURNED and version == submission.version - 1:
        return submission
    _check_version(submission, version)
    if submission.status not in (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED):
        raise ValidationError({"status": "Chỉ trả lại được báo cáo đã gửi hoặc đã duyệt."})
    old = {"status": submission.status}
    if submission.status == SubmissionStatus.APPROVED:
        _results_of(submission).update(approved=False)
    submission.status = SubmissionStatus.RETURNED
    submission.return_reason = reason[:500]
    submission.reviewed_at, submission.reviewed_by = at or timezone.now(), user
    submission.version += 1
    submission.save()
    _audit(submission, Action.UPDATE, old, user, reason)
    return submission


@transaction.atomic
def correct_report(
    *,
    submission: Submission,
    entries: dict,
    reason: str,
    user=None,
    seen: dict | None = None,
    version: int | None = None,
) -> SheetSaved:
    """Change figures of an approved report: the reviewer only, with a reason kept in the
    value history. The report stays approved."""
    submission = (
        Submission.objects.select_for_update().select_related("form", "unit").get(pk=submission.pk)
    )
    if user is not None:
        policy.require_manage(user, submission.form.reviewer, what="điều chỉnh báo cáo đã duyệt")
    _check_version(submission, version)
    if submission.status != SubmissionStatus.APPROVED:
        raise ValidationError({"status": "Chỉ điều chỉnh báo cáo đã duyệt; báo cáo khác thì sửa."})
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Điều chỉnh số liệu đã duyệt phải ghi lý do."})
    saved = enter_unit_figures(
        unit=submission.unit,
        period=submission.as_period,
        entries=entries,
        user=user,
        seen=seen or {},
        correction=reason,
    )
    if saved.changed:
        _results_of(submission).update(approved=True)  # figures added by the correction too
        submission.version += 1
        submission.save(update_fields=["version", "updated_at"])
        _audit(submission, Action.UPDATE, {"status": submission.status}, user, reason)
    return saved
