"""Upload a report, review what was read, import it: over HTTP and through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_indicator, make_unit, make_user
from xaso.documents.models import SourceDocument
from xaso.documents.selectors import suggest_host, suggest_indicator
from xaso.documents.services import document_extraction, document_upload
from xaso.figures.models import Result, Target
from xaso.figures.services import set_target
from xaso.meetings.models import Meeting
from xaso.org.models import Role, UnitKind

pytestmark = pytest.mark.django_db

# Our own short report in the genre (names invented).
REPORT = """Thị trấn Đông Hòa sơ kết 6 tháng đầu năm 2021
Sáng ngày 9/7/2021, Đảng bộ thị trấn Đông Hòa tổ chức hội nghị sơ kết 6 tháng đầu năm.
Dự hội nghị có đồng chí Mai Văn Tiến, Phó Ban Tổ chức Huyện ủy.
Tổng thu ngân sách 6 tháng ước đạt 2.400 triệu đồng/8.000 triệu đồng (đạt 30% kế hoạch huyện giao).
Trồng mới 350 cây bóng mát.
Những hạn chế còn tồn tại là:
- Thu ngân sách đạt thấp
Đ/c Mai Văn Tiến phát biểu chỉ đạo hội nghị.
"""


@pytest.fixture
def place():
    province = make_unit("Hòa Bình", UnitKind.PROVINCE, code="17")
    return make_unit("Đông Hòa", UnitKind.TOWNSHIP, province, code="dong-hoa")


@pytest.fixture
def indicators():
    return {
        "budget": make_indicator("thu-ngan-sach", unit="trieu_dong", name="Thu ngân sách"),
        "trees": make_indicator("cay-bong-mat", unit="cay", name="Cây bóng mát trồng mới"),
    }


@pytest.fixture
def officer(client, place):
    user = make_user("vanphong", unit=place, role=Role.MANAGER)
    client.force_login(user)
    return user


def test_the_review_page_suggests_the_unit_and_the_indicators(client, officer, place, indicators):
    response = client.post(
        "/documents/",
        {"file": SimpleUploadedFile("dong-hoa.txt", REPORT.encode("utf-16"))},
    )
    assert response.status_code == 302
    document = SourceDocument.objects.get()
    extraction = document_extraction(document)
    assert suggest_host(extraction) == place
    budget = next(f for f in extraction.figures if f.plan is not None)
    assert suggest_indicator(budget, list(indicators.values())) == indicators["budget"]

    page = client.get(response["Location"]).content.decode()
    assert 'value="dong-hoa"' in page
    assert "09/07/2021" in page
    assert '<mark id="f0"' in page


def _review_post(extraction, indicators, **overrides) -> dict:
    data = {
        "host": "dong-hoa",
        "kind": "interim_review",
        "title": "Sơ kết 6 tháng đầu năm 2021",
        "date": "09/07/2021",
        "time_of_day": "morning",
        "place": "",
        "period": "2021-H1",
        "limitations": "Thu ngân sách đạt thấp",
        "directives": "Tập trung thu ngân sách",
    }
    for index, figure in enumerate(extraction.figures):
        key = "budget" if figure.unit == "trieu_dong" else "trees"
        data[f"figure_{index}"] = str(indicators[key].pk)
        data[f"estimated_{index}"] = "on" if figure.estimated else ""
    for index, _person in enumerate(extraction.people):
        data[f"person_{index}"] = "directing"
    data.update(overrides)
    return data


def test_importing_records_the_meeting_results_and_targets_with_who_and_where_from(
    client, officer, place, indicators
):
    document = document_upload(filename="dong-hoa.txt", data=REPORT.encode(), user=officer)
    extraction = document_extraction(document)

    response = client.post(f"/documents/{document.pk}/", _review_post(extraction, indicators))

    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.date == dt.date(2021, 7, 9)  # dd/mm/yyyy, whatever the browser's language
    assert meeting.host == place
    assert meeting.source == "Nhập từ văn bản: dong-hoa.txt"
    assert [a.person.full_name for a in meeting.attendances.all()] == ["Mai Văn Tiến"]
    budget = Result.objects.get(indicator=indicators["budget"])
    assert (budget.value, budget.period, budget.status) == (Decimal(2400), "2021-H1", "estimated")
    assert budget.entered_by == officer and budget.channel == "import"
    assert Result.objects.get(indicator=indicators["trees"]).value == Decimal(350)
    target = Target.objects.get()
    assert (target.value, target.period, target.source) == (Decimal(8000), "2021", "district_plan")
    document.refresh_from_db()
    assert document.meeting == meeting and document.imported_by == officer


def test_an_import_with_a_bad_field_saves_nothing_and_keeps_what_was_typed(
    client, officer, place, indicators
):
    document = document_upload(filename="dong-hoa.txt", data=REPORT.encode(), user=officer)
    extraction = document_extraction(document)

    response = client.post(
        f"/documents/{document.pk}/",
        _review_post(extraction, indicators, host="Xã Không Có", title="Tên đã sửa"),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Không tìm thấy đơn vị ‘Xã Không Có’." in page
    assert 'value="Tên đã sửa"' in page
    assert Meeting.objects.count() == Result.objects.count() == Target.objects.count() == 0


def test_a_figure_that_cannot_go_into_its_indicator_rolls_back_the_whole_import(
    client, officer, place, indicators
):
    document = document_upload(filename="dong-hoa.txt", data=REPORT.encode(), user=officer)
    extraction = document_extraction(document)
    trees_index = next(i for i, f in enumerate(extraction.figures) if f.unit == "cay")
    data = _review_post(extraction, indicators)
    data[f"figure_{trees_index}"] = str(indicators["budget"].pk)  # trees into money

    response = client.post(f"/documents/{document.pk}/", data)

    assert response.status_code == 400
    assert Meeting.objects.count() == Result.objects.count() == 0


def test_a_document_is_imported_only_once(client, officer, place, indicators):
    document = document_upload(filename="dong-hoa.txt", data=REPORT.encode(), user=officer)
    data = _review_post(document_extraction(document), indicators)
    assert client.post(f"/documents/{document.pk}/", data).status_code == 302

    again = client.post(f"/documents/{document.pk}/", data)

    assert again.status_code == 400
    assert "đã được nhập" in again.content.decode()
    assert Meeting.objects.count() == 1


def test_an_officer_of_another_unit_cannot_import_into_this_one(client, place, indicators):
    other = make_unit("Khác", UnitKind.COMMUNE, code="khac")
    stranger = make_user("khac", unit=other, role=Role.MANAGER)
    client.force_login(stranger)
    document = document_upload(filename="dong-hoa.txt", data=REPORT.encode(), user=stranger)

    response = client.post(
        f"/documents/{document.pk}/", _review_post(document_extraction(document), indicators)
    )

    assert response.status_code == 400
    assert "không có quyền" in response.content.decode()
    assert Meeting.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "Tệp rỗng."), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "nhị phân")],
)
def test_an_unreadable_upload_is_refused_with_a_vietnamese_error(client, officer, data, message):
    response = client.post("/documents/", {"file": SimpleUploadedFile("x.txt", data)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert SourceDocument.objects.count() == 0


def test_pasted_text_is_read_too(officer):
    document = document_upload(filename="", pasted=REPORT + "\nTin cùng chuyên mục\nBài khác")
    assert document.filename == "Văn bản dán vào"
    assert "Tin cùng chuyên mục" not in document.text


def test_an_empty_paste_names_the_field():
    with pytest.raises(ValidationError) as error:
        document_upload(filename="", pasted="   ")
    assert "pasted" in error.value.message_dict


def test_two_figures_into_one_indicator_are_refused(client, officer, place, indicators):
    text = REPORT + "Trồng thêm 120 cây bóng mát ở thôn 2.\n"
    document = document_upload(filename="dong-hoa.txt", data=text.encode(), user=officer)
    extraction = document_extraction(document)
    assert sum(f.unit == "cay" for f in extraction.figures) == 2

    response = client.post(f"/documents/{document.pk}/", _review_post(extraction, indicators))

    assert response.status_code == 400
    assert "Nhiều số liệu cùng nhập vào một chỉ tiêu — Cây bóng mát trồng mới" in (
        response.content.decode()
    )
    assert Meeting.objects.count() == Result.objects.count() == 0


# --- who may upload, read and import; targets wait for a manager -------------------------


def test_a_read_only_viewer_may_not_upload(client, place):
    client.force_login(make_user("xem", unit=place, role=Role.VIEWER))

    response = client.post("/documents/", {"pasted": REPORT})

    assert response.status_code == 403
    assert SourceDocument.objects.count() == 0


def test_the_document_list_shows_a_user_only_what_they_may_read(client, place):
    village = make_unit("Tổ 1", UnitKind.RESIDENTIAL_GROUP, place, code="dh-1")
    head = make_user("totruong", unit=village)
    manager = make_user("quanly", unit=place, role=Role.MANAGER)
    neighbour = make_user("hangxom", unit=make_unit("Khác", UnitKind.COMMUNE, code="k"))
    document_upload(filename="cua-to-1.txt", pasted=REPORT, user=head, unit=village)
    document_upload(filename="khong-gan-don-vi.txt", pasted=REPORT, user=head)

    def listed(user):
        client.force_login(user)
        return client.get("/documents/").content.decode()

    assert "cua-to-1.txt" in listed(head) and "khong-gan-don-vi.txt" in listed(head)
    assert "cua-to-1.txt" in listed(manager) and "khong-gan-don-vi.txt" not in listed(manager)
    assert "cua-to-1.txt" not in listed(neighbour)


def test_a_reporter_may_not_import_another_users_document(client, place, indicators):
    village = make_unit("Tổ 1", UnitKind.RESIDENTIAL_GROUP, place, code="dh-1")
    owner = make_user("owner", unit=village)
    other = make_user("other", unit=village)
    document = document_upload(filename="x.txt", data=REPORT.encode(), user=owner, unit=village)
    client.force_login(other)

    post = _review_post(document_extraction(document), indicators, host="dh-1")
    response = client.post(f"/documents/{document.pk}/", post)

    assert response.status_code == 404
    document.refresh_from_db()
    assert not document.imported and Meeting.objects.count() == 0


def test_plans_read_by_a_reporter_wait_for_a_manager_to_confirm_them(client, place, indicators):
    reporter = make_user("baocao", unit=place, role=Role.REPORTER)
    manager = make_user("quanly", unit=place, role=Role.MANAGER)
    set_target(
        unit=place,
        indicator=indicators["budget"],
        period="2021",
        source="district_plan",
        value="500",
        user=manager,
    )
    document = document_upload(filename="dh.txt", data=REPORT.encode(), user=reporter, unit=place)
    client.force_login(reporter)

    post = _review_post(document_extraction(document), indicators)
    assert client.post(f"/documents/{document.pk}/", post).status_code == 302

    # The results are in; the commune's target is as the manager set it.
    assert Result.objects.get(indicator=indicators["budget"]).value == Decimal(2400)
    assert Target.objects.get().value == Decimal(500)
    document.refresh_from_db()
    assert [t["value"] for t in document.proposed_targets] == ["8000 triệu đồng"]
    assert client.post(f"/documents/{document.pk}/confirm-targets/").status_code == 403

    client.force_login(manager)
    page = client.get(f"/documents/{document.pk}/").content.decode()
    assert "Xác nhận làm chỉ tiêu" in page
    assert client.post(f"/documents/{document.pk}/confirm-targets/").status_code == 302
    assert Target.objects.get().value == Decimal(8000)
    document.refresh_from_db()
    assert document.proposed_targets == [] and document.targets_confirmed_by == manager


def test_a_paste_longer_than_the_reader_takes_is_refused_at_upload(client, officer):
    from xaso.reading import budget

    too_long = "Trồng 215 cây bóng mát. " * (budget.MAX_TEXT // 24 + 1)

    with pytest.raises(ValidationError) as refused:
        document_upload(filename="", pasted=too_long)

    assert refused.value.message_dict == {"pasted": [budget.TOO_LONG]}
    assert SourceDocument.objects.count() == 0


def test_a_stored_text_the_reader_refuses_shows_why_instead_of_failing(client, officer):
    from xaso.reading import budget

    document = document_upload(filename="ok.txt", pasted=REPORT, user=officer)
    # Stored before the reader had its bound (or bound lowered since): the text is too long now.
    SourceDocument.objects.filter(pk=document.pk).update(text="x " * budget.MAX_TEXT)

    response = client.get(f"/documents/{document.pk}/")

    assert response.status_code == 422
    assert budget.TOO_LONG in response.content.decode()
