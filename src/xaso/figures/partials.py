"""Partial aggregates: what the roll-up combines, and the figure a unit shows from them.

A unit's *standing* for an indicator and period is its own entered value if it has one, else
what its children's standings add up to (`Subtotal`). Sum, count, min and max are kept, so
standings combine by addition (children into a parent, months into a year-to-date) and any
roll-up rule can be applied at the end.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from xaso.catalog.models import Rollup


@dataclass(frozen=True)
class Figure:
    value: Decimal
    estimated: bool  # any contributing value is "ước đạt"
    own: bool  # entered at the unit itself rather than rolled up
    reporting: int  # how many units' values it stands on


@dataclass
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
        self.low = other.low if self.low is None else min(self.low, other.low)
        self.high = other.high if self.high is None else max(self.high, other.high)

    def value(self, rule: str) -> Decimal | None:
        if self.count == 0:
            return None
        if rule == Rollup.NONE:  # only a single own value stands for itself
            return self.high if self.count == 1 else None
        return {
            Rollup.SUM: self.total,
            Rollup.AVERAGE: self.total / self.count,
            Rollup.MIN: self.low,
            Rollup.MAX: self.high,
        }[rule]


@dataclass
class Standing:
    """A unit's standings over one or more periods (a year-to-date pools its months)."""

    partial: Partial = field(default_factory=Partial)
    periods: int = 0  # how many periods have a standing
    own_periods: int = 0  # of which the unit's own value

    def add(self, other: "Standing") -> None:
        self.partial.add(other.partial)
        self.periods += other.periods
        self.own_periods += other.own_periods

    @property
    def own(self) -> bool:
        return self.periods > 0 and self.own_periods == self.periods

    def figure(self, rule: str) -> Figure | None:
        if not self.own and rule == Rollup.NONE:  # never aggregated
            return None
        value = self.partial.value(rule)
        if value is None:
            return None
        return Figure(
            value,
            estimated=self.partial.estimated > 0,
            own=self.own,
            reporting=1 if self.own else self.partial.count,
        )
