"""An indicator taken out of use (active=False) is not offered for new figures: not on the
entry sheet (even with "show all"), not among the review page's indicator choices; what was
recorded for it stays stored, and its history page still shows it. The unit page lists only
indicators in use, so an inactive indicator's existing figures are no longer shown there."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_indicator, make_unit, make_user
from xaso.catalog.models import Indicator
from xaso.figures.models import Result
from xaso.figures.services import record_result, set_target
from xaso.org.models import Role, UnitKind

pytestmark = pytest.mark.django_db

NOV = "2022-11"


@pytest.fixture
def place(client):
    """Xã Hà Linh with two indicators, each with a figure and a plan for November 2022; the
    second one (trees) then taken out of use."""
    commune = make_unit("Hà Linh", UnitKind.COMMUNE, code="hl")
    make_unit("Thôn 1", UnitKind.VILLAGE, commune, code="hl-1")
    roads = make_indicator("duong", name="Đường giao thông nông thôn", unit="km", position=1)
    trees = make_indicator("cay", name="Cây bóng mát trồng mới", unit="cay", position=2)
    for indicator, value, plan in ((roads, "2,5", "10"), (trees, "1.135", "2.000")):
        record_result(unit=commune, indicator=indicator, period=NOV, value=value)
        set_target(unit=commune, indicator=indicator, period=NOV, source="annual_plan", value=plan)
    client.force_login(make_user("vanphong", unit=commune, role=Role.MANAGER))
    return commune, roads, trees


def retire(indicator: Indicator) -> None:
    Indicator.objects.filter(pk=indicator.pk).update(active=False)


def boxes(html: str) -> set[str]:
    return set(re.findall(r'name="v_([^"]+)"', html))


def test_the_entry_sheet_leaves_out_an_inactive_indicator_even_when_showing_all(client, place):
    commune, roads, trees = place
    before = client.get(f"/units/hl/entry/?period={NOV}")
    assert boxes(before.content.decode()) == {"duong", "cay"}  # both in use: both there

    retire(trees)

    for url in (f"/units/hl/entry/?period={NOV}", f"/units/hl/entry/?period={NOV}&all=1"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert boxes(html) == {"duong"}
        assert "Đường giao thông nông thôn" in html
        assert "Cây bóng mát" not in html


def test_a_value_sent_for_an_inactive_indicator_is_not_recorded(client, place):
    commune, roads, trees = place
    retire(trees)

    client.post(
        f"/units/hl/entry/?period={NOV}",
        {"period": NOV, "v_duong": "3", "s_duong": "final", "v_cay": "9", "s_cay": "final"},
    )

    stored = dict(Result.objects.filter(unit=commune).values_list("indicator__code", "value"))
    assert stored == {"duong": 3, "cay": 1135}  # roads changed, trees kept as they were


REPORT = """Xã Hà Linh sơ kết tháng 11 năm 2022
Sáng ngày 30/11/2022, Đảng ủy xã Hà Linh tổ chức hội nghị.
Trồng mới 350 cây bóng mát, làm 1,2 km đường giao thông nông thôn.
"""


def choices(html: str, field: str) -> set[str]:
    select = re.search(rf'<select name="{field}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return {value for value in re.findall(r'<option value="([^"]*)"', select) if value}


def test_the_review_page_offers_only_indicators_in_use(client, place):
    commune, roads, trees = place
    retire(trees)

    upload = SimpleUploadedFile("ha-linh.txt", REPORT.encode("utf-8"))
    response = client.post("/documents/", {"file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"])

    assert page.status_code == 200
    html = page.content.decode()
    offered = choices(html, "figure_0")
    assert offered == {str(roads.pk)}
    assert "Cây bóng mát trồng mới (cây)" not in html  # not offered by name either
    # the figure about trees is still read and shown, just not matched to the retired one
    assert "350" in html


def test_the_unit_page_no_longer_shows_an_inactive_indicators_figures(client, place):
    commune, roads, trees = place
    before = client.get(f"/units/hl/?period={NOV}").content.decode()
    assert "<strong>1.135</strong>" in before
    assert "56,8%" in before  # 1.135 / 2.000, by hand

    retire(trees)

    response = client.get(f"/units/hl/?period={NOV}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đường giao thông nông thôn" in html
    assert "25,0%" in html  # 2,5 / 10, by hand
    assert "Cây bóng mát" not in html
    assert "1.135" not in html
    # The figure itself is kept, and its history page still shows it.
    assert Result.objects.get(unit=commune, indicator=trees).value == 1135
    history = client.get(f"/units/hl/history/?indicator=cay&period={NOV}")
    assert history.status_code == 200
    assert "1.135" in history.content.decode()
