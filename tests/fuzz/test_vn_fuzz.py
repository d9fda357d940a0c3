"""Fuzzing xaso.vn: any text gives a result or the module's own error, quickly."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from xaso.vn import (
    UNITS,
    NumberError,
    UnitError,
    convert,
    fold,
    format_number,
    nfc,
    parse_number,
    parse_quantity,
    unit_for_text,
)
from xaso.vn.abbreviations import expand_abbreviations, normalise_spelling, normalise_title

FAST = settings(max_examples=150, deadline=500)

# Text made of what numbers and quantities are written with, so the parsers get past their
# first check; plus any text at all.
NUMBERISH = st.text(alphabet="0123456789.,  -−+%/ ", max_size=40)
WORDS = st.sampled_from(
    ["triệu đồng", "tỷ", "km", "m", "tấn", "ha", "%", "hộ", "cây", "người", "nghìn", "x", ""]
)
QUANTITYISH = st.builds(lambda n, u: f"{n} {u}", NUMBERISH, WORDS)
ANY_TEXT = st.text(max_size=200)


@FAST
@given(st.one_of(NUMBERISH, ANY_TEXT), st.booleans())
def test_parse_number_gives_a_number_or_a_number_error(text, negative):
    try:
        parsed = parse_number(text, allow_negative=negative)
    except NumberError as error:
        assert error.args[0].strip()
        return
    assert isinstance(parsed.value, Decimal) and parsed.value.is_finite()
    assert negative or parsed.value >= 0
    assert format_number(parsed.value)  # what was read can be shown


@FAST
@given(st.one_of(QUANTITYISH, ANY_TEXT))
def test_parse_quantity_gives_a_quantity_or_a_number_error(text):
    try:
        quantity = parse_quantity(text, allow_negative=True)
    except NumberError as error:
        assert error.args[0].strip()
        return
    assert quantity.value.is_finite()
    assert quantity.unit is None or quantity.unit.code in UNITS


@FAST
@given(
    st.one_of(NUMBERISH, ANY_TEXT),
    st.sampled_from(sorted(UNITS)),
    st.sampled_from(sorted(UNITS)),
)
def test_convert_what_was_parsed_or_a_unit_error(text, source, target):
    try:
        value = parse_number(text, allow_negative=True).value
    except NumberError:
        return
    try:
        converted = convert(value, source, target)
    except UnitError as error:
        assert "khác loại" in error.args[0]
        return
    assert converted.is_finite()
    assert convert(converted, target, source) == value


@FAST
@given(ANY_TEXT)
def test_text_helpers_never_fail(text):
    assert nfc(nfc(text)) == nfc(text)
    assert fold(fold(text)) == fold(text)
    unit_for_text(text)
    expand_abbreviations(text)
    normalise_spelling(text)
    normalise_title(text)


def test_long_inputs_are_refused_not_slow():
    try:
        parse_number("1." * 100_000)
    except NumberError as error:
        assert error.args[0] == "Số quá dài."
    else:  # pragma: no cover - the test fails here
        raise AssertionError("a number of 200,000 characters was read")
