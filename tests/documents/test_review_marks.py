"""The review page marks each figure read in the text; a stated percent that does not match
value / plan is marked red ("bad") and said not to match, over HTTP."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_indicator, make_unit, make_user
from xaso.org.models import Role, UnitKind

pytestmark = pytest.mark.django_db

# 2.400 / 8.000 = 0,30: 30% by hand. Our own short report in the genre (names invented).
REPORT = """Thị trấn Đông Hòa sơ kết 6 tháng đầu năm 2021
Sáng ngày 9/7/2021, Đảng bộ thị trấn Đông Hòa tổ chức hội nghị sơ kết 6 tháng đầu năm.
Thu ngân sách ước đạt 2.400 triệu đồng/8.000 triệu đồng (đạt {percent}% kế hoạch huyện giao).
Trồng mới 350 cây bóng mát.
"""

MARK = re.compile(r'<mark id="f(\d+)" class="([a-z]+)">([^<]*)</mark>')


@pytest.fixture
def client_of_officer(client):
    province = make_unit("Hòa Bình", UnitKind.PROVINCE, code="17")
    town = make_unit("Đông Hòa", UnitKind.TOWNSHIP, province, code="dong-hoa")
    make_indicator("thu-ngan-sach", unit="trieu_dong", name="Thu ngân sách")
    make_indicator("cay-bong-mat", unit="cay", name="Cây bóng mát trồng mới")
    client.force_login(make_user("vanphong", unit=town, role=Role.MANAGER))
    return client


def review_page(client, percent: str) -> str:
    text = REPORT.format(percent=percent)
    upload = SimpleUploadedFile("dong-hoa.txt", text.encode("utf-8"))
    response = client.post("/documents/", {"file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.content.decode()


def marks(html: str) -> dict[str, str]:
    """{marked text: its class} of the figures marked in the source text."""
    return {text: css for _, css, text in MARK.findall(html)}


def the_budget(found: dict[str, str]) -> str:
    [key] = [text for text in found if "2.400" in text]
    return key


def test_a_stated_percent_that_does_not_match_the_plan_is_marked_red(client_of_officer):
    html = review_page(client_of_officer, "50")  # stated 50%, while 2.400/8.000 is 30%

    found = marks(html)
    assert found[the_budget(found)] == "bad"
    assert 'ghi 50%, tính ra 30% — <strong class="error">không khớp</strong>' in html
    assert "Tỷ lệ không khớp" in html  # and the reader's warning above the form
    assert '<div class="entry-row has-error">' in html
    # The other figure, with no percent to check, is marked plainly.
    [trees] = [text for text in found if "350" in text]
    assert found[trees] == "fig"


def test_a_stated_percent_that_matches_the_plan_is_not_red(client_of_officer):
    html = review_page(client_of_officer, "30")

    found = marks(html)
    assert found[the_budget(found)] == "fig"
    assert set(found.values()) == {"fig"}
    assert "ghi 30%, tính ra 30%</span>" in html
    assert "không khớp" not in html
    assert "has-error" not in html
