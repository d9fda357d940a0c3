"""The demo's campaign (data/campaigns.toml): seed 002's 45 days in Trang Giang with the
report's targets, handed to its four villages (and on to their tổ liên gia) and, the four
eco-gardens, to its four mass organisations; 46 days of results, a first and a last. The
older generator's weekly campaign figures are gone: the campaign comes from one place."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Max, Min, Sum
from django.test import Client

from xaso.campaigns.bulletin import bulletin
from xaso.campaigns.models import Campaign, CampaignStatus
from xaso.campaigns.selectors import standings
from xaso.demo.loader import load_demo
from xaso.figures.models import Result, Target
from xaso.org.models import OrgUnit, UnitKind
from xaso.org.selectors import children

pytestmark = pytest.mark.django_db

CODE = "thi-dua-45-ngay-2022"
CAMPAIGN = "2022-04-15..2022-05-30"
SEED_TARGETS = {
    "ho-chinh-trang-vuon": 77,
    "ho-hang-rao-xanh": 140,
    "ho-cong-ngo": 65,
    "ho-ho-lang-loc": 70,
    "ho-nha-ve-sinh": 38,
    "ho-chuong-trai": 50,
    "khu-dan-cu-mau": 1,
    "vuon-sinh-thai": 4,  # "04 vườn sinh thái (Mỗi tổ chức đoàn thể ND, PN, CCB, Đoàn TN 01 vườn)"
}
HOUSEHOLD_GOALS = [code for code in SEED_TARGETS if code.startswith("ho-")]
VILLAGES = ["Cẩm Trang", "Bồng Giang", "Văn Giang", "Hợp Phát"]
# demo/generate.py makes each commune's organisations before its villages: path order.
ORGANISATIONS = {
    "42.x002.doan-tn": "Đoàn Thanh niên xã Trang Giang",
    "42.x002.hoi-nd": "Hội Nông dân xã Trang Giang",
    "42.x002.hoi-pn": "Hội Phụ nữ xã Trang Giang",
    "42.x002.hoi-ccb": "Hội Cựu chiến binh xã Trang Giang",
}


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def campaign() -> Campaign:
    return Campaign.objects.select_related("host").get(code=CODE)


def test_the_campaign_has_the_seeds_span_targets_villages_and_weeks():
    found = campaign()
    assert found.host.code == "42.x002"
    assert (found.start, found.end) == (dt.date(2022, 4, 15), dt.date(2022, 5, 30))
    assert found.status == CampaignStatus.LAUNCHED and found.cadence == "daily"
    goals = {g.indicator.code: g.value for g in found.goals.select_related("indicator")}
    assert goals == {code: Decimal(value) for code, value in SEED_TARGETS.items()}
    units = [p.unit for p in found.participants.select_related("unit").order_by("unit__path")]
    assert [u.full_name for u in units] == [
        *ORGANISATIONS.values(),
        *(f"Thôn {name}" for name in VILLAGES),
    ]
    weeks = list(found.weeks.all())
    assert [w.number for w in weeks] == [1, 2, 3, 4, 5, 6, 7]
    assert weeks[0].start == found.start and weeks[-1].end == found.end


def test_the_villages_targets_add_up_to_the_communes():
    found = campaign()
    units = [p.unit for p in found.participants.select_related("unit")]
    shared = dict(
        Target.objects.filter(unit__in=units, period=found.period_code)
        .values("indicator__code")
        .annotate(total=Sum("value"))
        .values_list("indicator__code", "total")
    )
    assert shared == {code: Decimal(value) for code, value in SEED_TARGETS.items()}
    # By households (plans.toml: Cẩm Trang 215 of 800): 77 × 215 / 800 = 20,7 → 21.
    cam_trang = Target.objects.get(
        unit__code="42.x002.cam-trang", indicator__code="ho-chinh-trang-vuon", period=CAMPAIGN
    )
    assert cam_trang.value == 21


def test_each_organisation_has_one_eco_garden_and_the_villages_none():
    found = campaign()
    garden = found.goals.get(indicator__code="vuon-sinh-thai")
    assert garden.allocate_by == "hand"
    assert {code: Decimal(share) for code, share in garden.shares.items()} == {
        code: Decimal(1) for code in ORGANISATIONS
    }
    assert garden.target.unit.code == "42.x002" and garden.target.value == 4
    given = Target.objects.filter(indicator__code="vuon-sinh-thai", period=CAMPAIGN)
    assert sorted(given.values_list("unit__code", "value")) == sorted(
        [("42.x002", Decimal(4))] + [(code, Decimal(1)) for code in ORGANISATIONS]
    )
    # The organisations are given nothing else; the villages no garden.
    for code in ORGANISATIONS:
        own = Target.objects.filter(unit__code=code, period=CAMPAIGN)
        assert list(own.values_list("indicator__code", flat=True)) == ["vuon-sinh-thai"]
        assert own.get().allocated_from_id == garden.target_id


def test_the_household_goals_go_to_the_villages_by_households_and_on_to_their_groups():
    found = campaign()
    fences = found.goals.get(indicator__code="ho-hang-rao-xanh")
    # Typed as the plan's split (households 215, 248, 187, 150 of 800): 140 → 38 43 33 26.
    assert {code: Decimal(share) for code, share in fences.shares.items()} == {
        "42.x002.cam-trang": 38,
        "42.x002.bong-giang": 43,
        "42.x002.van-giang": 33,
        "42.x002.hop-phat": 26,
    }
    # Hợp Phát's tổ liên gia have 55, 50, 45 of its 150 households:
    #   gardens 14: 5,133 4,667 4,2 → floors 13; +1 to tổ 2           → 5 5 4
    #   fences 26:  9,533 8,667 7,8 → floors 24; +1 to tổ 3, tổ 2     → 9 9 8
    for code, expected in (("ho-chinh-trang-vuon", [5, 5, 4]), ("ho-hang-rao-xanh", [9, 9, 8])):
        groups = Target.objects.filter(
            unit__code__startswith="42.x002.hop-phat.tlg", indicator__code=code, period=CAMPAIGN
        ).order_by("unit__path")
        assert [t.value for t in groups] == [Decimal(v) for v in expected], code
    for village in OrgUnit.objects.filter(code__startswith="42.x002.", kind=UnitKind.VILLAGE):
        groups = children(village).filter(kind=UnitKind.HOUSEHOLD_GROUP)
        assert groups.count() == 3
        for code in HOUSEHOLD_GOALS:
            own = Target.objects.get(unit=village, indicator__code=code, period=CAMPAIGN).value
            handed = Target.objects.filter(unit__in=groups, indicator__code=code, period=CAMPAIGN)
            assert handed.aggregate(total=Sum("value"))["total"] == own, (village.name, code)


def test_the_old_generators_weekly_campaign_figures_are_gone():
    under = Result.objects.filter(unit__code__startswith="42.x002.")
    # The tổ liên gia hold their households only (the base the shares are split by).
    groups = under.filter(unit__kind=UnitKind.HOUSEHOLD_GROUP)
    assert set(groups.values_list("indicator__code", flat=True)) == {"so-ho"}
    assert not under.filter(indicator__code__in=SEED_TARGETS, period_kind="week").exists()
    # An organisation's garden is reported the day it is finished (or not at all).
    gardens = Result.objects.filter(indicator__code="vuon-sinh-thai", period_kind="span")
    assert sorted(
        gardens.filter(period_start=F("period_end")).values_list("unit__code", "period")
    ) == [
        ("42.x002.doan-tn", "2022-05-19..2022-05-19"),
        ("42.x002.hoi-nd", "2022-05-25..2022-05-25"),
        ("42.x002.hoi-pn", "2022-05-12..2022-05-12"),
    ]


def test_each_participants_span_total_is_its_days_added_up():
    found = campaign()
    for unit in [p.unit for p in found.participants.select_related("unit")]:
        for target in Target.objects.filter(unit=unit, period=CAMPAIGN):
            days = Result.objects.filter(
                unit=unit, indicator=target.indicator, period_kind="span",
                period_start=F("period_end"),
            ).aggregate(total=Sum("value"))["total"] or Decimal(0)  # fmt: skip
            total = Result.objects.get(unit=unit, indicator=target.indicator, period=CAMPAIGN)
            assert total.value == days, (unit.code, target.indicator.code)
    ccb = Result.objects.get(unit__code="42.x002.hoi-ccb", period=CAMPAIGN)
    assert ccb.value == 0  # not finished: reported as none


def test_the_ranking_at_the_end_has_a_first_and_a_last():
    ranked = standings(campaign(), on=dt.date(2022, 5, 30))
    assert [r.rank for r in ranked] == [1, 2, 3, 4, 5, 6, 7, 8]
    # All goals done first, more goals before fewer; equal, the earlier finish first.
    assert [r.unit for r in ranked] == [
        "Thôn Cẩm Trang",
        "Thôn Bồng Giang",
        "Thôn Văn Giang",
        "Hội Phụ nữ xã Trang Giang",
        "Đoàn Thanh niên xã Trang Giang",
        "Hội Nông dân xã Trang Giang",
        "Thôn Hợp Phát",
        "Hội Cựu chiến binh xã Trang Giang",
    ]
    first, short, last = ranked[0], ranked[-2], ranked[-1]
    assert first.score == 100 and first.completed == 7
    assert first.completed_on <= dt.date(2022, 5, 17)  # done by its 33rd day
    assert [(r.score, r.completed, r.completed_on) for r in ranked[3:6]] == [
        (100, 1, dt.date(2022, 5, 12)),
        (100, 1, dt.date(2022, 5, 19)),
        (100, 1, dt.date(2022, 5, 25)),
    ]
    assert short.score < 90 and short.completed == 0
    assert len(short.lacking) == 6  # all its household goals short
    assert (last.score, last.completed) == (0, 0)
    assert last.lacking == [("Vườn sinh thái hoàn thành", 1)]


def test_the_youth_unions_garden_counts_from_its_day_not_before():
    def youth(day):
        ranked = standings(campaign(), on=day)
        return next(r for r in ranked if r.code == "42.x002.doan-tn")

    assert (youth(dt.date(2022, 5, 18)).score, youth(dt.date(2022, 5, 18)).completed) == (0, 0)
    assert (youth(dt.date(2022, 5, 19)).score, youth(dt.date(2022, 5, 19)).completed) == (100, 1)


def test_the_villages_report_day_by_day_within_the_span():
    days = Result.objects.filter(
        unit__code__startswith="42.x002.", period_kind="span", period_start=F("period_end")
    ).aggregate(first=Min("period_start"), last=Max("period_end"), count=Count("period_start"))
    assert days["first"] >= dt.date(2022, 4, 15) and days["last"] <= dt.date(2022, 5, 30)
    assert days["count"] > 200  # four villages, most days, several goals a day
    ranked = standings(campaign(), on=dt.date(2022, 4, 30))
    assert all(r.score < 100 for r in ranked)  # two weeks in: nobody done yet


def test_the_bulletin_of_a_village_names_that_days_numbers():
    found = campaign()
    village = OrgUnit.objects.get(code="42.x002.cam-trang")
    day = dt.date(2022, 4, 22)
    entered = dict(
        Result.objects.filter(unit=village, period="2022-04-22..2022-04-22").values_list(
            "indicator__code", "value"
        )
    )
    assert entered == {
        "ho-chinh-trang-vuon": 3,
        "ho-hang-rao-xanh": 1,
        "ho-cong-ngo": 1,
        "ho-ho-lang-loc": 1,
        "ho-chuong-trai": 1,
    }
    text = bulletin(found, village, day)
    assert text.startswith("Thôn Cẩm Trang hôm nay (22/04/2022): 3 hộ chỉnh trang vườn; ")
    assert "1 hộ chỉnh trang, làm đẹp cổng ngõ" in text
    assert "nhà vệ sinh tự hoại;" not in text.split(". Lũy kế")[0]  # none built that day


def test_the_campaign_page_of_the_demo():
    client = Client()
    client.force_login(get_user_model().objects.get(username="demo"))
    response = client.get(f"/campaigns/{CODE}/?date=20/04/2022")
    assert response.status_code == 200 and len(response.content) <= 100_000
    page = response.content.decode()
    assert "Ra quân trồng mới, trồng dặm hàng rào xanh" in page  # the first week's theme
    assert client.get(f"/campaigns/{CODE}/bulletin/?date=22/04/2022").status_code == 200
