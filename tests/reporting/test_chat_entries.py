"""A report pasted as a chat message becomes the form's entries (reporting.chat): nothing is
saved until the officer saves the sheet through save_report."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_indicator
from xaso.figures.models import Result
from xaso.periods import parse_period
from xaso.reporting.chat import alias_table, chat_entries, value_text
from xaso.reporting.models import ReportFormItem
from xaso.reporting.services import save_report

WEEK = parse_period("2022-W15")
MESSAGE = (
    "Thôn Cẩm Trang tuần 3: trồng mới 320 m hàng rào xanh, 5 hộ chỉnh trang vườn, "
    "2 nhà vệ sinh tự hoại."
)


def test_the_message_fills_the_form_and_says_what_it_left(cycle):
    entries, notes = chat_entries(cycle.form, MESSAGE, unit=cycle.villages[0])
    assert entries == {cycle.fences: ("320", "final"), cycle.toilets: ("2", "final")}
    assert notes.sources == {
        cycle.fences: "320 m hàng rào xanh",
        cycle.toilets: "2 nhà vệ sinh tự hoại",
    }
    assert (notes.unit_name, notes.period) == ("Thôn Cẩm Trang", "tuần 3")
    assert notes.warnings == []
    assert [item.text for item in notes.left_over] == ["5 hộ chỉnh trang vườn"]
    assert notes.messages() == [
        "Chưa lấy “5 hộ chỉnh trang vườn”: Không khớp chỉ tiêu nào của biểu mẫu."
    ]


def test_reading_saves_nothing_and_save_report_takes_the_entries(cycle):
    entries, _ = chat_entries(cycle.form, MESSAGE, unit=cycle.villages[0])
    assert not Result.objects.exists()
    save_report(
        form=cycle.form, unit=cycle.villages[0], period=WEEK, entries=entries, user=cycle.reporter
    )
    saved = dict(Result.objects.values_list("indicator__code", "value"))
    assert saved == {"hang-rao-xanh": Decimal(320), "nha-tieu-tu-hoai": Decimal(2)}


def test_kilometres_become_the_indicators_metres_and_read_back(cycle):
    entries, notes = chat_entries(cycle.form, "Thôn Cẩm Trang: HR xanh 1,25 km")
    assert entries == {cycle.fences: ("1.250", "final")}
    assert notes.sources == {cycle.fences: "HR xanh 1,25 km"}
    save_report(form=cycle.form, unit=cycle.villages[0], period=WEEK, entries=entries)
    assert Result.objects.get(indicator=cycle.fences).value == Decimal(1250)


def test_short_names_come_from_the_alias_table(cycle):
    assert "hvs" in alias_table()["nha-tieu-tu-hoai"]
    entries, _ = chat_entries(cycle.form, "xom 5 tuan 4: lam 3 hvs, hrx 40m")
    assert entries == {cycle.toilets: ("3", "final"), cycle.fences: ("40", "final")}


def test_a_message_from_another_village_is_flagged(cycle):
    _, notes = chat_entries(
        cycle.form, "Thôn Đông Giang tuần 3: 20 m hàng rào xanh", unit=cycle.villages[0]
    )
    assert notes.warnings == [
        "Tin nhắn báo cáo cho “Thôn Đông Giang”, còn trang này nhập cho Thôn Cẩm Trang: "
        "hãy kiểm tra lại."
    ]
    _, same = chat_entries(cycle.form, "thon cam trang: 20 m hang rao xanh", unit=cycle.villages[0])
    assert same.warnings == []


def test_a_tie_between_two_of_the_forms_indicators_is_left_to_the_officer(cycle):
    # "hvs" is a short name of both in data/aliases.toml.
    other = make_indicator("ho-nha-ve-sinh", unit="ho", name="Hộ xây nhà vệ sinh tự hoại")
    ReportFormItem.objects.create(form=cycle.form, indicator=other, position=9)
    entries, notes = chat_entries(cycle.form, "tuần 3: 4 hvs")
    assert entries == {}
    (left,) = notes.left_over
    assert set(left.candidates) == {"nha-tieu-tu-hoai", "ho-nha-ve-sinh"}
    assert "Không đọc được số liệu nào của biểu mẫu từ tin nhắn." in notes.warnings


def test_only_the_forms_indicators_are_read(cycle):
    make_indicator("cay-bong-mat", unit="cay", name="Cây bóng mát trồng mới")
    entries, notes = chat_entries(cycle.form, "25 cây bóng mát")
    assert entries == {}
    assert [item.text for item in notes.left_over] == ["25 cây bóng mát"]


def test_a_message_too_long_is_a_validation_error(cycle):
    with pytest.raises(ValidationError) as error:
        chat_entries(cycle.form, "hàng rào xanh 5m. " * 400)
    assert error.value.message_dict["chat"][0].startswith("Tin nhắn dài quá 5.000 ký tự")


@pytest.mark.parametrize(
    ("value", "text"),
    [("320", "320"), ("1250", "1.250"), ("0.6", "0,6"), ("1234.125", "1.234,125"), ("2.50", "2,5")],
)
def test_value_text(value, text):
    assert value_text(Decimal(value)) == text
