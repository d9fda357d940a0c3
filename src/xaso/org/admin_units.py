"""Load Vietnam's administrative structure (in force from 1 July 2025) into the org tree.

The data comes from the offline `vietnam_provinces` package: 34 provinces and centrally-run
cities, and 3,321 commune-level units (xã, phường, đặc khu) directly under them. Units are
matched by their official code, zero-padded the way the General Statistics Office writes it
("01", "42"; "00070", "18502"), so loading again changes nothing and units that already exist
(for example a province from demo data) keep their place and their children.

New communes are written with `bulk_create`: their materialized paths are computed here
(parent path + one base-36 step per child, after the parent's last existing child), which
turns a few thousand treebeard `add_child` round trips into a handful of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from vietnam_provinces import Province, VietNamDivisionType, Ward

from xaso.org.models import OrgUnit, UnitKind
from xaso.org.paths import last_child_step, path_step
from xaso.org.services import unit_create
from xaso.vn.text import fold, nfc

EFFECTIVE_2025 = dt.date(2025, 7, 1)

PROVINCE_CODE_WIDTH = 2
COMMUNE_CODE_WIDTH = 5

# Division type -> (our kind, the kind word the package puts in front of the name).
_KINDS: dict[VietNamDivisionType, tuple[str, str]] = {
    VietNamDivisionType.TINH: (UnitKind.PROVINCE, "Tỉnh"),
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: (UnitKind.CITY, "Thành phố"),
    VietNamDivisionType.XA: (UnitKind.COMMUNE, "Xã"),
    VietNamDivisionType.PHUONG: (UnitKind.WARD, "Phường"),
    VietNamDivisionType.DAC_KHU: (UnitKind.SPECIAL_ZONE, "Đặc khu"),
}


@dataclass(frozen=True)
class LoadReport:
    provinces: int
    communes: int
    created: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class _Entry:
    code: str
    name: str
    kind: str


def province_code(code: int) -> str:
    return f"{int(code):0{PROVINCE_CODE_WIDTH}d}"


def commune_code(code: int) -> str:
    return f"{int(code):0{COMMUNE_CODE_WIDTH}d}"


def _entry(code: str, name: str, division_type: VietNamDivisionType) -> _Entry:
    kind, word = _KINDS[division_type]
    name = nfc(name).strip()
    if name.startswith(word + " "):
        name = name[len(word) + 1 :].strip()
    return _Entry(code=code, name=name, kind=str(kind))


def _refresh(unit: OrgUnit, entry: _Entry, extra: dict) -> list[str]:
    """Bring `unit` up to date with `entry`; return the names of the fields that changed."""
    wanted = {"name": entry.name, "kind": entry.kind, "search_name": fold(entry.name), **extra}
    changed = []
    for field, value in wanted.items():
        if getattr(unit, field) != value:
            setattr(unit, field, value)
            changed.append(field)
    return changed


@transaction.atomic
def load_admin_units(*, effective: dt.date = EFFECTIVE_2025) -> LoadReport:
    """Create or update the 34 provinces and their 3,321 communes; idempotent."""
    provinces = sorted(Province.iter_all(), key=lambda p: int(p.code))
    wards = sorted(Ward.iter_all(), key=lambda w: int(w.code))

    province_entries = [_entry(province_code(p.code), p.name, p.division_type) for p in provinces]
    commune_entries: dict[str, list[_Entry]] = defaultdict(list)
    for ward in wards:
        commune_entries[province_code(ward.province_code)].append(
            _entry(commune_code(ward.code), ward.name, ward.division_type)
        )

    codes = [e.code for e in province_entries]
    codes += [e.code for entries in commune_entries.values() for e in entries]
    existing = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}

    created = updated = unchanged = 0

    # Provinces: few, so the ordinary service path. An existing province keeps its valid_from.
    province_units: dict[str, OrgUnit] = {}
    for entry in province_entries:
        unit = existing.get(entry.code)
        if unit is None:
            unit = unit_create(
                code=entry.code, name=entry.name, kind=entry.kind, valid_from=effective
            )
            created += 1
        else:
            changed = _refresh(unit, entry, {})
            if changed:
                unit.save(update_fields=changed)
                updated += 1
            else:
                unchanged += 1
        province_units[entry.code] = unit

    # Communes: update the ones that exist in place, bulk-create the rest under their province.
    to_update: list[OrgUnit] = []
    update_fields: set[str] = set()
    to_create: list[OrgUnit] = []
    for pcode, entries in commune_entries.items():
        parent = province_units[pcode]
        new_entries = []
        for entry in entries:
            unit = existing.get(entry.code)
            if unit is None:
                new_entries.append(entry)
                continue
            changed = _refresh(unit, entry, {"valid_from": effective})
            if changed:
                to_update.append(unit)
                update_fields.update(changed)
            else:
                unchanged += 1
        if not new_entries:
            continue
        step = last_child_step(parent)
        depth = parent.depth + 1
        for entry in new_entries:
            step += 1
            to_create.append(
                OrgUnit(
                    path=parent.path + path_step(step),
                    depth=depth,
                    numchild=0,
                    name=entry.name,
                    kind=entry.kind,
                    code=entry.code,
                    valid_from=effective,
                    search_name=fold(entry.name),
                )
            )
        OrgUnit.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(new_entries))

    if to_update:
        OrgUnit.objects.bulk_update(to_update, sorted(update_fields), batch_size=500)
        updated += len(to_update)
    if to_create:
        OrgUnit.objects.bulk_create(to_create, batch_size=500)
        created += len(to_create)

    return LoadReport(
        provinces=len(province_entries),
        communes=sum(len(entries) for entries in commune_entries.values()),
        created=created,
        updated=updated,
        unchanged=unchanged,
    )
