"""Quantities as written in reports: a number, then usually a unit."""

from decimal import Decimal

import pytest

from xaso.vn.numbers import NumberError
from xaso.vn.quantities import Quantity, parse_quantity


@pytest.mark.parametrize(
    ("text", "value", "code"),
    [
        ("15.511 triệu đồng", "15511", "trieu_dong"),
        ("1.135m", "1135", "m"),
        ("1,8km", "1.8", "km"),
        ("02 tỷ đồng", "2", "ty_dong"),
        ("9.2 tỷ đồng", "9.2", "ty_dong"),
        ("11.5 tỷ", "11.5", "ty_dong"),
        ("5.615m", "5615", "m"),
        ("24,2%", "24.2", "percent"),
        ("24,2 %", "24.2", "percent"),
        ("211 tấn", "211", "tan"),
        ("215 cây", "215", "cay"),
        ("2.000 m", "2000", "m"),
        ("3.750 tr.đ", "3750", "trieu_dong"),
        ("10 000m2", "10000", "m2"),
        ("5 ha", "5", "ha"),
        ("16.477 hộ", "16477", "ho"),
        ("3 khu dân cư", "3", "khu_dan_cu"),
        ("12 Chi bộ", "12", "chi_bo"),
    ],
)
def test_report_quantities_split_into_value_and_unit(text, value, code):
    quantity = parse_quantity(text)
    assert quantity.value == Decimal(value)
    assert quantity.unit.code == code


def test_a_bare_number_has_no_unit():
    assert parse_quantity("3.750") == Quantity(
        Decimal(3750),
        None,
        True,
        "Hiểu ‘3.750’ là 3750 (dấu chấm phân cách hàng nghìn), không phải 3,750.",
    )


def test_the_ambiguity_of_the_number_is_passed_on():
    assert parse_quantity("1.135m").ambiguous
    assert not parse_quantity("1,8km").ambiguous
    assert parse_quantity("1,8km").note is None


@pytest.mark.parametrize(
    ("text", "value", "code"),
    [
        ("211 tấn xi măng", "211", "tan"),
        ("1,8km đường GTNT", "1.8", "km"),
        ("215 cây xanh", "215", "cay"),
        ("15.511 triệu đồng vốn ngân sách", "15511", "trieu_dong"),
        ("2 tỷ VNĐ", "2", "ty_dong"),
    ],
)
def test_words_after_the_unit_are_allowed(text, value, code):
    quantity = parse_quantity(text)
    assert (quantity.value, quantity.unit.code) == (Decimal(value), code)


def test_the_longest_written_unit_wins():
    assert parse_quantity("12 cây số").unit.code == "km"
    assert parse_quantity("5 m² sân").unit.code == "m2"
    assert parse_quantity("7 hộ gia đình").unit.code == "ho"


@pytest.mark.parametrize(
    ("text", "word"), [("5 xe tải", "xe"), ("5m³", "m³"), ("3 mẫu ruộng", "mẫu")]
)
def test_an_unknown_unit_word_is_rejected_and_named(text, word):
    with pytest.raises(NumberError) as caught:
        parse_quantity(text)
    assert caught.value.message == f"Không nhận ra đơn vị ‘{word}’."


def test_a_compound_count_word_is_not_mistaken_for_its_first_word():
    assert parse_quantity("12 trường hợp vi phạm").unit.code == "truong_hop"
    assert parse_quantity("5 trường học").unit.code == "truong"


def test_a_unit_must_end_at_a_word_boundary():
    with pytest.raises(NumberError, match="‘đoàn’"):
        parse_quantity("3 đoàn")  # not the unit "đ"
    with pytest.raises(NumberError, match="‘mét3’"):
        parse_quantity("3 mét3")


def test_a_bare_multiplier_before_a_count_is_refused_rather_than_read_as_money():
    with pytest.raises(NumberError, match="Không rõ ‘triệu cây’"):
        parse_quantity("2 triệu cây")


@pytest.mark.parametrize("text", ["", "abc", "triệu đồng", "1..2 m", "1,234,567 đồng"])
def test_a_missing_or_malformed_number_is_rejected(text):
    with pytest.raises(NumberError):
        parse_quantity(text)


def test_negative_quantities_need_permission():
    with pytest.raises(NumberError, match="Không được nhập số âm"):
        parse_quantity("-5 ha")
    assert parse_quantity("-5 ha", allow_negative=True).value == Decimal(-5)
