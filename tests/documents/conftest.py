"""The documents tests' shared set-up: the demo's catalog, Hà Linh's tree and its officer."""

import tomllib
from pathlib import Path

import pytest

import xaso.demo
from tests.factories import make_indicator, make_unit, make_user
from xaso.org.models import Role, UnitKind

CATALOG = Path(xaso.demo.__file__).parent / "data" / "indicators.toml"


@pytest.fixture
def catalog() -> dict:
    """The demo's indicator catalog, by code."""
    entries = tomllib.loads(CATALOG.read_text(encoding="utf-8"))["indicators"]
    return {
        entry["code"]: make_indicator(entry["code"], unit=entry["unit"], name=entry["name"])
        for entry in entries
    }


@pytest.fixture
def ha_linh():
    province = make_unit("Hà Tĩnh", UnitKind.PROVINCE, code="42")
    district = make_unit("Hương Khê", UnitKind.DISTRICT, province, code="hk")
    commune = make_unit("Hà Linh", UnitKind.COMMUNE, district, code="hl")
    villages = {
        n: make_unit(str(n), UnitKind.VILLAGE, commune, code=f"hl-{n}") for n in range(1, 13)
    }
    make_unit("9", UnitKind.PARTY_CELL, commune, code="hl-cb9")  # "9" alone is ambiguous
    elsewhere = make_unit("Khác", UnitKind.COMMUNE, district, code="khac")
    make_unit("Cẩm Trang", UnitKind.VILLAGE, elsewhere, code="khac-ct")
    return commune, villages


@pytest.fixture
def officer(client, ha_linh):
    user = make_user("vanphong", unit=ha_linh[0], role=Role.MANAGER)
    client.force_login(user)
    return user
