"""Creating, launching and closing a campaign (issue 17), beyond tests/campaigns/test_launch.py:
the other fields' errors, participants of mixed kinds, a split by households, closing."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.campaigns.test_launch import END, START, campaign_of, world  # noqa: F401 — fixture
from tests.factories import make_indicator, make_unit, make_user
from xaso.audit.models import AuditEntry
from xaso.campaigns.models import Campaign, CampaignStatus
from xaso.campaigns.services import GoalInput, close_campaign, launch_campaign
from xaso.figures.models import Allocation, Target
from xaso.figures.services import record_result
from xaso.org.models import Role, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(world):  # noqa: F811
    """Two villages, a household group of the third, and the commune's women's union."""
    _, commune, villages, *_ = world
    group = make_unit("Liên gia 1", UnitKind.HOUSEHOLD_GROUP, villages[2], code="hl-3-1")
    women = make_unit("Phụ nữ", UnitKind.WOMENS_UNION, commune, code="hl-pn")
    return [villages[0], villages[1], group, women]


def test_participants_of_mixed_kinds_get_equal_shares_traced_to_the_host(world, mixed):  # noqa: F811
    _, commune, _, fences, gardens, manager = world
    campaign = launch_campaign(
        campaign_of(world, participants=mixed, cadence="daily"), user=manager
    )
    host = Target.objects.get(unit=commune, indicator=gardens, source="campaign")
    shares = Target.objects.filter(indicator=gardens, unit__in=mixed).order_by("unit__path")
    # 77 gardens for 4: 20 + 19 + 19 + 19, in tree order (hl-1, hl-2, hl-3-1, hl-pn).
    assert [(t.unit.code, t.value) for t in shares] == [
        ("hl-1", 20), ("hl-2", 19), ("hl-3-1", 19), ("hl-pn", 19)
    ]  # fmt: skip
    assert {t.allocated_from_id for t in shares} == {host.pk}
    assert {(t.source, t.period) for t in shares} == {("campaign", "2022-04-15..2022-05-30")}
    assert sum(t.value for t in Target.objects.filter(indicator=fences, unit__in=mixed)) == 140
    assert set(campaign.form.reporter_units.all()) == set(mixed)
    assert campaign.form.period_type == "day"


def test_a_chosen_subset_of_villages_is_handed_its_shares_as_an_allocation(world):  # noqa: F811
    _, commune, villages, _, gardens, manager = world
    launch_campaign(campaign_of(world, participants=villages[:2]), user=manager)
    shares = Target.objects.filter(indicator=gardens, source="campaign", unit__in=villages)
    assert sorted(t.value for t in shares) == [38, 39]  # the third village gets nothing
    host = Target.objects.get(unit=commune, indicator=gardens)
    assert Allocation.objects.get(target=host).method == "hand"


def test_a_goal_split_by_households(world):  # noqa: F811
    _, commune, villages, fences, gardens, manager = world
    households = make_indicator("so-ho", name="Số hộ", unit="ho")
    for village, count in zip(villages, ("100", "200", "100"), strict=True):
        record_result(unit=village, indicator=households, period="2022", value=count)
    goals = [GoalInput(fences, D("140")), GoalInput(gardens, D("80"), "base:so-ho")]
    launch_campaign(campaign_of(world, goals=goals), user=manager)
    shares = Target.objects.filter(indicator=gardens, unit__in=villages).order_by("unit__path")
    assert [t.value for t in shares] == [20, 40, 20]  # 80 in the ratio 1 : 2 : 1
    host = Target.objects.get(unit=commune, indicator=gardens)
    assert Allocation.objects.get(target=host).method == "base"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"code": "cao-diem-2022"}, "code", "đã được dùng"),
        ({"name": "  "}, "name", "đặt tên"),
        ({"cadence": "monthly"}, "cadence", "hằng ngày hoặc thứ Sáu"),
        ({"goals": "hand"}, "goals", "Tổng phần giao 0 khác chỉ tiêu 10"),
        ({"goals": "base:so-ho"}, "goals", "tất cả đơn vị trực thuộc"),
        ({"goals": "base:khong-co"}, "goals", "không có số liệu gốc mã «khong-co»"),
        ({"goals": "twice"}, "goals", "chỉ được phát động một lần"),
        ({"participants": "twice"}, "participants", "chỉ tham gia một lần"),
        ({"participants": "host"}, "participants", "Không thuộc Xã Hà Linh: Xã Hà Linh"),
    ],
)
def test_more_bad_campaigns_are_refused_by_field(world, changes, field, words):  # noqa: F811
    _, commune, villages, fences, gardens, manager = world
    make_indicator("so-ho", name="Số hộ", unit="ho")
    campaign_of(world, code="cao-diem-2022")  # taken
    goals = {
        "hand": [GoalInput(fences, D("10"), "hand")],
        "base:so-ho": [GoalInput(fences, D("10"), "base:so-ho")],  # with two villages of three
        "base:khong-co": [GoalInput(fences, D("10"), "base:khong-co")],
        "twice": [GoalInput(fences, D("1")), GoalInput(fences, D("2"))],
    }
    participants = {"twice": [villages[0], villages[0]], "host": [commune]}
    if "goals" in changes:
        changes = {"goals": goals[changes["goals"]], "participants": villages[:2]}
    elif "participants" in changes:
        changes = {"participants": participants[changes["participants"]]}
    changes.setdefault("code", "khac")
    count = Campaign.objects.count()
    with pytest.raises(ValidationError) as refused:
        campaign_of(world, **changes)
    assert words in " ".join(refused.value.message_dict[field])
    assert Campaign.objects.count() == count


def test_a_participant_inside_another_is_refused(world):  # noqa: F811
    _, _, villages, *_ = world
    group = make_unit("Liên gia 1", UnitKind.HOUSEHOLD_GROUP, villages[0], code="hl-1-1")
    with pytest.raises(ValidationError) as refused:
        campaign_of(world, participants=[villages[0], group])
    assert refused.value.message_dict["participants"] == [
        "Tổ liên gia Liên gia 1 thuộc Thôn 1: một đơn vị tham gia không nằm trong đơn vị "
        "tham gia khác (kết quả sẽ bị tính hai lần)."
    ]


def test_closing(world):  # noqa: F811
    _, _, villages, *_, manager = world
    campaign = campaign_of(world)
    with pytest.raises(ValidationError) as refused:
        close_campaign(campaign, user=manager)  # never launched
    assert "chưa phát động" in refused.value.message_dict["status"][0]
    launch_campaign(campaign, user=manager)
    reporter = make_user("thon", unit=villages[0], role=Role.MANAGER)
    with pytest.raises(PermissionDenied):
        close_campaign(campaign, user=reporter)
    closed = close_campaign(campaign, user=manager)
    assert (closed.status, closed.closed_at is not None) == (CampaignStatus.CLOSED, True)
    close_campaign(campaign, user=manager)  # twice: once
    assert AuditEntry.objects.filter(entity="campaign").count() == 3  # created, launched, closed
    with pytest.raises(ValidationError) as refused:
        launch_campaign(closed, user=manager)
    assert "đã tổng kết" in refused.value.message_dict["status"][0]
    assert (closed.start, closed.end) == (START, END)
