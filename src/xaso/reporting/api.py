"""API: reports (submissions) — list and read them, save a draft and send it.

A report is read by whoever reads its unit (filtered in the query; another id is 404);
saved and sent by a writer for its unit, through `save_report` and `submit_report`, the
sheet's own services. Warnings the sender must confirm come back as 422 with field
`confirm`; a report changed since the version sent is 409.
"""

import datetime as dt
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from xaso.api.errors import READ_ERRORS, WRITE_ERRORS, ApiError
from xaso.api.idempotency import once
from xaso.api.pagination import limit_query, page
from xaso.catalog.models import Indicator
from xaso.figures.models import ResultStatus
from xaso.figures.services import checked_period
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.reporting.models import ReportForm, Submission, SubmissionStatus
from xaso.reporting.services import (
    NeedsConfirmation,
    StaleSubmission,
    approve_report,
    return_report,
    save_report,
    submit_report,
)

router = Router(tags=["Báo cáo"])


class SubmissionOut(Schema):
    id: int
    form: str
    unit: str
    period: str
    status: str
    version: int
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    return_reason: str


class SubmissionPage(Schema):
    items: list[SubmissionOut]
    next: str | None


class ValueIn(Schema):
    indicator: str = Field(max_length=64)
    value: str = Field(max_length=100, description="Số như viết; để trống để xoá.")
    status: ResultStatus = ResultStatus.FINAL


class ReportIn(Schema):
    form: str = Field(max_length=64)
    unit: str = Field(max_length=64)
    period: str = Field(max_length=64)
    values: list[ValueIn] = Field(max_length=500)
    submit: bool = Field(False, description="Gửi báo cáo sau khi lưu.")
    version: int | None = Field(None, ge=0, description="Phiên bản bạn đã xem (tránh ghi đè).")
    confirm: bool = Field(False, description="Xác nhận các cảnh báo số liệu bất thường.")


class ReviewIn(Schema):
    action: Literal["approve", "return"]
    reason: str = Field("", max_length=500, description="Lý do trả lại (bắt buộc khi trả lại).")
    version: int | None = Field(None, ge=0, description="Phiên bản bạn đã xem.")


def submission_json(submission: Submission) -> dict:
    return {
        "id": submission.pk,
        "form": submission.form.code,
        "unit": submission.unit.code,
        "period": submission.period,
        "status": submission.status,
        "version": submission.version,
        "submitted_at": submission.submitted_at,
        "reviewed_at": submission.reviewed_at,
        "return_reason": submission.return_reason,
    }


def _readable(request):
    return Submission.objects.filter(policy.scope_q(request.auth, "unit__path")).select_related(
        "form", "unit"
    )


@router.get("/submissions/", response={200: SubmissionPage, **READ_ERRORS}, summary="Các báo cáo")
def list_submissions(
    request,
    unit: str | None = Query(None, max_length=64),
    form: str | None = Query(None, max_length=64),
    period: str | None = Query(None, max_length=64),
    status: SubmissionStatus | None = None,
    limit: int = limit_query(),
    cursor: str | None = Query(None, max_length=200),
):
    """Reports of the units the user reads, newest first."""
    submissions = _readable(request)
    if unit:
        submissions = submissions.filter(unit__code=unit)
    if form:
        submissions = submissions.filter(form__code=form)
    if period:
        submissions = submissions.filter(period=checked_period(period).code)
    if status:
        submissions = submissions.filter(status=status)
    return page(
        request, submissions, key="-id", limit=limit, cursor=cursor, serialize=submission_json
    )


@router.get(
    "/submissions/{submission_id}",
    response={200: SubmissionOut, **READ_ERRORS},
    summary="Một báo cáo",
)
def get_submission(request, submission_id: int):
    return submission_json(get_object_or_404(_readable(request), pk=submission_id))


@router.post("/reports", response={200: SubmissionOut, **WRITE_ERRORS}, summary="Lưu, gửi báo cáo")
def write_report(request, payload: ReportIn):
    """Save a unit's report on a form for a period (the values given), and send it when
    `submit`. All or nothing; a wrong value names its indicator."""

    def write():
        form = ReportForm.objects.filter(code=payload.form).first()
        if form is None:
            raise ApiError(422, f"Không có biểu mẫu mã «{payload.form}».", field="form",
                           code="validation")  # fmt: skip
        unit = OrgUnit.objects.filter(code=payload.unit).first()
        if unit is None:
            raise ApiError(422, f"Không có đơn vị mã «{payload.unit}».", field="unit",
                           code="validation")  # fmt: skip
        policy.require_record(request.auth, unit, what="báo cáo")
        codes = [value.indicator for value in payload.values]
        indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in indicators]
        if unknown:
            raise ApiError(422, f"Không có chỉ tiêu mã «{unknown[0]}».", field="values",
                           code="validation")  # fmt: skip
        entries = {indicators[v.indicator]: (v.value, v.status) for v in payload.values}
        try:
            submission, _ = save_report(
                form=form, unit=unit, period=checked_period(payload.period), entries=entries,
                user=request.auth, version=payload.version,
            )  # fmt: skip
            if payload.submit:
                submission = submit_report(
                    submission=submission, user=request.auth, version=submission.version,
                    confirm=payload.confirm,
                )  # fmt: skip
        except StaleSubmission as stale:
            raise ApiError(409, str(stale), field="version", code="conflict") from None
        except NeedsConfirmation as asked:
            message = f"{asked} " + " ".join(asked.warnings.values())
            raise ApiError(422, message, field="confirm", code="validation") from None
        return 200, SubmissionOut(**submission_json(submission)).model_dump(mode="json")

    return once(request, write)


@router.post(
    "/submissions/{submission_id}/review",
    response={200: SubmissionOut, **WRITE_ERRORS},
    summary="Duyệt hoặc trả lại một báo cáo",
)
def review_submission(request, submission_id: int, payload: ReviewIn):
    """Approve a sent report (its figures are then locked) or return it with a reason; only
    a manager of the form's reviewing unit may (`approve_report`, `return_report`)."""

    def write():
        submission = get_object_or_404(_readable(request), pk=submission_id)
        try:
            if payload.action == "approve":
                done = approve_report(
                    submission=submission, user=request.auth, version=payload.version
                )
            else:
                done = return_report(
                    submission=submission, reason=payload.reason, user=request.auth,
                    version=payload.version,
                )  # fmt: skip
        except StaleSubmission as stale:
            raise ApiError(409, str(stale), field="version", code="conflict") from None
        return 200, SubmissionOut(**submission_json(done)).model_dump(mode="json")

    return once(request, write)
