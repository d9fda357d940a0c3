"""The number reader's limits from both sides, with hand-computed values.

Written against mutants of xaso.vn.numbers (docs/testing.md, "Mutation testing"): the
leading-zero check of the first thousands group, the maximum length, the separators' rules.
"""

from decimal import Decimal

import pytest

from xaso.vn.numbers import MAX_LENGTH, NumberError, ParsedNumber, parse_number

FIRST_GROUP = (
    "không đúng cách viết: nhóm đầu tiên trước dấu phân cách hàng nghìn "
    "phải có từ 1 đến 3 chữ số và khác 0."
)


def error_of(text: str, **options) -> str:
    with pytest.raises(NumberError) as caught:
        parse_number(text, **options)
    assert caught.value.message == str(caught.value)
    return caught.value.message


@pytest.mark.parametrize("text", ["0.500.000", "0 500", "00 500", "000.500.000", "1234 567"])
def test_a_first_thousands_group_of_zeros_or_four_digits_is_refused(text):
    assert error_of(text) == f"‘{text}’ {FIRST_GROUP}"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.500.000", Decimal(1500000)),
        ("1 500", Decimal(1500)),
        ("100 500 000", Decimal(100500000)),
        ("999.000.001", Decimal(999000001)),
        ("-1.500.000", Decimal(-1500000)),
    ],
)
def test_a_first_group_of_one_to_three_digits_is_read(text, value):
    assert parse_number(text, allow_negative=True) == ParsedNumber(value)


def test_zero_point_five_hundred_is_a_decimal():
    assert parse_number("0.500") == ParsedNumber(Decimal("0.500"))
    assert parse_number("0.500").value == Decimal("0.5")


def test_one_dot_three_digits_is_a_thousand_flagged_ambiguous():
    assert parse_number("1.500") == ParsedNumber(
        Decimal(1500),
        True,
        "Hiểu ‘1.500’ là 1500 (dấu chấm phân cách hàng nghìn), không phải 1,500.",
    )


def test_a_comma_and_three_digits_is_a_decimal_flagged_ambiguous():
    assert parse_number("1,500") == ParsedNumber(
        Decimal("1.500"),
        True,
        "Hiểu ‘1,500’ là 1,500 (dấu phẩy thập phân), không phải 1500.",
    )
    assert parse_number("1.234,5") == ParsedNumber(Decimal("1234.5"))
    assert parse_number("1234,567") == ParsedNumber(Decimal("1234.567"))  # four-digit head
    assert parse_number("0,500") == ParsedNumber(Decimal("0.500"))  # head zero: plain


def test_the_maximum_length_is_forty_characters_after_stripping():
    assert MAX_LENGTH == 40
    forty = "1" * 40
    assert parse_number(forty).value == Decimal(forty)
    assert parse_number(f"  {forty}  ").value == Decimal(forty)
    assert error_of("1" * 41) == "Số quá dài."
    assert error_of("-" + "1" * 40, allow_negative=True) == "Số quá dài."


def test_signs():
    assert parse_number("-0") == ParsedNumber(Decimal(0))
    assert str(parse_number("-0").value) == "0"
    assert parse_number("+ 12") == ParsedNumber(Decimal(12))
    assert parse_number("\u2212 12", allow_negative=True) == ParsedNumber(Decimal(-12))
    assert error_of("-12") == "Không được nhập số âm."
    assert error_of("+") == "‘+’ không phải là số."
    assert error_of("-") == "‘-’ không phải là số."
    assert error_of("") == "Chưa nhập số."
    assert error_of(None) == "Chưa nhập số."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("12a", "‘12a’ không phải là số."),
        (". ,", "‘. ,’ không phải là số."),
        (",5", "‘,5’ thiếu chữ số đứng trước dấu ‘,’."),
        ("5.", "‘5.’ thiếu chữ số đứng sau dấu ‘.’."),
        ("1..2", "‘1..2’ có hai dấu phân cách đứng liền nhau."),
        (
            "1,234,567",
            "‘1,234,567’ có nhiều dấu phẩy. Dấu phẩy là dấu thập phân nên chỉ có một; "
            "hàng nghìn phân cách bằng dấu chấm (ví dụ 1.234.567).",
        ),
        (
            "1,234.5",
            "‘1,234.5’ có dấu chấm hoặc khoảng trắng sau dấu phẩy thập phân. "
            "Hãy viết theo kiểu Việt Nam, ví dụ 1.234,5.",
        ),
        (
            "1.234.5",
            "‘1.234.5’ không đúng cách viết: sau dấu chấm phân cách hàng nghìn "
            "phải có đúng ba chữ số.",
        ),
        (
            "1.234 567",
            "‘1.234 567’ dùng lẫn dấu chấm và khoảng trắng để phân cách hàng nghìn.",
        ),
        (
            "1 23",
            "‘1 23’ không đúng cách viết: mỗi nhóm hàng nghìn phải có đúng ba chữ số.",
        ),
    ],
)
def test_refusals(text, message):
    assert error_of(text) == message


def test_a_dot_not_followed_by_three_digits_is_a_decimal_mark():
    assert parse_number("9.2") == ParsedNumber(Decimal("9.2"))
    assert parse_number("9.2500") == ParsedNumber(Decimal("9.2500"))
    assert error_of("1 234.5") == (
        "‘1 234.5’ không đúng cách viết: sau dấu chấm phân cách hàng nghìn phải có đúng ba chữ số."
    )
    assert parse_number("12   345") == ParsedNumber(Decimal(12345))  # a run of spaces is one


def test_runs_of_spaces_of_different_lengths_are_one_separator():
    assert parse_number("1 234  567") == ParsedNumber(Decimal(1234567))


def test_the_missing_digit_message_quotes_the_last_mark():
    assert error_of("12.") == "‘12.’ thiếu chữ số đứng sau dấu ‘.’."
    assert error_of(".12") == "‘.12’ thiếu chữ số đứng trước dấu ‘.’."


@pytest.mark.parametrize(
    ("text", "value", "note"),
    [
        (
            "01.500",
            Decimal(1500),
            "Hiểu ‘01.500’ là 1500 (dấu chấm phân cách hàng nghìn), không phải 1,500.",
        ),
        (
            "123,456",
            Decimal("123.456"),
            "Hiểu ‘123,456’ là 123,456 (dấu phẩy thập phân), không phải 123456.",
        ),
        (
            "01,500",
            Decimal("1.500"),
            "Hiểu ‘01,500’ là 1,500 (dấu phẩy thập phân), không phải 1500.",
        ),
        (
            "10,500",
            Decimal("10.500"),
            "Hiểu ‘10,500’ là 10,500 (dấu phẩy thập phân), không phải 10500.",
        ),
    ],
)
def test_ambiguous_readings_name_the_other_reading_without_leading_zeros(text, value, note):
    assert parse_number(text) == ParsedNumber(value, True, note)
