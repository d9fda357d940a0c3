"""Loads the demo's unit groups (data/groups.toml) through the groups services: Thường Xuân's
cluster of report 003 and Hương Khê's two emulation blocs. Loading twice changes nothing."""

import tomllib
from pathlib import Path

from xaso.groups.services import group_save, group_set_save
from xaso.org.models import GroupSet, OrgUnit

DATA = Path(__file__).parent / "data" / "groups.toml"


def load_groups() -> int:
    with DATA.open("rb") as handle:
        data = tomllib.load(handle)
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    for item in data.get("group_sets", []):
        group_set_save(
            owner=units[item["owner"]],
            code=item["code"],
            name=item["name"],
            member_kinds=item["member_kinds"],
        )
    sets = {group_set.code: group_set for group_set in GroupSet.objects.all()}
    for item in data["groups"]:
        group_save(
            owner=units[item["owner"]],
            code=item["code"],
            name=item["name"],
            kind=item["kind"],
            members=[units[code] for code in item["members"]],
            group_set=sets.get(item.get("group_set", "")),
            channel="demo",
        )
    return len(data["groups"])
