"""The mapping step on the web: a new sheet is mapped once, the next goes straight to the check."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from tests.factories import make_commune_tree, make_indicator, make_user
from xaso.exchange.models import SheetMapping
from xaso.figures.models import Result
from xaso.org.models import Role

pytestmark = pytest.mark.django_db
PAGE = "/units/hl/spreadsheet/"


def _book(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def client():
    province, district, commune, villages = make_commune_tree()
    make_indicator("road", name="Đường bê tông", unit="km")
    browser = Client()
    browser.force_login(make_user("canbo", unit=commune, role=Role.MANAGER))
    return browser


def test_mapped_once_then_recognised(client):
    first = _book([["Thôn", "Duong be tong"], ["Thon 1", "1,5"], ["Thon 2", 2]])
    step = client.post(PAGE, {"file": SimpleUploadedFile("a.xlsx", first)})
    text = step.content.decode()
    assert step.status_code == 200 and 'name="col_0" value="road"' in text
    assert 'name="row_1" value="hl-2"' in text
    checked = client.post(
        PAGE, {"action": "map", "period": "2022-11", "header_row": "1", "layout": "unit_rows",
               "col_0": "road", "row_0": "hl-1", "row_1": "hl-2"},
    )  # fmt: skip
    assert "2 số sẽ được ghi" in checked.content.decode()
    assert SheetMapping.objects.get().period == "2022-11"
    assert client.post(PAGE, {"action": "save"}).status_code == 302
    second = _book([["Thôn", "Duong be tong"], ["Thon 1", "3"], ["Thon 2", "năm"]])
    page = client.post(PAGE, {"file": SimpleUploadedFile("b.xlsx", second), "period": "2022-12"})
    text = page.content.decode()
    assert "đã lưu «Bảng Hà Linh»" in text and "<td>B3</td><td>số liệu</td>" in text
    values = dict(Result.objects.values_list("unit__code", "value"))
    assert values == {"hl-1": Decimal("1.5"), "hl-2": Decimal("2")}


def test_a_bad_file_and_a_bad_period_are_refused_in_vietnamese(client):
    page = client.post(PAGE, {"file": SimpleUploadedFile("a.xlsx", b"abc")})
    assert page.status_code == 400 and "không phải bảng tính Excel" in page.content.decode()
    client.post(PAGE, {"file": SimpleUploadedFile("a.xlsx", _book([["Thôn", "x"], ["1", 1]]))})
    bad = client.post(PAGE, {"action": "map", "period": "2022-13"})
    assert bad.status_code == 400 and not SheetMapping.objects.exists()
