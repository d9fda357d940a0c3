"""The demo's campaign (data/campaigns.toml): seed 002's 45 days in Trang Giang with the
report's targets, handed to its four villages, 46 days of results, a first and a last."""

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
from xaso.org.models import OrgUnit

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
    names = [p.unit.name for p in found.participants.select_related("unit").order_by("unit__path")]
    assert names == ["Cẩm Trang", "Bồng Giang", "Văn Giang", "Hợp Phát"]
    weeks = list(found.weeks.all())
    assert [w.number for w in weeks] == [1, 2, 3, 4, 5, 6, 7]
    assert weeks[0].start == found.start and weeks[-1].end == found.end


def test_the_villages_targets_add_up_to_the_communes():
    found = campaign()
    units = [p.unit for p in found.participants.all()]
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


def test_the_ranking_at_the_end_has_a_first_and_a_last():
    ranked = standings(campaign(), on=dt.date(2022, 5, 30))
    assert [r.rank for r in ranked] == [1, 2, 3, 4]
    first, last = ranked[0], ranked[-1]
    assert first.unit == "Thôn Cẩm Trang" and first.score == 100 and first.completed == 7
    assert first.completed_on <= dt.date(2022, 5, 17)  # done by its 33rd day
    assert last.unit == "Thôn Hợp Phát" and last.score < 90 and last.completed == 0
    assert len(last.lacking) == 6  # all its household goals short


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
