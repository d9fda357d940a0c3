"""A figure against a threshold, both sides of every limit; a criterion from its parts."""

from decimal import Decimal as D

import pytest

from xaso.criteria.verdict import MET, NO_DATA, NO_THRESHOLD, NOT_MET, combine, disagrees, meets


@pytest.mark.parametrize(
    ("test", "threshold", "value", "expected"),
    [
        ("at_least", D(85), D("85"), MET),
        ("at_least", D(85), D("84.99"), NOT_MET),
        ("at_least", D(85), D("85.01"), MET),
        ("at_most", D(5), D("5"), MET),
        ("at_most", D(5), D("5.01"), NOT_MET),
        ("at_most", D(5), D("4.99"), MET),
        ("equals", D(100), D("100.000"), MET),
        ("equals", D(100), D("99.9"), NOT_MET),
        ("equals", D(100), D("100.1"), NOT_MET),
        ("reached", None, D(1), MET),
        ("reached", None, D(3), MET),
        ("reached", None, D(0), NOT_MET),
        ("at_least", None, D(90), NO_THRESHOLD),
        ("at_least", D(85), None, NO_DATA),
        ("reached", None, None, NO_DATA),
    ],
)
def test_a_value_meets_a_threshold_or_not(test, threshold, value, expected):
    assert meets(test, threshold, value) == expected


def test_an_unknown_test_is_a_programming_error():
    with pytest.raises(ValueError):
        meets("more", D(1), D(1))


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        ([], None),
        ([MET], MET),
        ([MET, MET], MET),
        ([MET, NOT_MET], NOT_MET),
        ([NO_DATA, NOT_MET], NOT_MET),  # one measured failure decides it
        ([MET, NO_DATA], None),  # one unmeasured part: not decided
        ([MET, NO_THRESHOLD], None),
    ],
)
def test_a_criterion_is_met_only_when_every_part_is_measured_and_met(verdicts, expected):
    assert combine(verdicts) == expected


@pytest.mark.parametrize(
    ("recorded", "computed", "expected"),
    [
        ("met", "not_met", True),
        ("not_met", "met", True),
        ("met", "met", False),
        ("under_review", "not_met", False),
        ("met", None, False),
        (None, "not_met", False),
    ],
)
def test_only_a_decided_recorded_status_can_be_contradicted(recorded, computed, expected):
    assert disagrees(recorded, computed) is expected
