"""Vietnam's administrative units before 1 July 2025, and how they became today's (issue 22).

`load_admin_history()` loads, offline, from the `vietnamadminunits` package (its SQLite file
`data/dataset.db` and its converter table `data/converter_2025.json`):

- the 63 provinces, 696 districts and 10,035 wards, communes and townships of the old map
  (10,040 rows: five island districts had no commune), each unit ending on 30/06/2025;
- the links of the reform, dated 01/07/2025: every old commune to the new commune it went into
  (`merge` when several went into one, `rename` when one became one), or, for the 471 that were
  divided, to each new commune that took a part (`split`, one link each, with the package's
  default successor marked); a province that was merged away to the province that took it; the
  districts `end` (no successor).

Today's provinces and communes come first, from `admin_units.load_admin_units` (the
`vietnam_provinces` package). A new commune is found by its code when both packages give it
the same name, else by its name inside its province; the few the two packages spell or number
differently are counted in the report, not guessed.

A province that kept its code (Hà Tĩnh, 42) is the same unit before and after: its old
districts hang under it. A province merged away gets a unit of its own, coded `cu-<code>`.
Old districts and communes are coded `cu-<official code>` ("cu-18502": the old Hà Linh, whose
code today's Xã Hà Linh took over); a unit already in the tree under the same parent with the
same name (the demo's, a commune's own data) is used as it is, not loaded twice.

Shares of a divided commune: the package gives the areas of the new communes, not of the parts
each one took; the shares are proportional to those areas — an assumption, written in each
link's `basis`, that a province can replace per indicator. Villages are not in the package.
Loading again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import F

from xaso.org.admin_units import load_admin_units
from xaso.org.models import Lineage, LineageKind, OrgUnit, UnitKind
from xaso.org.paths import last_child_step, path_step
from xaso.vn.text import fold, nfc

LAST_DAY = dt.date(2025, 6, 30)
FIRST_DAY = dt.date(2025, 7, 1)
OLD = "cu-"  # the code prefix of a unit of the old map
SOURCE = "vietnamadminunits (bản đồ hành chính trước và sau 01/7/2025)"
AREA_BASIS = "theo diện tích các xã mới (giả định: gói dữ liệu không có diện tích phần chia)"
_SHARE = Decimal("0.000001")

_DISTRICT_KINDS = {
    "Huyện": UnitKind.DISTRICT,
    "Quận": UnitKind.URBAN_DISTRICT,
    "Thị xã": UnitKind.DISTRICT_TOWN,
    "Thành phố": UnitKind.DISTRICT_CITY,
}
_WARD_KINDS = {"Xã": UnitKind.COMMUNE, "Phường": UnitKind.WARD, "Thị trấn": UnitKind.TOWNSHIP}
_PROVINCE_WORDS = {"Tỉnh": UnitKind.PROVINCE, "Thành phố": UnitKind.CITY}


@dataclass(frozen=True)
class HistoryReport:
    old_provinces: int  # on the old map (63)
    old_districts: int  # 696
    old_communes: int  # 10,035
    new_communes: int  # today's, from load_admin_units (3,321)
    created: int  # units created by this load
    links: int  # lineage links in the database after it
    unmatched: list[str]  # new communes of the converter found in neither way


def _package_dir() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or spec.origin is None:
        raise RuntimeError("Thiếu gói vietnamadminunits (pip install vietnamadminunits).")
    return Path(spec.origin).parent / "data"


def _rows(sql: str) -> list[dict]:
    with sqlite3.connect(_package_dir() / "dataset.db") as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute(sql)]


def _split_name(full: str, words: dict) -> tuple[str, str]:
    """("Huyện Hương Khê", {...}) -> (the kind, "Hương Khê")."""
    full = nfc(full).strip()
    for word, kind in sorted(words.items(), key=lambda item: -len(item[0])):
        if full.casefold().startswith(word.casefold() + " "):  # "Thành Phố Bắc Kạn" too
            return kind, full[len(word) + 1 :].strip()
    raise ValueError(f"không nhận ra loại đơn vị của ‘{full}’")


class _Tree:
    """Units to create under parents, with their paths computed (as load_admin_units does):
    one bulk insert per level instead of thousands of treebeard round trips."""

    def __init__(self):
        self.steps: dict[str, int] = {}
        self.pending: list[OrgUnit] = []
        self.children: dict[int, int] = defaultdict(int)

    def child(self, parent: OrgUnit | None, code: str, name: str, kind: str) -> OrgUnit:
        key = parent.path if parent else ""
        if key not in self.steps:
            self.steps[key] = last_child_step(parent)
        self.steps[key] += 1
        unit = OrgUnit(
            path=key + path_step(self.steps[key]),
            depth=(parent.depth if parent else 0) + 1,
            numchild=0,
            name=name,
            kind=kind,
            code=code,
            valid_to=LAST_DAY,
            search_name=fold(name),
        )
        self.pending.append(unit)
        if parent is not None:
            self.children[parent.pk] += 1
        return unit

    def save(self) -> int:
        """Insert the pending units (their ids set, for the next level's parents)."""
        OrgUnit.objects.bulk_create(self.pending, batch_size=1000)
        for pk, count in self.children.items():
            OrgUnit.objects.filter(pk=pk).update(numchild=F("numchild") + count)
        created = len(self.pending)
        self.pending, self.children = [], defaultdict(int)
        return created


class _Known:
    """Units already in the tree: by code, and by (parent path, kind, folded name)."""

    def __init__(self, kinds):
        rows = OrgUnit.objects.filter(kind__in=kinds)
        self.by_code = {unit.code: unit for unit in rows}
        self.by_name = {
            (unit.path[: -OrgUnit.steplen], unit.kind, unit.search_name): unit for unit in rows
        }

    def find(self, parent: OrgUnit, code: str, kind: str, name: str) -> OrgUnit | None:
        return self.by_code.get(code) or self.by_name.get((parent.path, kind, fold(name)))


@transaction.atomic
def load_admin_history() -> HistoryReport:
    """Load the old map and the links into today's; idempotent (see the module's text)."""
    load_admin_units()
    legacy = _rows("SELECT * FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode")
    tree = _Tree()
    created = 0

    roots = {unit.code: unit for unit in OrgUnit.objects.filter(depth=1)}
    provinces: dict[str, OrgUnit] = {}  # old province code -> unit
    for row in legacy:
        code = row["provinceCode"]
        if code not in provinces:
            kind, name = _split_name(row["province"], _PROVINCE_WORDS)
            found = roots.get(code) or roots.get(OLD + code)
            provinces[code] = found or tree.child(None, OLD + code, name, kind)
    created += tree.save()

    known = _Known(_DISTRICT_KINDS.values())
    districts: dict[str, OrgUnit] = {}
    for row in legacy:
        code = row["districtCode"]
        if code not in districts:
            parent = provinces[row["provinceCode"]]
            kind, name = _split_name(row["district"], _DISTRICT_KINDS)
            found = known.find(parent, OLD + code, kind, name)
            districts[code] = found or tree.child(parent, OLD + code, name, kind)
    created += tree.save()

    known = _Known(_WARD_KINDS.values())
    communes: dict[str, OrgUnit] = {}  # old commune code -> unit
    for row in legacy:
        if row["ward"]:  # five island districts had no commune
            parent = districts[row["districtCode"]]
            kind, name = _split_name(row["ward"], _WARD_KINDS)
            code = OLD + row["wardCode"]
            found = known.find(parent, code, kind, name)
            communes[row["wardCode"]] = found or tree.child(parent, code, name, kind)
    created += tree.save()

    unmatched = _link(legacy, provinces, districts, communes)
    return HistoryReport(
        old_provinces=len(provinces),
        old_districts=len(districts),
        old_communes=len(communes),
        new_communes=OrgUnit.objects.filter(depth=2, valid_from=FIRST_DAY).count(),
        created=created,
        links=Lineage.objects.count(),
        unmatched=unmatched,
    )


# --- the links ------------------------------------------------------------------------------


def _new_communes() -> tuple[dict[tuple[str, str], OrgUnit], list[str]]:
    """Today's communes by the package's (province key, commune key); the unmatched named."""
    ours = list(OrgUnit.objects.filter(valid_from=FIRST_DAY, depth=2))
    by_code = {unit.code: unit for unit in ours}
    by_name: dict[tuple[str, str], list[OrgUnit]] = defaultdict(list)
    for unit in ours:
        by_name[(unit.path[: OrgUnit.steplen], unit.search_name)].append(unit)
    province_paths = {u.code: u.path for u in OrgUnit.objects.filter(depth=1)}
    found, unmatched = {}, []
    for row in _rows("SELECT provinceKey, provinceCode, ward, wardKey, wardCode FROM admin_units"):
        name = fold(_split_name(row["ward"], _NEW_WARD_WORDS)[1])
        same_code = by_code.get(row["wardCode"])
        named = by_name.get((province_paths.get(row["provinceCode"], "?"), name), [])
        if same_code is not None and same_code.search_name == name:
            unit = same_code
        elif len(named) == 1:
            unit = named[0]
        else:
            unmatched.append(f"{row['ward']} ({row['wardCode']})")
            continue
        found[(row["provinceKey"], row["wardKey"])] = unit
    return found, unmatched


_NEW_WARD_WORDS = {
    "Xã": UnitKind.COMMUNE,
    "Phường": UnitKind.WARD,
    "Đặc khu": UnitKind.SPECIAL_ZONE,
}


def _converter() -> dict:
    with (_package_dir() / "converter_2025.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def _shares(parts: list[dict]) -> list[Decimal]:
    """Shares of a divided commune, proportional to the new communes' areas, adding up to 1
    exactly (the rounding rest goes to the largest)."""
    areas = [Decimal(str(part["newWardAreaKm2"] or 0)) for part in parts]
    total = sum(areas)
    if not total:
        areas, total = [Decimal(1)] * len(parts), Decimal(len(parts))
    # Every part keeps at least a millionth: a link says some of the commune went there.
    shares = [max((area / total).quantize(_SHARE, ROUND_HALF_UP), _SHARE) for area in areas]
    largest = max(range(len(shares)), key=shares.__getitem__)
    shares[largest] += Decimal(1) - sum(shares)
    return shares


def _link(legacy, provinces, districts, communes) -> list[str]:
    new_units, unmatched = _new_communes()
    old_key = {}  # the converter's "province_district_commune" key -> old unit
    province_key = {}  # old province key -> old province code
    for row in legacy:
        key = f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey'] or ''}"
        # An island district without communes became a special zone as a whole.
        old_key[key] = communes[row["wardCode"]] if row["ward"] else districts[row["districtCode"]]
        province_key[row["provinceKey"]] = row["provinceCode"]
    data = _converter()
    wanted: dict[tuple[int, int | None], dict] = {}

    def link(old: OrgUnit, new: OrgUnit | None, kind: str, **more) -> None:
        wanted[(old.pk, new.pk if new else None)] = {"kind": kind, **more}

    new_province_codes = {r["provinceKey"]: r["provinceCode"] for r in _rows(
        "SELECT DISTINCT provinceKey, provinceCode FROM admin_units")}  # fmt: skip
    roots = {u.code: u for u in OrgUnit.objects.filter(depth=1)}
    for new_key, old_keys in data["DICT_PROVINCE"].items():
        new = roots[new_province_codes[new_key]]
        for key in old_keys:
            old = provinces[province_key[key]]
            if old.pk != new.pk:  # a province merged away (one that kept its code continues)
                link(old, new, LineageKind.MERGE)
    for new_province, wards in data["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_key, old_keys in wards.items():
            new = new_units.get((new_province, new_key))
            for key in old_keys:
                if new is not None and key in old_key:
                    kind = LineageKind.MERGE if len(old_keys) > 1 else LineageKind.RENAME
                    link(old_key[key], new, kind)
    for new_province, divided in data["DICT_PROVINCE_WARD_DIVIDED"].items():
        for key, parts in divided.items():
            parts = [p for p in parts if (new_province, p["newWardKey"]) in new_units]
            if key not in old_key or not parts:
                continue
            for part, share in zip(parts, _shares(parts), strict=True):
                link(
                    old_key[key],
                    new_units[(new_province, part["newWardKey"])],
                    LineageKind.SPLIT,
                    share=share,
                    default=part["isDefaultNewWard"],
                    basis=AREA_BASIS,
                )
    linked = {pk for pk, _ in wanted}
    for district in districts.values():
        if district.pk not in linked:
            link(district, None, LineageKind.END)
    _save_links(wanted)
    return unmatched


def _save_links(wanted: dict) -> None:
    """Create the links not yet there, bring the others up to date; idempotent."""
    have = {
        (link.predecessor_id, link.successor_id): link
        for link in Lineage.objects.filter(date=FIRST_DAY)
    }
    create, update = [], []
    for (old, new), fields in wanted.items():
        values = {"share": Decimal(1), "default": False, "basis": "", **fields}
        link = have.get((old, new))
        if link is None:
            create.append(
                Lineage(
                    predecessor_id=old, successor_id=new, date=FIRST_DAY, source=SOURCE, **values
                )
            )
        elif any(getattr(link, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(link, name, value)
            update.append(link)
    Lineage.objects.bulk_create(create, batch_size=2000)
    if update:
        Lineage.objects.bulk_update(update, ["kind", "share", "default", "basis"], batch_size=2000)
