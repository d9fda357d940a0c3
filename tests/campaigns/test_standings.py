"""The participants' standing read from their daily results (issue 17): cumulative to a
day, the day a goal was completed, the ranking — worked out by hand from the entries."""

import datetime as dt
from decimal import Decimal as D

import pytest

from tests.factories import make_commune_tree, make_indicator
from xaso.campaigns.selectors import standings
from xaso.campaigns.services import GoalInput, create_campaign, launch_campaign
from xaso.figures.services import record_result

pytestmark = pytest.mark.django_db


def day(text: str) -> str:
    return f"{text}..{text}"


@pytest.fixture
def campaign():
    _, _, commune, villages = make_commune_tree()
    fences = make_indicator("hang-rao", name="Hàng rào xanh", unit="m")
    gardens = make_indicator("vuon", name="Vườn hộ", unit="vuon")
    made = create_campaign(
        host=commune, code="cd", name="Cao điểm", start=dt.date(2022, 4, 15),
        end=dt.date(2022, 5, 30), cadence="daily",
        goals=[GoalInput(fences, D("300")), GoalInput(gardens, D("30"))], participants=villages,
    )  # fmt: skip
    launch_campaign(made)  # each village: 100 m of fence, 10 gardens
    one, two, three = villages
    entries = [
        (one, fences, "2022-04-16", "60"), (one, fences, "2022-04-20", "40"),  # 100 on 20/4
        (one, fences, "2022-04-27", "5"),  # beyond the target: still completed on 20/4
        (one, gardens, "2022-04-18", "10"),  # 10 on 18/4: both done, the last on 20/4
        (two, fences, "2022-04-16", "60"), (two, fences, "2022-04-22", "40"),
        (two, gardens, "2022-04-25", "10"),  # both done, the last on 25/4
        (three, fences, "2022-04-17", "150"),  # 150%: capped at 100
        (three, gardens, "2022-04-17", "2"),  # 20%
        (three, gardens, "2022-06-02", "50"),  # after the campaign: not counted
        (two, fences, "2022-04-14", "70"),  # before it: not counted
    ]  # fmt: skip
    for unit, indicator, date, value in entries:
        record_result(unit=unit, indicator=indicator, period=day(date), value=value)
    record_result(unit=three, indicator=gardens, period="2022-04-15..2022-05-30", value="9")
    return made


def test_the_ranking_at_the_end(campaign):
    ranked = standings(campaign)
    assert [(r.unit, r.score, r.completed, r.completed_on, r.rank) for r in ranked] == [
        ("Thôn 1", D("100.0"), 2, dt.date(2022, 4, 20), 1),  # both done, the last on 20/4
        ("Thôn 2", D("100.0"), 2, dt.date(2022, 4, 25), 2),  # both done, later
        ("Thôn 3", D("60.0"), 1, dt.date(2022, 4, 17), 3),  # (100 + 20) / 2
    ]
    assert ranked[2].lacking == [("Vườn hộ", D("8"))]


def test_the_standing_on_a_day_leaves_out_what_came_after(campaign):
    ranked = {r.unit: r for r in standings(campaign, on=dt.date(2022, 4, 18))}
    # Thôn 1: 60 m of 100 and 10 of 10 gardens: (60 + 100) / 2 = 80.
    assert (ranked["Thôn 1"].score, ranked["Thôn 1"].completed) == (D("80.0"), 1)
    # Thôn 2: 60 m of 100 (the 70 m of 14/4 came before the campaign), no garden yet: 30.
    assert (ranked["Thôn 2"].score, ranked["Thôn 2"].lacking) == (
        D("30.0"),
        [("Hàng rào xanh", D("40")), ("Vườn hộ", D("10"))],
    )
    assert ranked["Thôn 3"].rank == 2 and ranked["Thôn 1"].rank == 1


def test_a_weekly_campaign_counts_the_weeks_that_overlap_its_span():
    _, _, commune, villages = make_commune_tree()
    fences = make_indicator("rao", name="Hàng rào xanh", unit="m")
    made = create_campaign(
        host=commune, code="tuan", name="Theo tuần", start=dt.date(2022, 4, 15),
        end=dt.date(2022, 5, 30), cadence="weekly_friday",
        goals=[GoalInput(fences, D("300"))], participants=villages,
    )  # fmt: skip
    launch_campaign(made)
    one = villages[0]
    for week, value in (
        ("2022-W14", "90"),
        ("2022-W15", "10"),
        ("2022-W18", "20"),
        ("2022-W22", "30"),
    ):
        record_result(unit=one, indicator=fences, period=week, value=value)
    # W14 (4–10/4) ends before the campaign; W15 (11–17/4) and W22 (30/5–5/6) overlap it.
    assert {r.unit: r.score for r in standings(made)}["Thôn 1"] == D("60.0")  # 60 of 100
    # On 8/5 only the weeks ended by then: W15 and W18 (2–8/5).
    assert {r.unit: r.score for r in standings(made, on=dt.date(2022, 5, 8))}["Thôn 1"] == D("30.0")


def test_the_bulletin_reads_the_days_results_and_the_running_totals(campaign):
    from xaso.campaigns.bulletin import bulletin
    from xaso.org.models import OrgUnit

    one, three = OrgUnit.objects.get(code="hl-1"), OrgUnit.objects.get(code="hl-3")
    # Thôn 1 on 20/4: 40 m that day; 60 + 40 = 100 of 100 m; 10 of 10 gardens since 18/4.
    assert bulletin(campaign, one, dt.date(2022, 4, 20)) == (
        "Thôn 1 hôm nay (20/04/2022): 40 m hàng rào xanh. "
        "Lũy kế từ đầu đợt: hàng rào xanh 100,0% chỉ tiêu, vườn hộ 100,0% chỉ tiêu."
    )
    # Thôn 3 on 17/4: 150 m and 2 gardens; the uncapped 150% is what was done.
    assert bulletin(campaign, three, dt.date(2022, 4, 17)) == (
        "Thôn 3 hôm nay (17/04/2022): 150 m hàng rào xanh; 2 vườn hộ. "
        "Lũy kế từ đầu đợt: hàng rào xanh 150,0% chỉ tiêu, vườn hộ 20,0% chỉ tiêu."
    )
    assert bulletin(campaign, one, dt.date(2022, 4, 19)).startswith(
        "Thôn 1 hôm nay (19/04/2022): chưa có kết quả báo về. Lũy kế từ đầu đợt: "
        "hàng rào xanh 60,0% chỉ tiêu"
    )
