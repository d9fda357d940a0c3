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
