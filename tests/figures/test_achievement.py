"""Achievement against plan on a unit's overview: percents, source order, period containment."""

from decimal import Decimal

import pytest

from tests.factories import make_commune_tree, make_indicator, make_unit
from xaso.figures.models import ResultStatus, TargetSource
from xaso.figures.selectors import unit_overview
from xaso.figures.services import record_result, set_target
from xaso.org.models import UnitKind
from xaso.periods import parse_period

pytestmark = pytest.mark.django_db

H1_2020 = parse_period("2020-H1")


def line_of(overview, indicator):
    [line] = [line for line in overview.lines if line.indicator == indicator]
    return line


@pytest.fixture
def township_revenue():
    """Report 004: Thị trấn Hương Khê's budget revenue, 6 months of 2020, against two plans."""
    district = make_unit("Hương Khê", UnitKind.DISTRICT, code="hk")
    township = make_unit("Hương Khê", UnitKind.TOWNSHIP, district, code="hk-tt")
    revenue = make_indicator("thu-ngan-sach", unit="trieu_dong")
    # Set the council's target first: the order shown must not depend on insertion order.
    set_target(
        unit=township,
        indicator=revenue,
        period="2020",
        source=TargetSource.COUNCIL_RESOLUTION,
        value="16.477 triệu đồng",
    )
    set_target(
        unit=township,
        indicator=revenue,
        period="2020",
        source=TargetSource.DISTRICT_PLAN,
        value="15.511 triệu đồng",
    )
    record_result(
        unit=township,
        indicator=revenue,
        period=H1_2020,
        value="3.750",
        status=ResultStatus.ESTIMATED,
    )
    return township, revenue


def test_the_half_year_result_is_measured_against_both_plans_of_the_year(township_revenue):
    township, revenue = township_revenue

    line = line_of(unit_overview(township, H1_2020), revenue)

    assert line.figure.value == Decimal(3750)
    assert line.figure.estimated is True
    assert [a.target.source for a in line.achievements] == [
        TargetSource.DISTRICT_PLAN,
        TargetSource.COUNCIL_RESOLUTION,
    ]
    assert [a.target.value for a in line.achievements] == [Decimal(15511), Decimal(16477)]
    assert [a.percent for a in line.achievements] == [Decimal("24.2"), Decimal("22.8")]
    assert all(isinstance(a.percent, Decimal) for a in line.achievements)
    assert [a.reached for a in line.achievements] == [False, False]
    assert line.best_percent == Decimal("24.2")


def test_a_result_is_measured_only_against_targets_whose_period_contains_it(township_revenue):
    township, revenue = township_revenue
    for period, source, value in [
        ("2020..2025", TargetSource.CONGRESS_RESOLUTION, "80.000"),
        ("2021", TargetSource.ANNUAL_PLAN, "20.000"),
        ("2020-H2", TargetSource.ANNUAL_PLAN, "9.000"),
        ("2019", TargetSource.ANNUAL_PLAN, "14.000"),
    ]:
        set_target(unit=township, indicator=revenue, period=period, source=source, value=value)

    line = line_of(unit_overview(township, H1_2020), revenue)

    # The year's two plans first (narrowest period), then the term; never 2019, 2021 or H2.
    assert [(a.target.period, a.target.source) for a in line.achievements] == [
        ("2020", TargetSource.DISTRICT_PLAN),
        ("2020", TargetSource.COUNCIL_RESOLUTION),
        ("2020..2025", TargetSource.CONGRESS_RESOLUTION),
    ]
    assert line.achievements[2].percent == Decimal("4.7")


def test_a_target_for_the_same_half_year_comes_before_the_years_targets(township_revenue):
    township, revenue = township_revenue
    set_target(
        unit=township,
        indicator=revenue,
        period="2020-H1",
        source=TargetSource.ANNUAL_PLAN,
        value="7.500",
    )

    line = line_of(unit_overview(township, H1_2020), revenue)

    assert [a.target.period for a in line.achievements] == ["2020-H1", "2020", "2020"]
    assert line.best_percent == Decimal("50.0")


@pytest.mark.parametrize(
    ("result", "reached", "percent"),
    [
        ("4,5", True, Decimal("90.0")),
        ("5", True, Decimal("100.0")),
        ("5,5", False, Decimal("110.0")),
    ],
)
def test_a_lower_is_better_indicator_is_reached_at_or_below_its_target(result, reached, percent):
    _, _, commune, _ = make_commune_tree()
    poverty = make_indicator("ngheo", unit="percent", rollup="avg", direction="down")
    set_target(
        unit=commune, indicator=poverty, period="2022", source=TargetSource.ANNUAL_PLAN, value="5"
    )
    record_result(unit=commune, indicator=poverty, period="2022", value=result)

    [achievement] = line_of(unit_overview(commune, parse_period("2022")), poverty).achievements

    assert achievement.reached is reached
    assert achievement.percent == percent


@pytest.mark.parametrize(("result", "reached"), [("99", False), ("100", True), ("101", True)])
def test_a_higher_is_better_indicator_is_reached_at_or_above_its_target(result, reached):
    _, _, commune, _ = make_commune_tree()
    trees = make_indicator("cay", unit="cay")
    set_target(
        unit=commune, indicator=trees, period="2022", source=TargetSource.ANNUAL_PLAN, value="100"
    )
    record_result(unit=commune, indicator=trees, period="2022", value=result)

    [achievement] = line_of(unit_overview(commune, parse_period("2022")), trees).achievements

    assert achievement.reached is reached


def test_each_childs_line_carries_the_achievement_against_its_own_target():
    _, _, commune, villages = make_commune_tree()
    trees = make_indicator("cay", unit="cay")
    year = parse_period("2022")
    set_target(unit=commune, indicator=trees, period=year, source="annual_plan", value="200")
    set_target(unit=villages[0], indicator=trees, period=year, source="annual_plan", value="80")
    set_target(unit=villages[1], indicator=trees, period=year, source="annual_plan", value="40")
    record_result(unit=villages[0], indicator=trees, period=year, value="60")
    record_result(unit=villages[1], indicator=trees, period=year, value="50")
    record_result(unit=villages[2], indicator=trees, period=year, value="10")

    line = line_of(unit_overview(commune, year), trees)

    assert line.figure.value == Decimal(120)
    assert [a.percent for a in line.achievements] == [Decimal("60.0")]
    by_unit = {child.unit: child for child in line.children}
    assert list(by_unit) == villages
    assert by_unit[villages[0]].figure.value == Decimal(60)
    assert by_unit[villages[0]].achievement.target.value == Decimal(80)
    assert by_unit[villages[0]].achievement.percent == Decimal("75.0")
    assert by_unit[villages[0]].achievement.reached is False
    assert by_unit[villages[1]].achievement.percent == Decimal("125.0")
    assert by_unit[villages[1]].achievement.reached is True
    assert by_unit[villages[2]].figure.value == Decimal(10)
    assert by_unit[villages[2]].achievement is None


def test_a_child_with_a_target_but_no_result_is_listed_without_a_percent():
    _, _, commune, villages = make_commune_tree()
    trees = make_indicator("cay", unit="cay")
    year = parse_period("2022")
    set_target(unit=villages[1], indicator=trees, period=year, source="annual_plan", value="40")

    line = line_of(unit_overview(commune, year), trees)

    assert line.figure is None
    assert [child.unit for child in line.children] == [villages[1]]
    assert line.children[0].figure is None
    assert line.children[0].achievement.percent is None
    assert line.children[0].achievement.reached is False


def test_a_target_of_zero_gives_no_percent():
    _, _, commune, _ = make_commune_tree()
    incidents = make_indicator("vu", unit="vu", direction="down")
    year = parse_period("2022")
    set_target(unit=commune, indicator=incidents, period=year, source="annual_plan", value="0")
    record_result(unit=commune, indicator=incidents, period=year, value="0")

    line = line_of(unit_overview(commune, year), incidents)

    [achievement] = line.achievements
    assert achievement.percent is None
    assert achievement.reached is True
    assert line.best_percent is None


def test_indicators_with_neither_figure_nor_target_are_left_out_of_the_overview(
    township_revenue,
):
    township, revenue = township_revenue
    make_indicator("unused", unit="cay")

    overview = unit_overview(township, H1_2020)

    assert [line.indicator.code for line in overview.lines] == ["thu-ngan-sach"]
