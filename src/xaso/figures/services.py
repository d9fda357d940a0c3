"""Writes of targets and results: parse, convert to the indicator's unit, validate, audit.

Every figure is written by `figures.batch.write_results`, the set-based path: a sheet, an
import or an API batch directly, one figure through `record_result` (a batch of one).
"""

import re
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
    PlanDocument,
    Result,
    ResultChange,
    ResultStatus,
    Target,
    TargetSource,
)
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.periods import Period, PeriodError, read_period
from xaso.vn.numbers import NumberError, format_number
from xaso.vn.quantities import parse_quantity
from xaso.vn.text import nfc
from xaso.vn.units import UnitError, convert, get_unit


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


class StaleTarget(Exception):
    """A target changed by someone else since the writer saw it; nothing was saved."""

    def __init__(self, current: "Target | None", seen: Seen):
        self.current = current
        if seen.value is None and current is not None:
            message = f"Chỉ tiêu này đã có: {format_number(current.value)}."
        else:
            now = "đã bị xoá" if current is None else f"nay là {format_number(current.value)}"
            message = f"Chỉ tiêu đã được người khác thay đổi trong lúc bạn sửa ({now})."
        super().__init__(message)


@dataclass(frozen=True)
class SheetSaved:
    """What saving a sheet did: figures written (new or changed) and figures removed."""

    saved: int = 0
    deleted: int = 0

    @property
    def changed(self) -> int:
        return self.saved + self.deleted

    def describe(self, whose: str) -> str:
        """The message after saving, in Vietnamese: "Đã lưu 3 số liệu, xoá 1 số liệu của
        Thôn 1, tháng 11/2022." or "Không có thay đổi …"; `whose` names unit and period."""
        if not self.changed:
            return f"Không có thay đổi: số liệu của {whose} vẫn như trước."
        done = []
        if self.saved:
            done.append(f"lưu {self.saved} số liệu")
        if self.deleted:
            done.append(f"xoá {self.deleted} số liệu")
        return f"Đã {', '.join(done)} của {whose}."


def checked_period(period: Period | str, field: str = "period") -> Period:
    """A period, or its code or phrase read; a Vietnamese error on `field` when unreadable."""
    if isinstance(period, Period):
        return period
    try:
        return read_period(period)  # a code, or a phrase as typed ("tháng 11/2022")
    except PeriodError as error:
        raise ValidationError({field: str(error)}) from None


def _period_fields(period: Period) -> dict:
    return {
        "period": period.code,
        "period_kind": str(period.kind),
        "period_start": period.start,
        "period_end": period.end,
    }


# "20/19", "19 / 19 tiêu chí": a ratio written where one number is asked for.
_RATIO = re.compile(r"\s*([0-9][0-9.,]*)\s*/\s*([0-9][0-9.,]*)")


def _limit(amount: Decimal, indicator: Indicator) -> str:
    unit = get_unit(indicator.unit).name
    return f"{format_number(amount, decimals=None)}{'' if unit == '%' else ' '}{unit}"


def _check_bounds(indicator: Indicator, amount: Decimal, field: str) -> None:
    """The indicator's rules for a value in its unit: whole counts, and its bounds."""
    if indicator.whole_numbers and amount != amount.to_integral_value():
        raise ValidationError(
            {
                field: f"Số {get_unit(indicator.unit).name} phải là số nguyên "
                f"(đã nhập {format_number(amount, decimals=None)})."
            }
        )
    low, high = indicator.bounds
    if high is not None and amount > high:
        raise ValidationError(
            {field: f"Không được lớn hơn {_limit(high, indicator)} (giới hạn của chỉ tiêu này)."}
        )
    if low is not None and amount < low:
        raise ValidationError(
            {field: f"Không được nhỏ hơn {_limit(low, indicator)} (giới hạn của chỉ tiêu này)."}
        )


def to_indicator_unit(
    indicator: Indicator, value: Decimal | str, *, field: str = "value"
) -> Decimal:
    """Read a value as written ("1,8km", "15.511 triệu đồng", "3.750") in the indicator's unit.

    A bare number is taken to be in the indicator's unit already. The value must be one
    number (not a ratio such as "20/19"), whole for a count, and within the indicator's
    bounds (a percent: 0 to 100 unless the indicator allows more; see `Indicator.bounds`).
    """
    amount = value if isinstance(value, Decimal) else _read_amount(indicator, value, field)
    if amount < 0:
        raise ValidationError({field: "Không được nhập số âm."})
    if amount.normalize().as_tuple().exponent < -6 or abs(amount) >= Decimal(10) ** 18:
        raise ValidationError({field: "Số quá lớn hoặc quá nhiều chữ số thập phân."})
    _check_bounds(indicator, amount, field)
    return amount


def _read_amount(indicator: Indicator, value: str, field: str = "value") -> Decimal:
    """The number written, in the indicator's unit, before any limit is checked."""
    text = nfc(str(value))
    ratio = _RATIO.match(text)
    if ratio is not None:
        raise ValidationError(
            {
                field: f"Ô này chỉ nhận một số; với tỷ số như {ratio.group(1)}/"
                f"{ratio.group(2)} hãy nhập số đạt được ({ratio.group(1)})."
            }
        )
    try:
        quantity = parse_quantity(text)
    except NumberError as error:
        raise ValidationError({field: str(error)}) from None
    amount = quantity.value
    if quantity.unit is not None and quantity.unit.code != indicator.unit:
        try:
            amount = convert(amount, quantity.unit.code, indicator.unit)
        except UnitError as error:
            raise ValidationError({field: str(error)}) from None
    return amount


def figure_key(unit: OrgUnit, indicator: Indicator, period: Period) -> Q:
    """One unit's figure, as the (period, unit_depth, unit_path, indicator) index finds it."""
    return Q(period=period.code, unit_depth=unit.depth, unit_path=unit.path, indicator=indicator)


def _changed(unit: OrgUnit, indicator: Indicator, period: Period) -> None:
    """Refresh the subtotals above the figure now, or at the end of the caller's batch."""
    with subtotals.deferred() as pending:
        pending.add(unit.path, period.code, [indicator.pk], leaf=not unit.numchild)


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
    correction: str = "",
) -> Result:
    """Record (or correct) a unit's result for an indicator and period, with an audit entry.

    Recording the value already stored changes nothing and succeeds (a repeated submit).
    With `seen`, a figure changed by someone else since raises StaleWrite instead of being
    overwritten. An approved figure (part of an approved report) changes only as a
    `correction`, whose reason the audit entry keeps. Callers acting for a user check
    `policy.can_record` first. It is `figures.batch.write_results` with one figure (one
    path for every write), and the stored row read back.
    """
    period = checked_period(period)
    amount = to_indicator_unit(indicator, value)
    if status not in ResultStatus.values:
        raise ValidationError({"status": f"Tình trạng ‘{status}’ không hợp lệ."})
    from xaso.figures.batch import Write, write_results, written_as

    write = Write(unit, indicator, period, amount, status, written_as(value), seen, note)
    write_results([write], user=user, channel=channel, correction=correction)
    return Result.objects.get(figure_key(unit, indicator, period))


def _check_not_approved(result: Result, indicator: Indicator, period: Period, correction: str):
    if result.approved and not correction.strip():
        raise ValidationError(
            {
                indicator.code: f"{indicator.name} {period.label} đã được duyệt: "
                "muốn sửa phải ghi lý do điều chỉnh."
            }
        )


@transaction.atomic
def delete_result(
    *,
    unit: OrgUnit,
    indicator: Indicator,
    period: Period | str,
    user=None,
    channel=EntryChannel.FORM,
    correction: str = "",
) -> bool:
    """Remove a unit's own result; what lies below it counts again in roll-ups. An approved
    figure is removed only as a `correction`."""
    period = checked_period(period)
    figure = Result.objects.filter(figure_key(unit, indicator, period))
    result = figure.select_for_update().first()
    if result is None:
        return False
    _check_not_approved(result, indicator, period, correction)
    figure.delete()  # by the figure's key, not `result.delete()`'s id: no index has it
    _changed(unit, indicator, period)
    ResultChange.objects.create(
        unit=unit,
        indicator=indicator,
        period=period.code,
        old_value=result.value,
        new_value=None,
        old_status=result.status,
        new_status="",
        reason=nfc(correction)[:300],
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
    document: PlanDocument | None = None,
    revision: bool = False,
    allocated_from: Target | None = None,
    seen: Seen | None = None,
) -> Target:
    """Set (or change) the target one source gives a unit for an indicator and period.

    A user must manage the unit or one above it (`user=None` is the system: loaders, demo).
    `document` is the decision that sets it. A `revision` (điều chỉnh kế hoạch) keeps the
    plan as first set beside the new value; a plain change corrects the value in place.
    `seen` is the value the writer saw (`Seen(None)`: no target); a target changed since is
    not overwritten (StaleTarget). Every change is audited; setting the same again changes nothing.
    """
    period = checked_period(period)
    if source not in TargetSource.values:
        raise ValidationError({"source": f"Nguồn chỉ tiêu ‘{source}’ không hợp lệ."})
    if user is not None:
        policy.require_manage(user, unit)
    if document is not None and document.unit_id != unit.pk:
        raise ValidationError({"document": "Văn bản này không thuộc kế hoạch của đơn vị này."})
    amount = to_indicator_unit(indicator, value)
    note = nfc(note)
    key = {"unit": unit, "indicator": indicator, "period": period.code, "source": source}
    target = Target.objects.select_for_update().filter(**key).first()
    current = None if target is None else target.value
    if seen is not None and current != seen.value:
        if current == amount and not revision:
            return target  # the same change sent again (a repeated submit): nothing to do
        raise StaleTarget(target, seen)
    if target is not None and revision and target.value == amount:
        raise ValidationError(
            {"value": "Chỉ tiêu điều chỉnh bằng chỉ tiêu đang có: không có gì để điều chỉnh."}
        )
    if (
        target is not None
        and target.value == amount
        and target.note == note
        and (document is None or target.document_id == document.pk)
        and (allocated_from is None or target.allocated_from_id == allocated_from.pk)
    ):
        return target
    old = None
    if target is None:
        target = Target(**key)
    else:
        old = _target_state(target)
        if revision and target.original_value is None:
            target.original_value, target.original_document = target.value, target.document
    for field, field_value in _period_fields(period).items():
        setattr(target, field, field_value)
    target.value, target.note, target.set_by = amount, note, user
    if document is not None:
        target.document = document
    if allocated_from is not None:
        target.allocated_from = allocated_from
    if old is None:
        try:  # two writers creating the same target at once: the second sees the first's
            with transaction.atomic():
                target.save()
        except IntegrityError:
            winner = Target.objects.select_for_update().get(**key)
            if winner.value == amount:
                return winner
            raise StaleTarget(winner, seen or Seen(None)) from None
    else:
        target.save()
    audit_record(
        entity=Entity.TARGET,
        object_id=target.pk,
        unit=unit,
        indicator=indicator,
        period=period.code,
        action=Action.CREATE if old is None else Action.UPDATE,
        old=old,
        new=_target_state(target) | ({"revision": True} if revision else {}),
        user=user,
        channel=channel,
        reason=reason,
    )
    return target


def _target_state(target: Target) -> dict:
    """A target as the audit trail keeps it: value, note, and the documents behind it."""
    state = {"source": target.source, "value": target.value, "note": target.note}
    if target.document_id is not None:
        state["document"] = target.document.citation
    if target.original_value is not None:
        state["original_value"] = target.original_value
    if target.allocated_from_id is not None:
        state["allocated_from"] = target.allocated_from_id
    return state


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
    period = checked_period(period)
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
        old=_target_state(target),
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
    correction: str = "",
) -> SheetSaved:
    """Save a data-entry sheet: {indicator: (value as typed, status)} for one unit and period.

    All or nothing: every value is read first; if any is wrong, a ValidationError keyed by
    indicator code says what and nothing is saved. An emptied value removes the unit's own
    figure. Returns how many figures were saved (new or changed) and how many deleted.

    With `seen` (what the sheet showed, by indicator), a value the user left as it was is not
    written, so a stale sheet never puts back an old value; a value the user changed that
    someone else changed too since raises StaleWrite, and nothing is saved.
    """
    if user is not None:
        policy.require_record(user, unit, what="nhập số liệu")
    period = checked_period(period)
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
            if _left_as_shown(indicator, text, status, seen.get(indicator)):
                continue  # an old value a newer rule refuses, untouched: not this sheet's doing
            errors[indicator.code] = " ".join(error.message_dict["value"])
    if errors:
        raise ValidationError(errors)
    from xaso.figures.batch import Write, write_results, written_as

    writes, removals = [], []
    for indicator, (amount, status) in parsed.items():
        before = seen.get(indicator)
        if before is not None and before.matches(amount, status):
            continue  # left as shown: whatever is stored now stays
        if amount is None:
            removals.append((indicator, status))
            continue
        text = written_as(entries[indicator][0])
        writes.append(Write(unit, indicator, period, amount, status, text, before))
    with subtotals.deferred():  # one refresh of the unit and its ancestors for the sheet
        others = [w.indicator for w in writes]
        deletions, clashes, locked = _removals(unit, period, removals, others, seen, correction)
        try:
            saved = write_results(writes, user=user, channel=channel, correction=correction)
        except StaleWrite as stale:
            raise StaleWrite(clashes + stale.clashes) from None
        except ValidationError as error:
            if clashes:
                raise StaleWrite(clashes) from None
            locked.update({code: " ".join(m) for code, m in error.message_dict.items()})
            raise ValidationError(locked) from None
        if clashes:
            raise StaleWrite(clashes)
        if locked:
            raise ValidationError(locked)
        for indicator in deletions:
            delete_result(
                unit=unit,
                indicator=indicator,
                period=period,
                user=user,
                channel=channel,
                correction=correction,
            )
    return SheetSaved(saved=saved.saved, deleted=len(deletions))


def _removals(unit, period, indicators, others, seen, correction):
    """The emptied boxes of a sheet: the figures to remove, the clashes, the refusals. The
    figures the sheet writes (`others`) are locked with them, in the index's order, as the
    batch locks them: two sheets of one unit never hold one row each and wait for the other."""
    if not indicators:
        return [], [], {}
    existing = {
        r.indicator_id: r
        for r in Result.objects.select_for_update()
        .filter(
            unit_path=unit.path,
            unit_depth=unit.depth,
            period=period.code,
            indicator__in=[indicator for indicator, _ in indicators] + others,
        )
        .order_by("indicator_id")
    }
    deletions, clashes, locked = [], [], {}
    for indicator, status in indicators:
        current = existing.get(indicator.pk)
        before = seen.get(indicator)
        if current is None:
            continue  # nothing stored: nothing to remove
        if before is not None and not before.matches(*_standing(current)):
            clashes.append(Clash(indicator, before, current, None, status))
            continue
        try:
            _check_not_approved(current, indicator, period, correction)
        except ValidationError as error:
            locked.update({code: " ".join(m) for code, m in error.message_dict.items()})
            continue
        deletions.append(indicator)
    return deletions, clashes, locked


def _left_as_shown(indicator: Indicator, text: str, status: str, before: Seen | None) -> bool:
    try:
        return before is not None and before.matches(_read_amount(indicator, text), status)
    except ValidationError:
        return False


def _standing(result: Result | None) -> tuple[Decimal | None, str]:
    return (None, "") if result is None else (result.value, result.status)
