"""A parent's own figure beside what its children add up to, and the unit page's views: the
flag ("Số của xã 120 khác tổng các thôn 118"), each view's columns, and the page's queries,
the same in every view."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_commune_tree, make_indicator, make_unit, make_user
from xaso.figures.plans import record_plan_document
from xaso.figures.selectors import unit_overview
from xaso.figures.services import record_result, set_target
from xaso.org.models import Role, UnitKind
from xaso.periods import parse_period

pytestmark = pytest.mark.django_db

NOVEMBER = parse_period("2022-11")


def line_of(overview, indicator):
    [line] = [line for line in overview.lines if line.indicator == indicator]
    return line


@pytest.fixture
def commune_trees():
    """The commune entered 120 trees for November; its villages' figures add up to 118."""
    _, _, commune, villages = make_commune_tree()
    trees = make_indicator("cay", unit="cay", name="Cây bóng mát trồng mới")
    for village, value in zip(villages, ["50", "40", "28"], strict=True):
        record_result(unit=village, indicator=trees, period=NOVEMBER, value=value)
    record_result(unit=commune, indicator=trees, period=NOVEMBER, value="120")
    return commune, villages, trees


def test_the_own_figure_counts_and_the_childrens_sum_is_shown_beside_it(commune_trees):
    commune, _, trees = commune_trees
    # A child without the figure (the youth union) does not make them "các đơn vị".
    make_unit("Đoàn Thanh niên", UnitKind.YOUTH_UNION, commune, code="hl-dtn")

    line = line_of(unit_overview(commune, NOVEMBER), trees)

    assert (line.figure.value, line.figure.own) == (Decimal(120), True)
    assert line.below.value == Decimal(118)  # 50 + 40 + 28
    assert line.below.reporting == 3
    assert line.disagreement == "Số của xã 120 khác tổng các thôn 118"


def test_no_flag_when_they_agree_or_when_nothing_is_below(commune_trees):
    commune, villages, trees = commune_trees
    record_result(unit=villages[2], indicator=trees, period=NOVEMBER, value="30")  # 50+40+30
    lone = make_indicator("lone", unit="cay")
    record_result(unit=commune, indicator=lone, period=NOVEMBER, value="5")

    overview = unit_overview(commune, NOVEMBER)

    assert (line_of(overview, trees).disagreement, line_of(overview, trees).below) == ("", None)
    assert line_of(overview, lone).disagreement == ""


def test_an_average_is_compared_with_the_childrens_average():
    _, _, commune, villages = make_commune_tree()
    poverty = make_indicator("ngheo", unit="percent", rollup="avg", direction="down")
    for village, value in zip(villages, ["4", "5", "7,5"], strict=True):
        record_result(unit=village, indicator=poverty, period="2022", value=value)
    record_result(unit=commune, indicator=poverty, period="2022", value="5")

    line = line_of(unit_overview(commune, parse_period("2022")), poverty)

    # (4 + 5 + 7,5) / 3 = 5,5 against the commune's own 5.
    assert line.disagreement == "Số của xã 5 khác bình quân các thôn 5,5"


def test_a_year_to_date_flags_the_months_combined(commune_trees):
    commune, villages, trees = commune_trees
    record_result(unit=villages[0], indicator=trees, period="2022-10", value="10")
    record_result(unit=commune, indicator=trees, period="2022-10", value="10")

    line = line_of(unit_overview(commune, NOVEMBER, ytd=True), trees)

    # Own: 10 + 120 = 130; the villages: 10 + 118 = 128.
    assert line.disagreement == "Số của xã 130 khác tổng các thôn 128"


@pytest.fixture
def page(client, commune_trees):
    commune, villages, trees = commune_trees
    set_target(unit=commune, indicator=trees, period="2022", source="annual_plan", value="400")
    for village, value in zip(villages, ["45", "40", "25"], strict=True):
        record_result(unit=village, indicator=trees, period="2021-11", value=value)
    record_result(unit=commune, indicator=trees, period="2021-11", value="110")
    record_result(unit=villages[0], indicator=trees, period="2022-10", value="80")
    client.force_login(make_user("viewer", unit=commune, role=Role.VIEWER))
    url = reverse("figures:unit", args=[commune.code])

    def get(view: str = ""):
        query = {"period": "2022-11"} | ({"view": view} if view else {})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, query)
        assert response.status_code == 200
        return response.content.decode(), len(queries)

    return get


def test_the_page_flags_the_disagreement(page):
    html, _ = page()

    assert "⚠ Số của xã 120 khác tổng các thôn 118" in html


def test_each_view_shows_its_figures(page):
    html, _ = page("ytd")
    # October's 80 (village 1) and November's own 120: 200 against the year's 400, 50,0%.
    assert "Lũy kế 11 tháng đầu năm 2022" in html
    assert "<strong>200</strong>" in html
    assert "50,0%" in html
    html, _ = page("last-year")
    # 120 against last November's own 110: +10, (120 − 110) / 110 = 9,09 → 9,1%.
    assert "so với tháng 11/2021" in html
    assert '<span class="change">+10</span>' in html
    assert "tăng 9,1%" in html
    html, _ = page("term")
    assert "Chưa có số liệu hay mục tiêu nhiệm kỳ nào" in html  # no term target
    html, _ = page("nonsense")  # an unknown view is the period's own
    assert 'aria-current="page">Kỳ này</a>' in html


def test_the_page_reads_as_many_queries_in_every_view(page):
    counts = {view: page(view)[1] for view in ["", "ytd", "last-year", "term"]}

    # A year-to-date is no form's period: one query fewer (no report statuses to read).
    assert counts["ytd"] == counts[""] - 1, counts
    assert counts[""] == counts["last-year"] == counts["term"], counts


def test_the_page_shows_both_percents_of_a_revised_plan(client):
    _, _, commune, _ = make_commune_tree()
    revenue = make_indicator("thu", unit="trieu_dong")
    document = record_plan_document(
        unit=commune, citation="Nghị quyết số 7/NQ-HĐND ngày 24/07/2020 của HĐND xã"
    )
    set_target(unit=commune, indicator=revenue, period="2020", source="annual_plan", value="15511")
    set_target(
        unit=commune,
        indicator=revenue,
        period="2020",
        source="annual_plan",
        value="14368",
        revision=True,
        document=document,
    )
    record_result(unit=commune, indicator=revenue, period="2020-H1", value="3750")
    client.force_login(make_user("viewer", unit=commune, role=Role.VIEWER))

    html = client.get(
        reverse("figures:unit", args=[commune.code]), {"period": "2020-H1"}
    ).content.decode()

    assert "điều chỉnh, ban đầu 15.511" in html
    assert "24,2% kế hoạch" in html  # 3.750 / 15.511
    assert "26,1%" in html  # 3.750 / 14.368
    assert "Nghị quyết số 7/NQ-HĐND ngày 24/07/2020 của HĐND xã" in html


def test_the_period_box_reads_a_phrase(client, commune_trees):
    commune, _, _ = commune_trees
    client.force_login(make_user("viewer", unit=commune, role=Role.VIEWER))

    response = client.get(
        reverse("figures:unit", args=[commune.code]), {"period": "tháng 11/2022", "view": "ytd"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Lũy kế 11 tháng đầu năm 2022" in html
    assert 'value="2022-11"' in html
