"""Writes of targets and results: parse, convert to the indicator's unit, validate, audit.

Every way a figure enters xaso (web form, CLI, importers, demo) calls `record_result`.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from xaso.audit.models import Action, Entity
from xaso.audit.services import audit_record
from xaso.catalog.models import Indicator
from xaso.figures import subtotals
from xaso.figures.models import (
    EntryChannel,
    Result,
    ResultChange,
    ResultStatus,
    Target,
    TargetSource,
)
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.periods import Period, PeriodError, parse_period
from xaso.vn.numbers import NumberError
from xaso.vn.quantities import parse_quantity
from xaso.vn.text import nfc
from xaso.vn.units import UnitError, convert


def _period(period: Period | str, field: str = "period") -> Period:
    if isinstance(period, Period):
        return period
    try:
        return parse_period(period)
    except PeriodError as error:
        raise ValidationError({field: str(error)}) from None


def _period_fields(period: Period) -> dict:
    return {
        "period": period.code,
        "period_kind": str(period.kind),
        "period_start": period.start,
        "period_end": period.end,
    }


def to_indicator_unit(
    indicator: Indicator, value: Decimal | str, *, field: str = "value"
) -> Decimal:
    """Read a value as written ("1,8km", "15.511 triệu đồng", "3.750") in the indicator's unit.

    A bare number is taken to be in the indicator's unit already.
    """
    if isinstance(value, Decimal):
        amount = value
    else:
        try:
            quantity = parse_quantity(nfc(str(value)))
        except NumberError as error:
            raise ValidationError({field: str(error)}) from None
        amount = quantity.value
        if quantity.unit is not None and quantity.unit.code != indicator.unit:
            try:
                amount = convert(amount, quantity.unit.code, indicator.unit)
            except UnitError as error:
                raise ValidationError({field: str(error)}) from None
    if amount < 0:
        raise ValidationError({field: "Không được nhập số âm."})
    if amount.normalize().as_tuple().exponent < -6 or abs(amount) >= Decimal(10) ** 18:
        raise ValidationError({field: "Số quá lớn hoặc quá nhiều chữ số thập phân."})
    return amount


def _figure_of(unit: OrgUnit, indicator: Indicator, period: Period) -> Q:
    """One unit's figure, as the (period, unit_depth, unit_path, indicator) index finds it."""
    return Q(period=period.code, unit_depth=unit.depth, unit_path=unit.path, indicator=indicator)


def _changed(unit: OrgUnit, indicator: Indicator, period: Period) -> None:
    """Refresh the subtotals above the figure now, or at the end of the caller's batch."""
    with subtotals.deferred() as pending:
        pending.add(unit.path, period.code, indicator.pk, leaf=not unit.numchild)


def record_result(
    *,
    unit: OrgUnit,
    indicator: Indicator,
    period: Period | str,
    value: Decimal | str,
    status: str = ResultStatus.FINAL,
    user=None,
    channel: str = EntryChannel.FORM,
    note: str = "",
) -> Result:
    """Record (or correct) a unit's result for an indicator and period, with an audit entry."""
    period = _period(period)
    amount = to_indicator_unit(indicator, value)
    if status not in ResultStatus.values:
        raise ValidationError({"status": f"Tình trạng ‘{status}’ không hợp lệ."})
    written_as = "" if isinstance(value, Decimal) else nfc(str(value)).strip()[:100]
    return _write_result(unit, indicator, period, amount, status, user, channel, note, written_as)


# Checked input only, so no savepoint: inside a caller's transaction (a sheet, an import)
# a failure here fails the whole of it anyway, and the savepoints cost two queries a value.
@transaction.atomic(savepoint=False)
def _write_result(unit, indicator, period, amount, status, user, channel, note, written_as):
    now = timezone.now()
    existing = (
        Result.objects.select_for_update().filter(_figure_of(unit, indicator, period)).first()
    )
    if existing is not None and existing.value == amount and existing.status == status:
        return existing

    if existing is None:
        result = Result.objects.create(
            unit=unit,
            unit_path=unit.path,
            unit_depth=unit.depth,
            indicator=indicator,
            value=amount,
            status=status,
            entered_by=user,
            entered_at=now,
            channel=channel,
            note=nfc(note),
            **_period_fields(period),
        )
        old_value, old_status = None, ""
    else:
        result = existing
        old_value, old_status = existing.value, existing.status
        result.value, result.status = amount, status
        result.entered_by, result.entered_at, result.channel = user, now, channel
        if note:
            result.note = nfc(note)
        result.save()
    _changed(unit, indicator, period)

    ResultChange.objects.create(
        unit=unit,
        indicator=indicator,
        period=period.code,
        old_value=old_value,
        new_value=amount,
        old_status=old_status,
        new_status=status,
        written_as=written_as,
        changed_by=user,
        changed_at=now,
        channel=channel,
    )
    return result


@transaction.atomic
def delete_result(
    *,
    unit: OrgUnit,
    indicator: Indicator,
    period: Period | str,
    user=None,
    channel=EntryChannel.FORM,
) -> bool:
    """Remove a unit's own result; what lies below it counts again in roll-ups."""
    period = _period(period)
    result = Result.objects.select_for_update().filter(_figure_of(unit, indicator, period)).first()
    if result is None:
        return False
    result.delete()
    _changed(unit, indicator, period)
    ResultChange.objects.create(
        unit=unit,
        indicator=indicator,
        period=period.code,
        old_value=result.value,
        new_value=None,
        old_status=result.status,
        new_status="",
        changed_by=user,
        changed_at=timezone.now(),
        channel=channel,
    )
    return True


@transaction.atomic
def set_target(
    *,
    unit: OrgUnit,
    indicator: Indicator,
    period: Period | str,
    source: str,
    value: Decimal | str,
    user=None,
    note: str = "",
    channel: str = EntryChannel.FORM,
    reason: str = "",
) -> Target:
    """Set (or change) the target one source gives a unit for an indicator and period.

    A user must manage the unit or one above it (`user=None` is the system: loaders, demo).
    A change of value or note is audited; setting the same target again changes nothing.
    """
    period = _period(period)
    if source not in TargetSource.values:
        raise ValidationError({"source": f"Nguồn chỉ tiêu ‘{source}’ không hợp lệ."})
    if user is not None:
        policy.require_manage(user, unit)
    amount = to_indicator_unit(indicator, value)
    note = nfc(note)
    key = {"unit": unit, "indicator": indicator, "period": period.code, "source": source}
    target = Target.objects.select_for_update().filter(**key).first()
    if target is not None and target.value == amount and target.note == note:
        return target
    old = None
    if target is None:
        target = Target(**key)
    else:
        old = {"source": source, "value": target.value, "note": target.note}
    for field, field_value in _period_fields(period).items():
        setattr(target, field, field_value)
    target.value, target.note, target.set_by = amount, note, user
    target.save()
    audit_record(
        entity=Entity.TARGET,
        object_id=target.pk,
        unit=unit,
        indicator=indicator,
        period=period.code,
        action=Action.CREATE if old is None else Action.UPDATE,
        old=old,
        new={"source": source, "value": amount, "note": note},
        user=user,
        channel=channel,
        reason=reason,
    )
    return target


@transaction.atomic
def delete_target(
    *,
    unit: OrgUnit,
    indicator: Indicator,
    period: Period | str,
    source: str,
    user=None,
    channel: str = EntryChannel.FORM,
    reason: str = "",
) -> bool:
    """Remove the target one source gave a unit (audited); False if there was none."""
    period = _period(period)
    if user is not None:
        policy.require_manage(user, unit, what="xoá chỉ tiêu")
    target = (
        Target.objects.select_for_update()
        .filter(unit=unit, indicator=indicator, period=period.code, source=source)
        .first()
    )
    if target is None:
        return False
    object_id = target.pk
    target.delete()
    audit_record(
        entity=Entity.TARGET,
        object_id=object_id,
        unit=unit,
        indicator=indicator,
        period=period.code,
        action=Action.DELETE,
        old={"source": source, "value": target.value, "note": target.note},
        new=None,
        user=user,
        channel=channel,
        reason=reason,
    )
    return True


@transaction.atomic
def enter_unit_figures(
    *,
    unit: OrgUnit,
    period: Period | str,
    entries: dict[Indicator, tuple[str, str]],
    user=None,
    channel: str = EntryChannel.FORM,
) -> int:
    """Save a data-entry sheet: {indicator: (value as typed, status)} for one unit and period.

    All or nothing: every value is read first; if any is wrong, a ValidationError keyed by
    indicator code says what and nothing is saved. An emptied value removes the unit's own
    figure. Returns how many figures changed.
    """
    period = _period(period)
    errors: dict[str, str] = {}
    parsed: dict[Indicator, tuple[Decimal | None, str]] = {}
    for indicator, (text, status) in entries.items():
        text = nfc(text or "").strip()
        if status not in ResultStatus.values:
            errors[indicator.code] = f"Tình trạng ‘{status}’ không hợp lệ."
            continue
        if not text:
            parsed[indicator] = (None, status)
            continue
        try:
            parsed[indicator] = (to_indicator_unit(indicator, text), status)
        except ValidationError as error:
            errors[indicator.code] = " ".join(error.message_dict["value"])
    if errors:
        raise ValidationError(errors)
    existing = {
        r.indicator_id: r
        for r in Result.objects.filter(
            unit_path=unit.path,
            unit_depth=unit.depth,
            period=period.code,
            indicator__in=list(parsed),
        )
    }
    changed = 0
    with subtotals.deferred():  # one refresh of the unit and its ancestors for the sheet
        for indicator, (amount, status) in parsed.items():
            current = existing.get(indicator.pk)
            if amount is None:
                if current is not None:
                    delete_result(
                        unit=unit, indicator=indicator, period=period, user=user, channel=channel
                    )
                    changed += 1
                continue
            if current is not None and current.value == amount and current.status == status:
                continue
            record_result(
                unit=unit,
                indicator=indicator,
                period=period,
                value=entries[indicator][0],
                status=status,
                user=user,
                channel=channel,
            )
            changed += 1
    return changed
