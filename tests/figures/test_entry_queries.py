"""What a data-entry round costs the database on a village (issue #20): the sheet, the save
and the unit page it leads to read nothing below a unit that has no children."""

import re

import pytest
from django.test import Client

from tests.factories import make_commune_tree, make_indicator, make_user
from xaso.org.models import Role

pytestmark = pytest.mark.django_db

PERIOD = "2022-11"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def village_round():
    """A reporter of a commune, one of its villages and the sheet's address."""
    _, _, commune, villages = make_commune_tree()
    for n in range(3):
        make_indicator(f"ind{n}", name=f"Chỉ tiêu {n}", unit="cay", position=n)
    client = Client()
    client.force_login(make_user("reporter", unit=commune, role=Role.REPORTER))
    return client, villages[0], f"/units/{villages[0].code}/entry/?period={PERIOD}"


def test_a_villages_sheet_save_and_page_read_nothing_below_it(
    village_round, django_assert_num_queries
):
    client, village, url = village_round
    # session, user, unit, memberships; results, targets, indicators; the trail
    with django_assert_num_queries(8):
        sheet = client.get(url)
    data = {"csrfmiddlewaretoken": TOKEN.search(sheet.content.decode())[1], "period": PERIOD}
    data.update({f"v_ind{n}": str(n + 1) for n in range(3)})
    answer = client.post(url, data)
    assert answer.status_code == 302
    # session, user, unit, memberships; periods with data, indicators, the village's own
    # results (no subtotal: nothing is below it), targets, report forms, the trail
    with django_assert_num_queries(10) as captured:
        page = client.get(answer["Location"])
    assert "Đã lưu 3 số liệu" in page.content.decode()
    # which forms list children by name: a question only a unit with children asks
    assert not [q for q in captured.captured_queries if "reporter_units" in q["sql"]]
