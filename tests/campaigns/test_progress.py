"""A campaign's progress to a day (issue 17): the host's totals and each participant's running
totals, the day-by-day series, the week's theme, a unit's campaigns, and the bulletin — all
from the entries of tests/campaigns/test_standings.py, worked out by hand here."""

import datetime as dt
from decimal import Decimal as D

import pytest

from tests.campaigns.test_standings import campaign  # noqa: F401 — the fixture
from tests.factories import make_indicator, make_unit
from xaso.campaigns.bulletin import bulletin
from xaso.campaigns.selectors import campaigns_for, current_week, progress
from xaso.campaigns.services import GoalInput, WeekInput, create_campaign
from xaso.org.models import OrgUnit, UnitKind

pytestmark = pytest.mark.django_db


def units():
    return [OrgUnit.objects.get(code=f"hl-{n}") for n in (1, 2, 3)]


def test_progress_to_a_day_leaves_out_later_days_and_other_periods(campaign):  # noqa: F811
    found = progress(campaign, on=dt.date(2022, 4, 20))
    fences, gardens = found.goals
    # Fences to 20/4: Thôn 1 60 + 40, Thôn 2 60 (its 70 m of 14/4 came before the span,
    # its 40 m of 22/4 after the day), Thôn 3 150: 310 of the commune's 300.
    assert (fences.done, fences.target, fences.percent) == (D("310"), D("300"), D("103.3"))
    # Gardens: Thôn 1 10, Thôn 3 2 (its 50 of 2/6 is after the span, its 9 for the whole
    # span is not a day's result): 12 of 30.
    assert (gardens.done, gardens.percent) == (D("12"), D("40.0"))
    assert fences.series == [
        (dt.date(2022, 4, 15), D("0")),
        (dt.date(2022, 4, 16), D("120")),
        (dt.date(2022, 4, 17), D("270")),
        (dt.date(2022, 4, 18), D("270")),
        (dt.date(2022, 4, 19), D("270")),
        (dt.date(2022, 4, 20), D("310")),
    ]
    one, two, three = units()
    cell = found.cell(one, fences.goal)
    assert (cell.done, cell.target, cell.percent, cell.completed_on) == (
        D("100"), D("100"), D("100.0"), dt.date(2022, 4, 20)
    )  # fmt: skip
    cell = found.cell(three, gardens.goal)
    assert (cell.done, cell.percent, cell.missing, cell.completed_on) == (
        D("2"), D("20.0"), D("8"), None
    )  # fmt: skip
    assert [[c.done for c in cells] for _, cells in found.rows()] == [
        [D("100"), D("10")], [D("60"), D("0")], [D("150"), D("2")]
    ]  # fmt: skip


def test_progress_at_the_end_and_in_a_bounded_number_of_queries(
    campaign,  # noqa: F811
    django_assert_max_num_queries,
):
    with django_assert_max_num_queries(4):
        found = progress(campaign)
    assert found.on == dt.date(2022, 5, 30)
    assert [g.done for g in found.goals] == [D("355"), D("22")]  # 105 + 100 + 150; 10 + 10 + 2
    assert len(found.goals[0].series) == 46
    assert progress(campaign, on=dt.date(2022, 7, 1)).on == dt.date(2022, 5, 30)


def test_the_bulletin_through_the_selectors(campaign):  # noqa: F811
    _, two, three = units()
    # Thôn 2 on 22/4: 40 m that day; 60 + 40 = 100 of 100 m; no garden yet.
    assert bulletin(campaign, two, dt.date(2022, 4, 22)) == (
        "Thôn 2 hôm nay (22/04/2022): 40 m hàng rào xanh. "
        "Lũy kế từ đầu đợt: hàng rào xanh 100,0% chỉ tiêu, vườn hộ 0,0% chỉ tiêu."
    )
    assert bulletin(campaign, three, dt.date(2022, 4, 16)) == (
        "Thôn 3 hôm nay (16/04/2022): chưa có kết quả báo về. "
        "Lũy kế từ đầu đợt: hàng rào xanh 0,0% chỉ tiêu, vườn hộ 0,0% chỉ tiêu."
    )


def test_a_units_campaigns_and_the_week_of_a_day(campaign):  # noqa: F811
    commune = campaign.host
    fences = make_indicator("rao", name="Rào", unit="m")
    elsewhere = make_unit("Điền Mỹ", UnitKind.COMMUNE, OrgUnit.objects.get(code="hk"), code="dm")
    village = make_unit("Thôn A", UnitKind.VILLAGE, elsewhere, code="dm-a")
    other = create_campaign(
        host=elsewhere, code="dm-cd", name="Điền Mỹ thi đua", start=dt.date(2022, 5, 1),
        end=dt.date(2022, 5, 31), cadence="daily", goals=[GoalInput(fences, D("10"))],
        participants=[village],
        weeks=[WeekInput(1, dt.date(2022, 5, 2), dt.date(2022, 5, 8), "Tuần rào xanh", [fences]),
               WeekInput(2, dt.date(2022, 5, 9), dt.date(2022, 5, 15), "Tuần vườn hộ")],
    )  # fmt: skip
    one = OrgUnit.objects.get(code="hl-1")
    assert campaigns_for(commune) == [campaign]
    assert campaigns_for(one) == [campaign]  # a participant
    assert campaigns_for(OrgUnit.objects.get(code="hk")) == [
        other,
        campaign,
    ]  # the district: both, latest first
    assert campaigns_for(village) == [other]
    week = current_week(other, dt.date(2022, 5, 8))
    assert (week.number, week.theme, list(week.indicators.all())) == (1, "Tuần rào xanh", [fences])
    assert current_week(other, dt.date(2022, 5, 9)).number == 2
    assert current_week(other, dt.date(2022, 5, 1)) is None
