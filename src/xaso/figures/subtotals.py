"""Subtotals kept live: every write refreshes its unit's and ancestors' rows, in its transaction.

Reading standings: `standings(scopes, periods, indicator_ids)` gives the standings of the
units the scopes select, by unit and indicator, in two queries of index ranges (the units'
subtotal rows, and the own results of units that have none); `selectors.rollup` reads
through it.

Writing: a write service wraps its work in `deferred()` and calls `pending.add(...)` for each
changed result; at the end of the outermost `deferred()` — still inside the transaction —
each touched unit is refreshed, deepest first. On PostgreSQL a refresh takes a transaction
advisory lock per (period, unit, indicator) before it reads the children, so concurrent
writes under the same province serialise on the province's rows instead of overwriting each
other; every transaction takes those locks in the same order (deepest unit first, then
period, path and indicator), so they cannot deadlock. SQLite has one writer at a time.

Bulk loads (`figures.bulk`) skip all this and call `rebuild()` once at the end. A refresh and
the rebuild run the same SQL statement (the children's standings grouped under their parent),
the one scoped to a unit, the other to a whole level of the tree; both to one period.
"""

import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
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

from xaso.figures.bulk import foreign_key_triggers_skipped
from xaso.figures.models import Result, ResultStatus, Subtotal
from xaso.figures.partials import Partial, Standing
from xaso.org.models import OrgUnit
from xaso.org.paths import ancestor_paths, subtree_upper_bound


def depth_of(path: str) -> int:
    return len(path) // OrgUnit.steplen


def _subtree_end(path: str) -> str:
    """A path after every path in the unit's subtree: [path, end) is the subtree as a range,
    usable by a B-tree index under any collation (LIKE 'prefix%' needs the "C" collation)."""
    return subtree_upper_bound(path) or path + "~"  # "~" sorts after the base-36 steps


def _subtree_range(path: str) -> Q:
    return Q(unit_path__gte=path, unit_path__lt=_subtree_end(path))


def children_of(path: str) -> Q:
    return Q(unit_depth=depth_of(path) + 1) & _subtree_range(path)


def unit_at(path: str) -> Q:
    return Q(unit_depth=depth_of(path), unit_path=path)


# ---- reading ---------------------------------------------------------------------------

_AMOUNT = DecimalField(max_digits=30, decimal_places=6)
_COUNT = IntegerField()
_PLACES = Decimal("0.000001")


def _subtotal_columns(pooled: bool) -> dict:
    """A subtotal row's standing: its unit's own value if it has one, else the subtotal."""
    own = Q(own_value__isnull=False)
    total = Coalesce("own_value", "total", output_field=_AMOUNT)
    count = Case(When(own, then=Value(1)), default=F("reporting"), output_field=_COUNT)
    low = Coalesce("own_value", "low", output_field=_AMOUNT)
    high = Coalesce("own_value", "high", output_field=_AMOUNT)
    estimated = Case(
        When(own_value__isnull=True, then=F("estimated")),
        When(own_estimated=True, then=Value(1)),
        default=Value(0),
        output_field=_COUNT,
    )
    is_own = Case(When(own, then=Value(1)), default=Value(0), output_field=_COUNT)
    if not pooled:
        return _columns(total, count, low, high, estimated, is_own, Value(1))
    return _columns(
        Sum(total), Sum(count), Min(low), Max(high), Sum(estimated), Sum(is_own), Count("*")
    )  # COUNT(*), not of the id: the index holds every column read


def _result_columns(pooled: bool) -> dict:
    """An own result's standing: the value itself."""
    estimated = Case(
        When(status=ResultStatus.ESTIMATED, then=Value(1)), default=Value(0), output_field=_COUNT
    )
    if not pooled:
        value = F("value")
        return _columns(value, Value(1), value, value, estimated, Value(1), Value(1))
    return _columns(
        Sum("value"), Count("*"), Min("value"), Max("value"), Sum(estimated), Count("*"), Count("*")
    )


def _columns(*expressions) -> dict:
    names = ("s_total", "s_count", "s_low", "s_high", "s_estimated", "s_own", "s_periods")
    return dict(zip(names, expressions, strict=True))


def results_without_subtotal():
    """Own results of units with no subtotal row: for them the result is the standing."""
    has_subtotal = Subtotal.objects.filter(
        period=OuterRef("period"),
        unit_depth=OuterRef("unit_depth"),
        unit_path=OuterRef("unit_path"),
        indicator_id=OuterRef("indicator_id"),
    )
    return Result.objects.filter(~Exists(has_subtotal))


def scoped_union(rows, scopes: list[Q], periods: list[str], indicator_ids: list[int], shape):
    """`rows` of the periods and indicators within each scope, `shape`d (values, annotate),
    the scopes joined by UNION ALL: each stays one range of the index (see `standings`)."""
    parts = [
        shape(rows.filter(scope, period__in=periods, indicator_id__in=indicator_ids)).order_by()
        for scope in scopes
    ]
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def standings(
    scopes: list[Q], periods: list[str], indicator_ids: list[int]
) -> dict[tuple, Standing]:
    """The standings of the units the `scopes` select, by (unit path, indicator id), pooled
    over `periods`. Two queries: the units' subtotal rows, and the own results of units that
    have none. Disjoint scopes (a unit; its children) are separate index ranges joined by
    UNION ALL: an OR of them, or `unit_depth IN (D, D + 1)`, made PostgreSQL scan every
    depth of the period instead."""
    pooled = len(periods) > 1  # else one row per unit and indicator: nothing to group

    def each_scope(rows, columns: dict):
        return scoped_union(
            rows,
            scopes,
            periods,
            indicator_ids,
            lambda part: part.values("unit_path", "indicator_id").annotate(**columns),
        )

    queries = [
        each_scope(Subtotal.objects.all(), _subtotal_columns(pooled)),
        each_scope(results_without_subtotal(), _result_columns(pooled)),
    ]
    found: dict[tuple, Standing] = {}
    for query in queries:
        # The compiled SQL on a plain cursor: Django's per-row converters would cost more
        # than the query itself for a province's 5,000 rows. Only SQLite needs converting.
        try:
            sql, params = query.query.sql_with_params()
        except EmptyResultSet:  # no indicators asked for
            continue
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if rows and type(rows[0][2]) is not Decimal:  # SQLite: floats back to decimals
            rows = [
                (*row[:2], _decimal(row[2]), row[3], *map(_decimal, row[4:6]), *row[6:])
                for row in rows
            ]
        for path, indicator_id, total, count, low, high, estimated, own, periods in rows:
            standing = Standing(Partial(total, count, low, high, estimated), periods, own)
            key = (path, indicator_id)
            if key in found:
                found[key].add(standing)
            else:
                found[key] = standing
    return found


def _decimal(value) -> Decimal:
    """Decimals from PostgreSQL as they are; SQLite's floats back to the stored 6 places."""
    return value if type(value) is Decimal else Decimal(str(value)).quantize(_PLACES)


# ---- keeping them live -----------------------------------------------------------------


class Pending:
    """Units whose subtotals the current transaction changed: {(period, path): indicator ids}."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], set[int]] = defaultdict(set)

    def add(self, unit_path: str, period: str, indicator_id: int, *, leaf: bool = False) -> None:
        # A unit with no children has no subtotal of its own: only its ancestors change.
        for path in ancestor_paths(unit_path, include_self=not leaf):
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
    """Recompute the subtotal rows of the unit at `path` from its children's standings.

    The same SQL as `rebuild` (the children's standings grouped under their parent), scoped
    to one unit, period and set of indicators: three statements, the lock first.
    """
    _lock(path, period, indicator_ids)
    ids = ", ".join(str(int(indicator_id)) for indicator_id in indicator_ids)
    depth = depth_of(path)
    params = {
        "period": period,
        "depth": depth,
        "child": depth + 1,
        "length": len(path),
        "path": path,
        "upper": _subtree_end(path),
    }
    scope = f"AND unit_path >= %(path)s AND unit_path < %(upper)s AND indicator_id IN ({ids})"
    with connection.cursor() as cursor:
        # Replaced rather than upserted: portable (SQLite has no covering unique index to
        # conflict on), and under the lock nobody else writes these rows meanwhile.
        cursor.execute(
            f"DELETE FROM {Subtotal._meta.db_table} WHERE period = %(period)s "  # noqa: S608
            f"AND unit_depth = %(depth)s AND unit_path = %(path)s AND indicator_id IN ({ids})",
            params,
        )
        cursor.execute(_insert_level(scope), params)


def _lock(path: str, period: str, indicator_ids: Iterable[int]) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite: one writer at a time already
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s), id) "
            "FROM (SELECT unnest(%s::int[]) AS id ORDER BY 1) AS ids",
            [f"{period}:{path}", list(indicator_ids)],
        )


# ---- the periods that hold results -----------------------------------------------------

# `result_periods(code)`: the distinct periods of the results, one index probe each (a loose
# index scan written as a recursive query); a plain DISTINCT would read every row. The last
# row's code is NULL.
RESULT_PERIODS = f"""
    WITH RECURSIVE result_periods(code) AS (
        SELECT MIN(period) FROM {Result._meta.db_table}
        UNION ALL
        SELECT (SELECT MIN(period) FROM {Result._meta.db_table} WHERE period > result_periods.code)
        FROM result_periods WHERE result_periods.code IS NOT NULL
    )
"""  # noqa: S608 — our table name
_PERIOD_CODES = RESULT_PERIODS + "SELECT code FROM result_periods WHERE code IS NOT NULL"  # noqa: S608


# ---- after a bulk load -----------------------------------------------------------------

_STANDINGS_BELOW = """
    SELECT period, unit_path, indicator_id,
           COALESCE(own_value, total) AS total,
           CASE WHEN own_value IS NULL THEN reporting ELSE 1 END AS reporting,
           COALESCE(own_value, low) AS low,
           COALESCE(own_value, high) AS high,
           CASE WHEN own_value IS NULL THEN estimated WHEN own_estimated THEN 1 ELSE 0 END
               AS estimated
    FROM {subtotal} WHERE period = %(period)s AND unit_depth = %(child)s {scope}
    UNION ALL
    SELECT period, unit_path, indicator_id, value, 1, value, value,
           CASE WHEN status = 'estimated' THEN 1 ELSE 0 END
    FROM {result} r WHERE period = %(period)s AND unit_depth = %(child)s {scope} AND NOT EXISTS (
        SELECT 1 FROM {subtotal} s
        WHERE s.period = r.period AND s.unit_depth = r.unit_depth
          AND s.unit_path = r.unit_path AND s.indicator_id = r.indicator_id)
"""

# The deepest results have nothing below them: their standings are their values, with no
# subtotal to look for (at scale, most of the rows: the villages').
_LEAF_STANDINGS = """
    SELECT period, unit_path, indicator_id, value AS total, 1 AS reporting, value AS low,
           value AS high, CASE WHEN status = 'estimated' THEN 1 ELSE 0 END AS estimated
    FROM {result} WHERE period = %(period)s AND unit_depth = %(child)s {scope}
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
    LEFT JOIN {result} own ON own.period = %(period)s AND own.unit_depth = %(depth)s
        AND own.unit_path = g.parent AND own.indicator_id = g.indicator_id
    ORDER BY g.period, g.parent, g.indicator_id
"""


def _insert_level(scope: str, *, leaf: bool = False) -> str:
    """The statement that (re)makes one period's subtotal rows from the standings one level
    below. The period is bound in the statement itself, not in the scope: PostgreSQL does not
    carry a condition on the grouped rows over to the join with the parents' own results, and
    without it read the whole table to find them (3 s at scale L, for no rows)."""
    tables = {"subtotal": Subtotal._meta.db_table, "result": Result._meta.db_table}
    standings_sql = (_LEAF_STANDINGS if leaf else _STANDINGS_BELOW).format(scope=scope, **tables)
    return _INSERT_LEVEL.format(standings=standings_sql, **tables)


@transaction.atomic
def rebuild() -> int:
    """Recompute every subtotal from the results, period by period, level by level from the
    deepest.

    For after a bulk load, which writes results without refreshing anything. Set-based SQL,
    one statement per period and level. A period at a time, each statement reads an index
    range and groups one period's rows in memory, however many periods the database holds
    (scale L, in the same hour: 50 s against 81–84 s for one statement per level, whose
    grouping spilled 1.5 GB to disk). Returns the number of subtotal rows.
    """
    subtotal = Subtotal._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One period of a country (170,000 groups at scale L) is grouped in memory.
            cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(f"DELETE FROM {subtotal}")  # noqa: S608 — our table names
        cursor.execute(_PERIOD_CODES)
        periods = [row[0] for row in cursor.fetchall()]
        # Made from results whose indicators exist: nothing for the checks to find.
        with foreign_key_triggers_skipped(cursor):
            for period in periods:
                _rebuild_period(cursor, period)
        cursor.execute(f"SELECT COUNT(*) FROM {subtotal}")  # noqa: S608
        return cursor.fetchone()[0]


def _rebuild_period(cursor, period: str) -> None:
    result = Result._meta.db_table
    # Scoped to the period, the deepest level is one index probe too.
    cursor.execute(f"SELECT MAX(unit_depth) FROM {result} WHERE period = %s", [period])  # noqa: S608
    deepest = cursor.fetchone()[0]
    for depth in range(deepest - 1, 0, -1):
        cursor.execute(
            _insert_level("", leaf=depth == deepest - 1),
            {
                "period": period,
                "depth": depth,
                "child": depth + 1,
                "length": depth * OrgUnit.steplen,
            },
        )
