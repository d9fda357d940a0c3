"""The template on the web: download, upload (checked first, then "Lưu"), bad files, export."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from tests.factories import make_commune_tree, make_indicator, make_user
from xaso.figures.models import Result
from xaso.org.models import Role, UnitKind
from xaso.reporting.definitions import define_form

pytestmark = pytest.mark.django_db
BASE = "/units/hl/reports/ntm-thang/2022-11/"


@pytest.fixture
def client():
    province, district, commune, villages = make_commune_tree()
    road = make_indicator("road", name="Đường bê tông", unit="km")
    define_form(
        code="ntm-thang", name="Báo cáo tháng NTM", reviewer=commune, period_type="month",
        deadline_rule="next-month:5", indicators=[(road, "")], reporter_kind=UnitKind.VILLAGE,
    )  # fmt: skip
    browser = Client()
    browser.force_login(make_user("canbo", unit=commune, role=Role.MANAGER))
    return browser


def _upload(client, data: bytes):
    file = SimpleUploadedFile("bieu.xlsx", data)
    return client.post(BASE + "upload/", {"file": file})


def _filled(client, cells: dict) -> bytes:
    book = load_workbook(io.BytesIO(client.get(BASE + "template.xlsx").content))
    for name, value in cells.items():
        book["Biểu"][name] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_upload_is_checked_first_then_saved_on_lu(client):
    checked = _upload(client, _filled(client, {"D5": "1,8 km", "E5": "3.750,5"}))
    assert checked.status_code == 200
    assert "2 số sẽ được ghi" in checked.content.decode()
    assert not Result.objects.exists()
    saved = client.post(BASE + "upload/", {"action": "save"})
    assert saved.status_code == 302
    values = dict(Result.objects.values_list("unit__code", "value"))
    assert values == {"hl-1": Decimal("1.8"), "hl-2": Decimal("3750.5")}


def test_a_wrong_cell_is_listed_with_its_field(client):
    page = _upload(client, _filled(client, {"D5": "1,8", "E5": "năm"}))
    text = page.content.decode()
    assert page.status_code == 200 and "<td>E5</td><td>số liệu</td>" in text
    assert "Lưu</button>" not in text
    assert client.post(BASE + "upload/", {"action": "save"}).status_code == 400
    assert not Result.objects.exists()


def test_a_bad_file_is_refused_in_vietnamese(client):
    page = _upload(client, b"not a workbook")
    assert page.status_code == 400
    assert "không phải bảng tính Excel" in page.content.decode()


def test_the_figures_table_downloads_as_csv_and_xlsx(client):
    assert client.get("/units/hl/figures/2022-11.csv").content.startswith(b"\xef\xbb\xbf")
    xlsx = client.get("/units/hl/figures/2022-11.xlsx")
    assert xlsx["Content-Disposition"] == 'attachment; filename="so-lieu-hl-2022-11.xlsx"'
