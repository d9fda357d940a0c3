"""The status machine of a report: draft → submitted → approved, or returned with a reason;
versions, repeats, corrections after approval, rights, audit."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from xaso.audit.models import AuditEntry, Entity
from xaso.figures.models import Result, ResultChange
from xaso.figures.services import record_result
from xaso.org.models import OrgUnit
from xaso.periods import parse_period
from xaso.reporting.models import Submission, SubmissionStatus
from xaso.reporting.services import (
    NeedsConfirmation,
    StaleSubmission,
    approve_report,
    correct_report,
    return_report,
    save_report,
    submit_report,
)

WEEK = parse_period("2022-W15")
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def draft(cycle, **values):
    entries = {
        cycle.fences: (values.get("fences", "320"), "final"),
        cycle.toilets: (values.get("toilets", "2"), "final"),
        cycle.households: (values.get("households", "120"), "final"),
    }
    submission, _ = save_report(
        form=cycle.form, unit=cycle.villages[0], period=WEEK, entries=entries, user=cycle.reporter
    )
    return submission


def test_a_report_goes_from_draft_to_approved_and_its_figures_are_locked(cycle):
    submission = draft(cycle)
    assert (submission.status, submission.version) == (SubmissionStatus.DRAFT, 1)
    submission = submit_report(submission=submission, user=cycle.reporter, version=1)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.submitted_by == cycle.reporter
    submission = approve_report(submission=submission, user=cycle.reviewer, version=2)
    assert submission.status == SubmissionStatus.APPROVED
    assert set(Result.objects.values_list("approved", flat=True)) == {True}
    with pytest.raises(ValidationError, match="không sửa được"), transaction.atomic():
        draft(cycle, fences="400")
    with pytest.raises(ValidationError, match="đã được duyệt"), transaction.atomic():
        record_result(unit=cycle.villages[0], indicator=cycle.fences, period=WEEK, value="1")
    statuses = [e.new["status"] for e in AuditEntry.objects.filter(entity=Entity.SUBMISSION)]
    assert statuses == ["draft", "submitted", "approved"]


def test_returned_with_a_reason_then_fixed_and_sent_again(cycle):
    submission = submit_report(submission=draft(cycle), user=cycle.reporter, version=1)
    with pytest.raises(ValidationError, match="ghi lý do"):
        return_report(submission=submission, user=cycle.reviewer, reason="  ", version=2)
    submission = return_report(
        submission=submission, user=cycle.reviewer, reason="Thiếu số hộ làm cổng ngõ", version=2
    )
    assert (submission.status, submission.return_reason) == (
        SubmissionStatus.RETURNED,
        "Thiếu số hộ làm cổng ngõ",
    )
    first_sent = submission.first_submitted_at
    submission = draft(cycle, fences="330")
    submission = submit_report(submission=submission, user=cycle.reporter, version=4)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.return_reason == ""
    assert submission.first_submitted_at == first_sent  # timeliness counts the first send
    assert submission.submitted_at > first_sent


def test_reopening_an_approved_report_unlocks_its_figures(cycle):
    submission = submit_report(submission=draft(cycle), user=cycle.reporter, version=1)
    submission = approve_report(submission=submission, user=cycle.reviewer, version=2)
    return_report(submission=submission, user=cycle.reviewer, reason="Mở lại để bổ sung", version=3)
    assert set(Result.objects.values_list("approved", flat=True)) == {False}
    assert draft(cycle, fences="500").status == SubmissionStatus.RETURNED


def test_the_same_click_twice_does_it_once(cycle):
    submission = draft(cycle)
    first = submit_report(submission=submission, user=cycle.reporter, version=1)
    again = submit_report(submission=submission, user=cycle.reporter, version=1)
    assert first.version == again.version == 2
    approve_report(submission=first, user=cycle.reviewer, version=2)
    approve_report(submission=first, user=cycle.reviewer, version=2)
    assert Submission.objects.get().version == 3
    assert AuditEntry.objects.filter(entity=Entity.SUBMISSION).count() == 3
    # Saving the same values again changes nothing either.
    _, saved = save_report(
        form=cycle.form,
        unit=cycle.villages[1],
        period=WEEK,
        entries={cycle.fences: ("10", "final")},
    )
    _, saved_again = save_report(
        form=cycle.form,
        unit=cycle.villages[1],
        period=WEEK,
        entries={cycle.fences: ("10", "final")},
    )
    assert (saved.saved, saved_again.saved) == (1, 0)


def test_an_overtaken_writer_is_told_and_nothing_changes(cycle):
    submission = submit_report(submission=draft(cycle), user=cycle.reporter, version=1)
    # The reviewer opened it at version 2; meanwhile another reviewer returned it.
    return_report(submission=submission, user=cycle.reviewer, reason="Sai số hộ", version=2)
    with pytest.raises(StaleSubmission, match="nay bị trả lại"):
        approve_report(submission=submission, user=cycle.reviewer, version=2)
    assert Submission.objects.get().status == SubmissionStatus.RETURNED
    with pytest.raises(StaleSubmission):
        save_report(
            form=cycle.form,
            unit=cycle.villages[0],
            period=WEEK,
            entries={cycle.fences: ("1", "final")},
            version=2,
        )


def test_errors_block_and_warnings_need_one_confirmation(cycle):
    submission = draft(cycle, toilets="130", households="120")
    with pytest.raises(ValidationError) as error:
        submit_report(submission=submission, user=cycle.reporter, version=1)
    assert error.value.message_dict == {
        "nha-tieu-tu-hoai": ["Số hộ làm nhà tiêu vượt số hộ của thôn."]
    }
    assert Submission.objects.get().status == SubmissionStatus.DRAFT
    # Far above the village's own history: a warning.
    for week in ("2022-W13", "2022-W14"):
        record_result(unit=cycle.villages[0], indicator=cycle.fences, period=week, value="100")
    submission = draft(cycle, toilets="2", fences="301")
    with pytest.raises(NeedsConfirmation) as warned:
        submit_report(submission=submission, user=cycle.reporter, version=2)
    assert list(warned.value.warnings) == ["hang-rao-xanh"]
    assert "gấp hơn 3 lần mức cao nhất 6 kỳ trước (100)" in warned.value.warnings["hang-rao-xanh"]
    sent = submit_report(submission=submission, user=cycle.reporter, version=2, confirm=True)
    assert sent.status == SubmissionStatus.SUBMITTED


def test_three_times_the_history_exactly_is_no_warning(cycle):
    record_result(unit=cycle.villages[0], indicator=cycle.fences, period="2022-W14", value="100")
    submission = draft(cycle, fences="300")
    assert submit_report(submission=submission, user=cycle.reporter, version=1).status == (
        SubmissionStatus.SUBMITTED
    )


def test_a_correction_after_approval_is_the_reviewers_with_a_reason(cycle):
    submission = submit_report(submission=draft(cycle), user=cycle.reporter, version=1)
    submission = approve_report(submission=submission, user=cycle.reviewer, version=2)
    entries = {cycle.fences: ("350", "final")}
    with pytest.raises(PermissionDenied):
        correct_report(submission=submission, entries=entries, reason="x", user=cycle.reporter)
    with pytest.raises(ValidationError, match="phải ghi lý do"):
        correct_report(submission=submission, entries=entries, reason="", user=cycle.reviewer)
    correct_report(
        submission=submission,
        entries=entries,
        reason="Đo lại chiều dài hàng rào",
        user=cycle.reviewer,
        version=3,
    )
    fence = Result.objects.get(indicator=cycle.fences)
    assert (fence.value, fence.approved) == (Decimal(350), True)
    assert ResultChange.objects.filter(indicator=cycle.fences).latest("pk").reason == (
        "Đo lại chiều dài hàng rào"
    )
    assert Submission.objects.get().status == SubmissionStatus.APPROVED


def test_rights(cycle):
    with pytest.raises(PermissionDenied):
        save_report(
            form=cycle.form,
            unit=cycle.villages[0],
            period=WEEK,
            entries={cycle.fences: ("1", "final")},
            user=cycle.stranger_reporter,
        )
    submission = submit_report(submission=draft(cycle), user=cycle.reporter, version=1)
    with pytest.raises(PermissionDenied):
        approve_report(submission=submission, user=cycle.reporter, version=2)
    with pytest.raises(PermissionDenied):
        return_report(submission=submission, user=cycle.reporter, reason="x", version=2)


def test_only_the_forms_units_periods_and_indicators(cycle):
    other = OrgUnit.objects.get(code="hl-1")
    with pytest.raises(ValidationError, match="không báo cáo theo biểu"):
        save_report(form=cycle.form, unit=other, period=WEEK, entries={})
    with pytest.raises(ValidationError, match="không phải kỳ của biểu này"):
        save_report(
            form=cycle.form, unit=cycle.villages[0], period=parse_period("2022-04"), entries={}
        )
    from tests.factories import make_indicator

    stray = make_indicator("khac", unit="m", name="Chỉ tiêu khác")
    with pytest.raises(ValidationError, match="Không thuộc biểu mẫu: Chỉ tiêu khác"):
        save_report(
            form=cycle.form, unit=cycle.villages[0], period=WEEK, entries={stray: ("1", "final")}
        )


def test_on_time_is_measured_against_friday_17_in_vietnam(cycle, monkeypatch):
    from django.utils import timezone

    submission = draft(cycle)
    at = datetime(2022, 4, 15, 17, 0, tzinfo=VN)  # exactly the deadline
    monkeypatch.setattr(timezone, "now", lambda: at)
    sent = submit_report(submission=submission, user=cycle.reporter, version=1)
    assert sent.on_time is True
    second = save_report(
        form=cycle.form,
        unit=cycle.villages[1],
        period=WEEK,
        entries={cycle.fences: ("5", "final")},
    )[0]
    monkeypatch.setattr(timezone, "now", lambda: datetime(2022, 4, 15, 17, 0, 1, tzinfo=VN))
    assert submit_report(submission=second, version=1).on_time is False
