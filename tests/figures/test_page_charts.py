"""The unit page's charts: how far each indicator reached its plan, and, for one indicator,
how far each child unit reached its own; drawn on the server as inline SVG."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from tests.factories import make_indicator, make_unit, make_user
from xaso.catalog.models import Indicator
from xaso.charts import BELOW, REACHED
from xaso.figures.models import ResultStatus, TargetSource
from xaso.figures.services import record_result, set_target
from xaso.org.models import OrgUnit, Role, UnitKind

pytestmark = pytest.mark.django_db

NS = "{http://www.w3.org/2000/svg}"
ACHIEVEMENT = "Mức đạt kế hoạch theo chỉ tiêu"


def chart(html: str, title: str) -> ET.Element | None:
    """The page's chart with this title (its aria-label), parsed."""
    for found in re.findall(r"<svg\b.*?</svg>", html, re.S):
        root = ET.fromstring(found)  # noqa: S314 — our own page
        if root.get("aria-label") == title:
            return root
    return None


def texts(root: ET.Element) -> list[str]:
    return [node.text for node in root.iter(f"{NS}text")]


def bars(root: ET.Element, colour: str) -> int:
    return sum(1 for node in root.iter(f"{NS}path") if f"fill: {colour}" in node.get("style", ""))


@pytest.fixture
def township(client):
    """Thị trấn Hương Khê, 6 tháng đầu năm 2020 (report 004): its budget revenue against the
    district's plan for the year, a poverty rate under its ceiling, an indicator planned
    but not yet reported, and one reported without a plan."""
    district = make_unit("Hương Khê", UnitKind.DISTRICT, code="hk")
    town = make_unit("Hương Khê", UnitKind.TOWNSHIP, district, code="hk-tt")
    revenue = make_indicator(
        "thu-ngan-sach", unit="trieu_dong", name="Thu ngân sách trên địa bàn", position=1
    )
    poverty = make_indicator(
        "ho-ngheo",
        unit="percent",
        rollup="none",
        direction="down",
        name="Tỷ lệ hộ nghèo",
        position=2,
    )
    water = make_indicator("nuoc-sach", unit="ho", name="Số hộ dùng nước sạch", position=3)
    roads = make_indicator("duong", unit="km", name="Đường giao thông được cứng hóa", position=4)
    plan = TargetSource.DISTRICT_PLAN
    set_target(unit=town, indicator=revenue, period="2020", source=plan, value="15.511")
    set_target(unit=town, indicator=poverty, period="2020", source=plan, value="4")
    set_target(unit=town, indicator=water, period="2020", source=plan, value="800")
    record_result(
        unit=town, indicator=revenue, period="2020-H1", value="3.750", status=ResultStatus.ESTIMATED
    )
    record_result(unit=town, indicator=poverty, period="2020-H1", value="3,2")
    record_result(unit=town, indicator=roads, period="2020-H1", value="2,5")
    client.force_login(make_user("tt", unit=town, role=Role.VIEWER))
    return town


def test_the_page_draws_how_far_each_planned_indicator_reached_its_plan(client, township):
    html = client.get(f"/units/{township.code}/?period=2020-H1").content.decode()

    root = chart(html, ACHIEVEMENT)
    assert root is not None
    shown = texts(root)
    assert "Thu ngân sách trên địa bàn" in shown
    assert "24,2% · ước đạt" in shown  # 3.750 / 15.511 = 24,18%
    assert "Tỷ lệ hộ nghèo" in shown
    assert "80,0%" in shown  # 3,2 / 4
    assert "Số hộ dùng nước sạch" in shown and "chưa có số liệu" in shown
    assert "Đường giao thông được cứng hóa" not in shown  # no plan: nothing to reach
    # The poverty rate under its ceiling has met the plan at 80%; the revenue has not.
    assert bars(root, REACHED) == 1
    assert bars(root, BELOW) == 1


def test_the_chart_comes_before_the_tables_and_is_inline(client, township):
    html = client.get(f"/units/{township.code}/?period=2020-H1").content.decode()

    assert html.index(f'aria-label="{ACHIEVEMENT}"') < html.index('class="figures"')
    assert "<script" not in html[html.index("<svg") : html.index("</svg>")]


def test_the_term_view_measures_against_the_term_targets(client, township):
    revenue = Indicator.objects.get(code="thu-ngan-sach")
    set_target(
        unit=township,
        indicator=revenue,
        period="2020..2025",
        source=TargetSource.CONGRESS_RESOLUTION,
        value="100.000",
    )

    html = client.get(f"/units/{township.code}/?period=2020-H1&view=term").content.decode()

    assert chart(html, ACHIEVEMENT) is None
    root = chart(html, "Mức đạt mục tiêu nhiệm kỳ theo chỉ tiêu")
    assert "3,8% · ước đạt" in texts(root)  # 3.750 / 100.000
    assert "Tỷ lệ hộ nghèo" not in texts(root)


def test_beside_last_year_there_is_no_achievement_chart(client, township):
    html = client.get(f"/units/{township.code}/?period=2020-H1&view=last-year").content.decode()

    assert "<svg" not in html


def test_plans_without_a_figure_yet_draw_no_chart(client):
    village = make_unit("Cẩm Trang", UnitKind.VILLAGE, code="ct")
    roads = make_indicator("duong", unit="km", name="Đường giao thông được cứng hóa")
    plan = TargetSource.ANNUAL_PLAN
    set_target(unit=village, indicator=roads, period="2020", source=plan, value="3")
    client.force_login(make_user("thon", unit=village, role=Role.VIEWER))

    html = client.get(f"/units/{village.code}/?period=2020-H1").content.decode()

    assert "Đường giao thông được cứng hóa" in html
    assert "<svg" not in html


def test_a_unit_without_plans_has_no_achievement_chart(client):
    village = make_unit("Cẩm Trang", UnitKind.VILLAGE, code="ct")
    roads = make_indicator("duong", unit="km", name="Đường giao thông được cứng hóa")
    record_result(unit=village, indicator=roads, period="2020-H1", value="2,5")
    client.force_login(make_user("thon", unit=village, role=Role.VIEWER))

    html = client.get(f"/units/{village.code}/?period=2020-H1").content.decode()

    assert "Đường giao thông được cứng hóa" in html
    assert "<svg" not in html


CHILDREN = "Nhà ở đạt chuẩn: mức đạt kế hoạch theo đơn vị trực thuộc"


def villages_with_plans(client, *, results=(("1", "30"), ("2", "55"), ("4", "12"))):
    """Xã Hà Linh: Thôn 1–3 have a plan for their houses (40, 50, 20), Thôn 4 none but a
    figure (12); the results are for the first half of 2020."""
    commune = make_unit("Hà Linh", UnitKind.COMMUNE, code="hl")
    houses = make_indicator("nha", unit="ho", name="Nhà ở đạt chuẩn")
    plan = TargetSource.ANNUAL_PLAN
    for name, target in (("1", "40"), ("2", "50"), ("3", "20")):
        village = make_unit(name, UnitKind.VILLAGE, commune, code=f"hl-{name}")
        set_target(unit=village, indicator=houses, period="2020", source=plan, value=target)
    make_unit("4", UnitKind.VILLAGE, commune, code="hl-4")
    for name, value in results:
        village = OrgUnit.objects.get(code=f"hl-{name}")
        record_result(unit=village, indicator=houses, period="2020-H1", value=value)
    client.force_login(make_user("xa", unit=commune, role=Role.VIEWER))
    return commune, houses


def assert_children_drawn(root: ET.Element | None) -> None:
    assert root is not None
    shown = texts(root)
    assert [t for t in shown if t.startswith("Thôn")] == ["Thôn 1", "Thôn 2", "Thôn 3"]
    assert "75,0%" in shown  # 30 / 40
    assert "110,0%" in shown  # 55 / 50
    assert "chưa có số liệu" in shown  # Thôn 3 has a plan and no figure yet
    assert bars(root, REACHED) == 1 and bars(root, BELOW) == 1


def test_one_indicator_broken_down_on_its_own_draws_each_child_against_its_plan(
    client, monkeypatch
):
    # A province's page: one indicator's breakdown at a time, below the tables.
    monkeypatch.setattr("xaso.figures.views.INLINE_BREAKDOWN_CHILDREN", 1)
    commune, houses = villages_with_plans(client)

    url = f"/units/{commune.code}/?period=2020-H1&indicator={houses.code}"
    html = client.get(url).content.decode()

    assert_children_drawn(chart(html, CHILDREN))
    assert html.index('id="breakdown"') < html.index(f'aria-label="{CHILDREN}"')


def test_a_breakdown_under_its_indicator_links_to_its_chart(client):
    commune, houses = villages_with_plans(client)

    html = client.get(f"/units/{commune.code}/?period=2020-H1").content.decode()

    assert CHILDREN not in html  # one chart at a time: a commune has dozens of indicators
    assert f"indicator={houses.code}#chart" in html
    assert "<details open>" not in html


def test_the_chosen_breakdown_opens_with_its_chart(client):
    commune, houses = villages_with_plans(client)

    url = f"/units/{commune.code}/?period=2020-H1&indicator={houses.code}"
    html = client.get(url).content.decode()

    assert_children_drawn(chart(html, CHILDREN))
    opened = html.index("<details open>")
    assert opened < html.index('id="chart"') < html.index("</details>", opened)


def test_children_with_plans_and_no_figures_are_not_drawn(client):
    commune, houses = villages_with_plans(client, results=())

    url = f"/units/{commune.code}/?period=2020-H1&indicator={houses.code}"
    html = client.get(url).content.decode()

    assert "<svg" not in html
    assert f"indicator={houses.code}#chart" not in html


def test_the_chosen_indicator_is_drawn_month_by_month_against_the_years_plan():
    """A flow as its running total: 100, then 100 + 250, a month with nothing keeps it."""
    commune = make_unit("Trend", UnitKind.COMMUNE, code="trend")
    road = make_indicator("road", name="Đường bê tông", unit="m", over_time="flow")
    set_target(unit=commune, indicator=road, period="2022", source="district_plan", value="1000")
    record_result(unit=commune, indicator=road, period="2022-01", value="100")
    record_result(unit=commune, indicator=road, period="2022-02", value="250")
    record_result(unit=commune, indicator=road, period="2022-04", value="50")
    record_result(unit=commune, indicator=road, period="2022-05", value="999")  # after the page
    client = Client()
    client.force_login(make_user("viewer", unit=commune, role=Role.VIEWER))
    html = client.get("/units/trend/", {"period": "2022-04", "indicator": "road"}).content.decode()
    start = html.index('id="trend">') + len('id="trend">')
    svg = html[start : html.index("</svg>", start) + len("</svg>")]
    texts = [t.text for t in ET.fromstring(svg).iter() if t.text and t.text.strip()]  # noqa: S314 — our own page
    assert "Đường bê tông (m): lũy kế từ đầu năm 2022" in texts
    assert [t for t in texts if t.startswith("T") and t[1:].isdigit()] == ["T1", "T2", "T3", "T4"]
    assert "T5" not in texts  # May lies after the page's period
    assert {"100", "350", "400"} <= set(texts) and "1.399" not in texts
    assert "Kế hoạch" in " ".join(texts)
    # Without a chosen indicator the page draws no trend; a link offers it.
    page = client.get("/units/trend/", {"period": "2022-04"}).content.decode()
    assert 'id="trend"' not in page and "indicator=road#trend" in page
