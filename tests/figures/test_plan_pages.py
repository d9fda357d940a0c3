"""The plan page and the allocation table over HTTP: what a manager sees, types and gets."""

import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from tests.factories import make_indicator, make_unit, make_user
from xaso.figures.models import Allocation, Target, TargetSource
from xaso.figures.services import record_result, set_target
from xaso.org.models import Role, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    district = make_unit("Hương Khê", UnitKind.DISTRICT, code="hk")
    township = make_unit("Hương Khê", UnitKind.TOWNSHIP, district, code="tt")
    groups = [
        make_unit(f"{n}", UnitKind.RESIDENTIAL_GROUP, township, code=f"tt-{n}") for n in (1, 2, 3)
    ]
    households = make_indicator("so-ho", unit="ho", name="Số hộ")
    for group, count in zip(groups, (100, 200, 100), strict=True):
        record_result(unit=group, indicator=households, period="2020", value=str(count))
    cultural = make_indicator("gia-dinh-van-hoa", unit="ho", name="Gia đình văn hoá")
    revenue = make_indicator("thu-ngan-sach", unit="trieu_dong", name="Thu ngân sách")
    manager = make_user("canbo", unit=township, role=Role.MANAGER)
    reporter = make_user("totruong", unit=groups[0], role=Role.REPORTER)
    return {
        "township": township,
        "groups": groups,
        "households": households,
        "cultural": cultural,
        "revenue": revenue,
        "manager": manager,
        "reporter": reporter,
    }


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def post_target(client, world, **fields):
    data = {
        "period": "2020",
        "indicator": world["revenue"].pk,
        "source": TargetSource.DISTRICT_PLAN,
        "value": "15.511",
        "document": "Quyết định số 15/QĐ-UBND ngày 10/01/2020 của UBND huyện",
        "seen": "-",
    } | fields
    return client.post("/units/tt/plan/", data)


def test_a_manager_sets_a_target_with_its_document_and_sees_it(world):
    client = client_for(world["manager"])
    response = post_target(client, world)
    assert response.status_code == 302
    assert response.url == "/units/tt/plan/?period=2020"
    target = Target.objects.get(unit=world["township"])
    assert target.value == Decimal("15511")
    assert target.document.citation == "Quyết định số 15/QĐ-UBND ngày 10/01/2020 của UBND huyện"
    page = client.get(response.url).content.decode()
    assert "15.511" in page
    assert "Quyết định số 15/QĐ-UBND ngày 10/01/2020 của UBND huyện" in page
    assert "Kế hoạch huyện giao" in page


def test_a_bad_value_is_named_and_what_was_typed_stays(world):
    client = client_for(world["manager"])
    response = post_target(client, world, value="15.511,5,5", document="Quyết định số 9/QĐ-X")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="15.511,5,5"' in page
    assert 'value="Quyết định số 9/QĐ-X"' in page
    assert not Target.objects.exists()


def test_a_second_add_of_an_existing_target_is_not_a_silent_overwrite(world):
    client = client_for(world["manager"])
    post_target(client, world)
    response = post_target(client, world, value="16.000")
    assert response.status_code == 409
    assert "Chỉ tiêu này đã có: 15.511." in response.content.decode()
    assert Target.objects.get().value == 15511
    # Sent again as re-shown (its hidden seen value now the current one), it is saved.
    page = response.content.decode()
    assert 'name="seen" value="15511"' in page
    response = post_target(client, world, value="16.000", seen="15511")
    assert response.status_code == 302
    assert Target.objects.get().value == 16000


def test_a_revision_shows_both_values(world):
    client = client_for(world["manager"])
    post_target(client, world)
    response = post_target(
        client,
        world,
        value="14.368",
        seen="15511",
        revision="on",
        document="Quyết định số 820/QĐ-UBND ngày 15/07/2020 của UBND huyện",
        reason="Điều chỉnh giữa năm",
    )
    assert response.status_code == 302
    page = client.get("/units/tt/plan/?period=2020").content.decode()
    assert "14.368" in page
    assert "Điều chỉnh từ 15.511 (Quyết định số 15/QĐ-UBND ngày 10/01/2020 của UBND huyện)" in page


def test_a_reporter_reads_the_plan_but_cannot_set_it(world):
    set_target(
        unit=world["township"],
        indicator=world["revenue"],
        period="2020",
        source=TargetSource.DISTRICT_PLAN,
        value="15.511",
    )
    client = client_for(world["reporter"])
    # The reporter of a residential group reads its own unit's plan, not the township's.
    assert client.get("/units/tt-1/plan/?period=2020").status_code == 200
    assert client.get("/units/tt/plan/?period=2020").status_code == 403
    assert post_target(client, world, value="1").status_code == 403
    assert Target.objects.get().value == 15511


def test_the_period_box_reports_a_bad_period(world):
    client = client_for(world["manager"])
    page = client.get("/units/tt/plan/?period=2020-13").content.decode()
    assert 'class="error"' in page and "2020-13" in page


def allocation_url(target, suffix="/allocate/"):
    return f"/units/tt/plan/{target.pk}{suffix}"


@pytest.fixture
def cultural_target(world):
    return set_target(
        unit=world["township"],
        indicator=world["cultural"],
        period="2020",
        source=TargetSource.DISTRICT_PLAN,
        value="81",
    )


def test_the_table_proposes_shares_by_households(world, cultural_target):
    client = client_for(world["manager"])
    url = allocation_url(cultural_target) + f"?method=base&base={world['households'].pk}"
    page = client.get(url).content.decode()
    # 81 × (100, 200, 100) / 400 = 20,25 · 40,5 · 20,25 → 20 40 20, +1 to 0,5 (the second).
    for code, share in (("tt-1", "20"), ("tt-2", "41"), ("tt-3", "20")):
        assert f'name="share_{code}" value="{share}"' in page
    assert "khớp" in page


def test_shares_sent_as_proposed_record_the_method(world, cultural_target):
    client = client_for(world["manager"])
    data = {
        "method": "base",
        "base": world["households"].pk,
        "share_tt-1": "20",
        "share_tt-2": "41",
        "share_tt-3": "20",
    }
    response = client.post(allocation_url(cultural_target), data)
    assert response.status_code == 302
    allocation = Allocation.objects.get()
    assert (allocation.method, allocation.base_indicator) == ("base", world["households"])
    data["share_tt-3"] = "19"
    data["confirm"] = "1"
    assert client.post(allocation_url(cultural_target), data).status_code == 302
    allocation.refresh_from_db()
    assert (allocation.method, allocation.confirmed_difference) == ("hand", Decimal(-1))
    page = client.get("/units/tt/plan/?period=2020").content.decode()
    assert "Đã giao cho 3 đơn vị, tổng 80" in page
    assert "chênh -1 (đã xác nhận)" in page


def test_a_difference_is_refused_unless_confirmed_and_the_typed_values_stay(world, cultural_target):
    client = client_for(world["manager"])
    data = {"method": "hand", "share_tt-1": "30", "share_tt-2": "30", "share_tt-3": "30"}
    response = client.post(allocation_url(cultural_target), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tổng các phần phân bổ 90 hộ khác chỉ tiêu 81 hộ (chênh 9)" in page
    assert 'name="share_tt-1" value="30"' in page
    assert not Target.objects.filter(allocated_from=cultural_target).exists()


def test_the_spreadsheet_round_trip(world, cultural_target):
    client = client_for(world["manager"])
    response = client.get(allocation_url(cultural_target, "/allocate.xlsx") + "?method=equal")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = [row for row in book.active.iter_rows(values_only=True)]
    assert rows[2] == (
        "Mã đơn vị",
        "Tên đơn vị",
        "Số liệu gốc",
        "Chỉ tiêu hiện có",
        "Phần được giao",
    )
    assert [(row[0], row[4]) for row in rows[3:]] == [("tt-1", 27), ("tt-2", 27), ("tt-3", 27)]
    # The officer changes two shares in Excel and uploads the file.
    sheet = book.active
    sheet["E4"], sheet["E5"] = 30, "24"
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "phan-bo.xlsx"
    response = client.post(allocation_url(cultural_target), {"file": out})
    assert response.status_code == 302
    shares = {t.unit.code: t.value for t in Target.objects.filter(allocated_from=cultural_target)}
    assert shares == {"tt-1": 30, "tt-2": 24, "tt-3": 27}
    assert Allocation.objects.get().method == "file"


def test_a_bad_spreadsheet_is_reported_row_by_row_and_nothing_is_saved(world, cultural_target):
    book = Workbook()
    sheet = book.active
    sheet.append(["tiêu đề"])
    sheet.append(["ghi chú"])
    sheet.append(["Mã đơn vị", "Tên", "Gốc", "Hiện có", "Phần"])
    sheet.append(["tt-1", "", None, None, "20,5"])
    sheet.append(["tt-1", "", None, None, 3])
    sheet.append(["zz", "", None, None, 5])
    sheet.append([None, "", None, None, 5])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "sai.xlsx"
    client = client_for(world["manager"])
    response = client.post(allocation_url(cultural_target), {"file": out})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Dòng 5</strong>: đơn vị tt-1 có hai dòng." in page
    assert "Dòng 7</strong>: thiếu mã đơn vị." in page
    assert not Target.objects.filter(allocated_from=cultural_target).exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused(world, cultural_target):
    out = io.BytesIO(b"not a spreadsheet")
    out.name = "x.xlsx"
    client = client_for(world["manager"])
    response = client.post(allocation_url(cultural_target), {"file": out})
    assert response.status_code == 400
    assert "không đọc được" in response.content.decode()


def test_the_period_box_takes_what_officers_type(world):
    set_target(
        unit=world["township"],
        indicator=world["revenue"],
        period="2020..2025",
        source=TargetSource.CONGRESS_RESOLUTION,
        value="60",
    )
    client = client_for(world["manager"])
    page = client.get("/units/tt/plan/?period=nhiệm kỳ 2020-2025").content.decode()
    assert "Nghị quyết Đại hội" in page and "nhiệm kỳ 2020–2025" in page
    response = post_target(client, world, period="năm 2020")
    assert response.status_code == 302
    assert Target.objects.get(period="2020").value == 15511


def test_the_table_opens_on_the_last_allocation_and_never_invents_shares(world, cultural_target):
    from xaso.figures.allocation import allocate

    client = client_for(world["manager"])
    make_unit("Hội Phụ nữ", UnitKind.WOMENS_UNION, world["township"], code="tt-pn")
    # By households, to every child: the women's union has none, so no proposal at all;
    # the table shows blank boxes to fill, not an even split nobody asked for.
    url = allocation_url(cultural_target) + f"?method=base&base={world['households'].pk}"
    page = client.get(url).content.decode()
    assert "Chưa đề xuất được: có 1 dòng chưa đúng." in page
    assert "chưa có số liệu Số hộ năm 2020" in page
    assert 'name="share_tt-1" value=""' in page
    allocate(
        target=cultural_target,
        method="base",
        base_indicator=world["households"],
        to_kind=UnitKind.RESIDENTIAL_GROUP,
    )
    page = client.get(allocation_url(cultural_target)).content.decode()
    assert 'name="share_tt-2" value="41"' in page
    assert "share_tt-pn" not in page
    assert '<option value="residential_group" selected>' in page


def test_editing_shows_the_value_as_officers_write_it(world):
    target = set_target(
        unit=world["township"],
        indicator=world["revenue"],
        period="2020",
        source=TargetSource.DISTRICT_PLAN,
        value="15.840",
    )
    page = client_for(world["manager"]).get(f"/units/tt/plan/?period=2020&edit={target.pk}")
    html = page.content.decode()
    assert 'name="value" value="15840"' in html  # not 1,584E+4
    assert 'name="seen" value="15840"' in html
    assert "Mục tiêu nhiệm kỳ" not in html  # no term targets: no empty column
