"""Handing a target down the tree (giao chỉ tiêu): to a unit's children or to its
descendants of one kind, equally, in proportion to a base figure of each (households,
population, area: any indicator), by last year's shares, or by hand (a table, a file).

Shares of a count are whole and add up exactly (`shares.split`). A difference between the
shares' sum and the target is kept only when the manager confirms it, and stays visible
(`Allocation.confirmed_difference`). Every share is a target of its unit (same indicator,
period and source) linked to the parent's by `allocated_from`, written by `set_target`
(audited); the allocation itself is audited too. A unit that was given a share can hand it
down further in the same way.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from xaso.audit.models import Action, Entity
from xaso.audit.services import audit_record
from xaso.catalog.models import Indicator, Rollup
from xaso.figures.models import Allocation, AllocationMethod, EntryChannel, Target
from xaso.figures.services import set_target, to_indicator_unit
from xaso.figures.shares import SplitError, quantum_for, split
from xaso.figures.subtotals import standings, unit_at
from xaso.org import policy
from xaso.org.models import OrgUnit, UnitKind
from xaso.org.selectors import children
from xaso.periods import Period, PeriodError, PeriodKind, parse_period
from xaso.vn.numbers import format_number


@dataclass(frozen=True)
class Share:
    unit: OrgUnit
    value: Decimal
    base: Decimal | None = None  # what it was split by: a base figure or last year's share
    current: Decimal | None = None  # the unit's target from this source before


@dataclass(frozen=True)
class AllocationPlan:
    target: Target
    method: str
    shares: list[Share]
    base_indicator: Indicator | None = None
    to_kind: str = ""

    @property
    def summable(self) -> bool:
        """Shares of a sum add up to the target; a rate or average is given to each whole."""
        return self.target.indicator.rollup == Rollup.SUM

    @property
    def total(self) -> Decimal:
        return sum((share.value for share in self.shares), Decimal(0))

    @property
    def difference(self) -> Decimal:
        return self.total - self.target.value if self.summable else Decimal(0)


class AllocationRowsError(ValidationError):
    """Some rows of an allocation table are wrong: (row label, message) each; nothing saved."""

    def __init__(self, rows: list[tuple[str, str]]):
        self.rows = rows
        super().__init__([f"{label}: {message}" for label, message in rows])


def recipients(unit: OrgUnit, to_kind: str = "") -> list[OrgUnit]:
    """The units a target is handed to: the children, or every descendant of one kind."""
    if not to_kind:
        found = list(children(unit))
    else:
        if to_kind not in UnitKind.values:
            raise ValidationError({"to_kind": f"Loại đơn vị ‘{to_kind}’ không có."})
        found = list(
            OrgUnit.objects.filter(path__startswith=unit.path, kind=to_kind)
            .exclude(pk=unit.pk)
            .order_by("path")
        )
    if not found:
        kind = f" loại {UnitKind(to_kind).label}" if to_kind else ""
        raise ValidationError({"to_kind": f"{unit.full_name} không có đơn vị cấp dưới{kind}."})
    return found


def _year_before(period: Period) -> Period:
    """The same period a year earlier: 2022 → 2021, 2022-H1 → 2021-H1, 2022-11 → 2021-11."""
    if period.kind in (PeriodKind.TERM, PeriodKind.SPAN, PeriodKind.WEEK):
        raise ValidationError({"method": f"Kỳ {period.label} không có kỳ năm trước để lấy tỷ lệ."})
    try:
        return parse_period(f"{period.start.year - 1}{period.code[4:]}")
    except PeriodError as error:
        raise ValidationError({"method": str(error)}) from None


def _base_figures(units: list[OrgUnit], indicator: Indicator, period: Period) -> dict:
    """Each unit's standing for the base indicator in the period (its own figure or the
    roll-up of those below it), by unit path."""
    found = standings([unit_at(unit.path) for unit in units], [period.code], [indicator.pk])
    figures = {}
    for (path, _), standing in found.items():
        figure = standing.figure(str(indicator.rollup))
        if figure is not None:
            figures[path] = figure.value
    return figures


def _last_year_shares(units: list[OrgUnit], target: Target) -> dict:
    period = _year_before(target.as_period)
    rows = Target.objects.filter(unit__in=units, indicator=target.indicator, period=period.code)
    found: dict[int, Decimal] = {}
    for row in sorted(rows, key=lambda row: row.source != target.source):
        found.setdefault(row.unit_id, row.value)  # the same source first, else any
    return {unit.path: found[unit.pk] for unit in units if unit.pk in found}, period


def _weights_or_errors(units, weights: dict, what: str) -> list[Decimal]:
    missing = [(unit.full_name, f"chưa có {what}.") for unit in units if unit.path not in weights]
    if missing:
        raise AllocationRowsError(missing)
    return [weights[unit.path] for unit in units]


def _typed_values(
    units: list[OrgUnit], indicator: Indicator, values: dict
) -> tuple[list[OrgUnit], list[Decimal]]:
    """The units given a value (a blank row gives none: that unit is not handed a share) and
    the values read in the indicator's unit; every bad row named."""
    by_code = {unit.code: unit for unit in units}
    errors = [
        (code, "không phải đơn vị nhận phân bổ của đơn vị này.")
        for code in values
        if code not in by_code
    ]
    given, amounts = [], []
    for unit in units:
        text = str(values.get(unit.code, "")).strip()
        if not text:
            continue
        try:
            amounts.append(to_indicator_unit(indicator, text))
            given.append(unit)
        except ValidationError as error:
            errors.append((unit.full_name, " ".join(error.messages)))
    if errors:
        raise AllocationRowsError(errors)
    if not given:
        raise ValidationError({"shares": "Chưa nhập phần giao cho đơn vị nào."})
    return given, amounts


def propose(
    target: Target,
    method: str,
    *,
    base_indicator: Indicator | None = None,
    to_kind: str = "",
    values: dict[str, str] | None = None,
) -> AllocationPlan:
    """The shares an allocation would give, written nowhere."""
    if method not in AllocationMethod.values:
        raise ValidationError({"method": f"Cách phân bổ ‘{method}’ không có."})
    units = recipients(target.unit, to_kind)
    indicator = target.indicator
    summable = indicator.rollup == Rollup.SUM
    bases: list[Decimal | None] = [None] * len(units)
    if method in (AllocationMethod.HAND, AllocationMethod.FILE):
        units, amounts = _typed_values(units, indicator, values or {})
        bases = [None] * len(units)
    elif not summable:
        if method != AllocationMethod.EQUAL:
            raise ValidationError(
                {
                    "method": f"{indicator.name} là chỉ tiêu {indicator.get_rollup_display()}: "
                    "mỗi đơn vị nhận cùng mức chỉ tiêu, không chia theo tỷ lệ."
                }
            )
        amounts = [target.value] * len(units)
    else:
        if method == AllocationMethod.EQUAL:
            bases = [Decimal(1)] * len(units)
        elif method == AllocationMethod.BASE:
            if base_indicator is None:
                raise ValidationError({"base": "Hãy chọn số liệu gốc để chia (ví dụ: số hộ)."})
            period = target.as_period
            figures = _base_figures(units, base_indicator, period)
            what = f"số liệu {base_indicator.name} {period.label}"
            year = parse_period(str(period.start.year))
            if len(figures) < len(units) and year.contains(period) and year != period:
                # A base such as households is counted once a year: a month's or a
                # campaign's target is split by the year's figures.
                figures = figures or _base_figures(units, base_indicator, year)
                what = f"số liệu {base_indicator.name} {period.label} hoặc {year.label}"
            bases = _weights_or_errors(units, figures, what)
        else:  # last year's shares
            shares, period = _last_year_shares(units, target)
            bases = _weights_or_errors(units, shares, f"chỉ tiêu {period.label}")
        try:
            quantum = quantum_for(target.value, whole=indicator.whole_numbers)
            amounts = split(target.value, bases, quantum)
        except SplitError as error:
            raise ValidationError({"method": str(error)}) from None
        if method == AllocationMethod.EQUAL:
            bases = [None] * len(units)
    current = {
        row.unit_id: row.value
        for row in Target.objects.filter(
            unit__in=units, indicator=indicator, period=target.period, source=target.source
        )
    }
    shares = [
        Share(unit, amount, base, current.get(unit.pk))
        for unit, amount, base in zip(units, amounts, bases, strict=True)
    ]
    return AllocationPlan(target, method, shares, base_indicator, to_kind)


def difference_message(plan: AllocationPlan) -> str:
    unit = plan.target.indicator.unit_name
    return (
        f"Tổng các phần phân bổ {format_number(plan.total)} {unit} khác chỉ tiêu "
        f"{format_number(plan.target.value)} {unit} (chênh {format_number(plan.difference)})."
    )


@transaction.atomic
def allocate(
    *,
    target: Target,
    method: str,
    user=None,
    base_indicator: Indicator | None = None,
    to_kind: str = "",
    values: dict[str, str] | None = None,
    confirm_difference: bool = False,
    channel: str = EntryChannel.FORM,
    dry_run: bool = False,
) -> AllocationPlan:
    """Hand `target` down: compute the shares and (unless `dry_run`) write them as the
    recipients' targets. Only a manager of the target's unit (or above) may; the shares'
    sum must equal the target unless `confirm_difference`. All or nothing."""
    if user is not None:
        policy.require_manage(user, target.unit, what="phân bổ chỉ tiêu")
    target = (
        Target.objects.select_for_update().select_related("unit", "indicator").get(pk=target.pk)
    )
    plan = propose(target, method, base_indicator=base_indicator, to_kind=to_kind, values=values)
    if dry_run:
        return plan
    if plan.difference and not confirm_difference:
        raise ValidationError(
            {"shares": difference_message(plan) + " Hãy sửa, hoặc xác nhận giữ chênh lệch."}
        )
    reason = f"Phân bổ từ chỉ tiêu của {target.unit.full_name}"
    kept = {share.unit.pk for share in plan.shares}
    stale_shares = list(target.shares.exclude(unit_id__in=kept).select_related("unit"))
    if not stale_shares and _unchanged(plan):
        return plan  # the same allocation again (a repeated submit): nothing to write
    for stale in stale_shares:
        stale_id = stale.pk
        try:
            stale.delete()
        except ProtectedError:
            raise ValidationError(
                {
                    "shares": f"{stale.unit.full_name} đã phân bổ tiếp phần được giao; hãy "
                    "bỏ phân bổ đó trước khi thôi giao cho đơn vị này."
                }
            ) from None
        audit_record(
            entity=Entity.TARGET,
            object_id=stale_id,
            unit=stale.unit,
            indicator=target.indicator,
            period=target.period,
            action=Action.DELETE,
            old={"source": stale.source, "value": stale.value, "allocated_from": target.pk},
            new=None,
            user=user,
            channel=channel,
            reason=reason,
        )
    for share in plan.shares:
        set_target(
            unit=share.unit,
            indicator=target.indicator,
            period=target.as_period,
            source=target.source,
            value=share.value,
            user=user,
            channel=channel,
            reason=reason,
            allocated_from=target,
        )
    _record_allocation(plan, user, channel)
    return plan


def _unchanged(plan: AllocationPlan) -> bool:
    allocation = Allocation.objects.filter(target=plan.target).first()
    return (
        allocation is not None
        and (allocation.method, allocation.base_indicator, allocation.to_kind)
        == (plan.method, plan.base_indicator, plan.to_kind)
        and allocation.confirmed_difference == (plan.difference or None)
        and all(share.current == share.value for share in plan.shares)
        and plan.target.shares.count() == len(plan.shares)
    )


def _record_allocation(plan: AllocationPlan, user, channel: str) -> None:
    state = {
        "method": plan.method,
        "base_indicator": plan.base_indicator.code if plan.base_indicator else None,
        "to_kind": plan.to_kind,
        "shares": {share.unit.code: share.value for share in plan.shares},
        "confirmed_difference": plan.difference or None,
    }
    allocation = Allocation.objects.filter(target=plan.target).first()
    action = Action.CREATE if allocation is None else Action.UPDATE
    allocation = allocation or Allocation(target=plan.target)
    allocation.method = plan.method
    allocation.base_indicator = plan.base_indicator
    allocation.to_kind = plan.to_kind
    allocation.confirmed_difference = plan.difference or None
    allocation.allocated_by = user
    allocation.save()
    audit_record(
        entity=Entity.ALLOCATION,
        object_id=allocation.pk,
        unit=plan.target.unit,
        indicator=plan.target.indicator,
        period=plan.target.period,
        action=action,
        old=None,
        new=state,
        user=user,
        channel=channel,
    )
