"""Loading packs: all or nothing, the same content once, a new version keeps the assessments."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from tests.criteria.packs import TWO_REGIONS, two_regions
from tests.factories import make_indicator, make_unit, make_user
from xaso.audit.models import AuditEntry
from xaso.catalog.models import Indicator, Rollup
from xaso.criteria.loading import load_pack, load_shipped, shipped_pack_files
from xaso.criteria.models import CriteriaSet, Criterion, Requirement
from xaso.criteria.pack import PackError, read_pack_file, read_pack_text
from xaso.criteria.services import assess
from xaso.org.models import Role, UnitKind

pytestmark = pytest.mark.django_db


def test_a_pack_loads_its_criteria_requirements_and_the_indicators_it_names():
    loaded = load_pack(two_regions())
    assert loaded.outcome == "created"
    s = loaded.criteria_set
    assert [c.number for c in s.criteria.order_by("position")] == ["1", "2", "3", "4"]
    water = Requirement.objects.get(code="1.1")
    assert water.thresholds == {"all": "85", "NAM": "90.5"}
    assert water.indicator.code == "thu-nuoc-sach"
    assert (water.indicator.unit, water.indicator.rollup) == ("percent", Rollup.NONE)
    assert Requirement.objects.get(code="2.1").thresholds == {"all": "5", "BAC": None}
    assert s.groups == [["BAC", "Miền Bắc"], ["NAM", "Miền Nam"]]
    assert AuditEntry.objects.filter(entity="criteria_set", object_id=s.pk).count() == 1


def test_loading_the_same_pack_again_changes_nothing():
    first = load_pack(two_regions()).criteria_set
    again = load_pack(two_regions())
    assert again.outcome == "unchanged"
    assert again.criteria_set.pk == first.pk
    assert Criterion.objects.count() == 4 and Requirement.objects.count() == 3
    assert AuditEntry.objects.filter(entity="criteria_set").count() == 1


def test_a_new_version_replaces_the_definition_and_keeps_the_assessments():
    load_pack(two_regions())
    commune = make_unit("Thử", UnitKind.COMMUNE)
    criterion = Criterion.objects.get(number="4")
    assess(unit=commune, criterion=criterion, on=dt.date(2024, 5, 1), status="met")
    text = TWO_REGIONS.replace('version: "1"', 'version: "2"').replace("{all: 85,", "{all: 80,")
    loaded = load_pack(read_pack_text(text, file="thu.yaml"))
    assert loaded.outcome == "updated"
    assert loaded.criteria_set.version == "2"
    assert Requirement.objects.get(code="1.1").thresholds["all"] == "80"
    assert Criterion.objects.get(number="4").pk == criterion.pk
    assert criterion.assessments.count() == 1


def test_a_new_version_that_drops_an_assessed_criterion_is_refused_and_nothing_changes():
    load_pack(two_regions())
    commune = make_unit("Thử", UnitKind.COMMUNE)
    assess(
        unit=commune,
        criterion=Criterion.objects.get(number="4"),
        on=dt.date(2024, 5, 1),
        status="met",
    )
    head, _, _ = TWO_REGIONS.partition('  - number: "4"')
    text = head.replace('version: "1"', 'version: "2"').replace("{all: 85,", "{all: 80,")
    with pytest.raises(PackError) as caught:
        load_pack(read_pack_text(text, file="thu.yaml"))
    assert "số 4" in caught.value.message and caught.value.field == "criteria"
    assert CriteriaSet.objects.get().version == "1"
    assert Requirement.objects.get(code="1.1").thresholds["all"] == "85"
    assert Criterion.objects.count() == 4


def test_a_threshold_is_converted_into_the_unit_of_an_existing_indicator():
    make_indicator("thu-cho", unit="cong_trinh")
    make_indicator("thu-nuoc-sach", unit="percent")
    text = (
        TWO_REGIONS.replace("indicator: thu-ho-ngheo", "indicator: thu-duong")
        .replace("threshold: {all: 5, BAC: null}", "threshold: {all: 2, BAC: null}")
        .replace("test: at_most\n        unit: percent", "test: at_least\n        unit: km")
    )
    make_indicator("thu-duong", unit="m")
    load_pack(read_pack_text(text, file="thu.yaml"))
    roads = Requirement.objects.get(code="2.1")
    assert roads.unit == "m"
    assert roads.thresholds == {"all": "2000", "BAC": None}  # 2 km as metres


def test_an_indicator_of_another_kind_of_unit_is_refused_and_nothing_is_written():
    make_indicator("thu-nuoc-sach", unit="ho")
    with pytest.raises(PackError) as caught:
        load_pack(two_regions())
    assert "thu-nuoc-sach" in caught.value.message
    assert not CriteriaSet.objects.exists() and not Criterion.objects.exists()
    assert not Indicator.objects.filter(code="thu-ho-ngheo").exists()


def test_a_set_that_requires_another_needs_it_loaded_first():
    text = TWO_REGIONS.replace(
        "confidence: summary\ncriteria", "confidence: summary\nrequires: goc\ncriteria"
    )
    with pytest.raises(PackError) as caught:
        load_pack(read_pack_text(text, file="thu.yaml"))
    assert caught.value.field == "requires"


def test_only_the_operator_loads_a_national_set_and_a_province_manager_loads_its_own():
    province = make_unit("Tỉnh Thử", UnitKind.PROVINCE)
    commune = make_unit("Xã Thử", UnitKind.COMMUNE, province)
    manager = make_user("tinh", unit=province, role=Role.MANAGER)
    commune_manager = make_user("xa", unit=commune, role=Role.MANAGER)
    with pytest.raises(PermissionDenied):
        load_pack(two_regions(), user=manager)  # national: the operator's
    own = two_regions(scope="province")
    with pytest.raises(PermissionDenied):
        load_pack(own, user=commune_manager, owner=province)
    with pytest.raises(PackError):
        load_pack(own, user=commune_manager, owner=commune)  # a commune owns no set
    loaded = load_pack(own, user=manager, owner=province)
    assert loaded.criteria_set.owner == province
    other = make_unit("Tỉnh Khác", UnitKind.PROVINCE)
    with pytest.raises(PackError) as caught:  # the code is taken by another owner's set
        load_pack(own, owner=other)
    assert caught.value.field == "code"


def test_every_shipped_pack_is_valid_and_they_load_together():
    files = shipped_pack_files()
    assert files, "no shipped packs"
    packs = [read_pack_file(path) for path in files]
    codes = [pack.code for pack in packs]
    assert len(codes) == len(set(codes))
    loaded = load_shipped()
    national = {p.code for p in packs if p.scope == "national"}
    assert {item.criteria_set.code for item in loaded} == national
    assert all(item.outcome == "created" for item in loaded)
    assert all(item.outcome == "unchanged" for item in load_shipped())
    province = make_unit("Hà Tĩnh", UnitKind.PROVINCE)
    examples = load_shipped(owner=province)
    assert {item.criteria_set.code for item in examples} == set(codes) - national
    assert all(item.criteria_set.owner == province for item in examples)


def test_thresholds_are_stored_as_exact_strings():
    load_pack(two_regions())
    assert Decimal(Requirement.objects.get(code="1.1").thresholds["NAM"]) == Decimal("90.5")
