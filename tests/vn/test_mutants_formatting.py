"""Writing numbers and converting units: the refusals and exactness (mutants of
xaso.vn.numbers and xaso.vn.units)."""

from decimal import Decimal, Inexact

import pytest

from xaso.vn.numbers import NumberError, format_number, plain_number
from xaso.vn.quantities import parse_quantity
from xaso.vn.units import convert


def test_format_number_refuses_what_is_not_a_number():
    with pytest.raises(TypeError) as caught:
        format_number(True)
    assert str(caught.value) == "format_number() does not accept booleans"
    with pytest.raises(TypeError) as caught:
        format_number("12")
    assert str(caught.value) == "format_number() expects a number, not str"
    with pytest.raises(ValueError) as caught:
        format_number(Decimal("NaN"))
    assert str(caught.value) == "cannot format NaN"
    with pytest.raises(ValueError) as caught:
        format_number(1, decimals=-1)
    assert str(caught.value) == "decimals must not be negative"


def test_format_number_reads_a_float_as_its_shortest_decimal():
    assert format_number(1.5) == "1,5"
    assert format_number(2.675) == "2,68"  # 2.675 as written, not the binary 2.67499…
    assert format_number(3750.5) == "3.750,5"


def test_plain_number():
    assert plain_number(None) is None
    assert plain_number(Decimal("3750.000")) == 3750
    assert type(plain_number(Decimal("3750.000"))) is int
    assert plain_number(Decimal("1.8")) == 1.8
    assert type(plain_number(Decimal("1.8"))) is float


def test_parse_quantity_of_nothing():
    for nothing in (None, "", "   "):
        with pytest.raises(NumberError) as caught:
            parse_quantity(nothing)
        assert caught.value.message == "Chưa nhập số."


def test_convert_refuses_booleans_and_floats():
    with pytest.raises(TypeError) as caught:
        convert(True, "m", "km")
    assert str(caught.value) == "convert() expects a Decimal or an int, not bool"
    with pytest.raises(TypeError) as caught:
        convert(1.5, "m", "km")
    assert str(caught.value) == "convert() expects a Decimal or an int, not float"


def test_convert_is_exact_to_a_hundred_digits_and_refuses_to_round():
    hundred = Decimal(10**99 + 1)  # 100 significant digits
    assert convert(hundred, "m", "km") == Decimal(f"{10**96}.001")
    with pytest.raises(Inexact):
        convert(Decimal(10**100 + 1), "m", "km")  # 101 digits: would be rounded
