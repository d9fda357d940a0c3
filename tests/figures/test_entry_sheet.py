"""The data-entry sheet as a new user meets it (issue #12): what saving says, which indicators
it lists and what it shows beside each box, and the values it refuses or asks about."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.factories import make_commune_tree, make_indicator, make_user
from tests.forms import parse_form
from xaso.figures.models import Result, ResultChange
from xaso.figures.services import SheetSaved, enter_unit_figures, record_result, set_target
from xaso.org.models import Role
from xaso.periods import parse_period, previous_period

pytestmark = pytest.mark.django_db

NOV = "2022-11"


@pytest.fixture
def commune():
    """Xã Hà Linh and its villages; four indicators, one of them the commune's own."""
    _, _, commune, villages = make_commune_tree()
    indicators = {
        "cay": make_indicator("cay", name="Trồng cây bóng mát", unit="cay", position=1),
        "rao": make_indicator("rao", name="Hàng rào xanh", unit="m", position=2),
        "duong": make_indicator("duong", name="Bê tông hoá đường", unit="km", position=3),
        "thu": make_indicator("thu", name="Thu ngân sách", unit="trieu_dong", position=4),
    }
    return commune, villages, indicators


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def officer_of(unit) -> Client:
    return logged_in(make_user("officer", unit=unit, role=Role.REPORTER))


def sheet_url(unit, query: str = "") -> str:
    return f"/units/{unit.code}/entry/?period={NOV}{query}"


def fields_of(html: str) -> dict[str, str]:
    """The sheet as a browser would send it back untouched."""
    return parse_form(html, "period")


def boxes(html: str) -> list[str]:
    return re.findall(r'name="v_([^"]+)"', html)


def row_of(html: str, code: str) -> str:
    return next(row for row in html.split('<div class="entry-row')[1:] if f'"v_{code}"' in row)


def stored(unit, indicator, period=NOV):
    row = Result.objects.filter(unit=unit, indicator=indicator, period=period).first()
    return None if row is None else row.value


# --- 1. what saving says --------------------------------------------------------------------


def test_blanking_a_filled_box_is_reported_as_a_deletion_beside_the_saved_ones(commune):
    unit, villages, ind = commune
    village = villages[0]
    record_result(unit=village, indicator=ind["rao"], period=NOV, value="120")
    client = officer_of(unit)
    sent = fields_of(client.get(sheet_url(village, "&all=1")).content.decode())
    sent |= {"v_rao": "", "v_cay": "30", "v_duong": "1,2"}

    response = client.post(sheet_url(village, "&all=1"), sent, follow=True)

    assert response.redirect_chain == [(f"/units/{village.code}/?period={NOV}", 302)]
    html = response.content.decode()
    assert "Đã lưu 2 số liệu, xoá 1 số liệu của Thôn 1, tháng 11/2022." in html
    assert stored(village, ind["rao"]) is None
    assert (stored(village, ind["cay"]), stored(village, ind["duong"])) == (30, Decimal("1.2"))


def test_a_sheet_that_only_deletes_says_so(commune):
    unit, villages, ind = commune
    record_result(unit=villages[0], indicator=ind["rao"], period=NOV, value="120")
    client = officer_of(unit)
    sent = fields_of(client.get(sheet_url(villages[0])).content.decode()) | {"v_rao": ""}

    html = client.post(sheet_url(villages[0]), sent, follow=True).content.decode()

    assert "Đã xoá 1 số liệu của Thôn 1, tháng 11/2022." in html
    assert "Đã lưu" not in html


def test_a_sheet_sent_without_a_change_says_nothing_changed(commune):
    unit, villages, ind = commune
    record_result(unit=villages[0], indicator=ind["rao"], period=NOV, value="120")
    client = officer_of(unit)
    sent = fields_of(client.get(sheet_url(villages[0], "&all=1")).content.decode())

    response = client.post(sheet_url(villages[0], "&all=1"), sent, follow=True)

    html = response.content.decode()
    assert "Không có thay đổi: số liệu của Thôn 1, tháng 11/2022 vẫn như trước." in html
    assert "Đã lưu" not in html
    assert ResultChange.objects.count() == 1  # the first record only


def test_the_service_counts_saved_and_deleted_figures_apart(commune):
    unit, villages, ind = commune
    record_result(unit=unit, indicator=ind["rao"], period=NOV, value="120")
    record_result(unit=unit, indicator=ind["cay"], period=NOV, value="7")

    saved = enter_unit_figures(
        unit=unit,
        period=NOV,
        entries={
            ind["rao"]: ("", "final"),
            ind["cay"]: ("7", "final"),  # as stored: neither saved nor deleted
            ind["duong"]: ("3", "final"),
            ind["thu"]: ("15.511", "estimated"),
        },
    )

    assert saved == SheetSaved(saved=2, deleted=1)
    assert saved.describe("Xã Hà Linh, tháng 11/2022") == (
        "Đã lưu 2 số liệu, xoá 1 số liệu của Xã Hà Linh, tháng 11/2022."
    )
    assert SheetSaved().describe("Xã Hà Linh, tháng 11/2022") == (
        "Không có thay đổi: số liệu của Xã Hà Linh, tháng 11/2022 vẫn như trước."
    )


# --- 2. which indicators, and what beside each box ------------------------------------------


def test_a_villages_sheet_lists_its_own_indicators_and_not_the_communes(commune):
    unit, villages, ind = commune
    village = villages[0]
    set_target(unit=unit, indicator=ind["thu"], period="2022", source="district_plan", value="1")
    set_target(unit=village, indicator=ind["cay"], period="2022", source="annual_plan", value="9")
    record_result(unit=village, indicator=ind["rao"], period="2022-10", value="75")
    client = officer_of(unit)

    html = client.get(sheet_url(village)).content.decode()
    everything = client.get(sheet_url(village, "&all=1")).content.decode()

    assert boxes(html) == ["cay", "rao"]  # a target for the year; a figure last month
    assert "Đang hiện 2/4 chỉ tiêu của đơn vị" in html
    assert f'href="?period={NOV}&amp;all=1">Hiện tất cả chỉ tiêu</a>' in html
    assert boxes(everything) == ["cay", "rao", "duong", "thu"]
    assert f'href="?period={NOV}">Chỉ hiện chỉ tiêu của đơn vị</a>' in everything


def test_a_communes_sheet_lists_what_its_villages_report(commune):
    unit, villages, ind = commune
    record_result(unit=villages[1], indicator=ind["duong"], period=NOV, value="1,5")
    set_target(unit=unit, indicator=ind["thu"], period="2022", source="district_plan", value="1")

    html = officer_of(unit).get(sheet_url(unit)).content.decode()

    assert boxes(html) == ["duong", "thu"]


def test_a_unit_with_no_target_and_no_figure_gets_the_whole_catalog(commune):
    unit, villages, ind = commune

    html = officer_of(unit).get(sheet_url(villages[2])).content.decode()

    assert boxes(html) == ["cay", "rao", "duong", "thu"]
    assert "Hiện tất cả chỉ tiêu" not in html


def test_beside_each_box_the_target_for_the_year_and_last_periods_value(commune):
    unit, villages, ind = commune
    village = villages[0]
    set_target(
        unit=village, indicator=ind["rao"], period="2022", source="district_plan", value="1.200"
    )
    record_result(
        unit=village, indicator=ind["rao"], period="2022-10", value="75,5", status="estimated"
    )
    record_result(unit=village, indicator=ind["cay"], period="2022-10", value="12")
    record_result(unit=village, indicator=ind["cay"], period="2022-09", value="999")

    html = officer_of(unit).get(sheet_url(village)).content.decode()

    rao, cay = row_of(html, "rao"), row_of(html, "cay")
    assert "Chỉ tiêu năm 2022 (Kế hoạch huyện giao): 1.200" in rao
    assert "Kỳ trước (tháng 10/2022): 75,5 (ước đạt)" in rao
    assert "Kỳ trước (tháng 10/2022): 12" in cay
    assert "Chỉ tiêu" not in cay and "999" not in html  # no target; two months ago is not shown


def test_a_sheet_sent_with_some_boxes_is_read_for_those_boxes(commune):
    unit, villages, ind = commune
    set_target(
        unit=villages[0], indicator=ind["cay"], period="2022", source="annual_plan", value="9"
    )
    client = officer_of(unit)
    sent = fields_of(client.get(sheet_url(villages[0])).content.decode())
    assert set(boxes(client.get(sheet_url(villages[0])).content.decode())) == {"cay"}

    response = client.post(sheet_url(villages[0]), sent | {"v_cay": "4", "v_rao": "50"})

    assert response.status_code == 302
    assert (stored(villages[0], ind["cay"]), stored(villages[0], ind["rao"])) == (4, 50)


@pytest.mark.parametrize(
    ("code", "before"),
    [
        ("2022-01", "2021-12"),
        ("2022-11", "2022-10"),
        ("2022-Q1", "2021-Q4"),
        ("2022-H2", "2022-H1"),
        ("2022-H1", "2021-H2"),
        ("2022", "2021"),
        ("2022-9M", "2021-9M"),
        ("2023-W01", "2022-W52"),
        ("2021-W01", "2020-W53"),
        ("2020..2025", "2015..2020"),
    ],
)
def test_the_previous_period_is_the_one_of_the_same_kind_just_before(code, before):
    assert previous_period(parse_period(code)) == parse_period(before)


def test_a_free_span_and_the_first_year_have_no_previous_period():
    assert previous_period(parse_period("2022-04-15..2022-05-30")) is None
    assert previous_period(parse_period("1900")) is None


# --- 3. counts are whole; "1.5" is asked about ----------------------------------------------


@pytest.mark.parametrize("typed", ["1.5", "1,5", "2,25 cây"])
def test_a_count_with_a_fraction_is_refused(commune, typed):
    unit, villages, ind = commune

    with pytest.raises(ValidationError) as refused:
        record_result(unit=unit, indicator=ind["cay"], period=NOV, value=typed)

    [message] = refused.value.message_dict["value"]
    assert message.startswith("Số cây phải là số nguyên (đã nhập ")
    assert Result.objects.count() == 0


def test_a_whole_count_written_with_thousands_is_accepted(commune):
    unit, villages, ind = commune

    record_result(unit=unit, indicator=ind["cay"], period=NOV, value="1.500")

    assert stored(unit, ind["cay"]) == 1500


def test_a_fraction_in_a_count_box_is_an_error_not_a_question(commune):
    unit, villages, ind = commune
    client = officer_of(unit)
    sent = fields_of(client.get(sheet_url(villages[0])).content.decode()) | {"v_cay": "1.5"}

    response = client.post(sheet_url(villages[0]), sent)

    assert response.status_code == 400
    row = row_of(response.content.decode(), "cay")
    assert "Số cây phải là số nguyên (đã nhập 1,5)." in row
    assert "được hiểu là" not in row
    assert Result.objects.count() == 0


def test_a_dot_before_one_or_two_digits_is_asked_about_then_saved_once_confirmed(commune):
    unit, villages, ind = commune
    village = villages[0]
    client = officer_of(unit)
    sent = fields_of(client.get(sheet_url(village)).content.decode())
    sent |= {"v_rao": "1.5", "v_duong": "12.25 km", "v_cay": "40"}

    asked = client.post(sheet_url(village), sent)

    html = asked.content.decode()
    assert asked.status_code == 200
    assert "Chưa lưu: xin xác nhận cách hiểu số ở 2 ô" in html
    assert (
        "‘1.5’ được hiểu là 1,5 — đúng không? Bấm Lưu lần nữa để xác nhận, hoặc sửa lại."
        in row_of(html, "rao")
    )
    assert "‘12.25 km’ được hiểu là 12,25 km — đúng không?" in row_of(html, "duong")
    assert "được hiểu là" not in row_of(html, "cay")
    assert Result.objects.count() == 0  # nothing saved, not even the unambiguous box
    again = fields_of(html)
    assert (again["ok_rao"], again["v_rao"], again["v_cay"]) == ("1.5", "1.5", "40")

    confirmed = client.post(sheet_url(village), again)

    assert confirmed.status_code == 302
    assert stored(village, ind["rao"]) == Decimal("1.5")
    assert stored(village, ind["duong"]) == Decimal("12.25")
    assert stored(village, ind["cay"]) == 40


def test_a_box_changed_after_the_question_is_asked_about_again(commune):
    unit, villages, ind = commune
    client = officer_of(unit)
    sent = fields_of(client.get(sheet_url(villages[0])).content.decode()) | {"v_rao": "1.5"}
    again = fields_of(client.post(sheet_url(villages[0]), sent).content.decode())

    response = client.post(sheet_url(villages[0]), again | {"v_rao": "2.5"})

    assert response.status_code == 200
    assert "‘2.5’ được hiểu là 2,5 — đúng không?" in response.content.decode()
    assert Result.objects.count() == 0


def test_thousands_and_decimal_commas_are_saved_without_a_question(commune):
    unit, villages, ind = commune
    client = officer_of(unit)
    sent = fields_of(client.get(sheet_url(villages[0])).content.decode())

    response = client.post(sheet_url(villages[0]), sent | {"v_rao": "1.500", "v_duong": "1,5"})

    assert response.status_code == 302
    assert stored(villages[0], ind["rao"]) == 1500
    assert stored(villages[0], ind["duong"]) == Decimal("1.5")


def test_a_question_and_a_mistake_are_shown_together(commune):
    unit, villages, ind = commune
    client = officer_of(unit)
    sent = fields_of(client.get(sheet_url(villages[0])).content.decode())

    response = client.post(sheet_url(villages[0]), sent | {"v_rao": "1.5", "v_duong": "abc"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "‘abc’ không phải là số." in row_of(html, "duong")
    assert "‘1.5’ được hiểu là 1,5" in row_of(html, "rao")
    assert Result.objects.count() == 0


# --- 5. a ratio in a box for one number -----------------------------------------------------


def test_a_ratio_is_explained_not_taken_for_a_unit(commune):
    unit, villages, ind = commune
    client = officer_of(unit)
    sent = fields_of(client.get(sheet_url(villages[0])).content.decode()) | {"v_cay": "20/19"}

    response = client.post(sheet_url(villages[0]), sent)

    assert response.status_code == 400
    row = row_of(response.content.decode(), "cay")
    assert "Ô này chỉ nhận một số; với tỷ số như 20/19 hãy nhập số đạt được (20)." in row
    assert "Không nhận ra đơn vị" not in row
    with pytest.raises(ValidationError) as refused:
        record_result(unit=unit, indicator=ind["rao"], period=NOV, value="19 / 19")
    assert refused.value.message_dict["value"] == [
        "Ô này chỉ nhận một số; với tỷ số như 19/19 hãy nhập số đạt được (19)."
    ]
