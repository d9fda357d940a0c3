"""Year-to-date by the indicator's over_time (flow adds up, stock takes the last month, average
averages), the same period last year and the change, the term's targets, and revised plans.
Every expected value is worked out by hand in the test."""

from decimal import Decimal

import pytest

from tests.factories import make_commune_tree, make_indicator
from xaso.catalog.models import Indicator, OverTime
from xaso.figures.models import ResultStatus, TargetSource
from xaso.figures.over_time import same_period_last_year, year_to_date
from xaso.figures.plans import record_plan_document
from xaso.figures.selectors import unit_overview
from xaso.figures.services import record_result, set_target
from xaso.periods import parse_period

pytestmark = pytest.mark.django_db

NOVEMBER = parse_period("2022-11")


def line_of(overview, indicator):
    [line] = [line for line in overview.lines if line.indicator == indicator]
    return line


@pytest.fixture
def tree():
    _, _, commune, villages = make_commune_tree()
    return commune, villages


def test_defaults_follow_the_roll_up_rule_and_a_given_value_wins():
    assert make_indicator("a", rollup="sum").over_time == OverTime.FLOW
    assert make_indicator("b", unit="percent", rollup="avg").over_time == OverTime.AVERAGE
    assert make_indicator("c", unit="tieu_chi", rollup="none").over_time == OverTime.STOCK
    assert make_indicator("d", rollup="max").over_time == OverTime.STOCK
    assert make_indicator("e", unit="ho", over_time="stock").over_time == OverTime.STOCK
    # Upserted again without it: what the indicator has stays.
    assert make_indicator("e", unit="ho").over_time == OverTime.STOCK
    # Written around save() (a bulk load): the rule's default is read.
    Indicator.objects.filter(code="a").update(over_time="")
    assert Indicator.objects.get(code="a").pooling == OverTime.FLOW


def test_a_flow_adds_its_months_up(tree):
    commune, villages = tree
    trees = make_indicator("cay", unit="cay")  # flow by default
    record_result(unit=villages[0], indicator=trees, period="2022-01", value="10")
    record_result(unit=villages[1], indicator=trees, period="2022-01", value="5")
    record_result(unit=villages[0], indicator=trees, period="2022-06", value="7")
    record_result(unit=villages[2], indicator=trees, period="2022-11", value="3")
    record_result(unit=villages[2], indicator=trees, period="2022-12", value="100")  # after
    record_result(unit=villages[2], indicator=trees, period="2021-11", value="50")  # last year
    set_target(unit=commune, indicator=trees, period="2022", source="annual_plan", value="50")
    set_target(unit=commune, indicator=trees, period="2022-11", source="annual_plan", value="9")

    line = line_of(unit_overview(commune, NOVEMBER, ytd=True), trees)

    # 10 + 5 + 7 + 3 = 25 trees from January to November, against the year's 50: 50,0%.
    assert line.figure.value == Decimal(25)
    assert line.figure.own is False
    assert line.figure.reporting == 2  # the widest month (January: two villages), not 4
    assert [(a.target.period, a.percent) for a in line.achievements] == [("2022", Decimal("50.0"))]
    by_unit = {child.unit: child.figure.value for child in line.children}
    assert by_unit == {villages[0]: 17, villages[1]: 5, villages[2]: 3}


def test_a_stock_takes_the_last_months_standing(tree):
    commune, villages = tree
    households = make_indicator("so-ho", unit="ho", over_time="stock")
    for village, values in zip(villages, [(100, 104), (80, 81), (60, 66)], strict=True):
        record_result(unit=village, indicator=households, period="2022-03", value=values[0])
        record_result(unit=village, indicator=households, period="2022-10", value=values[1])
    # Village 1 moves on in November; the others have not reported it yet.
    record_result(unit=villages[0], indicator=households, period="2022-11", value="105")

    overview = unit_overview(commune, NOVEMBER, ytd=True)
    line = line_of(overview, households)

    # November's standing of the commune is village 1's 105 alone (not 100+104+105+… ).
    assert line.figure.value == Decimal(105)
    by_unit = {child.unit: child.figure.value for child in line.children}
    # Each village's own latest month: 105 (November), 81 and 66 (October).
    assert by_unit == {villages[0]: 105, villages[1]: 81, villages[2]: 66}
    # To the end of October: the commune's October, 104 + 81 + 66 = 251.
    october = line_of(unit_overview(commune, parse_period("2022-10"), ytd=True), households)
    assert october.figure.value == Decimal(251)


def test_an_average_averages_the_months(tree):
    commune, villages = tree
    income = make_indicator("thu-nhap", unit="trieu_dong", rollup="avg")  # average by default
    record_result(unit=villages[0], indicator=income, period="2022-01", value="40")
    record_result(unit=villages[1], indicator=income, period="2022-01", value="50")
    record_result(unit=villages[0], indicator=income, period="2022-02", value="47")
    record_result(unit=villages[1], indicator=income, period="2022-02", value="53")
    record_result(unit=villages[2], indicator=income, period="2022-02", value="56")

    line = line_of(unit_overview(commune, parse_period("2022-Q1"), ytd=True), income)

    # January: (40 + 50) / 2 = 45; February: (47 + 53 + 56) / 3 = 52; their mean 48,5.
    assert line.figure.value == Decimal("48.5")
    by_unit = {child.unit: child.figure.value for child in line.children}
    # Village 1: (40 + 47) / 2 = 43,5; village 2: (50 + 53) / 2 = 51,5; village 3: 56.
    assert by_unit == {villages[0]: Decimal("43.5"), villages[1]: Decimal("51.5"), villages[2]: 56}


def test_a_sum_indicator_declared_an_average_over_time_means_its_monthly_totals(tree):
    commune, villages = tree
    workers = make_indicator("lao-dong", unit="nguoi", over_time="average")
    record_result(unit=villages[0], indicator=workers, period="2022-01", value="30")
    record_result(unit=villages[1], indicator=workers, period="2022-01", value="20")
    record_result(unit=villages[0], indicator=workers, period="2022-02", value="41")

    line = line_of(unit_overview(commune, parse_period("2022-02"), ytd=True), workers)

    # January's total 50, February's 41: (50 + 41) / 2 = 45,5.
    assert line.figure.value == Decimal("45.5")


def test_a_half_year_reported_whole_stands_where_no_month_was_reported(tree):
    commune, villages = tree
    revenue = make_indicator("thu", unit="trieu_dong")
    record_result(
        unit=commune,
        indicator=revenue,
        period="2022-H1",
        value="3750",
        status=ResultStatus.ESTIMATED,
    )
    overview = unit_overview(commune, parse_period("2022-H1"), ytd=True)

    assert overview.window.label == "lũy kế 6 tháng đầu năm 2022"
    assert line_of(overview, revenue).figure.value == Decimal(3750)
    assert line_of(overview, revenue).figure.estimated is True


def test_windows_and_labels():
    nine = year_to_date(parse_period("2022-9M"))
    assert (nine.span.start.isoformat(), nine.span.end.isoformat()) == ("2022-01-01", "2022-09-30")
    assert [m.code for m in nine.months][-1] == "2022-09"
    assert len(nine.months) == 9
    assert nine.label == "lũy kế 9 tháng đầu năm 2022"
    assert year_to_date(parse_period("2022")).label == "lũy kế cả năm 2022"
    # A week counts the months ended by its last day: week 15 of 2022 ends on 17/04.
    assert len(year_to_date(parse_period("2022-W15")).months) == 3
    assert year_to_date(parse_period("2020..2025")) is None
    assert year_to_date(parse_period("2022-W01")) is None  # no month over yet
    assert same_period_last_year(parse_period("2022-11")).code == "2021-11"
    assert same_period_last_year(parse_period("2022-9M")).code == "2021-9M"
    assert same_period_last_year(parse_period("2020..2025")) is None
    assert same_period_last_year(parse_period("2020-W53")) is None  # 2019 had 52 weeks
    span = same_period_last_year(parse_period("2022-04-15..2022-05-30"))
    assert span.code == "2021-04-15..2021-05-30"


def test_the_same_period_last_year_and_the_change(tree):
    commune, villages = tree
    trees = make_indicator("cay", unit="cay")
    record_result(unit=villages[0], indicator=trees, period="2022-11", value="120")
    record_result(unit=villages[1], indicator=trees, period="2022-11", value="60")
    record_result(unit=villages[0], indicator=trees, period="2021-11", value="100")
    record_result(unit=villages[1], indicator=trees, period="2021-11", value="60")
    record_result(unit=villages[1], indicator=trees, period="2021-10", value="999")  # not it

    overview = unit_overview(commune, NOVEMBER, last_year=True)
    line = line_of(overview, trees)

    assert overview.before.period.code == "2021-11"
    # 180 against 160: +20, (180 − 160) / 160 = 12,5%.
    assert (line.figure.value, line.previous.value) == (180, 160)
    assert (line.change, line.change_percent) == (20, Decimal("12.5"))
    assert line.change_words == "tăng 12,5%"
    kids = {child.unit: child for child in line.children}
    assert (kids[villages[0]].change, kids[villages[0]].change_percent) == (20, Decimal("20.0"))
    assert (kids[villages[1]].change, kids[villages[1]].change_words) == (0, "bằng cùng kỳ")


def test_year_to_date_against_last_years(tree):
    commune, villages = tree
    trees = make_indicator("cay", unit="cay")
    for period, value in [("2022-01", 30), ("2022-02", 10), ("2021-01", 25), ("2021-02", 25)]:
        record_result(unit=villages[0], indicator=trees, period=period, value=value)

    line = line_of(unit_overview(commune, parse_period("2022-02"), ytd=True, last_year=True), trees)

    # 30 + 10 = 40 against 25 + 25 = 50: −10, −20,0%.
    assert (line.figure.value, line.previous.value, line.change) == (40, 50, -10)
    assert line.change_words == "giảm 20,0%"


def test_the_term_view_measures_against_the_terms_targets_only(tree):
    commune, _ = tree
    income = make_indicator("thu-nhap", unit="trieu_dong", rollup="avg")
    trees = make_indicator("cay", unit="cay")
    year = parse_period("2022")
    set_target(
        unit=commune,
        indicator=income,
        period="2020..2025",
        source=TargetSource.CONGRESS_RESOLUTION,
        value="60",
    )
    set_target(unit=commune, indicator=income, period="2022", source="annual_plan", value="55")
    set_target(unit=commune, indicator=trees, period="2022", source="annual_plan", value="500")
    record_result(unit=commune, indicator=income, period=year, value="52")
    record_result(unit=commune, indicator=trees, period=year, value="400")

    overview = unit_overview(commune, year, term_only=True)

    # "thu nhập bình quân đạt 52/60 triệu đồng, bằng 86,7% mục tiêu Nghị quyết nhiệm kỳ":
    # 52 / 60 × 100 = 86,67 → 86,7. Trees have no term target: not listed.
    assert [line.indicator.code for line in overview.lines] == ["thu-nhap"]
    [achievement] = overview.lines[0].achievements
    assert (achievement.target.period, achievement.percent) == ("2020..2025", Decimal("86.7"))


def test_a_revised_target_is_measured_against_the_plan_as_first_set_and_as_revised(tree):
    commune, _ = tree
    revenue = make_indicator("thu", unit="trieu_dong")
    first = record_plan_document(
        unit=commune, citation="Quyết định số 15/QĐ-UBND ngày 10/01/2020 của UBND huyện"
    )
    second = record_plan_document(
        unit=commune, citation="Nghị quyết số 7/NQ-HĐND ngày 24/07/2020 của HĐND xã"
    )
    set_target(
        unit=commune,
        indicator=revenue,
        period="2020",
        source="district_plan",
        value="15511",
        document=first,
    )
    set_target(
        unit=commune,
        indicator=revenue,
        period="2020",
        source="district_plan",
        value="14368",
        document=second,
        revision=True,
    )
    record_result(unit=commune, indicator=revenue, period="2020-H1", value="3750")

    [achievement] = line_of(unit_overview(commune, parse_period("2020-H1")), revenue).achievements

    # 3.750 / 15.511 = 24,18% of the plan as first set; 3.750 / 14.368 = 26,10% as revised.
    assert achievement.target.original_value == Decimal(15511)
    assert achievement.original_percent == Decimal("24.2")
    assert achievement.percent == Decimal("26.1")
    assert achievement.target.document.citation == (
        "Nghị quyết số 7/NQ-HĐND ngày 24/07/2020 của HĐND xã"
    )
