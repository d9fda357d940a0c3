"""API: a unit's figures (rolled up; for a period before the unit existed, its predecessors'
marked as `xaso show --json` marks them, `figures.lineage_json`) and targets; writing a
result, a batch, a target.

Every write goes through the same service as the web form: `record_result`, `set_target`,
and for a batch `exchange.values.import_values` (all or nothing, row-by-row report). Writes
take an Idempotency-Key (xaso.api.idempotency).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema

from xaso.api.errors import READ_ERRORS, WRITE_ERRORS
from xaso.api.idempotency import once
from xaso.api.numbers import plain
from xaso.api.pagination import limit_query, page
from xaso.catalog.models import Indicator
from xaso.catalog.selectors import active_indicators
from xaso.exchange.values import ValueRow, import_values
from xaso.figures import over_time
from xaso.figures.lineage import predecessors, targets_through_lineage, through_lineage
from xaso.figures.lineage_json import figure_via_json, plan_via_json
from xaso.figures.models import EntryChannel, ResultStatus, Target, TargetSource
from xaso.figures.selectors import rollup
from xaso.figures.services import Seen, checked_period, record_result, set_target
from xaso.org import policy
from xaso.org.api import readable_unit
from xaso.org.models import OrgUnit

router = Router(tags=["Số liệu"])

MAX_BATCH = 5000  # rows in one API batch; a bigger one is a file import


class LineageSourceOut(Schema):
    unit: str
    code: str
    share: Decimal = Field(description="Phần của đơn vị cũ nhập vào đơn vị này (1: cả đơn vị).")
    result: Decimal | None = Field(description="Số liệu của đơn vị cũ (null: không có).")


class FigureOut(Schema):
    indicator: str
    value: Decimal
    estimated: bool
    own: bool = Field(description="Nhập tại chính đơn vị (không phải tổng hợp từ cấp dưới).")
    reporting: int = Field(description="Số đơn vị có số liệu góp vào.")
    via_lineage: bool = Field(
        False,
        description="Kỳ trước khi đơn vị được thành lập: tính từ số liệu các đơn vị cũ "
        "(sáp nhập, chia tách năm 2025), không phải số đã nhập cho đơn vị này. Chỉ có "
        "(cùng lineage, sources) ở số liệu như vậy.",
    )
    lineage: str | None = Field(None, description="Tính từ đâu, vd. “tính từ 2 xã cũ: …”.")
    sources: list[LineageSourceOut] | None = Field(None, description="Các đơn vị cũ.")


class ChildFigures(Schema):
    unit: str
    figures: list[FigureOut]


class UnitFiguresOut(Schema):
    unit: str
    period: str
    period_label: str
    figures: list[FigureOut]
    children: list[ChildFigures]


class LineagePlanSourceOut(Schema):
    unit: str
    code: str
    share: Decimal = Field(description="Phần của đơn vị cũ nhập vào đơn vị này (1: cả đơn vị).")
    value: Decimal | None = Field(description="Chỉ tiêu của đơn vị cũ (null: không có).")


class TargetOut(Schema):
    id: int | None = Field(description="null: tính từ các đơn vị cũ, không lưu.")
    unit: str
    indicator: str
    period: str
    source: str
    value: Decimal
    original_value: Decimal | None
    note: str
    via_lineage: bool = Field(
        False,
        description="Kỳ trước khi đơn vị được thành lập: tính từ chỉ tiêu các đơn vị cũ "
        "cùng kỳ, cùng nguồn. Chỉ có (cùng lineage, sources) ở chỉ tiêu như vậy.",
    )
    lineage: str | None = Field(None, description="Tính từ đâu, vd. “tính từ 2 xã cũ: …”.")
    sources: list[LineagePlanSourceOut] | None = Field(None, description="Các đơn vị cũ.")


class TargetPage(Schema):
    items: list[TargetOut]
    next: str | None


class ResultIn(Schema):
    unit: str = Field(max_length=64)
    indicator: str = Field(max_length=64)
    period: str = Field(max_length=64)
    value: str = Field(max_length=100, description="Số như viết: 3.750,5 hoặc '1,8 km'.")
    status: ResultStatus = ResultStatus.FINAL
    note: str = Field("", max_length=300)
    seen: Decimal | None = Field(None, description="Giá trị bạn thấy trước khi sửa (tránh ghi đè).")
    correction: str = Field("", max_length=300, description="Lý do điều chỉnh số đã duyệt.")


class ResultOut(Schema):
    unit: str
    indicator: str
    period: str
    value: Decimal
    status: str


class BatchRow(Schema):
    unit: str = Field(max_length=64)
    indicator: str = Field(max_length=64)
    period: str = Field(max_length=64)
    value: str = Field(max_length=100)
    status: ResultStatus = ResultStatus.FINAL


class BatchIn(Schema):
    rows: list[BatchRow] = Field(max_length=MAX_BATCH)
    dry_run: bool = False


class RowErrorOut(Schema):
    row: int | str
    field: str
    message: str


class BatchOut(Schema):
    rows: int
    stored: int
    unchanged: int
    errors: list[RowErrorOut]
    dry_run: bool


class TargetIn(Schema):
    unit: str = Field(max_length=64)
    indicator: str = Field(max_length=64)
    period: str = Field(max_length=64)
    source: TargetSource
    value: str = Field(max_length=100)
    note: str = Field("", max_length=300)
    seen: Decimal | None = Field(None, description="Chỉ tiêu bạn thấy trước khi sửa.")


def _figures(figures: dict, codes: dict[int, str], via: dict | None = None) -> list[dict]:
    """The figures by indicator code; those of `via` (by indicator id: computed through
    lineage) marked with their sources, as `xaso show --json` marks them."""
    via = via or {}
    return [
        {"indicator": codes[pk], "value": plain(f.value), "estimated": f.estimated, "own": f.own,
         "reporting": f.reporting,
         **(figure_via_json(via[pk], plain) if pk in via else {})}
        for pk, f in sorted(figures.items(), key=lambda item: codes[item[0]])
        if pk in codes
    ]  # fmt: skip


def _through_lineage(unit: OrgUnit, period, indicators, figures: dict) -> dict:
    """For a period before the unit existed: by indicator id, its predecessors' figure where
    the unit has none of its own (as the unit page and `xaso show` answer)."""
    found = through_lineage(unit, over_time.single(period), indicators)
    return {
        pk: via
        for pk, via in found.items()
        if pk not in figures and via.figure is not None  # "none" over several: no figure
    }


@router.get(
    "/units/{code}/figures",
    response={200: UnitFiguresOut, **READ_ERRORS},
    summary="Số liệu của một đơn vị và các đơn vị trực thuộc",
    exclude_unset=True,  # via_lineage, lineage, sources only on a figure through lineage
)
def unit_figures(request, code: str, period: str = Query(..., max_length=64)):
    """The unit's figure for each active indicator in `period` — its own, else rolled up
    from below — and each child's. For a period before the unit existed (today's communes
    began on 01/07/2025), its figures are computed from its predecessors' (`via_lineage`,
    `lineage`, `sources`, as `xaso show --json` gives them); nothing is stored."""
    unit = readable_unit(request, code)
    when = checked_period(period)
    indicators = list(active_indicators())
    codes = {indicator.pk: indicator.code for indicator in indicators}
    found = rollup(unit, when, indicators)
    via = _through_lineage(unit, when, indicators, found.figures)
    figures = {**found.figures, **{pk: line.figure for pk, line in via.items()}}
    child_codes = dict(
        OrgUnit.objects.filter(path__in=list(found.child_figures)).values_list("path", "code")
    )
    children = [
        {"unit": child_codes[path], "figures": _figures(figures, codes)}
        for path, figures in sorted(found.child_figures.items())
        if path in child_codes
    ]
    return {
        "unit": unit.code,
        "period": when.code,
        "period_label": when.label,
        "figures": _figures(figures, codes, via),
        "children": children,
    }


def target_json(target: Target) -> dict:
    return {
        "id": target.pk,
        "unit": target.unit.code,
        "indicator": target.indicator.code,
        "period": target.period,
        "source": target.source,
        "value": plain(target.value),
        "original_value": plain(target.original_value),
        "note": target.note,
    }


@router.get(
    "/units/{code}/targets",
    response={200: TargetPage, **READ_ERRORS},
    summary="Chỉ tiêu kế hoạch của một đơn vị",
    exclude_unset=True,  # via_lineage, lineage, sources only on a target through lineage
)
def unit_targets(
    request,
    code: str,
    period: str | None = Query(None, max_length=64, description="Chỉ chỉ tiêu của kỳ này."),
    limit: int = limit_query(),
    cursor: str | None = Query(None, max_length=200),
):
    """The unit's targets, oldest recorded first. For a `period` before the unit existed,
    where it has none of its own for an indicator, its predecessors' targets of that period
    and source combined (`via_lineage`, `lineage`, `sources`; `id` null: nothing stored),
    as the unit page and `xaso show` give them."""
    unit = readable_unit(request, code)
    targets = Target.objects.filter(unit=unit).select_related("unit", "indicator")
    if period:
        when = checked_period(period)
        targets = targets.filter(period=when.code)
        if predecessors(unit, when):
            return _with_lineage(unit, when, list(targets.order_by("id")))
    return page(request, targets, key="id", limit=limit, cursor=cursor, serialize=target_json)


def _with_lineage(unit: OrgUnit, when, own: list[Target]) -> dict:
    """The unit's own targets of the period, then those computed from its predecessors for
    the indicators it has none of its own for (one page: a few per indicator)."""
    indicators = list(active_indicators())
    mine = {target.indicator_id for target in own}
    found = targets_through_lineage(unit, over_time.single(when), indicators)
    computed = [
        {**target_json(target), **plan_via_json(via, plain)}
        for pk, plans in sorted(found.items(), key=lambda item: item[1][0][0].indicator.code)
        if pk not in mine
        for target, via in plans
        if target.period == when.code
    ]
    return {"items": [target_json(target) for target in own] + computed, "next": None}


def _unit_and_indicator(unit_code: str, indicator_code: str) -> tuple[OrgUnit, Indicator]:
    unit = OrgUnit.objects.filter(code=unit_code).first()
    if unit is None:
        raise ValidationError({"unit": f"Không có đơn vị mã «{unit_code}»."})
    indicator = Indicator.objects.filter(code=indicator_code).first()
    if indicator is None:
        raise ValidationError({"indicator": f"Không có chỉ tiêu mã «{indicator_code}»."})
    return unit, indicator


@router.post(
    "/results",
    response={200: ResultOut, **WRITE_ERRORS},
    summary="Ghi một số liệu",
)
def write_result(request, payload: ResultIn):
    """Record (or correct) one unit's result; the same value sent again changes nothing.
    With `seen`, a figure someone changed since is not overwritten (409)."""

    def write():
        unit, indicator = _unit_and_indicator(payload.unit, payload.indicator)
        policy.require_record(request.auth, unit)
        seen = None if payload.seen is None else Seen(payload.seen, payload.status)
        result = record_result(
            unit=unit, indicator=indicator, period=payload.period, value=payload.value,
            status=payload.status, user=request.auth, channel=EntryChannel.API,
            note=payload.note, seen=seen, correction=payload.correction,
        )  # fmt: skip
        body = {"unit": unit.code, "indicator": indicator.code, "period": result.period,
                "value": plain(result.value), "status": result.status}  # fmt: skip
        return 200, ResultOut(**body).model_dump(mode="json")

    return once(request, write)


@router.post(
    "/results/batch",
    response={200: BatchOut, **WRITE_ERRORS},
    summary="Ghi nhiều số liệu (tất cả hoặc không)",
)
def write_batch(request, payload: BatchIn):
    """All rows or none: a single wrong row stores nothing and the report names each wrong
    row, its field and the problem (`errors`, the answer still 200). `dry_run` checks
    without storing."""

    def write():
        rows = [
            ValueRow(row=n, unit=r.unit, indicator=r.indicator, period=r.period,
                     value=r.value, status=r.status)
            for n, r in enumerate(payload.rows, start=1)
        ]  # fmt: skip
        report = import_values(
            rows, user=request.auth, channel=EntryChannel.API, dry_run=payload.dry_run
        )
        return 200, report.to_json()

    return once(request, write)


@router.post(
    "/targets",
    response={200: TargetOut, **WRITE_ERRORS},
    summary="Đặt chỉ tiêu kế hoạch",
)
def write_target(request, payload: TargetIn):
    """Set (or change) the target one source gives a unit; only a manager of the unit or of
    a unit above may. With `seen`, a target changed since is not overwritten (409)."""

    def write():
        unit, indicator = _unit_and_indicator(payload.unit, payload.indicator)
        policy.require_read(request.auth, unit)
        seen = None if "seen" not in payload.model_fields_set else Seen(payload.seen)
        target = set_target(
            unit=unit, indicator=indicator, period=payload.period, source=payload.source,
            value=payload.value, user=request.auth, note=payload.note,
            channel=EntryChannel.API, seen=seen,
        )  # fmt: skip
        return 200, TargetOut(**target_json(target)).model_dump(mode="json")

    return once(request, write)
