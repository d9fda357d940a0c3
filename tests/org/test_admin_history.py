"""The old map and the 2025 links (issue 22): counts against the package, idempotence, shares,
and the seeds' communes (Hà Linh + Điền Mỹ → Xã Hà Linh; TT Hương Khê, Hương Long, Phú Gia →
Xã Hương Khê)."""

from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from vietnamadminunits.database import query

from tests.factories import make_unit
from xaso.org.admin_history import load_admin_history
from xaso.org.models import Lineage, LineageKind, OrgUnit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    return load_admin_history()


def test_the_old_map_is_loaded_whole_beside_todays(loaded):
    # The oracle: the package's own query API, counted independently of the loader.
    wards = query("SELECT COUNT(*) AS n FROM admin_units_legacy WHERE ward IS NOT NULL")[0]["n"]
    districts = query("SELECT COUNT(DISTINCT districtCode) AS n FROM admin_units_legacy")[0]["n"]
    assert (wards, districts) == (10035, 696)
    assert (loaded.old_communes, loaded.old_districts, loaded.old_provinces) == (10035, 696, 63)
    assert loaded.new_communes == 3321
    old = OrgUnit.objects.filter(valid_to="2025-06-30")
    kinds = Counter(old.values_list("kind", flat=True))
    assert kinds[UnitKind.COMMUNE] + kinds[UnitKind.WARD] + kinds[UnitKind.TOWNSHIP] == 10035
    assert kinds[UnitKind.URBAN_DISTRICT] == 49 and kinds[UnitKind.DISTRICT_TOWN] == 52
    # 63 old provinces: those that kept their code continue as today's unit; 29 ended.
    assert old.filter(depth=1).count() == 63 - 34
    assert len(loaded.unmatched) < 25  # spelled or numbered differently by the two packages


def test_every_old_commune_goes_somewhere_and_a_divided_ones_shares_add_up_to_one(loaded):
    shares = defaultdict(Decimal)
    kinds = Counter()
    for link in Lineage.objects.filter(predecessor__depth=3).exclude(predecessor__kind__in=[
        UnitKind.DISTRICT, UnitKind.URBAN_DISTRICT, UnitKind.DISTRICT_TOWN, UnitKind.DISTRICT_CITY
    ]):  # fmt: skip
        shares[link.predecessor_id] += link.share
        kinds[link.kind] += 1
    assert set(shares.values()) == {Decimal(1)}
    assert len(shares) >= 10035 - 60  # all but those of the unmatched new communes
    divided = Lineage.objects.filter(kind=LineageKind.SPLIT).values("predecessor").distinct()
    assert 460 <= divided.count() <= 471  # the package's 471 divided communes
    for pk in divided.values_list("predecessor", flat=True)[:50]:
        assert Lineage.objects.filter(predecessor=pk, kind="split", default=True).count() == 1


def test_the_seeds_communes_are_linked_to_their_successors(loaded):
    ha_tinh = OrgUnit.objects.get(code="42")
    old = OrgUnit.objects.filter(path__startswith=ha_tinh.path, valid_to="2025-06-30")

    def successors(name, kind=UnitKind.COMMUNE):
        unit = old.get(name=name, kind=kind)
        return {(link.successor.full_name, link.kind) for link in unit.successions.all()}

    assert successors("Hà Linh") == {("Xã Hà Linh", "merge")}
    assert successors("Điền Mỹ") == {("Xã Hà Linh", "merge")}
    assert successors("Hương Khê", UnitKind.TOWNSHIP) == {("Xã Hương Khê", "merge")}
    assert successors("Hương Long") == {("Xã Hương Khê", "merge")}
    assert successors("Phú Gia") == {("Xã Hương Khê", "merge")}
    district = old.get(name="Hương Khê", kind=UnitKind.DISTRICT)
    assert [(link.successor, link.kind) for link in district.successions.all()] == [(None, "end")]
    # Hà Tĩnh kept its code: one unit before and after, its old districts under it.
    assert OrgUnit.objects.get_parent(district) == ha_tinh


def test_loading_again_changes_nothing(loaded):
    units, links = (
        OrgUnit.objects.count(),
        list(Lineage.objects.order_by("pk").values_list("pk", "kind", "share", "default")),
    )
    again = load_admin_history()
    assert again.created == 0
    assert OrgUnit.objects.count() == units
    assert (
        list(Lineage.objects.order_by("pk").values_list("pk", "kind", "share", "default")) == links
    )


def test_a_unit_already_in_the_tree_is_used_not_loaded_twice():
    from xaso.org.admin_units import load_admin_units

    load_admin_units()
    ha_tinh = OrgUnit.objects.get(code="42")
    district = make_unit("Hương Khê", UnitKind.DISTRICT, ha_tinh, code="42.huong-khe")
    commune = make_unit("Hà Linh", UnitKind.COMMUNE, district, code="42.huong-khe.ha-linh")

    load_admin_history()

    [row] = query(
        "SELECT DISTINCT districtCode FROM admin_units_legacy WHERE district = 'Huyện Hương Khê'"
    )
    assert not OrgUnit.objects.filter(code__in=[f"cu-{row['districtCode']}", "cu-18502"]).exists()
    assert OrgUnit.objects.filter(code="cu-18499").exists()  # Điền Mỹ was not in the tree
    assert OrgUnit.objects.filter(name="Hà Linh", valid_to="2025-06-30").count() == 0
    assert {link.successor.full_name for link in commune.successions.all()} == {"Xã Hà Linh"}


def test_xaso_lineage_of_todays_ha_linh_and_of_the_old_one(capsys, loaded):
    import json

    from xaso import cli

    ha_tinh = OrgUnit.objects.get(code="42")
    today = OrgUnit.objects.get(path__startswith=ha_tinh.path, depth=2, name="Hà Linh")
    assert cli.main(["lineage", today.code, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["unit"], data["valid_from"], data["valid_to"]) == (
        "Xã Hà Linh",
        "2025-07-01",
        None,
    )
    assert sorted((p["unit"], p["code"], p["kind"], p["share"]) for p in data["predecessors"]) == [
        ("Xã Hà Linh", "cu-18502", "merge", 1),
        ("Xã Điền Mỹ", "cu-18499", "merge", 1),
    ]
    assert data["successors"] == []

    assert cli.main(["lineage", "cu-18499"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Xã Điền Mỹ (cu-18499), … – 30/06/2025",
        "  thành Xã Hà Linh (sáp nhập), 01/07/2025",
    ]
