"""Targets as plain values, for the reads that only measure figures against them.

A province's page of 100 communes × 50 indicators measures 5,050 figures against their
targets. `selectors.targets_containing` gives model instances (saved, related, with their
documents) of a dozen columns each, which cost more than the roll-up that reads the figures
(docs/scale.md, "The province month profiled"). Most callers read a target's value, the
plan as first set, its source and its period, and nothing else: `target_values_containing`
gives them those four as a tuple, in the same order, from one query on a plain cursor.
"""

from decimal import Decimal
from typing import NamedTuple

from django.db import connection

from xaso.catalog.models import Indicator
from xaso.figures.models import Target, TargetSource
from xaso.figures.subtotals import stored_decimal
from xaso.org.models import OrgUnit
from xaso.periods import Period, parse_period

_SOURCE_ORDER = {source: index for index, source in enumerate(TargetSource.values)}


class TargetValue(NamedTuple):
    """What `selectors.achievement` and the tables read of a `Target`, by the same names."""

    value: Decimal
    original_value: Decimal | None  # the plan as first set, when revised
    source: str
    period: str  # the target's period code

    @property
    def period_kind(self) -> str:
        return parse_period(self.period).kind

    @property
    def revised(self) -> bool:
        return self.original_value is not None


def target_values_containing(
    units: list[OrgUnit], period: Period, *, indicators: list[Indicator] | None = None
) -> dict[tuple[int, int], list[TargetValue]]:
    """The targets `selectors.targets_containing` gives, as `TargetValue`s: of these units
    (for these indicators, or all) whose period contains `period`, by (unit id, indicator
    id), the narrowest period first, then the source order."""
    if not units or indicators == []:
        return {}
    unit_ids = [unit.pk for unit in units]
    where = [_in("unit_id", unit_ids), "period_start <= %s", "period_end >= %s"]
    params = [*unit_ids, period.start, period.end]
    if indicators is not None:
        where.append(_in("indicator_id", indicators))
        params += [indicator.pk for indicator in indicators]
    sql = (
        "SELECT value, original_value, source, period, unit_id, indicator_id "  # noqa: S608
        f"FROM {Target._meta.db_table} WHERE {' AND '.join(where)}"
    )  # the table name is ours; every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if rows and type(rows[0][0]) is not Decimal:  # SQLite: floats back to decimals
        rows = [(stored_decimal(row[0]), stored_decimal(row[1]), *row[2:]) for row in rows]
    # A row's first four columns are its TargetValue, made by `tuple.__new__` (the
    # NamedTuple's own `__new__` is Python, a third of this loop's time for 5,050 rows).
    found: dict[tuple[int, int], list[TargetValue]] = {}
    grouped, made = found.setdefault, tuple.__new__
    for row in rows:
        grouped(row[4:], []).append(made(TargetValue, row[:4]))
    for several in found.values():
        if len(several) > 1:
            several.sort(key=_narrowest_first)
    return found


def _narrowest_first(target: TargetValue) -> tuple:
    span = parse_period(target.period)
    return -span.start.toordinal(), span.end, _SOURCE_ORDER[target.source]


def _in(column: str, values: list) -> str:
    return f"{column} IN ({', '.join(['%s'] * len(values))})"
