"""Writes to the organisation tree."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

# The audit trail sits on org's models (an AuditEntry names an OrgUnit) and org's writes
# record into it: org.models ← audit ← org.services, so no module imports in a circle.
from xaso.audit.models import Action, Entity
from xaso.audit.services import audit_record
from xaso.org import policy
from xaso.org.models import Membership, OrgUnit, Role, UnitKind
from xaso.vn.text import fold, nfc


@transaction.atomic
def unit_create(
    *,
    name: str,
    kind: str,
    code: str,
    parent: OrgUnit | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    note: str = "",
) -> OrgUnit:
    name = nfc(name).strip()
    if kind not in UnitKind.values:
        raise ValidationError({"kind": f"Loại đơn vị ‘{kind}’ không hợp lệ."})
    unit = OrgUnit(
        name=name,
        kind=kind,
        code=code.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        note=nfc(note),
        search_name=fold(name),
    )
    unit.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        return OrgUnit.objects.add_root(instance=unit)
    return OrgUnit.objects.add_child(parent, instance=unit)


@transaction.atomic
def unit_upsert(*, code: str, name: str, kind: str, parent: OrgUnit | None, **fields) -> OrgUnit:
    """Create the unit with this code, or bring an existing one's name and kind up to date.

    Loaders call this so that loading the same data twice changes nothing.
    """
    existing = OrgUnit.objects.filter(code=code).first()
    if existing is None:
        return unit_create(code=code, name=name, kind=kind, parent=parent, **fields)
    name = nfc(name).strip()
    changed = {}
    for field, value in {"name": name, "kind": kind, "search_name": fold(name), **fields}.items():
        if getattr(existing, field) != value:
            setattr(existing, field, value)
            changed[field] = value
    if changed:
        existing.save(update_fields=list(changed))
    return existing


def _granted(user, unit: OrgUnit, role: str) -> dict:
    """A role grant as the audit trail keeps it: whose, where and which role."""
    return {"user": user.pk, "username": user.get_username(), "unit": unit.code, "role": role}


@transaction.atomic
def membership_grant(
    *,
    user,
    unit: OrgUnit,
    role: str = Role.REPORTER,
    by=None,
    channel: str = "cli",
    reason: str = "",
) -> Membership:
    """Give a user a role on a unit (and its subtree), or change the role they hold there.

    Audited (who granted it, the role before and after); granting the role already held
    changes nothing and writes nothing.
    """
    if role not in Role.values:
        raise ValidationError({"role": f"Vai trò ‘{role}’ không hợp lệ."})
    membership = Membership.objects.select_for_update().filter(user=user, unit=unit).first()
    if membership is not None and membership.role == role:
        return membership
    old = None
    if membership is None:
        membership = Membership(user=user, unit=unit, role=role)
    else:
        old = _granted(user, unit, membership.role)
        membership.role = role
    membership.save()
    audit_record(
        entity=Entity.MEMBERSHIP,
        object_id=membership.pk,
        unit=unit,
        action=Action.CREATE if old is None else Action.UPDATE,
        old=old,
        new=_granted(user, unit, role),
        user=by,
        channel=channel,
        reason=reason,
    )
    policy.forget(user)
    return membership


@transaction.atomic
def membership_revoke(
    *, user, unit: OrgUnit, by=None, channel: str = "cli", reason: str = ""
) -> bool:
    """Take away the role a user holds on a unit (audited); False if they held none."""
    membership = Membership.objects.select_for_update().filter(user=user, unit=unit).first()
    if membership is None:
        return False
    old, object_id = _granted(user, unit, membership.role), membership.pk
    membership.delete()
    audit_record(
        entity=Entity.MEMBERSHIP,
        object_id=object_id,
        unit=unit,
        action=Action.DELETE,
        old=old,
        new=None,
        user=by,
        channel=channel,
        reason=reason,
    )
    policy.forget(user)
    return True
