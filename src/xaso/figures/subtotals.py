"""Subtotals kept live: every write refreshes its unit's and ancestors' rows, in its transaction.

Reading standings: `standings(where, periods, indicator_ids, by)` gives the standings of the
units `where` selects, grouped by `by`, in two index-range queries (the units' subtotal rows,
and the own results of units that have none). The roll-up (`selectors.rollup`) and the
refresh below both use it, so a parent is always combined the way it is read.

Writing: a write service wraps its work in `deferred()` and calls `pending.add(...)` for each
changed result; at the end of the outermost `deferred()` — still inside the transaction —
each touched unit is refreshed, deepest first. On PostgreSQL a refresh takes a transaction
advisory lock per (period, unit, indicator) before it reads the children, so concurrent
writes under the same province serialise on the province's rows instead of overwriting each
other; every transaction takes those locks in the same order (deepest unit first, then
period, path and indicator), so they cannot deadlock. SQLite has one writer at a time.

Bulk loads (`figures.bulk`) skip all this and call `rebuild()` once at the end.
"""

import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from xaso.figures.models import Result, ResultStatus, Subtotal
from xaso.figures.partials import Partial, Standing
from xaso.org.models import OrgUnit
from xaso.org.paths import ancestor_paths, subtree_upper_bound


def depth_of(path: str) -> int:
    return len(path) // OrgUnit.steplen


def strictly_below(path: str) -> Q:
    """Rows of units under `path` (not the unit itself), as an index range on unit_path."""
    where = Q(unit_path__startswith=path, unit_path__gt=path)
    if upper := subtree_upper_bound(path):
        where &= Q(unit_path__lt=upper)
    return where


def children_of(path: str) -> Q:
    return Q(unit_depth=depth_of(path) + 1) & strictly_below(path)


def unit_at(path: str) -> Q:
    return Q(unit_depth=depth_of(path), unit_path=path)


# ---- reading ---------------------------------------------------------------------------

_AMOUNT = DecimalField(max_digits=30, decimal_places=6)
_COUNT = IntegerField()


def standings(
    where: Q, periods: list[str], indicator_ids: list[int], by: tuple[str, ...]
) -> dict[tuple, Standing]:
    """The standings of the units `where` selects, pooled over `periods`, grouped by `by`."""
    scope = Q(period__in=periods, indicator_id__in=indicator_ids) & where
    found: dict[tuple, Standing] = defaultdict(Standing)
    own = Q(own_value__isnull=False)
    subtotal_rows = (
        Subtotal.objects.filter(scope)
        .values(*by)
        .annotate(
            s_total=Sum(Coalesce("own_value", "total", output_field=_AMOUNT)),
            s_count=Sum(
                Case(When(own, then=Value(1)), default=F("reporting"), output_field=_COUNT)
            ),
            s_low=Min(Coalesce("own_value", "low", output_field=_AMOUNT)),
            s_high=Max(Coalesce("own_value", "high", output_field=_AMOUNT)),
            s_estimated=Sum(
                Case(
                    When(own_value__isnull=True, then=F("estimated")),
                    When(own_estimated=True, then=Value(1)),
                    default=Value(0),
                    output_field=_COUNT,
                ),
            ),
            s_own=Count("own_value"),
            s_periods=Count("pk"),
        )
        .order_by()
    )
    has_subtotal = Subtotal.objects.filter(
        period=OuterRef("period"),
        unit_depth=OuterRef("unit_depth"),
        unit_path=OuterRef("unit_path"),
        indicator_id=OuterRef("indicator_id"),
    )
    own_rows = (
        Result.objects.filter(scope)
        .filter(~Exists(has_subtotal))
        .values(*by)
        .annotate(
            s_total=Sum("value"),
            s_count=Count("value"),
            s_low=Min("value"),
            s_high=Max("value"),
            s_estimated=Count("value", filter=Q(status=ResultStatus.ESTIMATED)),
            s_own=Count("value"),
            s_periods=Count("value"),
        )
        .order_by()
    )
    for rows in (subtotal_rows, own_rows):
        for row in rows:
            found[tuple(row[name] for name in by)].add(
                Standing(
                    Partial(
                        row["s_total"], row["s_count"], row["s_low"], row["s_high"],
                        row["s_estimated"],
                    ),
                    periods=row["s_periods"],
                    own_periods=row["s_own"],
                )
            )  # fmt: skip
    return found


# ---- keeping them live -----------------------------------------------------------------


class Pending:
    """Units whose subtotals the current transaction changed: {(period, path): indicator ids}."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], set[int]] = defaultdict(set)

    def add(self, unit_path: str, period: str, indicator_id: int) -> None:
        for path in ancestor_paths(unit_path, include_self=True):
            self.keys[(period, path)].add(indicator_id)

    def flush(self) -> None:
        # Deepest first: a parent is combined from children already refreshed. The same
        # order in every transaction is what keeps the advisory locks free of deadlock.
        for period, path in sorted(self.keys, key=lambda k: (-depth_of(k[1]), k[0], k[1])):
            refresh(path, period, sorted(self.keys[(period, path)]))
        self.keys.clear()


_state = threading.local()


@contextmanager
def deferred() -> Iterator[Pending]:
    """Collect changed results; refresh their subtotals once, when the outermost one ends.

    Must run inside a transaction (the write services are atomic): the refresh belongs to it.
    """
    outer = getattr(_state, "pending", None)
    if outer is not None:
        yield outer
        return
    pending = _state.pending = Pending()
    try:
        yield pending
        pending.flush()
    finally:
        _state.pending = None


def refresh(path: str, period: str, indicator_ids: list[int]) -> None:
    """Recompute the subtotal rows of the unit at `path` from its children's standings."""
    depth = depth_of(path)
    _lock(path, period, indicator_ids)
    below = standings(children_of(path), [period], indicator_ids, ("indicator_id",))
    own = {
        row["indicator_id"]: row
        for row in Result.objects.filter(
            unit_at(path), period=period, indicator_id__in=indicator_ids
        ).values("indicator_id", "value", "status")
    }
    rows = []
    for indicator_id in indicator_ids:
        part = below[(indicator_id,)].partial if (indicator_id,) in below else Partial()
        if not part.count:
            continue  # nothing below has a figure: no row
        mine = own.get(indicator_id)
        rows.append(
            Subtotal(
                period=period,
                unit_path=path,
                unit_depth=depth,
                indicator_id=indicator_id,
                total=part.total,
                reporting=part.count,
                low=part.low,
                high=part.high,
                estimated=part.estimated,
                own_value=mine["value"] if mine else None,
                own_estimated=bool(mine and mine["status"] == ResultStatus.ESTIMATED),
            )
        )
    # Replaced rather than upserted: portable (SQLite has no covering unique index to
    # conflict on), and under the lock above nobody else writes these rows meanwhile.
    Subtotal.objects.filter(unit_at(path), period=period, indicator_id__in=indicator_ids).delete()
    Subtotal.objects.bulk_create(rows)


def _lock(path: str, period: str, indicator_ids: Iterable[int]) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite: one writer at a time already
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s), id) "
            "FROM (SELECT unnest(%s::int[]) AS id ORDER BY 1) AS ids",
            [f"{period}:{path}", list(indicator_ids)],
        )


# ---- after a bulk load -----------------------------------------------------------------

_STANDINGS_BELOW = """
    SELECT period, unit_path, indicator_id,
           COALESCE(own_value, total) AS total,
           CASE WHEN own_value IS NULL THEN reporting ELSE 1 END AS reporting,
           COALESCE(own_value, low) AS low,
           COALESCE(own_value, high) AS high,
           CASE WHEN own_value IS NULL THEN estimated WHEN own_estimated THEN 1 ELSE 0 END
               AS estimated
    FROM {subtotal} WHERE unit_depth = %(child)s
    UNION ALL
    SELECT period, unit_path, indicator_id, value, 1, value, value,
           CASE WHEN status = 'estimated' THEN 1 ELSE 0 END
    FROM {result} r WHERE unit_depth = %(child)s AND NOT EXISTS (
        SELECT 1 FROM {subtotal} s
        WHERE s.period = r.period AND s.unit_depth = r.unit_depth
          AND s.unit_path = r.unit_path AND s.indicator_id = r.indicator_id)
"""

_INSERT_LEVEL = """
    INSERT INTO {subtotal} (period, unit_path, unit_depth, indicator_id,
                            total, reporting, low, high, estimated, own_value, own_estimated)
    SELECT g.period, g.parent, %(depth)s, g.indicator_id,
           g.total, g.reporting, g.low, g.high, g.estimated,
           own.value, COALESCE(own.status = 'estimated', FALSE)
    FROM (
        SELECT period, substr(unit_path, 1, %(length)s) AS parent, indicator_id,
               SUM(total) AS total, SUM(reporting) AS reporting, MIN(low) AS low,
               MAX(high) AS high, SUM(estimated) AS estimated
        FROM ({standings}) AS c
        GROUP BY 1, 2, 3
    ) AS g
    LEFT JOIN {result} own ON own.period = g.period AND own.unit_depth = %(depth)s
        AND own.unit_path = g.parent AND own.indicator_id = g.indicator_id
"""


@transaction.atomic
def rebuild() -> int:
    """Recompute every subtotal from the results, level by level from the deepest.

    For after a bulk load, which writes results without refreshing anything. Set-based SQL:
    a few statements whatever the size. Returns the number of subtotal rows.
    """
    tables = {"subtotal": Subtotal._meta.db_table, "result": Result._meta.db_table}
    standings_sql = _STANDINGS_BELOW.format(**tables)
    insert_sql = _INSERT_LEVEL.format(standings=standings_sql, **tables)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Hash aggregates of a country's millions of rows stay in memory.
            cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(f"DELETE FROM {tables['subtotal']}")  # noqa: S608 — our table names
        cursor.execute(f"SELECT MAX(unit_depth) FROM {tables['result']}")  # noqa: S608
        deepest = cursor.fetchone()[0] or 0
        for depth in range(deepest - 1, 0, -1):
            cursor.execute(
                insert_sql,
                {"depth": depth, "child": depth + 1, "length": depth * OrgUnit.steplen},
            )
        cursor.execute(f"SELECT COUNT(*) FROM {tables['subtotal']}")  # noqa: S608
        return cursor.fetchone()[0]
