"""Reading and writing numbers as Vietnamese commune reports write them."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xaso.vn.numbers import NumberError, ParsedNumber, format_number, format_percent, parse_number

# Forms taken from real commune reports, with the value they mean.
REPORT_FORMS = [
    ("3.750", "3750"),
    ("15.511", "15511"),
    ("16.477", "16477"),
    ("24,2", "24.2"),
    ("1.135", "1135"),
    ("1,8", "1.8"),
    ("02", "2"),
    ("06", "6"),
    ("9.2", "9.2"),
    ("11.5", "11.5"),
    ("21.5", "21.5"),
    ("53.4", "53.4"),
    ("5.615", "5615"),
    ("5.630", "5630"),
    ("2.000", "2000"),
    ("1507", "1507"),
    ("1.124", "1124"),
    ("3.414", "3414"),
    ("986", "986"),
    ("44.344", "44344"),
    ("1.234.567", "1234567"),
    ("3.750,5", "3750.5"),
    ("15 511", "15511"),
    ("15\u00a0511", "15511"),
    ("1 234 567,25", "1234567.25"),
    ("+7", "7"),
    ("  42  ", "42"),
    ("0", "0"),
    ("0,5", "0.5"),
    ("1234,5", "1234.5"),
]


@pytest.mark.parametrize(("text", "expected"), REPORT_FORMS)
def test_report_forms_are_read_as_the_report_meant_them(text, expected):
    assert parse_number(text).value == Decimal(expected)


def test_the_value_is_an_exact_decimal():
    assert isinstance(parse_number("9.2").value, Decimal)
    assert parse_number("9.2").value == Decimal("9.2")


def test_the_unicode_minus_sign_counts_as_a_minus():
    assert parse_number("\u2212" + "5", allow_negative=True).value == Decimal(-5)


@pytest.mark.parametrize("text", ["3.750", "1.135", "15.511", "2.000", "01.135"])
def test_one_dot_then_three_digits_is_thousands_but_flagged_ambiguous(text):
    parsed = parse_number(text)
    assert parsed.ambiguous
    assert "dấu chấm phân cách hàng nghìn" in parsed.note


def test_the_dot_note_quotes_the_input_and_both_readings():
    note = parse_number("1.135").note
    assert note == "Hiểu ‘1.135’ là 1135 (dấu chấm phân cách hàng nghìn), không phải 1,135."


def test_one_comma_then_three_digits_is_a_decimal_but_flagged_ambiguous():
    parsed = parse_number("1,135")
    assert parsed.value == Decimal("1.135")
    assert parsed.ambiguous
    assert parsed.note == "Hiểu ‘1,135’ là 1,135 (dấu phẩy thập phân), không phải 1135."


@pytest.mark.parametrize(
    "text", ["24,2", "9.2", "1.234.567", "3.750,5", "15 511", "1507", "02", "0,135", "1234,567"]
)
def test_forms_with_a_single_reading_are_not_flagged(text):
    parsed = parse_number(text)
    assert (parsed.ambiguous, parsed.note) == (False, None)


def test_a_negative_ambiguous_number_keeps_its_sign_in_the_note():
    parsed = parse_number("-1.135", allow_negative=True)
    assert parsed.value == Decimal(-1135)
    assert "là -1135" in parsed.note


def test_zero_followed_by_a_dot_group_is_a_decimal_not_thousands():
    assert parse_number("0.500") == ParsedNumber(Decimal("0.5"), False, None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "‘abc’ không phải là số."),
        ("12a", "‘12a’ không phải là số."),
        ("", "Chưa nhập số."),
        ("   ", "Chưa nhập số."),
        ("-5", "Không được nhập số âm."),
        ("5" * 500, "Số quá dài."),
        ("1..2", "‘1..2’ có hai dấu phân cách đứng liền nhau."),
    ],
)
def test_rejections_explain_the_problem_in_vietnamese(text, message):
    with pytest.raises(NumberError) as caught:
        parse_number(text)
    assert caught.value.message == message
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1,234,567", "nhiều dấu phẩy"),
        ("1,234.5", "sau dấu phẩy thập phân"),
        ("1.2.3", "đúng ba chữ số"),
        ("1.234.5", "đúng ba chữ số"),
        ("15 51", "đúng ba chữ số"),
        ("1234.567", "nhóm đầu tiên"),
        ("3.750 500", "dùng lẫn"),
        (".5", "thiếu chữ số đứng trước"),
        ("5,", "thiếu chữ số đứng sau"),
        ("+", "không phải là số"),
        ("1e5", "không phải là số"),
        ("١٢", "không phải là số"),
    ],
)
def test_forms_that_cannot_be_read_safely_are_rejected(text, fragment):
    with pytest.raises(NumberError, match=fragment):
        parse_number(text)


def test_negative_numbers_are_accepted_only_when_allowed():
    assert parse_number("-5", allow_negative=True).value == Decimal(-5)
    assert parse_number("-3.750,5", allow_negative=True).value == Decimal("-3750.5")


def test_minus_zero_is_plain_zero():
    assert parse_number("-0").value == Decimal(0)


def test_a_caller_catching_value_error_gets_the_vietnamese_message():
    # Form fields and the CLI catch ValueError: a bad number must reach them with its message.
    with pytest.raises(ValueError) as caught:
        parse_number("1.2.3,4,5")
    assert str(caught.value) == (
        "‘1.2.3,4,5’ có nhiều dấu phẩy. Dấu phẩy là dấu thập phân nên chỉ có một; "
        "hàng nghìn phân cách bằng dấu chấm (ví dụ 1.234.567)."
    )


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Decimal("3750.5"), None, "3.750,5"),
        (15511, None, "15.511"),
        (0, None, "0"),
        (Decimal("1234567.25"), None, "1.234.567,25"),
        (Decimal("24.20"), None, "24,2"),
        (Decimal("2.005"), None, "2,01"),
        (Decimal("-0.001"), None, "0"),
        (Decimal("-3750.5"), None, "-3.750,5"),
        (Decimal("3750"), 1, "3.750,0"),
        (Decimal("9.25"), 1, "9,3"),
        (Decimal("9.24"), 0, "9"),
        (Decimal("1E+3"), None, "1.000"),
    ],
)
def test_format_number_writes_the_vietnamese_way(value, decimals, expected):
    assert format_number(value, decimals=decimals) == expected


def test_format_percent_appends_a_percent_sign_with_one_decimal():
    assert format_percent(Decimal("24.19")) == "24,2%"
    assert format_percent(100) == "100,0%"
    assert format_percent(Decimal("99.5"), decimals=None) == "99,5%"


def test_format_number_refuses_non_numbers():
    with pytest.raises(TypeError):
        format_number("3750")


@given(st.decimals(min_value=0, max_value=Decimal(10) ** 15, places=2))
def test_formatted_numbers_read_back_to_the_same_value(value):
    assert parse_number(format_number(value)).value == value


@given(st.decimals(min_value=-(Decimal(10) ** 12), max_value=Decimal(10) ** 12, places=2))
def test_formatted_negative_numbers_read_back_when_negatives_are_allowed(value):
    assert parse_number(format_number(value), allow_negative=True).value == value


@given(st.integers(min_value=1000, max_value=10**12))
def test_formatted_thousands_read_back(value):
    assert parse_number(format_number(value)).value == value
