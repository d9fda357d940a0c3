"""The reporting cycle's pages: a unit's forms, a form's sheet for a period (save a draft,
send), a sent report (approve, return, correct), and who has reported.

Views parse, call `reporting.services` and render. Every write carries the report's version
the page showed and a submission token (`xaso.once`): the same click sent twice is done once,
and a writer overtaken by someone else is shown what changed, both values, nothing lost.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from xaso.figures.forms import errors_by_code
from xaso.figures.services import StaleWrite
from xaso.once import services as once_tokens
from xaso.org import policy
from xaso.org.selectors import unit_or_404
from xaso.periods import PeriodError, parse_period
from xaso.reporting import pages
from xaso.reporting.chat import ChatNotes, chat_entries
from xaso.reporting.forms import (
    READ_CHAT,
    SUBMIT,
    ChatForm,
    CorrectionForm,
    ReportSheetForm,
    ReviewForm,
    warnings_key,
)
from xaso.reporting.models import ReportForm, Submission, SubmissionStatus
from xaso.reporting.reminders import current_period
from xaso.reporting.selectors import (
    check_form_period,
    completeness,
    forms_for_unit,
    period_of_day,
    reports_on,
)
from xaso.reporting.services import (
    EDITABLE,
    NeedsConfirmation,
    StaleSubmission,
    approve_report,
    correct_report,
    return_report,
    save_report,
    submit_report,
)
from xaso.reporting.validation import problems_of, validation_run

REPEATED = "Yêu cầu này đã được thực hiện trước đó; không ghi thêm lần nữa."


def _form_def(form_code: str) -> ReportForm:
    return get_object_or_404(ReportForm.objects.select_related("reviewer"), code=form_code)


def _period_of(form: ReportForm, code: str):
    try:
        period = parse_period(code)
        check_form_period(form, period)
    except (PeriodError, ValidationError):
        return None
    return period


def unit_reports(request, code: str):
    """The "Báo cáo" tab: the forms the unit reports on or reviews, with the current period,
    its deadline and the unit's report (or who has reported)."""
    unit = unit_or_404(code)
    policy.require_read(request.user, unit)
    lines = pages.unit_forms(unit, forms_for_unit(unit), timezone.now())
    context = {
        "unit": unit,
        "trail": policy.trail(request.user, unit),
        "lines": lines,
        "can_record": policy.can_record(request.user, unit),
        "now": timezone.now(),
    }
    return render(request, "reporting/unit_reports.html", context)


def sheet_page(request, code: str, form_code: str, period: str):
    """A unit's report on a form for a period: "Lưu nháp" saves, "Gửi báo cáo" saves and
    sends, both at once or not at all; "Đọc tin nhắn" fills the boxes from a report pasted
    as a chat message and saves nothing."""
    unit = unit_or_404(code)
    policy.require_record(request.user, unit, what="báo cáo")
    form_def = _form_def(form_code)
    period = _period_of(form_def, period)
    if period is None or not reports_on(form_def, unit):
        raise Http404("Đơn vị không báo cáo theo biểu này cho kỳ này.")
    found = pages.sheet(form_def, unit, period)
    posted = request.method == "POST"
    form = ReportSheetForm(request.POST if posted else None, found=found)
    chat = ChatForm(request.POST if posted else None)
    action = request.POST.get("action") if posted else None
    status, notice, reading = 200, "", None
    if action == READ_CHAT:
        status, reading = _read_chat(form, chat, found)
    elif posted and form.is_valid():
        readings = form.unconfirmed()
        if readings:
            errors = errors_by_code(form.entries())
            form.add_service_errors(errors)
            form.ask_confirmation({i: r for i, r in readings.items() if i.code not in errors})
            status = 400 if errors else 200
        else:
            try:
                with transaction.atomic():
                    done = _save(request, form, found, submit=action == SUBMIT)
            except StaleSubmission as stale:
                now = pages.sheet(form_def, unit, period)
                form.show_changes(
                    pages.changes_since(now, form.entries(), form.seen()), now.version
                )
                found, notice, status = now, str(stale), 409
            except StaleWrite as stale:
                form.show_clashes(stale.clashes)
                status = 409
            except NeedsConfirmation as asked:
                form.show_warnings(asked.warnings)
            except ValidationError as error:
                form.add_service_errors(error.message_dict)
                status = 400
            else:
                messages.success(request, done)
                return redirect(request.path)
    elif posted:
        status = 400
    context = {
        "unit": unit,
        "trail": policy.trail(request.user, unit),
        "found": found,
        "submission": found.submission,
        "editable": found.submission is None or found.submission.status in EDITABLE,
        "can_review": policy.can_manage(request.user, form_def.reviewer),
        "form": form,
        "rows": _value_rows(found),
        "notice": notice,
        "chat": chat,
        "reading": reading,
    }
    return render(request, "reporting/sheet.html", context, status=status)


def _read_chat(
    form: ReportSheetForm, chat: ChatForm, found: pages.Sheet
) -> tuple[int, ChatNotes | None]:
    """ "Đọc tin nhắn": the pasted message read into the sheet's boxes, shown for checking.
    Nothing is saved: the page comes back as it was opened (version, seen values, token),
    with the values read in their boxes; saving it then is an ordinary save."""
    if not chat.is_valid():
        return 400, None
    text = chat.cleaned_data["chat"]
    if not text.strip():
        chat.add_error("chat", "Hãy dán tin nhắn báo cáo vào ô rồi bấm “Đọc tin nhắn”.")
        return 400, None
    try:
        entries, notes = chat_entries(found.form, text, unit=found.unit)
    except ValidationError as error:
        for message in error.message_dict.get("chat", error.messages):
            chat.add_error("chat", message)
        return 400, None
    if notes.period_code and notes.period_code != found.period.code:
        notes.warnings.append(
            f"Tin nhắn ghi kỳ “{notes.period}”, còn trang này nhập cho {found.period.label}: "
            "hãy kiểm tra lại."
        )
    form.show_chat(entries, notes)
    return 200, notes


def _save(request, form: ReportSheetForm, found: pages.Sheet, *, submit: bool) -> str:
    """Save (and send) the sheet; the message to show. Inside the caller's transaction: a
    refusal anywhere leaves nothing saved."""
    user = request.user
    token, earlier = once_tokens.claim(user=user, key=form.cleaned_data["once"], kind="report")
    if earlier is not None:
        return REPEATED
    submission, saved = save_report(
        form=found.form,
        unit=found.unit,
        period=found.period,
        entries=form.entries(),
        user=user,
        seen=form.seen(),
        version=form.cleaned_data["version"],
    )
    whose = f"{found.unit.full_name}, {found.period.label}"
    done = saved.describe(whose)
    if submit:
        try:
            submission = submit_report(submission=submission, user=user, version=submission.version)
        except NeedsConfirmation as asked:
            if warnings_key(asked.warnings) != form.cleaned_data["confirmed"]:
                raise
            submission = submit_report(
                submission=submission, user=user, version=submission.version, confirm=True
            )
        done = f"Đã gửi {found.form.name} của {whose} đến {found.form.reviewer.full_name}."
    once_tokens.settle(token, submission.pk)
    return done


def submission_page(request, pk: int):
    """A report as sent: its values beside targets and last period's, and for a manager of
    the reviewing unit the actions its status allows (approve, return, correct)."""
    submission = get_object_or_404(Submission.objects.select_related("unit", "form"), pk=pk)
    if not policy.can_read(request.user, submission.unit):
        raise Http404
    form_def = submission.form
    can_review = policy.can_manage(request.user, form_def.reviewer)
    found = pages.sheet(form_def, submission.unit, submission.as_period)
    posted = request.method == "POST"
    if posted and not can_review:
        raise PermissionDenied("Chỉ người quản lý đơn vị nhận báo cáo mới duyệt được.")
    action = request.POST.get("action", "") if posted else ""
    review = ReviewForm(
        request.POST if posted and action != "correct" else None,
        initial={"version": found.version},
    )
    correction = CorrectionForm(request.POST if action == "correct" else None, found=found)
    status, notice = 200, ""
    if posted:
        bound = correction if action == "correct" else review
        if action not in ("approve", "return", "correct") or not bound.is_valid():
            status = 400
        else:
            try:
                with transaction.atomic():
                    done = _review(request, action, found, bound)
            except StaleSubmission as stale:
                now = pages.sheet(form_def, submission.unit, submission.as_period)
                if action == "correct":
                    correction.show_changes(
                        pages.changes_since(now, correction.entries(), correction.seen()),
                        now.version,
                    )
                else:
                    review = ReviewForm(
                        initial={"version": now.version, "reason": review.cleaned_data["reason"]}
                    )
                found, notice, status = now, str(stale), 409
            except StaleWrite as stale:
                correction.show_clashes(stale.clashes)
                status = 409
            except ValidationError as error:
                if action == "correct":
                    correction.add_service_errors(error.message_dict)
                else:
                    for field, errors in error.message_dict.items():
                        for message in errors:
                            review.add_error("reason" if field == "reason" else None, message)
                status = 400
            else:
                messages.success(request, done)
                return redirect(request.path)
    submission = found.submission
    checks = []
    if can_review and submission.status == SubmissionStatus.SUBMITTED:
        checks = problems_of(form_def, submission.unit, submission.as_period)
    context = {
        "unit": submission.unit,
        "trail": policy.trail(request.user, submission.unit),
        "found": found,
        "submission": submission,
        "rows": _value_rows(found),
        "can_review": can_review,
        "can_record": policy.can_record(request.user, submission.unit),
        "review": review,
        "correction": correction,
        "checks": checks,
        "notice": notice,
        "action": action,
    }
    return render(request, "reporting/submission.html", context, status=status)


def _review(request, action: str, found: pages.Sheet, bound) -> str:
    user = request.user
    token, earlier = once_tokens.claim(user=user, key=bound.cleaned_data["once"], kind="review")
    if earlier is not None:
        return REPEATED
    submission, version = found.submission, bound.cleaned_data["version"]
    whose = f"{found.form.name} của {found.unit.full_name}, {found.period.label}"
    if action == "approve":
        approve_report(submission=submission, user=user, version=version)
        done = f"Đã duyệt {whose}."
    elif action == "return":
        reason = bound.cleaned_data["reason"]
        return_report(submission=submission, reason=reason, user=user, version=version)
        done = f"Đã trả lại {whose}."
    else:
        saved = correct_report(
            submission=submission,
            entries=bound.entries(),
            reason=bound.cleaned_data["reason"],
            user=user,
            seen=bound.seen(),
            version=version,
        )
        done = "Điều chỉnh: " + saved.describe(whose)
    once_tokens.settle(token, submission.pk)
    return done


def _value_rows(found: pages.Sheet) -> list:
    groups: dict[str, list] = {}
    for item in found.items:
        pk = item.indicator_id
        groups.setdefault(item.group or "Chỉ tiêu", []).append(
            (
                item.indicator,
                found.current.get(pk),
                found.targets.get(pk, []),
                found.previous.get(pk),
            )
        )
    return list(groups.items())


def completeness_page(request, code: str, form_code: str):
    """Who in the unit's subtree has reported on the form for a period (on time, late, not
    yet), the rates of the last periods, and every broken rule and unusual value."""
    unit = unit_or_404(code)
    policy.require_read(request.user, unit)
    form_def = _form_def(form_code)
    if not unit.path.startswith(form_def.reviewer.path):
        raise Http404("Đơn vị không nhận biểu này.")
    now = timezone.now()
    asked = request.GET.get("period", "").strip()
    period = _period_of(form_def, asked) if asked else None
    period_error = (
        f"‘{asked}’ không phải kỳ của biểu {form_def.name}." if asked and not period else ""
    )
    if period is None:
        current = current_period(form_def, now)
        period = current[0] if current else period_of_day(form_def, form_def.span_start)
    units = pages.reporters_in(form_def, unit)
    found = completeness(form_def, period, units=units)
    history = pages.rates(form_def, units, until=period.end)
    later = period_of_day(form_def, period.end + timedelta(days=1))
    if _period_of(form_def, later.code) is None or later.start > timezone.localdate():
        later = None
    earlier = history[1].period if len(history) > 1 else None
    context = {
        "unit": unit,
        "trail": policy.trail(request.user, unit),
        "form_def": form_def,
        "period": period,
        "period_error": period_error,
        "found": found,
        "history": history,
        "earlier": earlier,
        "later": later,
        "problems": validation_run(form_def, unit, period),
        "can_review": policy.can_manage(request.user, form_def.reviewer),
        "can_record": policy.can_record(request.user, unit),
        "overdue": now > found.deadline,
        "sheet_url": reverse("reporting:sheet", args=["UNIT", form_def.code, period.code]),
    }
    return render(request, "reporting/completeness.html", context)
