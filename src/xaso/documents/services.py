"""Upload a report, and import what was read from it — after an officer has reviewed it —
as a meeting with its results and targets. The import is all or nothing and records who
imported it and from which document."""

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xaso.catalog.models import Indicator
from xaso.documents.models import SourceDocument
from xaso.documents.selectors import can_read_document
from xaso.figures import subtotals
from xaso.figures.models import EntryChannel, ResultStatus, TargetSource
from xaso.figures.services import record_result, set_target
from xaso.meetings.models import Meeting
from xaso.meetings.services import AttendeeInput, DirectiveInput, meeting_record
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.periods import PeriodKind, parse_period
from xaso.reading import Extraction, ReadError, budget, read_text
from xaso.reading.furniture import strip_furniture
from xaso.reading.source import load_document
from xaso.vn.text import nfc
from xaso.vn.units import get_unit

MAX_UPLOAD = 5 * 1024 * 1024


@transaction.atomic
def document_upload(
    *,
    filename: str,
    data: bytes | None = None,
    pasted: str = "",
    user=None,
    unit: OrgUnit | None = None,
):
    """Keep an uploaded file (or pasted text) as clean text. ValidationError names the field.

    For a user: only someone who records figures somewhere uploads, and only for a unit
    they record for."""
    if user is not None:
        if not policy.can_write_anywhere(user):
            raise PermissionDenied("Tài khoản chỉ có quyền xem, không tải văn bản lên được.")
        if unit is not None:
            policy.require_record(user, unit, what="tải văn bản lên")
    if data is not None:
        if len(data) > MAX_UPLOAD:
            raise ValidationError({"file": "Tệp lớn hơn 5 MB."})
        try:
            text, warnings = load_document(data, filename)
        except ReadError as error:
            raise ValidationError({"file": f"{filename}: {error}"}) from None
    else:
        if len(pasted or "") > budget.MAX_TEXT:
            raise ValidationError({"pasted": budget.TOO_LONG})
        text, warnings = strip_furniture(nfc(pasted or "")).strip(), []
        if not text:
            raise ValidationError({"pasted": "Chưa có văn bản: hãy chọn tệp hoặc dán nội dung."})
        filename = filename or "Văn bản dán vào"
    return SourceDocument.objects.create(
        filename=filename[:300],
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        warnings=warnings,
        uploaded_by=user,
        unit=unit,
    )


def document_extraction(document: SourceDocument) -> Extraction:
    """Read again on demand: reading is fast and the reader may have improved since upload."""
    return read_text(document.text, source=document.filename, warnings=document.warnings)


RESULT, TARGET = "result", "target"


@dataclass
class FigureChoice:
    """One figure the officer kept, the indicator they matched it to, and — when the figure
    is a unit's below the host ("500 m hàng rào ở thôn 9") — that unit. A figure the officer
    kept as a target ("chỉ tiêu", a plan: `role` TARGET) becomes the unit's target from
    `source` (a TargetSource code) for the import's target period, never a result."""

    index: int  # position in extraction.figures
    indicator: Indicator
    estimated: bool
    unit: OrgUnit | None = None  # inside the host's subtree; None: the host's own figure
    role: str = RESULT
    source: str | None = None  # for a target; None: what the text says, else the year's plan


def suggested_target_period(period_code: str) -> str:
    """The period a plan read from a report is for: the reviewed span when the report covers
    one (a campaign's dates, a term "2020..2025"), else the reviewed period's year — a monthly
    report's "kế hoạch" is the year's plan."""
    period = parse_period(period_code)
    if period.kind in (PeriodKind.SPAN, PeriodKind.TERM, PeriodKind.YEAR):
        return period.code
    return str(period.year)


def _written(value: Decimal, unit_code: str | None) -> str:
    """A value and its unit as text, so the figure goes through the usual parse-and-convert."""
    number = format(value.normalize(), "f").replace(".", ",")
    return f"{number} {get_unit(unit_code).name}" if unit_code else number


@transaction.atomic
def document_import(
    *,
    document: SourceDocument,
    host: OrgUnit,
    meeting: dict,
    figures: list[FigureChoice],
    attendees: list[AttendeeInput],
    limitations: list[str],
    directives: list[str],
    user=None,
    target_period: str | None = None,
) -> Meeting:
    """Record the reviewed reading: the meeting (attendees, limitations, directives given to
    the host) and each chosen figure as the host's result for the meeting's period — or the
    result of the unit inside the host it was given to — with its plan as that unit's target
    for that year. A figure chosen as a target becomes a target for `target_period` (default:
    `suggested_target_period` of the meeting's). Everything or nothing; the document keeps
    what became of each figure.

    For a user: the uploader or a manager of the document's unit imports it; plans become
    targets only when the user manages the host, else they wait in `proposed_targets` for a
    manager to confirm (`document_confirm_targets`)."""
    document = SourceDocument.objects.select_for_update().get(pk=document.pk)
    if user is not None and not can_read_document(user, document):
        raise PermissionDenied("Chỉ người tải văn bản lên hoặc người quản lý đơn vị mới nhập được.")
    if document.imported:
        when = timezone.localtime(document.imported_at)
        raise ValidationError(
            {NON_FIELD_ERRORS: f"Văn bản này đã được nhập lúc {when:%H:%M %d/%m/%Y}."}
        )
    extraction = document_extraction(document)
    _check_units(figures, host, user, extraction)
    # One figure per indicator, unit and role: two would overwrite each other.
    by_indicator: dict[tuple[int, int, str], list[str]] = {}
    names: dict[tuple[int, int, str], str] = {}
    for choice in figures:
        unit = choice.unit or host
        key = (choice.indicator.pk, unit.pk, choice.role)
        by_indicator.setdefault(key, []).append(extraction.figures[choice.index].label)
        names[key] = choice.indicator.name + (f" ({unit.full_name})" if unit != host else "")
    twice = [
        f"{names[key]}: {', '.join(labels)}"
        for key, labels in by_indicator.items()
        if len(labels) > 1
    ]
    if twice:
        raise ValidationError(
            {NON_FIELD_ERRORS: [f"Nhiều số liệu cùng nhập vào một chỉ tiêu — {t}." for t in twice]}
        )
    period_code = meeting.get("period") or ""
    if figures and not period_code:
        raise ValidationError({"period": "Cần kỳ đánh giá để nhập số liệu."})
    recorded = meeting_record(
        host=host,
        attendees=attendees,
        limitations=limitations,
        directives=[DirectiveInput(text=text, assigned_to=[host]) for text in directives],
        source=f"Nhập từ văn bản: {document.filename}",
        user=user,
        channel="reading",
        **meeting,
    )
    period_code = recorded.period  # as typed in the review ("tháng 11/2022"), now its code
    targets_for = _target_period(figures, target_period, period_code)
    sets_targets = user is None or policy.can_manage(user, host)
    proposals: list[dict] = []
    errors: dict[str, list[str]] = {}
    imported: list[dict] = []
    with subtotals.deferred():  # the host's subtotals refreshed once, after all figures
        for choice in figures:
            figure = extraction.figures[choice.index]
            unit = choice.unit or host
            try:
                if choice.role == TARGET:
                    target = _target_of(choice, figure, targets_for, unit, host)
                    if sets_targets:
                        _set_target(unit, target, user, document)
                    else:
                        proposals.append(target)
                    imported.append(_imported(choice, figure, unit, targets_for, target["source"]))
                    continue
                record_result(
                    unit=unit,
                    indicator=choice.indicator,
                    period=period_code,
                    value=_written(figure.value, figure.unit),
                    status=ResultStatus.ESTIMATED if choice.estimated else ResultStatus.FINAL,
                    user=user,
                    channel=EntryChannel.IMPORT,
                    note=f"Từ văn bản: {document.filename}",
                )
                if figure.plan is not None:
                    target = {
                        "indicator": choice.indicator.pk,
                        "period": str(parse_period(period_code).year),
                        "source": figure.plan_source or "annual_plan",
                        "value": _written(figure.plan, figure.unit),
                    }
                    if unit != host:
                        target["unit"] = unit.pk
                    if sets_targets:
                        _set_target(unit, target, user, document)
                    else:
                        proposals.append(target)
                imported.append(_imported(choice, figure, unit, period_code))
            except ValidationError as error:
                messages = [m for ms in error.message_dict.values() for m in ms]
                errors[f"figure_{choice.index}"] = [f"{figure.label}: {m}" for m in messages]
        if errors:
            raise ValidationError(errors)  # the transaction rolls back the meeting too
    document.meeting = recorded
    document.unit = host
    document.proposed_targets = proposals
    document.imported_by = user
    document.imported_at = timezone.now()
    document.imported_figures = imported
    document.save(
        update_fields=[
            "meeting",
            "unit",
            "proposed_targets",
            "imported_by",
            "imported_at",
            "imported_figures",
        ]
    )
    return recorded


def _target_period(figures: list[FigureChoice], typed: str | None, period_code: str) -> str:
    """The period the chosen targets are for: as typed in the review, else suggested from the
    reviewed period. ValidationError (field target_period) when targets have none."""
    if not any(choice.role == TARGET for choice in figures):
        return ""
    if typed:
        try:
            return parse_period(typed).code
        except ValueError as error:
            raise ValidationError({"target_period": str(error)}) from None
    if not period_code:
        raise ValidationError({"target_period": "Cần kỳ của chỉ tiêu để nhập chỉ tiêu kế hoạch."})
    return suggested_target_period(period_code)


def _target_of(choice: FigureChoice, figure, period: str, unit: OrgUnit, host: OrgUnit) -> dict:
    """A figure kept as a target, in the shape `proposed_targets` keeps."""
    source = choice.source or figure.plan_source or TargetSource.ANNUAL_PLAN
    if source not in TargetSource.values:
        raise ValidationError({"source": f"Nguồn chỉ tiêu ‘{source}’ không hợp lệ."})
    target = {
        "indicator": choice.indicator.pk,
        "period": period,
        "source": source,
        "value": _written(figure.value, figure.unit),
    }
    if unit != host:
        target["unit"] = unit.pk
    return target


def _imported(choice: FigureChoice, figure, unit: OrgUnit, period: str, source=None) -> dict:
    """What the document keeps of one imported figure (see selectors.import_record)."""
    row = {
        "index": choice.index,
        "label": figure.label,
        "value": str(figure.value),
        "unit_text": figure.unit_text,
        "indicator": choice.indicator.pk,
        "unit": unit.pk,
        "period": period,
        "estimated": choice.estimated and choice.role == RESULT,
        "role": choice.role,
    }
    if source:
        row["source"] = source
    return row


def _check_units(figures: list[FigureChoice], host: OrgUnit, user, extraction) -> None:
    """A figure given to another unit goes to one inside the host's subtree that the user
    records for."""
    outside = {}
    for choice in figures:
        if choice.unit is None or choice.unit == host:
            continue
        if not choice.unit.path.startswith(host.path):
            label = extraction.figures[choice.index].label
            outside[f"unit_{choice.index}"] = [
                f"{label}: {choice.unit.full_name} không thuộc {host.full_name}."
            ]
        elif user is not None:
            policy.require_record(user, choice.unit)
    if outside:
        raise ValidationError(outside)


def _set_target(host: OrgUnit, target: dict, user, document: SourceDocument) -> None:
    set_target(
        unit=host,
        indicator=Indicator.objects.get(pk=target["indicator"]),
        period=target["period"],
        source=target["source"],
        value=target["value"],
        user=user,
        note=f"Từ văn bản: {document.filename}",
        channel="reading",
    )


@transaction.atomic
def document_confirm_targets(*, document: SourceDocument, user) -> int:
    """A manager of the host sets the plans an import proposed as its targets."""
    document = SourceDocument.objects.select_for_update().get(pk=document.pk)
    if document.unit is None:
        raise PermissionDenied("Văn bản chưa gắn với đơn vị nào: không có chỉ tiêu để xác nhận.")
    policy.require_manage(user, document.unit, what="xác nhận chỉ tiêu kế hoạch")
    if not document.proposed_targets:
        raise ValidationError({NON_FIELD_ERRORS: "Văn bản này không có chỉ tiêu chờ xác nhận."})
    for target in document.proposed_targets:
        unit = document.unit
        if "unit" in target:  # a figure of a unit inside the host's subtree
            unit = OrgUnit.objects.get(pk=target["unit"], path__startswith=document.unit.path)
        _set_target(unit, target, user, document)
    count = len(document.proposed_targets)
    document.proposed_targets = []
    document.targets_confirmed_by = user
    document.targets_confirmed_at = timezone.now()
    document.save(
        update_fields=["proposed_targets", "targets_confirmed_by", "targets_confirmed_at"]
    )
    return count
