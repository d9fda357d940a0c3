"""Creating and launching a campaign (issue 17): what launch writes through the planning and
reporting services, errors by field, twice is once, managers only."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import make_commune_tree, make_indicator, make_unit, make_user
from xaso.audit.models import AuditEntry
from xaso.campaigns.models import CampaignStatus
from xaso.campaigns.services import GoalInput, WeekInput, create_campaign, launch_campaign
from xaso.figures.models import Target
from xaso.org.models import Role, UnitKind
from xaso.reporting.models import ReportForm

pytestmark = pytest.mark.django_db

START, END = dt.date(2022, 4, 15), dt.date(2022, 5, 30)


@pytest.fixture
def world():
    _, district, commune, villages = make_commune_tree()
    fences = make_indicator("hang-rao", name="Hàng rào xanh", unit="m")
    gardens = make_indicator("vuon", name="Vườn hộ chỉnh trang", unit="vuon")
    manager = make_user("manager", unit=commune, role=Role.MANAGER)
    return district, commune, villages, fences, gardens, manager


def campaign_of(world, **changes):
    _, commune, villages, fences, gardens, manager = world
    fields = {
        "host": commune, "code": "cao-diem-2022", "name": "Thi đua 45 ngày cao điểm",
        "start": START, "end": END, "cadence": "weekly_friday",
        "goals": [GoalInput(fences, D("140")), GoalInput(gardens, D("77"))],
        "participants": villages,
        "weeks": [WeekInput(1, START, dt.date(2022, 4, 21), "Tuần ra quân", [fences])],
        "user": manager,
    }  # fmt: skip
    fields.update(changes)
    return create_campaign(**fields)


def test_launch_hands_each_goal_to_the_participants_and_opens_the_form(world):
    _, commune, villages, fences, gardens, manager = world
    campaign = launch_campaign(campaign_of(world), user=manager)
    assert campaign.status == CampaignStatus.LAUNCHED
    host = Target.objects.get(unit=commune, indicator=gardens)
    assert (host.source, host.period, host.value) == ("campaign", "2022-04-15..2022-05-30", 77)
    # 77 gardens for 3 villages: 26 + 26 + 25 (whole gardens, the sum kept).
    shares = Target.objects.filter(indicator=gardens, unit__in=villages).order_by("unit__path")
    assert [t.value for t in shares] == [26, 26, 25]
    assert sum(t.value for t in Target.objects.filter(indicator=fences, unit__in=villages)) == 140
    form = ReportForm.objects.get(code="phong-trao-cao-diem-2022")
    assert (form.period_type, form.deadline_rule, form.reviewer) == ("week", "fri@17:00", commune)
    assert set(form.reporter_units.all()) == set(villages)
    assert [item.indicator for item in form.items.order_by("position")] == [fences, gardens]
    assert (form.span_start, form.span_end) == (START, END)


def test_a_daily_campaign_reports_each_evening(world):
    manager = world[-1]
    campaign = launch_campaign(campaign_of(world, cadence="daily"), user=manager)
    assert (campaign.form.period_type, campaign.form.deadline_rule) == ("day", "after:0d@20:00")


def test_launching_twice_launches_once(world):
    manager = world[-1]
    campaign = campaign_of(world)
    launch_campaign(campaign, user=manager)
    launch_campaign(campaign, user=manager)
    assert Target.objects.filter(source="campaign").count() == 2 + 2 * 3
    assert AuditEntry.objects.filter(entity="campaign").count() == 2  # created, launched


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"end": dt.date(2022, 4, 14)}, "end", "sau ngày bắt đầu"),
        ({"goals": []}, "goals", "ít nhất một chỉ tiêu"),
        ({"participants": []}, "participants", "ít nhất một đơn vị"),
        ({"weeks": [WeekInput(1, dt.date(2022, 4, 10), dt.date(2022, 4, 16), "Sớm")]},
         "weeks", "Tuần 1: phải nằm trong đợt thi đua"),
        ({"weeks": [WeekInput(1, START, dt.date(2022, 4, 21), "A"),
                    WeekInput(2, dt.date(2022, 4, 21), dt.date(2022, 4, 28), "B")]},
         "weeks", "trùng ngày"),
    ],
)  # fmt: skip
def test_bad_campaigns_are_refused_by_field_and_nothing_is_kept(world, changes, field, words):
    with pytest.raises(ValidationError) as refused:
        campaign_of(world, **changes)
    assert words in " ".join(refused.value.message_dict[field])
    assert not AuditEntry.objects.filter(entity="campaign").exists()


def test_a_negative_goal_and_an_outsider_are_refused(world):
    district, _, _, fences, _, _ = world
    with pytest.raises(ValidationError) as refused:
        campaign_of(world, goals=[GoalInput(fences, D("-1"))])
    assert "không được âm" in refused.value.message_dict["goals"][0]
    other = make_unit("Điền Mỹ", UnitKind.COMMUNE, district, code="dm")
    with pytest.raises(ValidationError) as refused:
        campaign_of(world, participants=[other])
    assert "Không thuộc Xã Hà Linh: Xã Điền Mỹ" in refused.value.message_dict["participants"][0]


def test_only_a_manager_of_the_host_creates_or_launches(world):
    _, commune, villages, *_ = world
    reporter = make_user("reporter", unit=villages[0], role=Role.MANAGER)
    with pytest.raises(PermissionDenied):
        campaign_of(world, user=reporter)
    campaign = campaign_of(world)
    with pytest.raises(PermissionDenied):
        launch_campaign(campaign, user=reporter)
    assert not Target.objects.filter(source="campaign").exists()
