"""Partials and standings by hand: each rule, each sum, each side of `own` and `estimated`.

Written against the mutants `make mutants` found alive in xaso.figures.partials
(docs/testing.md, "Mutation testing"): a standing's period counts not added, a rule's
value swapped, a comparison moved.
"""

from decimal import Decimal as D

import pytest

from xaso.figures.partials import AVERAGE, MAX, MIN, NONE, SUM, Figure, Partial, Standing


def of(*values, estimated: int = 0) -> Partial:
    """The partial of some values, written out by hand."""
    return (
        Partial(sum(values, D(0)), len(values), min(values), max(values), estimated)
        if values
        else Partial()
    )


def test_the_rules_are_the_catalogs():
    assert (SUM, AVERAGE, MIN, MAX, NONE) == ("sum", "avg", "min", "max", "none")


def test_an_empty_partial_has_no_value_under_any_rule():
    empty = Partial()
    assert (empty.total, empty.count, empty.low, empty.high, empty.estimated) == (
        D(0),
        0,
        None,
        None,
        0,
    )
    for rule in (SUM, AVERAGE, MIN, MAX, NONE):
        assert empty.value(rule) is None


@pytest.mark.parametrize(
    ("rule", "expected"),
    [(SUM, D(36)), (AVERAGE, D(12)), (MIN, D(5)), (MAX, D(20)), (NONE, None)],
)
def test_each_rule_over_three_values(rule, expected):
    assert Partial(D(36), 3, D(5), D(20)).value(rule) == expected


@pytest.mark.parametrize("rule", [SUM, AVERAGE, MIN, MAX, NONE])
def test_a_single_value_stands_under_every_rule(rule):
    assert Partial(D("7.5"), 1, D("7.5"), D("7.5")).value(rule) == D("7.5")


def test_a_single_value_under_none_is_its_high():
    # count 1 with low and high told apart: NONE shows the high (the one value)
    assert Partial(D(9), 1, D(1), D(9)).value(NONE) == D(9)
    assert Partial(D(10), 2, D(1), D(9)).value(NONE) is None


def test_average_divides_by_the_count():
    assert Partial(D(10), 4, D(1), D(4)).value(AVERAGE) == D("2.5")


def test_adding_partials_sums_counts_and_keeps_the_extremes():
    left = Partial(D(10), 2, D(3), D(7), 1)
    left.add(Partial(D(20), 3, D(1), D(9), 2))
    assert (left.total, left.count, left.low, left.high, left.estimated) == (
        D(30),
        5,
        D(1),
        D(9),
        3,
    )
    inside = Partial(D(10), 2, D(3), D(7), 0)
    inside.add(Partial(D(5), 1, D(5), D(5), 0))  # within the extremes: they stay
    assert (inside.low, inside.high, inside.total, inside.count) == (D(3), D(7), D(15), 3)


def test_adding_to_an_empty_partial_takes_the_others_extremes():
    empty = Partial()
    empty.add(Partial(D(8), 2, D(2), D(6), 1))
    assert (empty.total, empty.count, empty.low, empty.high, empty.estimated) == (
        D(8),
        2,
        D(2),
        D(6),
        1,
    )


def test_adding_an_empty_partial_changes_nothing():
    kept = Partial(D(8), 2, D(2), D(6), 1)
    kept.add(Partial(D(99), 0, None, None, 5))  # no count: ignored whatever it holds
    assert (kept.total, kept.count, kept.low, kept.high, kept.estimated) == (D(8), 2, D(2), D(6), 1)


def test_adding_standings_adds_their_periods():
    year = Standing(of(D(1)), periods=1, own_periods=1)
    year.add(Standing(of(D(2), D(3)), periods=2, own_periods=0))
    assert (year.periods, year.own_periods) == (3, 1)
    assert (year.partial.total, year.partial.count) == (D(6), 3)
    year.add(Standing(of(D(4)), periods=1, own_periods=1))
    assert (year.periods, year.own_periods) == (4, 2)


def test_a_standing_of_own_values_in_every_period_is_own():
    standing = Standing(of(D(4)), periods=1, own_periods=1)
    assert standing.figure(SUM) == Figure(D(4), False, True, 1)
    assert standing.figure(NONE) == Figure(D(4), False, True, 1)
    months = Standing(of(D(4), D(6)), periods=2, own_periods=2)  # two own months pooled
    assert months.figure(SUM) == Figure(D(10), False, True, 1)
    assert months.figure(NONE) is None  # two values: nothing single to stand


def test_a_rolled_up_standing_is_not_own_and_counts_its_units():
    rolled = Standing(of(D(4), D(6), D(2)), periods=1, own_periods=0)
    assert rolled.figure(SUM) == Figure(D(12), False, False, 3)
    assert rolled.figure(MAX) == Figure(D(6), False, False, 3)
    assert rolled.figure(NONE) is None  # never aggregated
    partly = Standing(of(D(4), D(6)), periods=2, own_periods=1)
    assert partly.figure(SUM) == Figure(D(10), False, False, 2)
    assert partly.figure(NONE) is None


def test_a_standing_without_periods_is_not_own():
    nothing = Standing(Partial(D(5), 1, D(5), D(5)), periods=0, own_periods=0)
    assert nothing.figure(NONE) is None
    assert nothing.figure(SUM) == Figure(D(5), False, False, 1)
    assert Standing().figure(SUM) is None


def test_estimated_when_any_value_is():
    assert Standing(of(D(1), D(2), estimated=1), 1, 0).figure(SUM).estimated is True
    assert Standing(of(D(1), D(2), estimated=0), 1, 0).figure(SUM).estimated is False
