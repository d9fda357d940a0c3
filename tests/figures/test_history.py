"""A value's page of history over HTTP: who changed it, when, from what to what, and how."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_commune_tree, make_indicator, make_unit, make_user
from xaso.figures.models import ResultChange, ResultStatus, TargetSource
from xaso.figures.services import record_result, set_target
from xaso.org.models import Role, UnitKind

pytestmark = pytest.mark.django_db

URL = "/units/hl/history/?indicator=thu&period=2022"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows(html: str, section: str) -> list[str]:
    """The table rows of one section of the page (results, targets), as text."""
    part = re.search(rf'<section class="card" id="{section}">(.*?)</section>', html, re.S).group(1)
    body = re.search(r"<tbody>(.*?)</tbody>", part, re.S)
    found = re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S) if body else []
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in found]


@pytest.fixture
def history():
    _, district, commune, _ = make_commune_tree()
    money = make_indicator("thu", name="Thu ngân sách", unit="trieu_dong")
    officer = make_user("lan", unit=commune, role=Role.REPORTER, first_name="Nguyễn Thị Lan")
    manager = make_user("hung", unit=district, role=Role.MANAGER)
    record_result(unit=commune, indicator=money, period="2022", value="3.750,5", user=officer)
    record_result(
        unit=commune,
        indicator=money,
        period="2022",
        value="4 tỷ đồng",
        status=ResultStatus.ESTIMATED,
        user=manager,
        channel="import",
    )
    set_target(
        unit=commune,
        indicator=money,
        period="2022",
        source=TargetSource.DISTRICT_PLAN,
        value="15.511",
        user=manager,
        note="KH huyện giao",
    )
    set_target(
        unit=commune,
        indicator=money,
        period="2022",
        source=TargetSource.DISTRICT_PLAN,
        value="16.000",
        user=manager,
        channel="cli",
        reason="Điều chỉnh theo QĐ 12",
    )
    return commune, money, officer, manager


def test_the_owner_sees_each_change_newest_first_with_who_when_and_how(history):
    commune, money, officer, manager = history
    response = logged_in(officer).get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Thu ngân sách" in html
    first, second = ResultChange.objects.order_by("pk")
    when = timezone.localtime(second.changed_at).strftime("%d/%m/%Y %H:%M")
    newest, oldest = rows(html, "results")
    assert newest == (
        f"{when} hung 3.750,5 triệu đồng (Chính thức) 4.000 triệu đồng (Ước đạt) "
        "Nhập từ tệp 4 tỷ đồng"
    )
    when = timezone.localtime(first.changed_at).strftime("%d/%m/%Y %H:%M")
    assert oldest == f"{when} Nguyễn Thị Lan — 3.750,5 triệu đồng (Chính thức) Biểu mẫu web 3.750,5"

    raised, created = rows(html, "targets")
    assert raised.endswith(
        "hung Kế hoạch huyện giao năm 2022 15.511 triệu đồng 16.000 triệu đồng Dòng lệnh "
        "Điều chỉnh theo QĐ 12"
    )
    assert created.endswith(
        "hung Kế hoạch huyện giao năm 2022 — 15.511 triệu đồng Biểu mẫu web KH huyện giao"
    )


def test_a_year_target_shows_on_a_month_and_every_period_without_one(history):
    commune, money, officer, _ = history
    record_result(unit=commune, indicator=money, period="2022-11", value="310", user=officer)
    client = logged_in(officer)

    month = client.get("/units/hl/history/?indicator=thu&period=2022-11").content.decode()
    assert [row.split(" ", 2)[2] for row in rows(month, "results")] == [
        "Nguyễn Thị Lan — 310 triệu đồng (Chính thức) Biểu mẫu web 310"
    ]
    assert len(rows(month, "targets")) == 2  # the year's plan applies to its months

    every = client.get("/units/hl/history/?indicator=thu").content.decode()
    assert [row.split(" ", 2)[2] for row in rows(every, "results")] == [
        "Nguyễn Thị Lan tháng 11/2022 — 310 triệu đồng (Chính thức) Biểu mẫu web 310",
        "hung năm 2022 3.750,5 triệu đồng (Chính thức) 4.000 triệu đồng (Ước đạt) Nhập từ tệp "
        "4 tỷ đồng",
        "Nguyễn Thị Lan năm 2022 — 3.750,5 triệu đồng (Chính thức) Biểu mẫu web 3.750,5",
    ]


def test_a_user_of_another_province_is_refused_and_a_visitor_sent_to_log_in(history):
    elsewhere = make_unit("Nghệ An", UnitKind.PROVINCE, code="40")
    stranger = make_user("stranger", unit=elsewhere, role=Role.MANAGER)

    assert logged_in(stranger).get(URL).status_code == 403
    response = Client().get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/login/?next=/units/hl/history/")


def test_an_unknown_indicator_or_period_is_a_clear_404(history):
    _, _, officer, _ = history
    client = logged_in(officer)

    response = client.get("/units/hl/history/?indicator=khong-co&period=2022")
    assert response.status_code == 404
    assert "Không có chỉ tiêu có mã ‘khong-co’." in response.content.decode()
    response = client.get("/units/hl/history/?indicator=thu&period=2022-13")
    assert response.status_code == 404
    assert 'class="error"' in response.content.decode()
    assert client.get("/units/hl/history/").status_code == 404
    assert client.get("/units/khong-co/history/?indicator=thu").status_code == 404


def test_the_page_costs_the_same_queries_however_long_the_history(history):
    commune, money, officer, manager = history
    client = logged_in(officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    few = queries()
    for n in range(12):
        record_result(
            unit=commune,
            indicator=money,
            period="2022",
            value=str(100 + n),
            user=manager if n % 2 else officer,
        )
        set_target(
            unit=commune,
            indicator=money,
            period="2022",
            source=TargetSource.COUNCIL_RESOLUTION,
            value=str(200 + n),
            user=manager,
        )
    many = queries()
    assert len(rows(client.get(URL).content.decode(), "results")) == 14
    assert many == few
    assert few <= 8  # session, user, unit, roles, indicator, result changes, target changes


def test_the_unit_page_links_each_own_figure_to_its_history(history, client):
    commune, money, officer, manager = history
    client.force_login(officer)

    html = client.get("/units/hl/?period=2022").content.decode()

    assert '<a href="/units/hl/history/?indicator=thu&amp;period=2022">lịch sử</a>' in html


def test_the_history_names_revisions_documents_and_corrections_after_approval(client):
    from xaso.figures.models import Result
    from xaso.figures.plans import record_plan_document
    from xaso.figures.services import enter_unit_figures

    unit = make_unit("Hương Khê", UnitKind.TOWNSHIP, code="tt-hist")
    revenue = make_indicator("thu-ns-hist", unit="trieu_dong", name="Thu ngân sách")
    first = record_plan_document(unit=unit, citation="Quyết định số 15/QĐ-UBND của UBND huyện")
    second = record_plan_document(unit=unit, citation="Quyết định số 820/QĐ-UBND của UBND huyện")
    set_target(
        unit=unit,
        indicator=revenue,
        period="2020",
        source="district_plan",
        value="15.511",
        document=first,
    )
    set_target(
        unit=unit,
        indicator=revenue,
        period="2020",
        source="district_plan",
        value="14.368",
        document=second,
        revision=True,
        reason="Điều chỉnh giữa năm",
    )
    record_result(unit=unit, indicator=revenue, period="2020", value="3.750")
    Result.objects.update(approved=True)
    enter_unit_figures(
        unit=unit,
        period="2020",
        entries={revenue: ("3.800", "final")},
        correction="Kho bạc báo lại",
    )
    client.force_login(make_user("xem", unit=unit))
    page = client.get(f"/units/{unit.code}/history/?indicator={revenue.code}&period=2020")
    html = page.content.decode()
    assert (
        "Điều chỉnh kế hoạch · Quyết định số 820/QĐ-UBND của UBND huyện · Điều chỉnh giữa năm"
        in html
    )
    assert "Quyết định số 15/QĐ-UBND của UBND huyện" in html
    assert "Điều chỉnh sau duyệt: Kho bạc báo lại" in html
