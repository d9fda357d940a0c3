"""Written units with an abbreviation dot, at the shortest lengths (mutants of xaso.vn.units)."""

from xaso.vn.units import unit_for_text


def test_a_one_letter_unit_with_a_dot_is_that_unit():
    assert unit_for_text("m.").code == "m"
    assert unit_for_text(" M. ").code == "m"


def test_a_dot_alone_or_an_unknown_word_is_no_unit():
    assert unit_for_text(".") is None
    assert unit_for_text("") is None
    assert unit_for_text("x.") is None
    assert unit_for_text("m..") is None  # one abbreviation dot, not two
