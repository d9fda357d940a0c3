"""The criteria pages as officers use them: read, record, be refused, load a province's set."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.criteria.packs import TWO_REGIONS, two_regions
from tests.factories import make_unit, make_user
from xaso.criteria.loading import load_pack
from xaso.criteria.models import Assessment, CriteriaSet, Criterion
from xaso.criteria.services import assess
from xaso.org.models import Role, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    s = load_pack(two_regions()).criteria_set
    province = make_unit("Tỉnh Thử", UnitKind.PROVINCE, code="t")
    commune = make_unit("Hà Linh", UnitKind.COMMUNE, province, code="hl")
    other = make_unit("Xã Bên", UnitKind.COMMUNE, province, code="xb")
    manager = make_user("ql", unit=commune, role=Role.MANAGER)
    viewer = make_user("xem", unit=commune, role=Role.VIEWER)
    boss = make_user("tinh", unit=province, role=Role.MANAGER)
    return s, province, commune, other, manager, viewer, boss


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def assess_data(**changes):
    data = {
        "action": "assess",
        "set": "thu-nghiem",
        "date": "31/12/2024",
        "criterion": "4",
        "status": "met",
        "assessed_on": "15/06/2024",
        "evidence": "Biên bản kiểm tra của BCĐ xã",
        "document": "",
        "seen": "-",
    }
    return data | changes


def test_the_unit_page_shows_the_count_what_is_missing_and_thresholds(world):
    s, _, commune, _, manager, _, _ = world
    assess(
        unit=commune,
        criterion=Criterion.objects.get(number="4"),
        on=dt.date(2024, 6, 1),
        status="met",
    )
    page = client_for(manager).get("/units/hl/criteria/?set=thu-nghiem&date=31/12/2024")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<strong>1/4</strong> tiêu chí" in html
    assert "Chưa đánh giá:</strong> 1, 2, 3" in html  # neither assessed nor measured
    assert "Chưa đạt:" not in html
    assert "≥ 85%" in html and "≤ 5%" in html  # no group yet: the thresholds for all
    assert "Ghi kết quả đánh giá" in html  # a manager may record


def test_a_manager_records_an_assessment_and_sees_it(world):
    _, _, commune, _, manager, _, _ = world
    client = client_for(manager)
    answer = client.post("/units/hl/criteria/", assess_data())
    assert answer.status_code == 302
    stored = Assessment.objects.get()
    assert (stored.unit, stored.status, stored.assessed_on) == (
        commune,
        "met",
        dt.date(2024, 6, 15),
    )
    assert stored.evidence == "Biên bản kiểm tra của BCĐ xã"
    # The same click again stores nothing more.
    assert client.post("/units/hl/criteria/", assess_data()).status_code == 302
    assert Assessment.objects.count() == 1


def test_a_bad_date_is_named_and_what_was_typed_is_shown_again(world):
    _, _, _, _, manager, _, _ = world
    answer = client_for(manager).post(
        "/units/hl/criteria/", assess_data(assessed_on="31/02/2024", evidence="Đã kiểm tra 5 thôn")
    )
    html = answer.content.decode()
    assert answer.status_code == 400
    assert "Nhập một ngày hợp lệ" in html or "ngày" in html.lower()
    assert 'value="Đã kiểm tra 5 thôn"' in html
    assert not Assessment.objects.exists()


def test_a_change_made_meanwhile_is_not_overwritten(world):
    _, _, commune, _, manager, _, _ = world
    assess(
        unit=commune,
        criterion=Criterion.objects.get(number="4"),
        on=dt.date(2024, 6, 15),
        status="under_review",
    )
    answer = client_for(manager).post("/units/hl/criteria/", assess_data(status="not_met"))
    assert answer.status_code == 409
    assert "vừa được người khác ghi" in answer.content.decode()
    assert Assessment.objects.get().status == "under_review"
    # Sent again from the page that now shows the other write, it goes through.
    again = client_for(manager).post(
        "/units/hl/criteria/", assess_data(status="not_met", seen="under_review")
    )
    assert again.status_code == 302 and Assessment.objects.get().status == "not_met"


def test_a_viewer_reads_but_may_not_record_and_a_stranger_may_not_read(world):
    _, _, _, _, _, viewer, _ = world
    client = client_for(viewer)
    page = client.get("/units/hl/criteria/")
    assert page.status_code == 200 and "Ghi kết quả đánh giá" not in page.content.decode()
    assert client.post("/units/hl/criteria/", assess_data()).status_code == 403
    assert not Assessment.objects.exists()
    assert client_for(viewer).get("/units/xb/criteria/").status_code == 403


def test_setting_the_group_changes_the_threshold_shown(world):
    _, _, commune, _, _, _, boss = world
    client = client_for(boss)
    answer = client.post(
        "/units/t/criteria/", {"action": "group", "set": "thu-nghiem", "group": "NAM"}
    )
    assert answer.status_code == 302
    html = client.get("/units/hl/criteria/?set=thu-nghiem").content.decode()
    assert "≥ 90,5%" in html and "Miền Nam" in html


def test_the_matrix_counts_the_communes_that_reached_the_standard(world):
    _, _, commune, _, _, _, boss = world
    for number in "1234":
        assess(
            unit=commune,
            criterion=Criterion.objects.get(number=number),
            on=dt.date(2024, 1, 2),
            status="met",
        )
    html = (
        client_for(boss)
        .get("/units/t/criteria/thu-nghiem/matrix/?date=31/12/2024")
        .content.decode()
    )
    assert "Đạt chuẩn (đủ 4/4 tiêu chí): 1/2 đơn vị (50,0%)" in html
    assert "Xã Hà Linh" in html and "Xã Xã Bên" in html


def test_a_province_manager_loads_its_own_set_and_a_bad_file_names_the_line(world):
    _, province, _, _, _, _, boss = world
    client = client_for(boss)
    own = TWO_REGIONS.replace("code: thu-nghiem", "code: tinh-thu").replace(
        "scope: national", "scope: province"
    )
    bad = own.replace("family: ntm", "family: nongthon")
    answer = client.post(
        "/criteria/",
        {"owner": "t", "file": SimpleUploadedFile("tinh.yaml", bad.encode())},
    )
    assert answer.status_code == 400
    assert "tinh.yaml, dòng 6, trường family" in answer.content.decode()
    assert not CriteriaSet.objects.filter(code="tinh-thu").exists()
    answer = client.post(
        "/criteria/",
        {"owner": "t", "file": SimpleUploadedFile("tinh.yaml", own.encode())},
    )
    assert answer.status_code == 302
    assert CriteriaSet.objects.get(code="tinh-thu").owner == province
    # Another province's officer does not see it.
    elsewhere = make_unit("Tỉnh Khác", UnitKind.PROVINCE, code="k")
    stranger = make_user("khac", unit=elsewhere, role=Role.MANAGER)
    assert client_for(stranger).get("/criteria/tinh-thu/").status_code == 404
    assert "tinh-thu" not in client_for(stranger).get("/criteria/").content.decode()


def test_a_commune_officer_cannot_load_a_set(world):
    _, _, _, _, manager, _, _ = world
    answer = client_for(manager).post(
        "/criteria/", {"owner": "t", "file": SimpleUploadedFile("x.yaml", TWO_REGIONS.encode())}
    )
    assert answer.status_code == 403
    assert CriteriaSet.objects.count() == 1


def test_a_set_downloads_as_a_spreadsheet_that_loads_back_as_a_provinces_own(world):
    import io

    from openpyxl import load_workbook

    from xaso.criteria.loading import pack_of

    _, province, _, _, _, _, boss = world
    client = client_for(boss)
    answer = client.get("/criteria/thu-nghiem.xlsx")
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content))
    rows = {row[0].value: row[1].value for row in book["Bộ tiêu chí"].iter_rows(min_row=2)}
    assert rows["code"] == "thu-nghiem" and rows["scope"] == "national"
    # The province's officer edits the code and the scope and loads it back.
    sheet = book["Bộ tiêu chí"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "code":
            row[1].value = "tinh-thu"
        if row[0].value == "scope":
            row[1].value = "province"
    edited = io.BytesIO()
    book.save(edited)
    upload = SimpleUploadedFile("tinh.xlsx", edited.getvalue())
    assert client.post("/criteria/", {"owner": "t", "file": upload}).status_code == 302
    own = CriteriaSet.objects.get(code="tinh-thu")
    assert own.owner == province
    national, copied = pack_of(CriteriaSet.objects.get(code="thu-nghiem")), pack_of(own)
    assert copied.criteria == national.criteria  # every criterion, requirement and threshold


def test_pack_of_gives_back_the_pack_that_was_loaded(world):
    from dataclasses import replace

    from xaso.criteria.loading import pack_of

    s = world[0]
    assert replace(pack_of(s), file="") == replace(two_regions(), file="")


def test_changing_what_the_page_showed_goes_through_and_a_change_made_meanwhile_does_not(world):
    import re

    _, _, commune, _, manager, _, _ = world
    four = Criterion.objects.get(number="4")
    assess(unit=commune, criterion=four, on=dt.date(2024, 6, 15), status="under_review")
    client = client_for(manager)
    page = client.get("/units/hl/criteria/?set=thu-nghiem&date=31/12/2024").content.decode()
    shown = re.search(r'name="shown" value="([^"]*)"', page).group(1)
    assert shown == "4=under_review@2024-06-15"
    assert 'name="assessed_on" value="31/12/2024"' in page  # dates as officers write them
    data = assess_data(status="met", seen="", shown=shown)
    assert client.post("/units/hl/criteria/", data).status_code == 302
    assert Assessment.objects.get().status == "met"
    # Another officer changes it again; the page this one still has showed "under review".
    assess(unit=commune, criterion=four, on=dt.date(2024, 6, 15), status="not_met")
    assert client.post("/units/hl/criteria/", data).status_code == 409
    assert Assessment.objects.get().status == "not_met"


def test_the_set_page_writes_thresholds_by_group_the_vietnamese_way(world):
    _, _, _, _, _, viewer, _ = world
    html = client_for(viewer).get("/criteria/thu-nghiem/").content.decode()
    assert "chung: ≥ 85%<br>vùng NAM: ≥ 90,5%" in html
    assert "chung: ≤ 5%<br>vùng BAC: chưa có ngưỡng" in html
    assert "đạt (≥ 1)" in html  # the market: a count, reached at one
