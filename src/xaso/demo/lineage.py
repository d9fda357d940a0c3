"""The seeds' units as they were and their successors of 1 July 2025, with the real links.

Taken at load time from the offline `vietnamadminunits` package, with the functions of
`org.admin_history` (its SQLite file, its converter table, its names, shares and links), so
that nothing of the package is copied into the demo's data files.

What it covers: every old unit of the demo (data/places.toml) that is on the package's old
map — the seeds' communes and townships (Hà Linh, Thị trấn Hương Khê; Hồng Quang, Bình An;
Xuân Dương, Thọ Thanh, Ngọc Phụng, Thị trấn Thường Xuân), Hương Khê's four communes of the
blocs (Hương Long, Phú Gia, Điền Mỹ, Hương Thủy) and their three districts: each commune is
linked to the new commune it went into (today's Xã Hà Linh, Hương Khê, Hương Phố, Thường
Xuân, Bình An, Minh Quang, coded and named as the package gives them), `merge` when several
went into one, `rename` when one became one, one `split` per part of a divided one with its
share by area (none of the demo's was divided); the districts end.

What it does not cover: the new communes' other predecessors, which the demo never had
(Hương Giang and Gia Phố went into Xã Hương Phố, Thổ Bình into Xã Bình An, Phúc Sơn and Minh
Quang into Xã Minh Quang): adding them would put communes without data into the district's
blocs and the province's reporting; their figures would be missing anyway, and the pages say
which predecessors a figure was computed from. Nor the rest of the country (the whole map,
14,000 units, is `xaso load-admin-units --history`, which finds the demo's units by name and
adds the rest), the provinces merged away (Hà Giang into Tuyên Quang: none of the demo's units
was there), or Trang Giang (report 002's commune has a stand-in name, not on the map).
"""

from collections import defaultdict

from xaso.org.admin_history import (
    _DISTRICT_KINDS,
    _NEW_WARD_WORDS,
    _WARD_KINDS,
    AREA_BASIS,
    FIRST_DAY,
    OLD,
    _converter,
    _Known,
    _rows,
    _save_links,
    _shares,
    _split_name,
)
from xaso.org.models import LineageKind, OrgUnit
from xaso.org.services import unit_upsert


def _old_map(province_codes: set[str]) -> list[dict]:
    """The package's old communes of these provinces, with their districts and keys (the
    10,040 rows read in about 0,05 s)."""
    rows = _rows(
        "SELECT province, provinceCode, provinceKey, district, districtCode, districtKey,"
        " ward, wardCode, wardKey FROM admin_units_legacy ORDER BY districtCode, wardCode"
    )
    return [row for row in rows if row["provinceCode"] in province_codes]


def _key(row: dict) -> str:
    """The converter's key of an old commune: "province_district_commune"."""
    return f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey'] or ''}"


def _demo_units(legacy: list[dict], roots: dict[str, OrgUnit]):
    """The demo's units found on the old map: ({district code: unit}, {key: unit})."""
    districts, communes = {}, {}
    known_districts = _Known(_DISTRICT_KINDS.values())
    known_communes = _Known(_WARD_KINDS.values())
    for row in legacy:
        if row["districtCode"] not in districts:
            kind, name = _split_name(row["district"], _DISTRICT_KINDS)
            code = OLD + row["districtCode"]
            districts[row["districtCode"]] = known_districts.find(
                roots[row["provinceCode"]], code, kind, name
            )
        district = districts[row["districtCode"]]
        if district is not None and row["ward"]:
            kind, name = _split_name(row["ward"], _WARD_KINDS)
            found = known_communes.find(district, OLD + row["wardCode"], kind, name)
            if found is not None:
                communes[_key(row)] = found
    return {code: unit for code, unit in districts.items() if unit is not None}, communes


def _successors(communes: dict[str, OrgUnit]) -> dict[tuple[str, str], list]:
    """{(new province key, new commune key): [(old key, kind, share, default, basis)]}: each
    new commune that took one of the demo's communes, with all of its predecessors (the kind
    says how many went into it, the demo's or not)."""
    data = _converter()
    found = defaultdict(list)
    for province, wards in data["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_key, old_keys in wards.items():
            if any(key in communes for key in old_keys):
                kind = LineageKind.MERGE if len(old_keys) > 1 else LineageKind.RENAME
                found[(province, new_key)] += [(key, kind, None, False, "") for key in old_keys]
    for province, divided in data["DICT_PROVINCE_WARD_DIVIDED"].items():
        for key, parts in divided.items():
            if key in communes:
                for part, share in zip(parts, _shares(parts), strict=True):
                    found[(province, part["newWardKey"])].append(
                        (key, LineageKind.SPLIT, share, part["isDefaultNewWard"], AREA_BASIS)
                    )
    return found


def _new_communes() -> dict[tuple[str, str], dict]:
    """Today's communes of the package by (province key, commune key)."""
    rows = _rows("SELECT provinceKey, provinceCode, ward, wardCode, wardKey FROM admin_units")
    return {(row["provinceKey"], row["wardKey"]): row for row in rows}


def _new_commune(row: dict, roots: dict[str, OrgUnit]) -> OrgUnit:
    """A new commune under its province, coded and named as the package has it (the same as
    `vietnam_provinces`, which `load-admin-units` reads, for the demo's six)."""
    kind, name = _split_name(row["ward"], _NEW_WARD_WORDS)
    return unit_upsert(
        code=row["wardCode"],
        name=name,
        kind=kind,
        parent=roots[row["provinceCode"]],
        valid_from=FIRST_DAY,
    )


def load_lineage() -> int:
    """Load the successors and the links (see the module's text); the successors' number.
    Loading again changes nothing."""
    roots = {unit.code: unit for unit in OrgUnit.objects.filter(depth=1)}
    legacy = _old_map(set(roots))
    districts, communes = _demo_units(legacy, roots)
    wanted = {}
    successors = _successors(communes)
    today = _new_communes()
    for place, olds in sorted(successors.items()):
        new = _new_commune(today[place], roots)
        for key, kind, share, default, basis in olds:
            if key not in communes:
                continue  # a predecessor the demo does not have (see the module's text)
            fields = {"kind": kind, "default": default, "basis": basis}
            if share is not None:
                fields["share"] = share
            wanted[(communes[key].pk, new.pk)] = fields
    for district in districts.values():
        wanted[(district.pk, None)] = {"kind": LineageKind.END}
    _save_links(wanted)
    return len(successors)
