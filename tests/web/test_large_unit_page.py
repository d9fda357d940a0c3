"""A province's page stays small: with many children, breakdowns come one indicator at a time."""

import pytest

from tests.factories import make_indicator, make_unit, make_user
from xaso.figures.services import record_result
from xaso.org.models import Role, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_page(client):
    province = make_unit("Tổng hợp", UnitKind.PROVINCE, code="P1")
    indicators = [make_indicator(f"i{n}", unit="ho", name=f"Chỉ tiêu {n}") for n in range(10)]
    for n in range(40):  # more children than a page shows inline
        commune = make_unit(f"{n:02d}", UnitKind.COMMUNE, province, code=f"P1-{n:02d}")
        for indicator in indicators:
            record_result(unit=commune, indicator=indicator, period="2024-06", value=str(n + 1))
    client.force_login(make_user("tinh", unit=province, role=Role.VIEWER))
    return province, indicators


def test_a_unit_with_many_children_links_to_one_breakdown_at_a_time(client, province_page):
    province, indicators = province_page
    page = client.get(f"/units/{province.code}/?period=2024-06").content.decode()

    assert "<details>" not in page
    assert f"indicator={indicators[3].code}#breakdown" in page
    assert len(page.encode()) < 100_000


def test_the_chosen_indicator_is_broken_down_by_every_child(client, province_page):
    province, indicators = province_page
    response = client.get(f"/units/{province.code}/?period=2024-06&indicator={indicators[3].code}")
    page = response.content.decode()

    assert 'id="breakdown"' in page
    assert page.count('class="sub"') == 1
    assert "Xã 39" in page and ">40<" in page  # the last commune's value
    assert len(page.encode()) < 100_000
