"""A unit ends at a word boundary: one character after it decides (mutants of
xaso.vn.quantities)."""

from decimal import Decimal

import pytest

from xaso.vn.numbers import NumberError
from xaso.vn.quantities import _match_unit, parse_quantity


def test_a_unit_followed_by_a_letter_and_a_dot_is_not_that_unit():
    assert _match_unit("mx.") is None
    with pytest.raises(NumberError) as caught:
        parse_quantity("5 mx.")
    assert caught.value.message == "Không nhận ra đơn vị ‘mx.’."


def test_a_unit_followed_by_punctuation_is_that_unit():
    assert _match_unit("m.")[0] == "m"
    quantity = parse_quantity("5 ha,")
    assert (quantity.value, quantity.unit.code) == (Decimal(5), "ha")


def test_a_quantity_of_two_hundred_characters_is_read_and_one_more_refused():
    assert parse_quantity("5" + " " * 198 + "m").unit.code == "m"
    with pytest.raises(NumberError) as caught:
        parse_quantity("5" + " " * 199 + "m")
    assert caught.value.message == "Nội dung quá dài (tối đa 200 ký tự)."


def test_a_bare_multiplier_before_a_count_is_refused_naming_both_words():
    with pytest.raises(NumberError) as caught:
        parse_quantity("2 triệu cây")
    assert caught.value.message == (
        "Không rõ ‘triệu cây’: nếu là tiền thì ghi ‘triệu đồng’, nếu là số lượng thì viết số "
        "đầy đủ (ví dụ 2.000.000 cây)."
    )
    # The word as written, the unit by its name.
    with pytest.raises(NumberError) as caught:
        parse_quantity("3 triệu m2")
    assert caught.value.message == (
        "Không rõ ‘triệu m2’: nếu là tiền thì ghi ‘triệu đồng’, nếu là số lượng thì viết số "
        "đầy đủ (ví dụ 2.000.000 m²)."
    )


def test_a_quantity_with_a_unit_keeps_the_numbers_doubt_and_note():
    quantity = parse_quantity("1.500 m")
    assert (quantity.value, quantity.unit.code) == (Decimal(1500), "m")
    assert quantity.ambiguous is True
    assert (
        quantity.note == "Hiểu ‘1.500’ là 1500 (dấu chấm phân cách hàng nghìn), không phải 1,500."
    )
    quantity = parse_quantity("1500 m")
    assert (quantity.ambiguous, quantity.note) == (False, None)
