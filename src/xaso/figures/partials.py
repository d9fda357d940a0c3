"""Partial aggregates: what the roll-up combines, and the figure a unit shows from them.

A unit's *standing* for an indicator and period is its own entered value if it has one, else
what its children's standings add up to (`Subtotal`). Sum, count, min and max are kept, so
standings combine by addition (children into a parent, months into a year-to-date) and any
roll-up rule can be applied at the end.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from xaso.catalog.models import Rollup

# Plain strings: a province's page applies a rule some 5,000 times, and comparing with the
# enum members costs more than the rest of the work.
SUM, AVERAGE, MIN, MAX = (
    str(rule) for rule in (Rollup.SUM, Rollup.AVERAGE, Rollup.MIN, Rollup.MAX)
)
NONE = str(Rollup.NONE)


class Figure(NamedTuple):
    value: Decimal
    estimated: bool  # any contributing value is "ước đạt"
    own: bool  # entered at the unit itself rather than rolled up
    reporting: int  # how many units' values it stands on


@dataclass(slots=True)
class Partial:
    """Aggregates of some values: enough to combine them and apply any roll-up rule."""

    total: Decimal = Decimal(0)
    count: int = 0
    low: Decimal | None = None
    high: Decimal | None = None
    estimated: int = 0

    def add(self, other: "Partial") -> None:
        if not other.count:
            return
        self.total += other.total
        self.count += other.count
        self.estimated += other.estimated
        # A standing with no minimum and maximum (no value among its rows) leaves them.
        if other.low is not None:
            self.low = other.low if self.low is None else min(self.low, other.low)
        if other.high is not None:
            self.high = other.high if self.high is None else max(self.high, other.high)

    def value(self, rule: str) -> Decimal | None:
        return value_by_rule(rule, self.total, self.count, self.low, self.high)


def value_by_rule(rule: str, total, count: int, low, high) -> Decimal | None:
    """What a rule makes of some values' sum, count, minimum and maximum."""
    if count == 0:
        return None
    if rule == SUM:
        return total
    if rule == AVERAGE:
        return total / count
    if rule == MIN:
        return low
    if rule == MAX:
        return high
    return high if count == 1 else None  # NONE: only a single own value stands


@dataclass(slots=True)
class Standing:
    """A unit's standings over one or more periods (a year-to-date pools its months)."""

    partial: Partial = field(default_factory=Partial)
    periods: int = 0  # how many periods have a standing
    own_periods: int = 0  # of which the unit's own value

    def add(self, other: "Standing") -> None:
        self.partial.add(other.partial)
        self.periods += other.periods
        self.own_periods += other.own_periods

    def figure(self, rule: str) -> Figure | None:
        p = self.partial
        return figure_from_parts(
            rule, p.total, p.count, p.low, p.high, p.estimated, self.periods, self.own_periods
        )


def figure_from_parts(
    rule: str, total, count: int, low, high, estimated: int, periods: int, own_periods: int
) -> Figure | None:
    """The figure a standing shows, from its parts: `Standing.figure` without the objects,
    for reads that have the parts as a row (one period: a row is a whole standing)."""
    own = periods > 0 and own_periods == periods
    if not own and rule == NONE:  # never aggregated
        return None
    value = value_by_rule(rule, total, count, low, high)
    if value is None:
        return None
    # `tuple.__new__`: a NamedTuple's own `__new__` is Python, a fifth of this function's
    # time on a province's 5,050 rows.
    return _made(Figure, (value, estimated > 0, own, 1 if own else count))


_made = tuple.__new__
