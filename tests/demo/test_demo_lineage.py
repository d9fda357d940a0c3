"""The demo's old units and their successors of 1 July 2025 (issue 22).

The expected links are read here from the `vietnamadminunits` package's own files (its SQLite
map and its converter table), not from xaso: each seed's unit as it was, the new commune it
went into (code and name as the package gives them) and all of that commune's predecessors.
The figures are the demo's, added up by hand: each successor answers for a period before it
existed with its predecessors' figures (`xaso show --json`), nothing copied.
"""

import importlib.util
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import transaction

from xaso import cli
from xaso.figures.models import Result
from xaso.org.models import Lineage, LineageKind, OrgUnit

pytestmark = pytest.mark.django_db

# The demo's old units as the package names them: (demo code, province, district, unit).
OLD_UNITS = [
    ("42.huong-khe.ha-linh", "Tỉnh Hà Tĩnh", "Huyện Hương Khê", "Xã Hà Linh"),
    ("42.huong-khe.tt", "Tỉnh Hà Tĩnh", "Huyện Hương Khê", "Thị trấn Hương Khê"),
    ("42.huong-khe.dien-my", "Tỉnh Hà Tĩnh", "Huyện Hương Khê", "Xã Điền Mỹ"),
    ("42.huong-khe.huong-long", "Tỉnh Hà Tĩnh", "Huyện Hương Khê", "Xã Hương Long"),
    ("42.huong-khe.phu-gia", "Tỉnh Hà Tĩnh", "Huyện Hương Khê", "Xã Phú Gia"),
    ("42.huong-khe.huong-thuy", "Tỉnh Hà Tĩnh", "Huyện Hương Khê", "Xã Hương Thủy"),
    ("08.lam-binh.hong-quang", "Tỉnh Tuyên Quang", "Huyện Lâm Bình", "Xã Hồng Quang"),
    ("08.lam-binh.binh-an", "Tỉnh Tuyên Quang", "Huyện Lâm Bình", "Xã Bình An"),
    ("38.thuong-xuan.xuan-duong", "Tỉnh Thanh Hóa", "Huyện Thường Xuân", "Xã Xuân Dương"),
    ("38.thuong-xuan.tho-thanh", "Tỉnh Thanh Hóa", "Huyện Thường Xuân", "Xã Thọ Thanh"),
    ("38.thuong-xuan.ngoc-phung", "Tỉnh Thanh Hóa", "Huyện Thường Xuân", "Xã Ngọc Phụng"),
    ("38.thuong-xuan.tt", "Tỉnh Thanh Hóa", "Huyện Thường Xuân", "Thị trấn Thường Xuân"),
]
DISTRICTS = ["42.huong-khe", "08.lam-binh", "38.thuong-xuan"]
# The new communes' predecessors the demo never had (demo.lineage's text), by today's code.
NOT_IN_THE_DEMO = {
    "18532": {"Xã Hương Giang", "Xã Gia Phố"},
    "02296": {"Xã Thổ Bình"},
    "02302": {"Xã Phúc Sơn", "Xã Minh Quang"},
}


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    from xaso.demo.loader import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def package_file(name: str) -> Path:
    return Path(importlib.util.find_spec("vietnamadminunits").origin).parent / "data" / name


def package_rows(sql: str, *params) -> list[dict]:
    with sqlite3.connect(package_file("dataset.db")) as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute(sql, params)]


def package_successor(province: str, district: str, ward: str) -> dict:
    """What the package says the old unit became: the new commune's code and full name, and
    the full names of all its predecessors (with their old official codes)."""
    [old] = package_rows(
        "SELECT * FROM admin_units_legacy WHERE province = ? AND district = ? AND ward = ?",
        province,
        district,
        ward,
    )
    key = f"{old['provinceKey']}_{old['districtKey']}_{old['wardKey']}"
    converter = json.loads(package_file("converter_2025.json").read_text(encoding="utf-8"))
    [(new_province, new_ward, old_keys)] = [
        (new_province, new_ward, old_keys)
        for new_province, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items()
        for new_ward, old_keys in wards.items()
        if key in old_keys
    ]
    [new] = package_rows(
        "SELECT * FROM admin_units WHERE provinceKey = ? AND wardKey = ?", new_province, new_ward
    )
    legacy = {
        f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}": r
        for r in package_rows(
            "SELECT * FROM admin_units_legacy WHERE provinceKey = ?", old["provinceKey"]
        )
    }
    return {
        "code": new["wardCode"],
        "name": new["ward"],
        "predecessors": {(legacy[k]["ward"], legacy[k]["wardCode"]) for k in old_keys},
    }


@pytest.mark.parametrize(("code", "province", "district", "ward"), OLD_UNITS)
def test_each_old_unit_goes_into_its_successor_as_the_package_says(code, province, district, ward):
    expected = package_successor(province, district, ward)
    old = OrgUnit.objects.get(code=code)

    [link] = Lineage.objects.filter(predecessor=old).select_related("successor")
    new = link.successor

    assert old.full_name == ward
    assert str(old.valid_to) == "2025-06-30"
    assert (new.code, new.full_name, str(new.valid_from)) == (
        expected["code"],
        expected["name"],
        "2025-07-01",
    )
    assert str(link.date) == "2025-07-01"
    kind = LineageKind.MERGE if len(expected["predecessors"]) > 1 else LineageKind.RENAME
    assert (link.kind, link.share) == (kind, Decimal(1))
    # All of the new commune's predecessors that the demo has, and nothing else: the package's
    # list less those the demo never had.
    predecessors = OrgUnit.objects.filter(successions__successor=new)
    assert {unit.full_name for unit in predecessors} == {
        name for name, _ in expected["predecessors"]
    } - NOT_IN_THE_DEMO.get(new.code, set())
    assert all(str(unit.valid_to) == "2025-06-30" for unit in predecessors)


@pytest.mark.parametrize("code", DISTRICTS)
def test_the_seeds_districts_end(code):
    [link] = Lineage.objects.filter(predecessor__code=code)

    assert (link.kind, link.successor, str(link.date)) == (LineageKind.END, None, "2025-07-01")


def show_json(capsys, code: str, period: str) -> dict:
    assert cli.main(["show", code, "--period", period, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def figure(capsys, code: str, indicator: str, period: str) -> Decimal:
    """An old unit's own figure as its page shows it (its villages' figures added up)."""
    [row] = [r for r in show_json(capsys, code, period)["rows"] if r["indicator_code"] == indicator]
    assert not row.get("via_lineage")
    return Decimal(str(row["result"]))


# One figure per successor, for a period before it existed: (today's code, period, indicator,
# {the demo's predecessor: its recorded figure}, the sum worked out by hand, the words).
THROUGH_LINEAGE = [
    (
        "18502",
        "2022-06",
        "duong-gtnt",
        {"42.huong-khe.ha-linh": "1.8", "42.huong-khe.dien-my": "0.5"},
        "2.3",  # 1,8 + 0,5 km
        "tính từ 2 xã cũ: Hà Linh, Điền Mỹ",
    ),
    (
        "18496",
        "2020-H1",
        "thu-ngan-sach",
        {"42.huong-khe.tt": "3750"},  # report 004: 3.750 triệu đồng
        "3750",  # Hương Long and Phú Gia have no figure for 2020
        "tính từ 1 thị trấn cũ: Hương Khê",
    ),
    (
        "18532",
        "2022-06",
        "cay-bong-mat",
        {"42.huong-khe.huong-thuy": "73"},
        "73",  # Hương Giang and Gia Phố are not in the demo: no figure
        "tính từ 1 xã cũ: Hương Thủy",
    ),
    (
        "15646",
        "2022-06",
        "cay-bong-mat",
        {
            "38.thuong-xuan.xuan-duong": "116",
            "38.thuong-xuan.tho-thanh": "82",
            "38.thuong-xuan.ngoc-phung": "91",
        },
        "289",  # 116 + 82 + 91 cây; the township has no June figure
        "tính từ 3 xã cũ: Xuân Dương, Thọ Thanh, Ngọc Phụng",
    ),
    (
        "02296",
        "2022-06",
        "duong-gtnt",
        {"08.lam-binh.binh-an": "0.7"},
        "0.7",  # Thổ Bình is not in the demo
        "tính từ 1 xã cũ: Bình An",
    ),
    (
        "02302",
        "2022-06",
        "duong-gtnt",
        {"08.lam-binh.hong-quang": "0.8"},
        "0.8",  # Phúc Sơn and Minh Quang are not in the demo
        "tính từ 1 xã cũ: Hồng Quang",
    ),
]


@pytest.mark.parametrize(
    ("code", "period", "indicator", "parts", "total", "words"), THROUGH_LINEAGE
)
def test_each_successor_shows_its_predecessors_figure(
    capsys, code, period, indicator, parts, total, words
):
    for old, value in parts.items():
        assert figure(capsys, old, indicator, period) == Decimal(value), old

    data = show_json(capsys, code, period)

    [row] = [r for r in data["rows"] if r["indicator_code"] == indicator]
    assert Decimal(str(row["result"])) == Decimal(total)
    assert (row["via_lineage"], row["lineage"]) == (True, words)
    with_figure = {s["code"] for s in row["sources"] if s["result"] is not None}
    assert with_figure == set(parts)
    # Nothing was copied: today's commune has no figure of its own for the period.
    assert not Result.objects.filter(unit__code=code, period=period).exists()


def test_the_old_units_keep_their_own_figures(capsys):
    assert figure(capsys, "42.huong-khe.ha-linh", "duong-gtnt", "2022-06") == Decimal("1.8")
    assert figure(capsys, "42.huong-khe.tt", "thu-ngan-sach", "2020-H1") == Decimal(3750)


def test_loading_the_links_again_changes_nothing():
    from xaso.demo.lineage import load_lineage

    def links():
        return sorted(
            Lineage.objects.values_list(
                "predecessor__code", "successor__code", "kind", "date", "share", "default"
            )
        )

    before, units = links(), OrgUnit.objects.count()

    assert load_lineage() == 6  # today's communes the demo's old ones went into
    assert (links(), OrgUnit.objects.count()) == (before, units)
    assert len(before) == 12 + 3  # the twelve old communes and townships, the three districts
