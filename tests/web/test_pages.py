"""The web pages over HTTP: login, unit page, entry form, tree; query counts and page weight."""

import itertools
import re
from decimal import Decimal

import pytest
from django.test import Client

from tests.factories import make_indicator, make_unit, make_user
from xaso.demo.loader import load_demo
from xaso.figures.models import Result, ResultStatus, TargetSource
from xaso.figures.services import record_result, set_target
from xaso.org.admin_units import load_admin_units
from xaso.org.models import Role, UnitKind

pytestmark = pytest.mark.django_db

NOV = "2022-11"

# Queries per page, whatever the size of the subtree. If a change adds one on purpose, raise
# the number here; if it grows with the number of villages or indicators, that is an N+1.
# The roll-up (subtotal rows, own results without one) and, since reporting, one query for
# the report forms whose period this is (unit_status: +1 more per form that applies). The
# targets in two: the unit's whole, its children's as values (target_values_containing).
UNIT_PAGE_QUERIES = 13
TREE_PAGE_QUERIES = 4
TREE_BRANCH_QUERIES = 6
# A village's entry sheet: +1 for the unit's targets (which indicators are the unit's, and the
# target beside each box); what its subtree reported is read only for a unit with children;
# last period's values share the query of this period's.
ENTRY_FORM_QUERIES = 8

_trees = itertools.count(1)


def build_commune(villages: int, indicators: int):
    """A commune under a district and province, with a result and a target per village and
    indicator and a target per indicator at the commune, for November 2022."""
    n = next(_trees)
    province = make_unit(f"Tỉnh {n}", UnitKind.PROVINCE, code=f"p{n}")
    district = make_unit(f"Huyện {n}", UnitKind.DISTRICT, province, code=f"d{n}")
    commune = make_unit(f"Hà Linh {n}", UnitKind.COMMUNE, district, code=f"c{n}")
    kids = [
        make_unit(str(v), UnitKind.VILLAGE, commune, code=f"c{n}-{v}")
        for v in range(1, villages + 1)
    ]
    measures = [
        make_indicator(f"i{n}-{k}", unit="m", group=f"Nhóm {k % 2}", position=k)
        for k in range(1, indicators + 1)
    ]
    for indicator in measures:
        set_target(
            unit=commune, indicator=indicator, period=NOV, source="annual_plan", value="1.000"
        )
        for village in kids:
            set_target(
                unit=village, indicator=indicator, period=NOV, source="annual_plan", value="100"
            )
            record_result(unit=village, indicator=indicator, period=NOV, value="75")
    return district, commune, kids, measures


@pytest.fixture
def township():
    """Thị trấn Hương Khê, 6 months of 2020: revenue 3.750 against a plan of 15.511."""
    district = make_unit("Hương Khê", UnitKind.DISTRICT, code="hk")
    town = make_unit("Hương Khê", UnitKind.TOWNSHIP, district, code="hk-tt")
    revenue = make_indicator("thu-ngan-sach", name="Thu ngân sách", unit="trieu_dong")
    set_target(
        unit=town,
        indicator=revenue,
        period="2020",
        source=TargetSource.DISTRICT_PLAN,
        value="15.511",
    )
    record_result(unit=town, indicator=revenue, period="2020-H1", value="3.750", status="estimated")
    return town


@pytest.fixture
def ha_linh():
    """Xã Hà Linh with villages 1–3 and two indicators in metres."""
    commune = make_unit("Hà Linh", UnitKind.COMMUNE, code="hl")
    villages = [make_unit(str(n), UnitKind.VILLAGE, commune, code=f"hl-{n}") for n in (1, 2, 3)]
    corridor = make_indicator("hanh-lang", name="Mở rộng hành lang giao thông", unit="m")
    fence = make_indicator("rao", name="Hàng rào xanh", unit="m", position=1)
    return commune, villages, corridor, fence


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def input_value(html: str, name: str) -> str:
    """The value attribute of the input with this name, as rendered."""
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html).group()
    found = re.search(r'value="([^"]*)"', tag)
    return found.group(1) if found else ""


def select_of(html: str, name: str) -> str:
    """The select element with this name, as rendered."""
    return re.search(rf'<select name="{re.escape(name)}".*?</select>', html, re.S).group()


def entry_post(period: str, values: dict, statuses: dict | None = None) -> dict:
    data = {"period": period}
    for indicator, value in values.items():
        data[f"v_{indicator.code}"] = value
        data[f"s_{indicator.code}"] = (statuses or {}).get(indicator, ResultStatus.FINAL)
    return data


# --- logging in ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/units/", "/units/hk-tt/", "/units/hk-tt/entry/"])
def test_anonymous_visitors_are_sent_to_the_login_page(township, path):
    response = Client().get(path)

    assert response.status_code == 302
    assert response.url == f"/login/?next={path}"


def test_the_login_page_is_in_vietnamese():
    response = Client().get("/login/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Đăng nhập</h1>" in html
    assert "Tên đăng nhập" in html
    assert "Mật khẩu" in html
    assert '<html lang="vi">' in html


def test_logging_in_with_a_wrong_password_says_so_in_vietnamese():
    make_user("officer")

    response = Client().post("/login/", {"username": "officer", "password": "wrong"})

    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_home_sends_an_officer_to_the_unit_they_work_for(township):
    officer = make_user("officer", unit=township)

    response = logged_in(officer).get("/")

    assert response.status_code == 302
    assert response.url == "/units/hk-tt/"


# --- the unit page ------------------------------------------------------------------------


def test_a_reporter_sees_formatted_figures_and_the_entry_link(township):
    officer = make_user("officer", unit=township, role=Role.REPORTER)

    response = logged_in(officer).get("/units/hk-tt/?period=2020-H1")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Thị trấn Hương Khê" in html
    assert "<strong>3.750</strong>" in html
    assert "15.511" in html
    assert "24,2%" in html
    assert "ước đạt" in html
    assert "Kế hoạch huyện giao" in html
    assert "Nhập số liệu" in html
    assert 'href="/units/hk-tt/entry/?period=2020-H1"' in html


def test_the_unit_page_shows_the_latest_period_with_data_when_none_is_asked_for(township):
    officer = make_user("officer", unit=township)

    html = logged_in(officer).get("/units/hk-tt/").content.decode()

    assert "6 tháng đầu năm 2020" in html
    assert "<strong>3.750</strong>" in html


def test_a_user_without_membership_may_not_read_the_units_figures(township):
    stranger = make_user("stranger")

    response = logged_in(stranger).get("/units/hk-tt/?period=2020-H1")

    assert response.status_code == 403
    html = response.content.decode()
    assert "24,2%" not in html
    assert "/entry/" not in html


def test_a_viewer_reads_the_figures_but_gets_no_entry_link_nor_the_entry_form(township):
    viewer = make_user("viewer", unit=township, role=Role.VIEWER)
    client = logged_in(viewer)

    response = client.get("/units/hk-tt/?period=2020-H1")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>3.750</strong>" in html  # the figures are there to read
    assert "24,2%" in html
    assert "/entry/" not in html
    assert "Nhập số liệu" not in html
    assert client.get("/units/hk-tt/entry/?period=2020-H1").status_code == 403


def test_a_bad_period_on_the_unit_page_is_explained_in_vietnamese(township):
    officer = make_user("officer", unit=township)

    response = logged_in(officer).get("/units/hk-tt/?period=2022-13")

    assert response.status_code == 200
    # The box reads phrases too (xaso.periods.read_period): it says what is wrong.
    assert "Không hiểu kỳ ‘2022-13’: tháng phải từ 1 đến 12." in response.content.decode()


def test_an_unknown_unit_is_not_found(township):
    officer = make_user("officer", unit=township)

    assert logged_in(officer).get("/units/no-such-unit/").status_code == 404


# --- the entry form -----------------------------------------------------------------------


def test_a_user_without_membership_may_not_open_or_post_the_entry_form(ha_linh):
    commune, villages, corridor, fence = ha_linh
    client = logged_in(make_user("stranger"))

    get = client.get(f"/units/{villages[0].code}/entry/?period={NOV}")
    post = client.post(
        f"/units/{villages[0].code}/entry/", entry_post(NOV, {corridor: "1.135", fence: ""})
    )

    assert get.status_code == 403
    assert post.status_code == 403
    assert Result.objects.count() == 0


def test_a_viewer_may_not_post_the_entry_form(ha_linh):
    commune, villages, corridor, fence = ha_linh
    client = logged_in(make_user("viewer", unit=commune, role=Role.VIEWER))

    post = client.post(
        f"/units/{villages[0].code}/entry/", entry_post(NOV, {corridor: "1.135", fence: ""})
    )

    assert post.status_code == 403
    assert Result.objects.count() == 0


def test_a_reporter_on_the_commune_enters_a_villages_figure_and_the_commune_adds_it_up(ha_linh):
    commune, villages, corridor, fence = ha_linh
    officer = make_user("officer", unit=commune, role=Role.REPORTER)
    client = logged_in(officer)

    form = client.get(f"/units/hl-1/entry/?period={NOV}")
    response = client.post("/units/hl-1/entry/", entry_post(NOV, {corridor: "1.135", fence: ""}))

    assert form.status_code == 200
    assert response.status_code == 302
    assert response.url == f"/units/hl-1/?period={NOV}"
    result = Result.objects.get()
    assert (result.unit, result.indicator, result.period) == (villages[0], corridor, NOV)
    assert result.value == Decimal(1135)
    assert result.status == ResultStatus.FINAL
    assert result.entered_by == officer
    village_page = client.get(response.url).content.decode()
    assert "Đã lưu 1 số liệu của Thôn 1, tháng 11/2022." in village_page
    commune_page = client.get(f"/units/hl/?period={NOV}").content.decode()
    assert "<strong>1.135</strong>" in commune_page
    assert "tổng hợp từ 1 đơn vị" in commune_page


def test_the_entry_form_shows_the_current_figures_in_vietnamese_writing(ha_linh):
    commune, villages, corridor, fence = ha_linh
    record_result(unit=villages[0], indicator=corridor, period=NOV, value="1.135,5")
    record_result(unit=villages[0], indicator=fence, period=NOV, value="500", status="estimated")
    client = logged_in(make_user("officer", unit=commune))

    html = client.get(f"/units/hl-1/entry/?period={NOV}").content.decode()

    assert input_value(html, "v_hanh-lang") == "1.135,5"
    assert input_value(html, "v_rao") == "500"
    assert '<option value="estimated" selected>' in select_of(html, "s_rao")
    assert '<option value="final" selected>' in select_of(html, "s_hanh-lang")


def test_a_bad_value_on_the_entry_form_saves_nothing_and_keeps_what_was_typed(ha_linh):
    commune, villages, corridor, fence = ha_linh
    client = logged_in(make_user("officer", unit=commune))

    response = client.post(
        "/units/hl-1/entry/",
        entry_post(NOV, {corridor: "abc", fence: "12"}, {fence: ResultStatus.ESTIMATED}),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Chưa lưu: có số liệu chưa đúng" in html
    assert input_value(html, "v_hanh-lang") == "abc"
    assert input_value(html, "v_rao") == "12"
    # The message sits in the bad indicator's row, and only there.
    rows = html.split('<div class="entry-row')[1:]
    flagged = [row for row in rows if row.startswith(' has-error"')]
    assert len(flagged) == 1
    assert 'name="v_hanh-lang"' in flagged[0]
    assert '<p class="error">‘abc’ không phải là số.</p>' in flagged[0]
    assert Result.objects.count() == 0


def test_a_bad_period_on_the_entry_form_is_explained_in_vietnamese(ha_linh):
    commune, villages, corridor, fence = ha_linh
    client = logged_in(make_user("officer", unit=commune))

    get = client.get("/units/hl-1/entry/?period=2022-13")
    post = client.post("/units/hl-1/entry/", entry_post("2022-13", {corridor: "5", fence: ""}))

    message = "‘2022-13’ không phải là mã kỳ hợp lệ"
    assert get.status_code == 200
    assert message in get.content.decode()
    assert post.status_code == 400
    assert message in post.content.decode()
    assert Result.objects.count() == 0


def test_the_entry_form_without_a_period_asks_for_one(ha_linh):
    commune, villages, corridor, fence = ha_linh
    client = logged_in(make_user("officer", unit=commune))

    response = client.get("/units/hl-1/entry/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Chưa chọn kỳ báo cáo." in html
    assert 'name="v_hanh-lang"' not in html


# --- query counts: no N+1 -----------------------------------------------------------------


@pytest.mark.parametrize(("villages", "indicators"), [(3, 3), (12, 6)])
def test_the_unit_page_takes_the_same_number_of_queries_whatever_the_subtree(
    villages, indicators, django_assert_num_queries
):
    _, commune, kids, measures = build_commune(villages, indicators)
    client = logged_in(make_user("officer", unit=commune))

    with django_assert_num_queries(UNIT_PAGE_QUERIES):
        response = client.get(f"/units/{commune.code}/?period={NOV}")

    assert response.status_code == 200
    html = response.content.decode()
    # Every village appears in every indicator's breakdown, at 75 of its 100.
    assert html.count("75,0%") == villages * indicators
    assert html.count(f"<strong>{villages * 75}</strong>") == indicators
    # The percent of the table cell (the achievement chart repeats it as a label).
    assert html.count(f"{villages * 75 / 10:.1f}%<span".replace(".", ",")) == indicators
    assert html.count("Theo đơn vị trực thuộc") == indicators


@pytest.mark.parametrize(("villages", "indicators"), [(3, 3), (12, 6)])
def test_the_tree_page_takes_the_same_number_of_queries_whatever_the_tree(
    villages, indicators, django_assert_num_queries
):
    district, commune, kids, measures = build_commune(villages, indicators)
    for extra in range(1, villages):  # as many communes in the district as villages
        make_unit(f"Khác {extra}", UnitKind.COMMUNE, district, code=f"{commune.code}-x{extra}")
    client = logged_in(make_user("officer", is_superuser=True))

    with django_assert_num_queries(TREE_PAGE_QUERIES):
        whole = client.get("/units/")
    with django_assert_num_queries(TREE_BRANCH_QUERIES):
        branch = client.get(f"/units/?root={district.code}")

    assert whole.status_code == branch.status_code == 200
    assert whole.content.decode().count('href="/units/c') == villages  # the communes
    # The district's branch lists its communes and the villages beneath.
    assert branch.content.decode().count(">Thôn ") == villages
    assert branch.content.decode().count(">Xã ") == villages


@pytest.mark.parametrize(("villages", "indicators"), [(3, 3), (12, 6)])
def test_the_entry_form_takes_the_same_number_of_queries_whatever_the_catalog(
    villages, indicators, django_assert_num_queries
):
    _, commune, kids, measures = build_commune(villages, indicators)
    client = logged_in(make_user("officer", unit=commune))

    with django_assert_num_queries(ENTRY_FORM_QUERIES):
        response = client.get(f"/units/{kids[0].code}/entry/?period={NOV}")

    assert response.status_code == 200
    html = response.content.decode()
    assert all(input_value(html, f"v_{m.code}") == "75" for m in measures)


# --- the tree page ------------------------------------------------------------------------


def test_the_tree_page_lists_every_province_when_the_whole_country_is_loaded():
    load_admin_units()  # 34 provinces and 3,321 communes: too many rows to show them all
    client = logged_in(make_user("officer", is_superuser=True))

    html = client.get("/units/").content.decode()

    assert "Cây quá lớn để hiện hết" in html
    provinces = re.findall(r'<li class="indent-0[^"]*"><a href="/units/(\w+)/"', html)
    assert len(provinces) == 34
    assert {"01", "42", "79"} <= set(provinces)


def test_the_tree_page_finds_units_by_name_without_diacritics(ha_linh):
    client = logged_in(make_user("officer", unit=ha_linh[0], role=Role.VIEWER))

    html = client.get("/units/?q=ha linh").content.decode()

    assert '<a href="/units/hl/">Xã Hà Linh</a>' in html


def test_the_tree_page_lists_and_finds_only_the_units_the_user_may_read(ha_linh):
    other = make_unit("Hà Linh", UnitKind.COMMUNE, code="hl-elsewhere")
    client = logged_in(make_user("officer", unit=other, role=Role.VIEWER))

    tree = client.get("/units/").content.decode()
    found = client.get("/units/?q=ha linh").content.decode()
    branch = client.get("/units/?root=hl")

    assert 'href="/units/hl-elsewhere/"' in tree and 'href="/units/hl/"' not in tree
    assert 'href="/units/hl-elsewhere/"' in found and 'href="/units/hl/"' not in found
    assert branch.status_code == 403


# --- page weight, on the demo -------------------------------------------------------------


def test_the_demo_commune_pages_stay_light(django_assert_num_queries):
    load_demo()  # about ten seconds: the only test in this module that loads the demo
    client = Client()
    assert client.login(username="demo", password="xaso-demo")

    # The province's monthly form applies to November: its reports' status, one more query;
    # and the old commune (ended 30/06/2025) says what it is now: one more.
    with django_assert_num_queries(UNIT_PAGE_QUERIES + 2):
        ha_linh = client.get(f"/units/42.huong-khe.ha-linh/?period={NOV}")
    campaign = client.get("/units/42.x002/?period=2022-04-15..2022-05-30")
    township = client.get("/units/42.huong-khe.tt/?period=2020-H1")

    for response in (ha_linh, campaign, township):
        assert response.status_code == 200
        assert len(response.content) < 100_000
    assert "<strong>1.135</strong>" in ha_linh.content.decode()
    assert "<strong>215</strong>" in ha_linh.content.decode()
    assert "Theo đơn vị trực thuộc (12)" in ha_linh.content.decode()
    assert "Đơn vị cũ — nay thuộc" in ha_linh.content.decode()
    assert "Chỉ tiêu phát động" in campaign.content.decode()
    assert "24,2%" in township.content.decode()
