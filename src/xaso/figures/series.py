"""A figure over time: one unit's figure for one indicator in each of a run of periods.

Read as the unit page reads a single period (`over_time.read`, one window per period), in
the same two queries whatever the number of periods. A flow is shown as its running total
from the first period ("lũy kế"), so that it can be set against the year's plan; a stock or
an average as it stood in each period.
"""

from dataclasses import dataclass
from decimal import Decimal

from xaso.catalog.models import Indicator, OverTime
from xaso.figures import over_time
from xaso.figures.subtotals import unit_at
from xaso.org.models import OrgUnit
from xaso.periods import Period


@dataclass(frozen=True)
class Step:
    period: Period
    value: Decimal | None  # None: no figure for this period (and, for a flow, none before)
    estimated: bool = False


def series(unit: OrgUnit, indicator: Indicator, periods: list[Period]) -> list[Step]:
    windows = [over_time.single(period) for period in periods]
    readings = over_time.read([unit_at(unit.path)], windows, [indicator])
    key = (unit.path, indicator.pk)
    steps, running, estimated = [], None, False
    cumulative = indicator.over_time == OverTime.FLOW
    for period, found in zip(periods, readings, strict=True):
        reading = found.get(key)
        figure = reading.figure if reading else None
        if not cumulative:
            steps.append(
                Step(period, figure.value if figure else None, bool(figure and figure.estimated))
            )
            continue
        if figure is not None:
            running = (running or Decimal(0)) + figure.value
            estimated = estimated or figure.estimated
        steps.append(
            Step(period, running if figure is not None or running is not None else None, estimated)
        )
    return steps
