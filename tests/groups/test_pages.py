"""The groups pages: a group's page, creating and editing a group, the spreadsheet round trip."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_user
from tests.groups.conftest import enter_values
from xaso.groups.services import group_save
from xaso.groups.sheets import read_group_rows
from xaso.org.models import Role, UnitGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster(district, indicators):
    district_unit, communes, villages = district
    enter_values(villages, {"sum": indicators["sum"]})
    return group_save(
        owner=district_unit,
        code="cum-trung-tam",
        name="Cụm trung tâm",
        kind="cluster",
        members=[communes["xd"], communes["tt"], communes["np"]],
    )


def test_the_group_page_shows_the_members_side_by_side_and_the_ranking(client, district, cluster):
    district_unit, _communes, _villages = district
    client.force_login(make_user("huyen", unit=district_unit, role=Role.VIEWER))

    page = client.get("/groups/cum-trung-tam/?period=2022-06").content.decode()

    header = page[page.index("<thead>") : page.index("</thead>")]
    columns = [
        header.index(n) for n in ("Xã Xuân Dương", "Xã Thọ Thanh", "Xã Ngọc Phụng", "Cả nhóm")
    ]
    assert columns == sorted(columns)  # members in the district's order, then the total
    assert "<strong>100,5</strong>" in page  # 42 + 7,5 + 51
    ranking = page[page.index("Xếp hạng trong cụm") :]
    order = [ranking.index(name) for name in ("Xã Ngọc Phụng", "Xã Xuân Dương", "Xã Thọ Thanh")]
    assert order == sorted(order)
    assert "Bạn được xem số liệu của" not in page


def test_a_member_communes_officer_sees_only_their_column(client, district, cluster):
    _district_unit, communes, _villages = district
    client.force_login(make_user("xa", unit=communes["tt"], role=Role.VIEWER))

    page = client.get("/groups/cum-trung-tam/?period=2022-06").content.decode()

    assert "Bạn được xem số liệu của 1/3 đơn vị thành viên" in page
    table = page[page.index("<table") : page.index("</table>")]
    assert "Xã Thọ Thanh" in table and "Xã Xuân Dương" not in table and "42" not in table


def test_an_outsider_gets_no_group_page(client, district, cluster):
    _district_unit, communes, _villages = district
    client.force_login(make_user("ngoai", unit=communes["lc"], role=Role.MANAGER))
    assert client.get("/groups/cum-trung-tam/").status_code == 404
    assert client.get("/groups/cum-trung-tam/edit/").status_code == 404


def test_a_manager_creates_a_group_and_a_wrong_member_keeps_what_was_typed(client, district):
    district_unit, _communes, _villages = district
    client.force_login(make_user("quanly", unit=district_unit, role=Role.MANAGER))
    typed = {"code": "khoi-1", "name": "Khối thi đua số 1", "kind": "emulation_bloc"}

    response = client.post("/units/tx/groups/new/", {**typed, "members": "Xuân Dương\nKhông Có"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Không Có" in page and 'value="Khối thi đua số 1"' in page
    assert UnitGroup.objects.count() == 0

    response = client.post("/units/tx/groups/new/", {**typed, "members": "Xuân Dương\nlc"})
    assert response.status_code == 302 and response["Location"] == "/groups/khoi-1/"
    group = UnitGroup.objects.get(code="khoi-1")
    assert sorted(group.members.values_list("code", flat=True)) == ["lc", "xd"]


def test_a_reporter_may_not_create_a_group(client, district):
    district_unit, _communes, _villages = district
    client.force_login(make_user("baocao", unit=district_unit, role=Role.REPORTER))
    assert client.get("/units/tx/groups/new/").status_code == 403


def test_the_groups_sheet_round_trips_and_the_upload_reports_row_by_row(client, district, cluster):
    district_unit, _communes, _villages = district
    client.force_login(make_user("quanly", unit=district_unit, role=Role.MANAGER))

    sheet = client.get("/units/tx/groups/nhom-don-vi.xlsx")
    rows = read_group_rows(sheet.content, "nhom.xlsx")
    assert [(r.group, r.member, r.name, r.kind) for r in rows] == [
        ("cum-trung-tam", "xd", "Cụm trung tâm", "Cụm"),
        ("cum-trung-tam", "tt", "", ""),
        ("cum-trung-tam", "np", "", ""),
    ]

    bad = "nhóm,mã đơn vị\ncum-trung-tam,xd\ncum-trung-tam,zz\n".encode()
    upload = SimpleUploadedFile("nhom.csv", bad, content_type="text/csv")
    response = client.post("/units/tx/groups/import/", {"file": upload})
    assert response.status_code == 400
    assert "Không có đơn vị mã ‘zz’ trong Huyện Thường Xuân." in response.content.decode()
    assert UnitGroup.objects.get().members.count() == 3

    good = "nhóm,mã đơn vị\ncum-trung-tam,xd\ncum-trung-tam,lc\n".encode()
    upload = SimpleUploadedFile("nhom.csv", good, content_type="text/csv")
    assert client.post("/units/tx/groups/import/", {"file": upload}).status_code == 302
    assert sorted(UnitGroup.objects.get().members.values_list("code", flat=True)) == ["lc", "xd"]
