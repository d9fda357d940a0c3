"""Writes to the organisation tree."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

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


def membership_grant(*, user, unit: OrgUnit, role: str = Role.REPORTER) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        user=user, unit=unit, defaults={"role": role}
    )
    return membership
