"""Writes to the audit trail. Every service that changes a target, a role, a meeting, a task
or a submission calls `audit_record` inside its own transaction."""

import datetime as dt
import enum
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models, transaction

from xaso.audit.models import Action, AuditEntry, Channel, Entity


def to_json(value):
    """A value as the audit trail keeps it: JSON only, Decimals as exact strings ("3750.5").

    Dates and times become ISO strings, model instances their primary key.
    """
    if isinstance(value, enum.Enum):  # TextChoices and IntegerChoices: their value
        return to_json(value.value)
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value}")
        # Exact, without the column's trailing zeros or an exponent: 3750.000000 -> "3750".
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return to_json(Decimal(str(value)))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [to_json(item) for item in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    raise TypeError(f"cannot keep {type(value).__name__} in the audit trail: {value!r}")


def _who(user):
    """The user to name, or None for the system (no user, or an anonymous one)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def audit_record(
    *,
    entity: str,
    object_id: int,
    unit=None,
    action: str,
    old: dict | None,
    new: dict | None,
    user=None,
    channel: str = "form",
    reason: str = "",
    indicator=None,
    period: str = "",
) -> AuditEntry:
    """Write one change to the trail (call it inside the transaction that makes the change).

    `old` is None for a creation, `new` None for a deletion. `indicator` (an Indicator or its
    id) and `period` (a code) place a change of a figure, such as a target, for its history page.
    """
    if entity not in Entity.values:
        raise ValueError(f"unknown audit entity {entity!r}")
    if action not in Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    if channel not in Channel.values:
        raise ValueError(f"unknown audit channel {channel!r}")
    if object_id is None:
        raise ValueError("an audit entry needs the changed object's id")
    return AuditEntry.objects.create(
        entity=str(entity),
        object_id=object_id,
        unit=unit,
        indicator_id=getattr(indicator, "pk", indicator),
        period=str(period or ""),
        action=str(action),
        old=to_json(old),
        new=to_json(new),
        reason=reason or "",
        channel=str(channel),
        changed_by=_who(user),
    )


@transaction.atomic
def user_deactivate(*, user, by=None, channel: str = "admin", reason: str = ""):
    """Deactivate a user instead of deleting them: the audit trail keeps naming them.

    Deactivating an inactive user changes nothing and writes nothing.
    """
    current = get_user_model().objects.select_for_update().get(pk=user.pk)
    user.is_active = False  # the caller's object too
    if not current.is_active:
        return user
    current.is_active = False
    current.save(update_fields=["is_active"])
    audit_record(
        entity=Entity.USER,
        object_id=current.pk,
        action=Action.UPDATE,
        old={"is_active": True},
        new={"is_active": False},
        user=by,
        channel=channel,
        reason=reason,
    )
    return user
