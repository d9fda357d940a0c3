"""Writes of targets and results: parse, convert to the indicator's unit, validate, audit.

Every way a figure enters xaso (web form, CLI, importers, demo) calls `record_result`.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
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


@dataclass(frozen=True)
class Seen:
    """What a writer saw of a figure before changing it: its value and status, or no figure
    (value None). A write that carries it never overwrites a value changed since."""

    value: Decimal | None
    status: str = ""

    @classmethod
    def of(cls, result: "Result | None") -> "Seen":
        return cls(None) if result is None else cls(result.value, result.status)

    def matches(self, value: Decimal | None, status: str) -> bool:
        if self.value is None or value is None:
            return self.value is None and value is None
        return self.value == value and self.status == status


@dataclass(frozen=True)
class Clash:
    """One figure someone else changed since the writer saw it."""

    indicator: Indicator
    seen: Seen
    current: "Result | None"
    yours: Decimal | None
    your_status: str


class StaleWrite(Exception):
    """Figures changed by someone else since the writer saw them; nothing was saved."""

    def __init__(self, clashes: list[Clash]):
        self.clashes = clashes
        names = ", ".join(clash.indicator.name for clash in clashes)
        super().__init__(f"Số liệu đã được người khác thay đổi trong lúc bạn nhập: {names}.")


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
    seen: Seen | None = None,
) -> Result:
    """Record (or correct) a unit's result for an indicator and period, with an audit entry.

    Recording the value already stored changes nothing and succeeds (a repeated submit).
    With `seen`, a figure changed by someone else since raises StaleWrite instead of being
    overwritten. Callers acting for a user check `policy.can_record` first.
    """
    period = _period(period)
    amount = to_indicator_unit(indicator, value)
    if status not in ResultStatus.values:
        raise ValidationError({"status": f"Tình trạng ‘{status}’ không hợp lệ."})
    written_as = "" if isinstance(value, Decimal) else nfc(str(value)).strip()[:100]
    return _write_result(
        unit, indicator, period, amount, status, user, channel, note, written_as, seen
    )


def _create_result(unit, indicator, period, amount, status, user, now, channel, note):
    """Insert a new figure; None if another transaction inserted it first.

    The savepoint is what lets two people entering the same new figure at once both get an
    answer: the second insert waits for the first to commit, fails on the unique index, and
    the caller reads the row that won instead of returning a server error.
    """
    try:
        with transaction.atomic():
            return Result.objects.create(
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
    except IntegrityError:
        return None


# Checked input only, so no savepoint around the whole: inside a caller's transaction (a
# sheet, an import) a failure here fails all of it anyway.
@transaction.atomic(savepoint=False)
def _write_result(unit, indicator, period, amount, status, user, channel, note, written_as, seen):
    now = timezone.now()
    figure = _figure_of(unit, indicator, period)
    existing = Result.objects.select_for_update().filter(figure).first()
    result = None
    if existing is None:
        result = _create_result(unit, indicator, period, amount, status, user, now, channel, note)
        if result is None:  # someone else's insert won: compare with theirs
            existing = Result.objects.select_for_update().filter(figure).first()
            if existing is None:
                raise IntegrityError(f"{indicator.code} {period.code}: ghi số liệu không thành.")
    if existing is not None:
        if existing.value == amount and existing.status == status:
            return existing
        if seen is not None and not seen.matches(existing.value, existing.status):
            raise StaleWrite([Clash(indicator, seen, existing, amount, status)])

    if result is not None:
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
    seen: dict[Indicator, Seen] | None = None,
) -> int:
    """Save a data-entry sheet: {indicator: (value as typed, status)} for one unit and period.

    All or nothing: every value is read first; if any is wrong, a ValidationError keyed by
    indicator code says what and nothing is saved. An emptied value removes the unit's own
    figure. Returns how many figures changed.

    With `seen` (what the sheet showed, by indicator), a value the user left as it was is not
    written, so a stale sheet never puts back an old value; a value the user changed that
    someone else changed too since raises StaleWrite, and nothing is saved.
    """
    if user is not None:
        policy.require_record(user, unit, what="nhập số liệu")
    period = _period(period)
    seen = seen or {}
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
        for r in Result.objects.select_for_update().filter(
            unit_path=unit.path,
            unit_depth=unit.depth,
            period=period.code,
            indicator__in=list(parsed),
        )
    }
    writes, clashes = [], []
    for indicator, (amount, status) in parsed.items():
        current = existing.get(indicator.pk)
        before = seen.get(indicator)
        if before is not None and before.matches(amount, status):
            continue  # left as shown: whatever is stored now stays
        if Seen.of(current).matches(amount, status):
            continue  # already stored (a repeated submit)
        if before is not None and not before.matches(*_standing(current)):
            clashes.append(Clash(indicator, before, current, amount, status))
            continue
        writes.append((indicator, amount, status, current))
    if clashes:
        raise StaleWrite(clashes)
    with subtotals.deferred():  # one refresh of the unit and its ancestors for the sheet
        for indicator, amount, status, current in writes:
            if amount is None:
                delete_result(
                    unit=unit, indicator=indicator, period=period, user=user, channel=channel
                )
                continue
            record_result(
                unit=unit,
                indicator=indicator,
                period=period,
                value=entries[indicator][0],
                status=status,
                user=user,
                channel=channel,
                seen=Seen.of(current),
            )
    return len(writes)


def _standing(result: Result | None) -> tuple[Decimal | None, str]:
    return (None, "") if result is None else (result.value, result.status)
