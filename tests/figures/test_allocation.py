"""Handing targets down: methods, exact sums, confirmed differences, further down, rights."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import make_indicator, make_unit, make_user
from xaso.audit.models import AuditEntry, Entity
from xaso.figures.allocation import AllocationRowsError, allocate, propose
from xaso.figures.models import Allocation, Target, TargetSource
from xaso.figures.services import record_result, set_target
from xaso.org.models import Role, UnitKind

pytestmark = pytest.mark.django_db

CAMPAIGN = TargetSource.CAMPAIGN
HOUSEHOLDS = (120, 95, 88, 143)


@pytest.fixture
def commune():
    """A commune of four villages with their household counts for 2022; village 1 has two
    inter-household groups."""
    district = make_unit("Lâm Bình", UnitKind.DISTRICT, code="lb")
    commune = make_unit("Xuân Quang", UnitKind.COMMUNE, district, code="xq")
    villages = [
        make_unit(f"Thôn {n}", UnitKind.VILLAGE, commune, code=f"xq-{n}") for n in range(1, 5)
    ]
    groups = [
        make_unit(f"Tổ {n}", UnitKind.HOUSEHOLD_GROUP, villages[0], code=f"xq-1-{n}")
        for n in (1, 2)
    ]
    households = make_indicator("so-ho", unit="ho", name="Số hộ")
    for village, count in zip(villages, HOUSEHOLDS, strict=True):
        record_result(unit=village, indicator=households, period="2022", value=str(count))
    gardens = make_indicator("vuon-mau", unit="ho", name="Hộ chỉnh trang vườn")
    target = set_target(unit=commune, indicator=gardens, period="2022", source=CAMPAIGN, value="77")
    return {
        "district": district,
        "commune": commune,
        "villages": villages,
        "groups": groups,
        "households": households,
        "gardens": gardens,
        "target": target,
    }


def shares_of(target):
    return {t.unit.code: t.value for t in Target.objects.filter(allocated_from=target)}


def test_by_households_the_shares_are_whole_and_add_up_to_77(commune):
    plan = allocate(target=commune["target"], method="base", base_indicator=commune["households"])
    # 77 × households / 446, floors 20 16 15 24, the two left to remainders 0,72 and 0,69.
    assert shares_of(commune["target"]) == {"xq-1": 21, "xq-2": 16, "xq-3": 15, "xq-4": 25}
    assert plan.total == 77 and plan.difference == 0
    assert [share.base for share in plan.shares] == [Decimal(n) for n in HOUSEHOLDS]
    shares = Target.objects.filter(allocated_from=commune["target"])
    assert {t.source for t in shares} == {CAMPAIGN}
    assert {t.period for t in shares} == {"2022"}
    allocation = Allocation.objects.get(target=commune["target"])
    assert (allocation.method, allocation.base_indicator) == ("base", commune["households"])
    assert allocation.confirmed_difference is None


def test_equally(commune):
    allocate(target=commune["target"], method="equal")
    assert shares_of(commune["target"]) == {"xq-1": 20, "xq-2": 19, "xq-3": 19, "xq-4": 19}


def test_dry_run_writes_nothing(commune):
    plan = allocate(target=commune["target"], method="equal", dry_run=True)
    assert plan.total == 77
    assert not Target.objects.filter(allocated_from=commune["target"]).exists()
    assert not Allocation.objects.exists()


def test_a_village_without_a_base_figure_is_named_and_nothing_is_saved(commune):
    make_unit("Thôn 5", UnitKind.VILLAGE, commune["commune"], code="xq-5")
    with pytest.raises(AllocationRowsError) as error:
        allocate(target=commune["target"], method="base", base_indicator=commune["households"])
    assert error.value.rows == [("Thôn Thôn 5", "chưa có số liệu Số hộ năm 2022.")]
    assert not Target.objects.filter(allocated_from=commune["target"]).exists()


def test_by_hand_a_difference_needs_confirming_and_is_kept(commune):
    values = {"xq-1": "20", "xq-2": "20", "xq-3": "20", "xq-4": "20"}
    with pytest.raises(ValidationError, match=r"Tổng các phần phân bổ 80 hộ khác chỉ tiêu 77"):
        allocate(target=commune["target"], method="hand", values=values)
    assert not Target.objects.filter(allocated_from=commune["target"]).exists()
    plan = allocate(target=commune["target"], method="hand", values=values, confirm_difference=True)
    assert plan.difference == 3
    assert Allocation.objects.get(target=commune["target"]).confirmed_difference == 3


def test_by_hand_the_sum_equal_to_the_target_needs_no_confirmation(commune):
    values = {"xq-1": "21", "xq-2": "16", "xq-3": "15", "xq-4": "25"}
    allocate(target=commune["target"], method="hand", values=values)
    assert shares_of(commune["target"])["xq-4"] == 25


def test_bad_rows_are_all_reported(commune):
    values = {"xq-1": "20,5", "xq-2": "-3", "xq-3": "15", "xq-4": "25", "zz": "1"}
    with pytest.raises(AllocationRowsError) as error:
        allocate(target=commune["target"], method="hand", values=values)
    labels = [label for label, _ in error.value.rows]
    assert labels == ["zz", "Thôn Thôn 1", "Thôn Thôn 2"]
    assert "số nguyên" in error.value.rows[1][1]
    assert "âm" in error.value.rows[2][1]


def test_a_village_hands_its_share_to_its_groups_within_what_it_was_given(commune):
    allocate(target=commune["target"], method="base", base_indicator=commune["households"])
    village_target = Target.objects.get(unit=commune["villages"][0], allocated_from__isnull=False)
    plan = allocate(target=village_target, method="equal")
    assert shares_of(village_target) == {"xq-1-1": 11, "xq-1-2": 10}
    assert plan.total == village_target.value == 21
    with pytest.raises(ValidationError, match="khác chỉ tiêu 21"):
        allocate(target=village_target, method="hand", values={"xq-1-1": "15", "xq-1-2": "15"})


def test_to_a_kind_of_descendant(commune):
    plan = allocate(target=commune["target"], method="equal", to_kind=UnitKind.HOUSEHOLD_GROUP)
    assert [share.unit.code for share in plan.shares] == ["xq-1-1", "xq-1-2"]
    assert shares_of(commune["target"]) == {"xq-1-1": 39, "xq-1-2": 38}


def test_reallocating_removes_shares_no_longer_given_and_audits_it(commune):
    allocate(target=commune["target"], method="equal")
    allocate(target=commune["target"], method="equal", to_kind=UnitKind.HOUSEHOLD_GROUP)
    assert set(shares_of(commune["target"])) == {"xq-1-1", "xq-1-2"}
    deleted = AuditEntry.objects.filter(entity=Entity.TARGET, action="delete")
    assert deleted.count() == 4
    assert AuditEntry.objects.filter(entity=Entity.ALLOCATION).count() == 2


def test_a_share_handed_further_cannot_be_silently_withdrawn(commune):
    allocate(target=commune["target"], method="equal")
    village_target = Target.objects.get(unit=commune["villages"][0])
    allocate(target=village_target, method="equal")
    with pytest.raises(ValidationError, match="đã phân bổ tiếp"):
        allocate(target=commune["target"], method="equal", to_kind=UnitKind.HOUSEHOLD_GROUP)
    assert set(shares_of(commune["target"])) == {"xq-1", "xq-2", "xq-3", "xq-4"}


def test_last_years_shares(commune):
    gardens = commune["gardens"]
    for village, share in zip(commune["villages"], (10, 20, 30, 40), strict=True):
        set_target(unit=village, indicator=gardens, period="2021", source=CAMPAIGN, value=share)
    allocate(target=commune["target"], method="last_year")
    # 77 × (10, 20, 30, 40) / 100 = 7,7 · 15,4 · 23,1 · 30,8 → 7 15 23 30, +1 to 0,8 and 0,7.
    assert shares_of(commune["target"]) == {"xq-1": 8, "xq-2": 15, "xq-3": 23, "xq-4": 31}


def test_a_rate_is_given_whole_to_each_and_not_split(commune):
    rate = make_indicator("ty-le-ho-ngheo", unit="percent", rollup="avg", name="Tỷ lệ hộ nghèo")
    target = set_target(
        unit=commune["commune"], indicator=rate, period="2022", source=CAMPAIGN, value="2,5"
    )
    plan = allocate(target=target, method="equal")
    assert {share.value for share in plan.shares} == {Decimal("2.5")}
    with pytest.raises(ValidationError, match="không chia theo tỷ lệ"):
        propose(target, "base", base_indicator=commune["households"])


def test_a_village_head_cannot_allocate(commune):
    head = make_user("truongthon", unit=commune["villages"][0], role=Role.REPORTER)
    village_target = set_target(
        unit=commune["villages"][0],
        indicator=commune["gardens"],
        period="2022",
        source=TargetSource.ANNUAL_PLAN,
        value="20",
    )
    with pytest.raises(PermissionDenied):
        allocate(target=village_target, method="equal", user=head)
    assert not Target.objects.filter(allocated_from=village_target).exists()


def test_a_commune_manager_allocates_only_inside_the_commune(commune):
    manager = make_user("canbo", unit=commune["commune"], role=Role.MANAGER)
    plan = allocate(target=commune["target"], method="equal", user=manager)
    assert plan.total == 77
    assert {t.set_by for t in Target.objects.filter(allocated_from=commune["target"])} == {manager}
    other = make_unit("Thổ Bình", UnitKind.COMMUNE, commune["district"], code="tb")
    other_target = set_target(
        unit=other, indicator=commune["gardens"], period="2022", source=CAMPAIGN, value="10"
    )
    make_unit("Thôn A", UnitKind.VILLAGE, other, code="tb-a")
    with pytest.raises(PermissionDenied):
        allocate(target=other_target, method="equal", user=manager)
    district_target = set_target(
        unit=commune["district"],
        indicator=commune["gardens"],
        period="2022",
        source=CAMPAIGN,
        value="100",
    )
    with pytest.raises(PermissionDenied):
        allocate(target=district_target, method="equal", user=manager)


def test_the_same_allocation_sent_twice_writes_once(commune):
    allocate(target=commune["target"], method="equal")
    entries = AuditEntry.objects.count()
    allocate(target=commune["target"], method="equal")
    assert AuditEntry.objects.count() == entries
    allocate(target=commune["target"], method="base", base_indicator=commune["households"])
    assert AuditEntry.objects.filter(entity=Entity.ALLOCATION).count() == 2


def test_by_hand_a_blank_row_is_given_no_share(commune):
    allocate(target=commune["target"], method="equal")
    values = {"xq-1": "40", "xq-2": "37", "xq-3": "", "xq-4": " "}
    plan = allocate(target=commune["target"], method="hand", values=values)
    assert [share.unit.code for share in plan.shares] == ["xq-1", "xq-2"]
    assert shares_of(commune["target"]) == {"xq-1": 40, "xq-2": 37}
    with pytest.raises(ValidationError, match="Chưa nhập phần giao cho đơn vị nào"):
        allocate(target=commune["target"], method="hand", values={"xq-1": ""})


def test_a_campaigns_target_is_split_by_the_years_households(commune):
    target = set_target(
        unit=commune["commune"],
        indicator=commune["gardens"],
        period="2022-04-15..2022-05-30",
        source=CAMPAIGN,
        value="77",
    )
    allocate(target=target, method="base", base_indicator=commune["households"])
    # The households are recorded for 2022: the same split as the year's target.
    assert shares_of(target) == {"xq-1": 21, "xq-2": 16, "xq-3": 15, "xq-4": 25}


def test_a_year_outside_the_period_is_not_used(commune):
    target = set_target(
        unit=commune["commune"],
        indicator=commune["gardens"],
        period="2021",
        source=CAMPAIGN,
        value="10",
    )
    with pytest.raises(AllocationRowsError) as error:
        allocate(target=target, method="base", base_indicator=commune["households"])
    assert error.value.rows[0] == ("Thôn Thôn 1", "chưa có số liệu Số hộ năm 2021.")
