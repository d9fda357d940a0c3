"""Loads the demo's 2025 successors (data/lineage.toml): today's Xã Hà Linh and Xã Hương Khê,
linked to the old communes of the seeds, so their pages answer for 2022 from them. The full
map is `xaso load-admin-units --history`; the demo keeps to the seeds' communes."""

import datetime as dt
import tomllib
from pathlib import Path

from xaso.org.models import Lineage, LineageKind, OrgUnit
from xaso.org.services import unit_upsert

DATA = Path(__file__).parent / "data" / "lineage.toml"
FIRST_DAY = dt.date(2025, 7, 1)
SOURCE = "vietnamadminunits (bảng chuyển đổi 2025)"


def load_lineage() -> int:
    with DATA.open("rb") as handle:
        entries = tomllib.load(handle)["successors"]
    for entry in entries:
        unit = unit_upsert(
            code=entry["code"],
            name=entry["name"],
            kind=entry["kind"],
            parent=OrgUnit.objects.get(code=entry["parent"]),
            valid_from=FIRST_DAY,
        )
        old = entry["predecessors"]
        kind = LineageKind.MERGE if len(old) > 1 else LineageKind.RENAME
        for code in old:
            Lineage.objects.get_or_create(
                predecessor=OrgUnit.objects.get(code=code),
                successor=unit,
                date=FIRST_DAY,
                defaults={"kind": kind, "source": SOURCE},
            )
    return len(entries)
