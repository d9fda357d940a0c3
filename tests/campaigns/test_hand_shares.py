"""Goals handed down by hand (issue 17): a share typed for each participant — seed 002's four
eco-gardens, one for each mass organisation and none for the villages —, the targets launch
writes, how progress and the ranking treat a participant given no share, and each refusal."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_commune_tree, make_indicator, make_unit, make_user
from xaso.campaigns.models import Campaign, CampaignGoal
from xaso.campaigns.selectors import progress, ranking
from xaso.campaigns.services import GoalInput, create_campaign, launch_campaign
from xaso.figures.models import Allocation, Target
from xaso.figures.services import record_result
from xaso.org.models import Role, UnitKind

pytestmark = pytest.mark.django_db

START, END = dt.date(2022, 4, 15), dt.date(2022, 5, 30)
ORGANISATIONS = [
    ("Nông dân", UnitKind.FARMERS_UNION, "hl-nd"),
    ("Phụ nữ", UnitKind.WOMENS_UNION, "hl-pn"),
    ("Cựu chiến binh", UnitKind.VETERANS_ASSOCIATION, "hl-ccb"),
    ("Thanh niên", UnitKind.YOUTH_UNION, "hl-tn"),
]


@pytest.fixture
def world():
    _, _, commune, villages = make_commune_tree()
    villages.append(make_unit("4", UnitKind.VILLAGE, commune, code="hl-4"))
    organisations = [make_unit(*org[:2], commune, code=org[2]) for org in ORGANISATIONS]
    indicators = {
        "eco": make_indicator("vuon-sinh-thai", name="Vườn sinh thái", unit="vuon"),
        "fences": make_indicator("hang-rao", name="Hàng rào xanh", unit="m"),
        "gardens": make_indicator("vuon", name="Vườn hộ chỉnh trang", unit="vuon"),
    }
    manager = make_user("manager", unit=commune, role=Role.MANAGER)
    return commune, villages, organisations, indicators, manager


def create(world, goals, participants=None, code="cao-diem-2022"):
    commune, villages, organisations, _, manager = world
    return create_campaign(
        host=commune, code=code, name="Thi đua 45 ngày cao điểm", start=START, end=END,
        cadence="daily", goals=goals, participants=participants or villages + organisations,
        user=manager,
    )  # fmt: skip


def one_each(units, value="1"):
    return {unit.code: D(value) for unit in units}


def test_shares_by_hand_beside_an_equal_goal(world):
    commune, villages, organisations, ind, manager = world
    fences = dict(zip([v.code for v in villages], map(D, ("40", "40", "30", "30")), strict=True))
    goals = [
        GoalInput(ind["eco"], D("4"), "hand", one_each(organisations)),
        GoalInput(ind["fences"], D("140"), "hand", fences),
        GoalInput(ind["gardens"], D("80")),  # equal, over all eight participants: 10 each
    ]
    campaign = create(world, goals)
    stored = CampaignGoal.objects.get(campaign=campaign, indicator=ind["eco"])
    assert stored.shares == {"hl-nd": "1", "hl-pn": "1", "hl-ccb": "1", "hl-tn": "1"}
    launch_campaign(campaign, user=manager)

    def shares(indicator):
        rows = Target.objects.filter(indicator=indicator, source="campaign").exclude(unit=commune)
        return {t.unit.code: t.value for t in rows}

    assert shares(ind["eco"]) == {"hl-nd": 1, "hl-pn": 1, "hl-ccb": 1, "hl-tn": 1}
    assert shares(ind["fences"]) == {"hl-1": 40, "hl-2": 40, "hl-3": 30, "hl-4": 30}
    assert shares(ind["gardens"]) == {u.code: 10 for u in villages + organisations}
    host = Target.objects.get(unit=commune, indicator=ind["eco"], source="campaign")
    assert (host.value, Allocation.objects.get(target=host).method) == (4, "hand")
    assert {t.allocated_from_id for t in host.shares.all()} == {host.pk}

    # Thôn 1 lays all its 40 m and its 10 gardens: 100 — the eco-garden it was not given does
    # not count as 0% (that would make it 66,7). Hội Nông dân builds its eco-garden and
    # nothing else: (100 + 0) / 2 = 50. The others have nothing yet: 0.
    day = "2022-04-20..2022-04-20"
    record_result(unit=villages[0], indicator=ind["fences"], period=day, value="40")
    record_result(unit=villages[0], indicator=ind["gardens"], period=day, value="10")
    record_result(unit=organisations[0], indicator=ind["eco"], period=day, value="1")
    found = progress(campaign)
    eco = next(g.goal for g in found.goals if g.goal.indicator == ind["eco"])
    cell = found.cell(villages[0], eco)
    assert (cell.target, cell.percent, cell.missing) == (None, None, 0)
    assert found.goals[0].target == 4 and found.goals[0].done == 1
    ranked = {row.code: row for row in ranking(campaign)}
    assert (ranked["hl-1"].score, ranked["hl-1"].completed, ranked["hl-1"].rank) == (100, 2, 1)
    assert ranked["hl-1"].lacking == []
    assert (ranked["hl-nd"].score, ranked["hl-nd"].rank) == (50, 2)
    assert ranked["hl-nd"].lacking == [("Vườn hộ chỉnh trang", 10)]
    assert ranked["hl-2"].lacking == [("Hàng rào xanh", 40), ("Vườn hộ chỉnh trang", 10)]


def test_shares_for_participants_of_mixed_levels_are_their_own_targets(world):
    commune, villages, organisations, ind, manager = world
    group = make_unit("Liên gia 1", UnitKind.HOUSEHOLD_GROUP, villages[1], code="hl-2-1")
    participants = [villages[0], group, organisations[1]]
    # 2,5 km typed as metres for Thôn 1 and the group; the women's union gets none, and a 0
    # gives no target either.
    shares = {"hl-1": D("1500.5"), "hl-2-1": D("999.5"), "hl-pn": D("0")}
    campaign = create(world, [GoalInput(ind["fences"], D("2500"), "hand", shares)], participants)
    launch_campaign(campaign, user=manager)
    host = Target.objects.get(unit=commune, indicator=ind["fences"])
    rows = Target.objects.filter(indicator=ind["fences"], allocated_from=host)
    assert {t.unit.code: t.value for t in rows} == {"hl-1": D("1500.5"), "hl-2-1": D("999.5")}
    assert not Allocation.objects.filter(target=host).exists()  # no one method reaches them


@pytest.mark.parametrize(
    ("shares", "words"),
    [
        ({"hl-nd": "1", "hl-pn": "1", "hl-ccb": "1", "hl-tn": "2"},
         "Vườn sinh thái: Tổng phần giao 5 khác chỉ tiêu 4."),
        ({"hl-nd": "1", "hl-pn": "1", "hl-ccb": "1"},
         "Vườn sinh thái: Tổng phần giao 3 khác chỉ tiêu 4."),
        ({"hl-nd": "3", "hl-pn": "2", "hl-ccb": "-1"},
         "Vườn sinh thái: phần giao của Hội Cựu chiến binh Cựu chiến binh không được âm."),
        ({"hl-nd": "1.5", "hl-pn": "0.5", "hl-ccb": "1", "hl-tn": "1"},
         "Vườn sinh thái: phần giao của Hội Nông dân Nông dân phải là số nguyên (1,5)."),
        ({"hl-nd": "1", "hl-pn": "1", "hl-ccb": "1", "hl": "1"},
         "Vườn sinh thái: Xã Hà Linh không tham gia phong trào, không nhận phần giao."),
        ({"hl-nd": "1", "hl-pn": "1", "hl-ccb": "1", "xx": "1"},
         "Vườn sinh thái: «xx» không tham gia phong trào, không nhận phần giao."),
    ],
)  # fmt: skip
def test_wrong_shares_are_refused_naming_the_goal(world, shares, words):
    goal = GoalInput(world[3]["eco"], D("4"), "hand", {k: D(v) for k, v in shares.items()})
    with pytest.raises(ValidationError) as refused:
        create(world, [goal])
    assert refused.value.message_dict["goals"] == [words]
    assert not Campaign.objects.exists()


def test_exact_shares_pass_and_shares_need_the_hand_method(world):
    _, _, organisations, ind, _ = world
    # The sum's limit from the other side: exactly 4 is accepted.
    create(world, [GoalInput(ind["eco"], D("4"), "hand", one_each(organisations))])
    with pytest.raises(ValidationError) as refused:
        create(world, [GoalInput(ind["eco"], D("4"), "equal", one_each(organisations))], code="b")
    assert "chỉ nhập khi chọn cách phân bổ nhập tay" in refused.value.message_dict["goals"][0]
