"""The loader for the 2025 administrative structure (34 provinces, 3,321 communes)."""

from collections import Counter

import pytest
from vietnam_provinces import Ward

from xaso.org.admin_units import LoadReport, load_admin_units
from xaso.org.models import OrgUnit, UnitKind
from xaso.org.services import unit_create

pytestmark = pytest.mark.django_db


def test_loads_all_provinces_and_communes_with_their_kinds():
    report = load_admin_units()

    assert report == LoadReport(provinces=34, communes=3321, created=3355, updated=0, unchanged=0)
    assert OrgUnit.objects.filter(depth=1).count() == 34
    kinds = Counter(OrgUnit.objects.filter(depth=2).values_list("kind", flat=True))
    assert kinds == {UnitKind.COMMUNE: 2621, UnitKind.WARD: 687, UnitKind.SPECIAL_ZONE: 13}
    assert Counter(OrgUnit.objects.filter(depth=1).values_list("kind", flat=True)) == {
        UnitKind.PROVINCE: 28,
        UnitKind.CITY: 6,
    }


def test_names_and_codes_follow_the_official_list():
    load_admin_units()

    ha_tinh = OrgUnit.objects.get(code="42")
    assert ha_tinh.name == "Hà Tĩnh"
    assert ha_tinh.kind == UnitKind.PROVINCE
    ha_linh = OrgUnit.objects.get(name="Hà Linh", path__startswith=ha_tinh.path, depth=2)
    assert ha_linh.kind == UnitKind.COMMUNE
    assert ha_linh.full_name == "Xã Hà Linh"
    assert ha_linh.search_name == "ha linh"
    assert OrgUnit.objects.get_parent(ha_linh) == ha_tinh

    ha_noi = OrgUnit.objects.get(code="01")
    assert ha_noi.name == "Hà Nội"
    assert ha_noi.kind == UnitKind.CITY

    hoan_kiem = OrgUnit.objects.get(code="00070")
    assert (hoan_kiem.name, hoan_kiem.kind) == ("Hoàn Kiếm", UnitKind.WARD)
    assert OrgUnit.objects.get_parent(hoan_kiem) == ha_noi
    phu_quoc = OrgUnit.objects.get(name="Phú Quốc", kind=UnitKind.SPECIAL_ZONE)
    assert phu_quoc.full_name == "Đặc khu Phú Quốc"
    assert str(phu_quoc.valid_from) == "2025-07-01"


def test_loading_twice_changes_nothing():
    load_admin_units()
    before = list(OrgUnit.objects.order_by("path").values_list())

    again = load_admin_units()

    assert again.created == 0
    assert again.updated == 0
    assert again.unchanged == 34 + 3321
    assert list(OrgUnit.objects.order_by("path").values_list()) == before


def test_existing_province_keeps_its_children_and_gets_its_communes_beside_them():
    ha_tinh = unit_create(name="Hà Tĩnh", kind=UnitKind.PROVINCE, code="42")
    village_commune = unit_create(
        name="Cẩm Xuyên cũ", kind=UnitKind.COMMUNE, code="demo-42-1", parent=ha_tinh
    )
    village = unit_create(
        name="Cẩm Trang", kind=UnitKind.VILLAGE, code="demo-42-1-1", parent=village_commune
    )

    report = load_admin_units()

    assert report.created == 3355 - 1
    assert report.unchanged == 1
    ha_tinh.refresh_from_db()
    assert ha_tinh.valid_from is None  # an existing province keeps its own dates
    village_commune.refresh_from_db()
    village.refresh_from_db()
    assert OrgUnit.objects.get_parent(village_commune) == ha_tinh
    assert OrgUnit.objects.get_parent(village) == village_commune
    expected = sum(1 for w in Ward.iter_all() if int(w.province_code) == 42)
    children = OrgUnit.objects.filter(path__startswith=ha_tinh.path, depth=2)
    assert children.count() == expected + 1
    assert ha_tinh.numchild == expected + 1
    assert children.filter(name="Hà Linh", kind=UnitKind.COMMUNE).exists()
    assert OrgUnit.objects.get_children(ha_tinh).order_by("path").first() == village_commune


def test_every_commune_lies_in_its_provinces_subtree():
    load_admin_units()

    expected = Counter(f"{int(w.province_code):02d}" for w in Ward.iter_all())
    assert len(expected) == 34
    for province in OrgUnit.objects.filter(depth=1):
        communes = OrgUnit.objects.filter(path__startswith=province.path, depth=2)
        assert communes.count() == expected[province.code], province.code
        assert province.numchild == expected[province.code]
