"""Writes about where units stand: assessments, recognitions, a unit's group in a set.

Each is one transaction, asks `org.policy` (a manager of the unit or above assesses it:
"BCĐ xã kiểm tra"), is audited, and is safe to repeat: the same assessment sent twice is
stored once, and a different one for the same unit, criterion and day replaces it only when
the writer saw what it replaces (`seen`), never silently.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from xaso.audit.models import Action, Entity
from xaso.audit.services import audit_record
from xaso.criteria.models import (
    Assessment,
    CriteriaSet,
    Criterion,
    Recognition,
    RecognitionKind,
    Status,
    UnitGrouping,
)
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.vn.text import nfc

NOTHING = ""  # what a writer saw when there was no assessment for that day


class StaleAssessment(Exception):
    """Someone changed the day's assessment since the writer saw it; nothing was saved."""

    def __init__(self, current: Assessment | None):
        self.current = current
        now = current.get_status_display().lower() if current else "chưa có"
        super().__init__(
            f"Đánh giá ngày này vừa được người khác ghi ({now}). Hãy xem lại rồi ghi lần nữa."
        )


def applies(criteria_set: CriteriaSet, unit: OrgUnit) -> bool:
    return unit.kind in criteria_set.applies_to


def _check_applies(criteria_set: CriteriaSet, unit: OrgUnit) -> None:
    if not applies(criteria_set, unit):
        raise ValidationError(
            {"criterion": f"Bộ tiêu chí «{criteria_set.label}» không áp dụng cho {unit.full_name}."}
        )


def _check_day(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: "Ngày không được sau hôm nay."})


def _state(assessment: Assessment | None) -> dict | None:
    if assessment is None:
        return None
    return {
        "status": assessment.status,
        "evidence": assessment.evidence,
        "document": assessment.document,
        "assessed_on": assessment.assessed_on,
        "criterion": assessment.criterion_id,
    }


def assess(
    *,
    unit: OrgUnit,
    criterion: Criterion,
    on: dt.date,
    status: str,
    evidence: str = "",
    document: str = "",
    user=None,
    seen: str | None = None,
    channel: str = "form",
) -> Assessment:
    """Record where the unit stood on the criterion on that day.

    `seen` is the status the writer was shown for that day (NOTHING for none); None skips
    the check (a script that means to overwrite)."""
    if user is not None:
        policy.require_manage(user, unit, what="đánh giá tiêu chí")
    _check_applies(criterion.criteria_set, unit)
    if status not in Status.values:
        raise ValidationError({"status": "Kết quả phải là: đạt, chưa đạt hoặc đang thẩm định."})
    _check_day(on, "assessed_on")
    evidence, document = nfc(evidence).strip()[:500], nfc(document).strip()[:300]
    wanted = {"status": status, "evidence": evidence, "document": document}
    try:
        with transaction.atomic():
            current = (
                Assessment.objects.select_for_update()
                .filter(unit=unit, criterion=criterion, assessed_on=on)
                .first()
            )
            if current is not None and all(getattr(current, k) == v for k, v in wanted.items()):
                return current  # the same thing sent again
            if seen is not None and (current.status if current else NOTHING) != seen:
                raise StaleAssessment(current)
            old = _state(current)
            if current is None:
                current = Assessment(unit=unit, criterion=criterion, assessed_on=on)
            for name, value in wanted.items():
                setattr(current, name, value)
            current.assessed_by = user
            current.save()
            audit_record(
                entity=Entity.ASSESSMENT,
                object_id=current.pk,
                unit=unit,
                action=Action.CREATE if old is None else Action.UPDATE,
                old=old,
                new=_state(current),
                user=user,
                channel=channel,
            )
            return current
    except IntegrityError:
        # Two first writes of one day raced: the other is stored; say so, save nothing.
        raise StaleAssessment(
            Assessment.objects.filter(unit=unit, criterion=criterion, assessed_on=on).first()
        ) from None


def recognise(
    *,
    unit: OrgUnit,
    criteria_set: CriteriaSet,
    on: dt.date,
    decision: str = "",
    kind: str = RecognitionKind.RECOGNISED,
    user=None,
    channel: str = "form",
) -> Recognition:
    """Record a recognition (or its withdrawal) by decision; the same one twice is one row."""
    if user is not None:
        policy.require_manage(user, unit, what="ghi quyết định công nhận")
    _check_applies(criteria_set, unit)
    if kind not in RecognitionKind.values:
        raise ValidationError({"kind": "Loại quyết định không hợp lệ."})
    _check_day(on, "decided_on")
    with transaction.atomic():
        recognition, created = Recognition.objects.get_or_create(
            unit=unit,
            criteria_set=criteria_set,
            decided_on=on,
            defaults={"kind": kind, "decision": nfc(decision).strip()[:300], "recorded_by": user},
        )
        if not created:
            if recognition.kind != kind:
                raise ValidationError(
                    {"decided_on": "Ngày này đã có một quyết định khác cho đơn vị này."}
                )
            return recognition
        audit_record(
            entity=Entity.RECOGNITION,
            object_id=recognition.pk,
            unit=unit,
            action=Action.CREATE,
            old=None,
            new={
                "set": criteria_set.code,
                "on": on,
                "kind": kind,
                "decision": recognition.decision,
            },
            user=user,
            channel=channel,
        )
        return recognition


def set_grouping(
    *, unit: OrgUnit, criteria_set: CriteriaSet, group: str, user=None, channel: str = "form"
) -> UnitGrouping:
    """Put the unit (and its subtree, unless a unit below says otherwise) in one of the set's
    groups: its region (2021–2025) or its commune group (2026–2030)."""
    if user is not None:
        policy.require_manage(user, unit, what="xếp nhóm cho đơn vị")
    codes = [code for code, _ in criteria_set.groups]
    if group not in codes:
        allowed = ", ".join(codes) or "(bộ này không chia nhóm)"
        raise ValidationError(
            {"group": f"Nhóm «{group}» không có trong bộ tiêu chí; có: {allowed}."}
        )
    with transaction.atomic():
        grouping = (
            UnitGrouping.objects.select_for_update()
            .filter(unit=unit, criteria_set=criteria_set)
            .first()
        )
        old = {"group": grouping.group} if grouping else None
        if grouping is not None and grouping.group == group:
            return grouping
        grouping = grouping or UnitGrouping(unit=unit, criteria_set=criteria_set)
        grouping.group = group
        grouping.save()
        audit_record(
            entity=Entity.UNIT_GROUPING,
            object_id=grouping.pk,
            unit=unit,
            action=Action.CREATE if old is None else Action.UPDATE,
            old=old,
            new={"set": criteria_set.code, "group": group},
            user=user,
            channel=channel,
        )
        return grouping
