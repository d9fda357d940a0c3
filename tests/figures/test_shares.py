"""Largest-remainder splits: exact sums, no negative share, each within a step of its
exact proportion; checked against an oracle that works in whole steps with integers."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xaso.figures.shares import SplitError, quantum_for, split, split_equally


def hamilton(steps: int, weights: list[int]) -> list[int]:
    """The textbook method on integers: floor(steps·w/W), then +1 by largest remainder
    (remainder compared as steps·w mod W), ties to the earlier."""
    total = sum(weights)
    floors = [steps * w // total for w in weights]
    remainders = [steps * w % total for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[: steps - sum(floors)]:
        floors[i] += 1
    return floors


def test_seventy_seven_households_over_four_villages_by_households():
    # 77 × (120, 95, 88, 143) / 446 = 20,72 · 16,40 · 15,19 · 24,69: floors 20+16+15+24 = 75;
    # the two left go to the largest remainders, 0,72 and 0,69.
    shares = split(Decimal(77), [Decimal(w) for w in (120, 95, 88, 143)], Decimal(1))
    assert shares == [21, 16, 15, 25]


def test_equal_split_gives_the_leftover_to_the_first():
    assert split_equally(Decimal(77), 4, Decimal(1)) == [20, 19, 19, 19]
    assert split_equally(Decimal(78), 4, Decimal(1)) == [20, 20, 19, 19]
    assert split_equally(Decimal(80), 4, Decimal(1)) == [20, 20, 20, 20]


def test_money_is_split_in_hundredths():
    assert split(Decimal("15511"), [Decimal(1), Decimal(2)], Decimal("0.01")) == [
        Decimal("5170.33"),
        Decimal("10340.67"),
    ]


def test_quantum_follows_the_total():
    assert quantum_for(Decimal(77), whole=True) == 1
    assert quantum_for(Decimal("15511"), whole=False) == Decimal("0.01")
    assert quantum_for(Decimal("3750.5"), whole=False) == Decimal("0.01")
    assert quantum_for(Decimal("3750.125"), whole=False) == Decimal("0.001")


def test_a_zero_weight_gets_nothing_and_all_zero_is_refused():
    assert split(Decimal(10), [Decimal(0), Decimal(1)], Decimal(1)) == [0, 10]
    with pytest.raises(SplitError, match="đều bằng 0"):
        split(Decimal(10), [Decimal(0), Decimal(0)], Decimal(1))


@pytest.mark.parametrize(
    ("total", "weights", "message"),
    [
        (Decimal(10), [], "Không có đơn vị"),
        (Decimal(-1), [Decimal(1)], "âm"),
        (Decimal(10), [Decimal(-1), Decimal(2)], "không được âm"),
        (Decimal("10.5"), [Decimal(1)], "không chia được"),
    ],
)
def test_impossible_splits_are_refused_in_vietnamese(total, weights, message):
    with pytest.raises(SplitError, match=message):
        split(total, weights, Decimal(1))


@given(
    steps=st.integers(min_value=0, max_value=10**9),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=40).filter(
        any
    ),
)
def test_whole_splits_match_the_integer_oracle_and_add_up(steps, weights):
    shares = split(Decimal(steps), [Decimal(w) for w in weights], Decimal(1))
    assert [int(share) for share in shares] == hamilton(steps, weights)
    assert sum(shares) == steps
    assert all(share >= 0 for share in shares)


@given(
    cents=st.integers(min_value=0, max_value=10**12),
    weights=st.lists(
        st.decimals(min_value=0, max_value=10**6, places=3), min_size=1, max_size=30
    ).filter(any),
)
def test_money_splits_add_up_to_the_cent_and_stay_near_their_proportion(cents, weights):
    total = Decimal(cents) / 100
    shares = split(total, weights, Decimal("0.01"))
    assert sum(shares) == total
    whole = sum(weights)
    for share, weight in zip(shares, weights, strict=True):
        assert share >= 0
        assert abs(share - total * weight / whole) < Decimal("0.01") + Decimal("1e-20")
