from decimal import Decimal

import pytest

from tests.factories import make_commune_tree, make_indicator, make_unit
from xaso.figures.models import ResultStatus
from xaso.figures.selectors import rollup
from xaso.figures.services import delete_result, record_result
from xaso.org.models import UnitKind
from xaso.periods import parse_period

pytestmark = pytest.mark.django_db

NOV = parse_period("2022-11")


def figure(unit, indicator, period=NOV):
    return rollup(unit, period, [indicator]).figures.get(indicator.pk)


def test_a_commune_sums_its_villages_when_it_has_no_figure_of_its_own():
    province, district, commune, villages = make_commune_tree()
    trees = make_indicator("cay", unit="cay")
    for village, value in zip(villages, ["10", "20", "5"], strict=True):
        record_result(unit=village, indicator=trees, period=NOV, value=value)

    assert figure(commune, trees).value == Decimal(35)
    assert figure(commune, trees).own is False
    assert figure(commune, trees).reporting == 3
    assert figure(province, trees).value == Decimal(35)
    assert figure(villages[0], trees).value == Decimal(10)


def test_a_units_own_figure_overrides_what_its_subtree_adds_up_to():
    province, district, commune, villages = make_commune_tree()
    trees = make_indicator("cay", unit="cay")
    for village in villages:
        record_result(unit=village, indicator=trees, period=NOV, value="10")
    record_result(unit=commune, indicator=trees, period=NOV, value="215")

    assert figure(commune, trees).value == Decimal(215)
    assert figure(commune, trees).own is True
    assert figure(district, trees).value == Decimal(215)
    # the villages keep their own figures
    assert figure(villages[1], trees).value == Decimal(10)


def test_removing_the_own_figure_brings_the_roll_up_back():
    province, district, commune, villages = make_commune_tree()
    trees = make_indicator("cay", unit="cay")
    for village in villages:
        record_result(unit=village, indicator=trees, period=NOV, value="10")
    record_result(unit=commune, indicator=trees, period=NOV, value="215")
    record_result(unit=district, indicator=trees, period=NOV, value="999")

    assert figure(province, trees).value == Decimal(999)
    delete_result(unit=district, indicator=trees, period=NOV)
    assert figure(province, trees).value == Decimal(215)
    delete_result(unit=commune, indicator=trees, period=NOV)
    assert figure(province, trees).value == Decimal(30)


def test_a_figure_recorded_below_an_existing_own_figure_stays_covered():
    province, district, commune, villages = make_commune_tree()
    trees = make_indicator("cay", unit="cay")
    record_result(unit=commune, indicator=trees, period=NOV, value="100")
    record_result(unit=villages[0], indicator=trees, period=NOV, value="7")

    assert figure(district, trees).value == Decimal(100)
    assert figure(villages[0], trees).value == Decimal(7)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [("sum", "90"), ("avg", "30"), ("min", "12.5"), ("max", "47.5"), ("none", None)],
)
def test_each_roll_up_rule_aggregates_the_reporting_units(rule, expected):
    province, district, commune, villages = make_commune_tree()
    indicator = make_indicator(f"x-{rule}", unit="percent", rollup=rule)
    for village, value in zip(villages, ["12,5", "30", "47,5"], strict=True):
        record_result(unit=village, indicator=indicator, period=NOV, value=value)

    result = figure(province, indicator)
    assert (result.value if result else None) == (Decimal(expected) if expected else None)


def test_the_average_counts_a_commune_with_its_own_figure_as_one_reporting_unit():
    province, district, commune, villages = make_commune_tree()
    other = make_unit("Hà Tân", UnitKind.COMMUNE, district, code="ht")
    rate = make_indicator("ngheo", unit="percent", rollup="avg", direction="down")
    for village, value in zip(villages, ["10", "20", "30"], strict=True):
        record_result(unit=village, indicator=rate, period=NOV, value=value)
    record_result(unit=other, indicator=rate, period=NOV, value="40")

    # Hà Linh's villages average 20; the district averages Hà Linh's 20 and Hà Tân's 40
    # as the four reporting units 10, 20, 30, 40 → 25.
    assert figure(commune, rate).value == Decimal(20)
    assert figure(district, rate).value == Decimal(25)


def test_roll_up_works_at_any_depth_including_groups_below_villages():
    province = make_unit("Hà Tĩnh", UnitKind.PROVINCE, code="42")
    commune = make_unit("Hà Linh", UnitKind.COMMUNE, province)  # the 2025 shape: no district
    village = make_unit("9", UnitKind.VILLAGE, commune)
    groups = [make_unit(f"{n} thôn 9", UnitKind.HOUSEHOLD_GROUP, village) for n in (1, 2)]
    households = make_indicator("ho", unit="ho")
    record_result(unit=groups[0], indicator=households, period=NOV, value="3")
    record_result(unit=groups[1], indicator=households, period=NOV, value="4")

    assert figure(province, households).value == Decimal(7)
    assert figure(village, households).reporting == 2


def test_a_unit_and_its_children_take_two_queries_whatever_their_number(
    django_assert_num_queries,
):
    province, district, commune, villages = make_commune_tree()
    trees = make_indicator("cay", unit="cay")
    fence = make_indicator("rao", unit="m")
    for n, village in enumerate(villages, start=1):
        record_result(unit=village, indicator=trees, period=NOV, value=str(n))
        record_result(unit=village, indicator=fence, period=NOV, value=f"{n}.000m")

    with django_assert_num_queries(2):  # subtotal rows, and own results without one
        result = rollup(commune, NOV, [trees, fence])

    assert result.figures[fence.pk].value == Decimal(6000)
    assert result.of_child(villages[2], trees.pk).value == Decimal(3)
    assert result.of_child(villages[2], fence.pk).value == Decimal(3000)


def test_an_estimate_anywhere_below_marks_the_roll_up_as_estimated():
    province, district, commune, villages = make_commune_tree()
    trees = make_indicator("cay", unit="cay")
    record_result(unit=villages[0], indicator=trees, period=NOV, value="4")
    record_result(
        unit=villages[1], indicator=trees, period=NOV, value="5", status=ResultStatus.ESTIMATED
    )

    assert figure(commune, trees).estimated is True
    assert figure(villages[0], trees).estimated is False


def test_periods_do_not_mix_in_a_roll_up():
    province, district, commune, villages = make_commune_tree()
    trees = make_indicator("cay", unit="cay")
    record_result(unit=villages[0], indicator=trees, period="2022-10", value="4")
    record_result(unit=villages[0], indicator=trees, period=NOV, value="5")

    assert figure(commune, trees).value == Decimal(5)
    assert figure(commune, trees, parse_period("2022-10")).value == Decimal(4)


def test_a_year_to_date_pools_the_months_by_the_indicators_rule():
    province, district, commune, villages = make_commune_tree()
    trees = make_indicator("cay", unit="cay")
    rate = make_indicator("ty-le", unit="percent", rollup="avg")
    months = [parse_period("2022-01"), parse_period("2022-02")]
    for month, values in zip(months, [("1", "2", "3"), ("4", "5", "6")], strict=True):
        for village, value in zip(villages, values, strict=True):
            record_result(unit=village, indicator=trees, period=month, value=value)
            record_result(unit=village, indicator=rate, period=month, value=value)
    record_result(unit=commune, indicator=trees, period="2022-03", value="100")  # not pooled

    ytd = rollup(province, parse_period("2022"), [trees, rate], months=months)

    assert ytd.figures[trees.pk].value == Decimal(21)
    assert ytd.figures[rate.pk].value == Decimal("3.5")
    assert ytd.figures[trees.pk].reporting == 6


def test_a_year_to_date_uses_a_units_own_monthly_figures_over_its_villages():
    province, district, commune, villages = make_commune_tree()
    trees = make_indicator("cay", unit="cay")
    months = [parse_period("2022-01"), parse_period("2022-02")]
    for month in months:
        for village in villages:
            record_result(unit=village, indicator=trees, period=month, value="1")
        record_result(unit=commune, indicator=trees, period=month, value="50")

    ytd = rollup(district, parse_period("2022"), [trees], months=months)

    assert ytd.figures[trees.pk].value == Decimal(100)  # the commune's own 50 + 50
    assert rollup(commune, parse_period("2022"), [trees], months=months).figures[
        trees.pk
    ].value == Decimal(100)


def test_the_whole_country_rolls_up_over_its_provinces():
    province, district, commune, villages = make_commune_tree()
    other = make_unit("Nghệ An", UnitKind.PROVINCE, code="40")
    trees = make_indicator("cay", unit="cay")
    record_result(unit=villages[0], indicator=trees, period=NOV, value="7")
    record_result(unit=other, indicator=trees, period=NOV, value="5")

    country = rollup(None, NOV, [trees])

    assert country.figures[trees.pk].value == Decimal(12)
    assert country.of_child(other, trees.pk).value == Decimal(5)
