"""Subtotals kept live: every write refreshes its unit's and ancestors' rows, in its transaction.

Reading standings: `standings(scopes, periods, indicator_ids)` gives the standings of the
units the scopes select, by unit and indicator, in two queries of index ranges (the units'
subtotal rows, and the own results of units that have none); `selectors.rollup` reads
through it.

Writing: a write service wraps its work in `deferred()` and calls `pending.add(...)` with
the indicators it changed of a unit and period; at the end of the outermost `deferred()` —
still inside the transaction — the touched units are refreshed, deepest first. Two kinds
of PostgreSQL advisory locks, held to the commit, keep concurrent writers and the rebuild
apart:

- *chunk* locks, one per (period, chunk), a chunk being a unit's ancestor at `CHUNK_DEPTH`
  (a district, or a commune in a tree of provinces and communes) or, above it, the unit
  itself. A flush takes the locks of its units' chunks first, all in one statement, in one
  order (period, then path), with the period's own lock (the empty chunk) first: shared
  for an everyday write, exclusive for a large flush and for the rebuild (which still takes
  the period's own lock shared). The period's own lock is taken exclusive instead of its
  chunks' by a rebuild inside a caller's transaction (a migration, a test), which would
  otherwise hold every chunk's lock to its end, and by a flush of more than `CHUNK_LOCKS`
  chunks of a period.
- *unit* locks, one per (period, unit, indicator), taken by an everyday write before it
  reads a unit's children, so that writes under the same province serialise on the
  province's rows instead of overwriting each other: deepest unit first, then path, period
  and indicator (a unit's months together: they share its quarter, half-year and year
  rows, figures.blocks).
  A large flush does not need them: its exclusive chunk locks already keep everyone else
  off its units.

Every flush takes its locks in the same order (chunks, then units), so flushes cannot
deadlock; a transaction whose writes are not gathered in one `deferred()` flushes more than
once, and may take a chunk after a later one. The rebuild therefore never waits for a lock
while holding another: it waits for one, tries the rest, and if one is busy lets all go
and waits for that one. SQLite has one writer at a time and takes none.

A flush of fewer than `BULK_UNITS` (period, unit) pairs refreshes unit by unit (three small
statements each). From `BULK_UNITS` on (imports, batches), it is set-based: one statement
per (period, level) for all the pending units of that level (`_make_level`: rows updated in
place where they changed, on PostgreSQL), the same SQL the rebuild runs, scoped to their
paths; and a few thousand chunk locks instead of a lock per unit and indicator (2,000
units × 50 indicators overflowed PostgreSQL's lock table).

Rebuilding: bulk loads (`figures.bulk`) skip all this and call `rebuild()` once at the end.
It never makes a write fail and a write waits for it at most one short transaction: it goes
period by period and, within a period, through groups of chunks (`REBUILD_UNITS` units of
the tree each), each group its own transaction under the group's exclusive chunk locks:
the group's rows are deleted and made again level by level from the results. A write
meanwhile either ran before (the rebuild reads its committed rows) or waits for the group's
commit and refreshes from the rebuilt rows; it never finds a half-made row or a key the
rebuild is inserting (the old one-transaction rebuild deleted every row, so a write blocked
until its commit and then failed with a duplicate key). The roots' rows come last, once
their chunks are done. A refresh, a large flush and the rebuild run the same statement (the
children's standings grouped under their parent), scoped to a unit, to a set of units, to
a group of chunks; each to one period and level. See docs/scale.md, "Rebuilding while
people write".
"""

import re
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
from django.db.models.functions import Coalesce, Substr

from xaso.figures import blocks, shapes
from xaso.figures.bulk import foreign_key_triggers_skipped
from xaso.figures.models import BlockSubtotal, Result, ResultStatus, Subtotal
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


def _subtotal_columns(pooled: bool, picked: tuple[list, list] | None = None) -> dict:
    """A subtotal row's standing: its unit's own value if it has one, else the subtotal.
    `picked`: see `standing_rows`."""
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
    if picked is not None:
        return _columns(
            _picked(total, low, high, picked), count, _NONE, _NONE, estimated, is_own, Value(1)
        )
    if not pooled:
        return _columns(total, count, low, high, estimated, is_own, Value(1))
    return _columns(
        Sum(total), Sum(count), Min(low), Max(high), Sum(estimated), Sum(is_own), Count("*")
    )  # COUNT(*), not of the id: the index holds every column read


def _result_columns(pooled: bool, picked: tuple[list, list] | None = None) -> dict:
    """An own result's standing: the value itself."""
    estimated = Case(
        When(status=ResultStatus.ESTIMATED, then=Value(1)), default=Value(0), output_field=_COUNT
    )
    if picked is not None:
        return _columns(F("value"), Value(1), _NONE, _NONE, estimated, Value(1), Value(1))
    if not pooled:
        value = F("value")
        return _columns(value, Value(1), value, value, estimated, Value(1), Value(1))
    return _columns(
        Sum("value"), Count("*"), Min("value"), Max("value"), Sum(estimated), Count("*"), Count("*")
    )


_NONE = Value(None, output_field=_AMOUNT)


def _picked(total, low, high, picked: tuple[list, list]):
    """The one amount a rule reads of a standing: the minimum for the indicators of
    `picked[0]`, the maximum for those of `picked[1]`, else the total."""
    whens = [
        When(indicator_id__in=ids, then=column)
        for ids, column in zip(picked, (low, high), strict=True)
        if ids
    ]
    return Case(*whens, default=total, output_field=_AMOUNT) if whens else total


def _columns(*expressions) -> dict:
    names = ("s_total", "s_count", "s_low", "s_high", "s_estimated", "s_own", "s_periods")
    return dict(zip(names, expressions, strict=True))


def results_without_subtotal(scope: Q | None = None, periods: list[str] | None = None):
    """Own results of units with no subtotal row: for them the result is the standing.

    Given the scope and periods read, the subquery repeats them: PostgreSQL then reads the
    few subtotal rows in that range. Without them, for the deepest level, where it expects
    no subtotal row at all, it scanned the whole subtotal table once per query instead
    (46 ms of a commune's January–June at scale M, against 8 ms)."""
    has_subtotal = Subtotal.objects.filter(
        period=OuterRef("period"),
        unit_depth=OuterRef("unit_depth"),
        unit_path=OuterRef("unit_path"),
        indicator_id=OuterRef("indicator_id"),
    )
    if scope is not None:
        has_subtotal = has_subtotal.filter(scope)
    if periods is not None:
        has_subtotal = has_subtotal.filter(period__in=periods)
    return Result.objects.filter(~Exists(has_subtotal))


def scoped_union(rows, scopes: list[Q], periods: list[str], indicator_ids: list[int], shape):
    """`rows` of the periods and indicators within each scope, `shape`d (values, annotate),
    the scopes joined by UNION ALL: each stays one range of the index (see `standings`).
    `rows` may be a function of (scope, periods) giving the rows for that scope."""
    parts = [
        shape(
            (rows(scope, periods) if callable(rows) else rows).filter(
                scope, period__in=periods, indicator_id__in=indicator_ids
            )
        ).order_by()
        for scope in scopes
    ]
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


# A statement before the query turns PostgreSQL's parallel workers off, one after puts them
# back as they were; local to the transaction, the caller's or the one the three make.
_WORKERS = "max_parallel_workers_per_gather"
_WORKERS_OFF = (
    f"SELECT set_config('xaso.workers_before', current_setting('{_WORKERS}'), true), "
    f"set_config('{_WORKERS}', '0', true);\n"
)
_WORKERS_BACK = f";\nSELECT set_config('{_WORKERS}', current_setting('xaso.workers_before'), true)"


def _fetched_serially(cursor, sql: str, params) -> list[tuple]:
    """The rows of a query PostgreSQL runs without parallel workers. Over the year partitions
    of many months (a five-year term) it chose two workers for a few index ranges of the own
    results, and starting them cost more than the reading (82–92 against 39 ms,
    docs/scale.md). One round trip: the three statements go as one message, which outside a
    transaction PostgreSQL runs as one."""
    if connection.vendor != "postgresql":
        cursor.execute(sql, params)
        return cursor.fetchall()
    cursor.execute(_WORKERS_OFF + sql + _WORKERS_BACK, params)
    cursor.nextset()  # the query's rows come second
    return cursor.fetchall()


def standings(
    scopes: list[Q], periods: list[str], indicator_ids: list[int]
) -> dict[tuple, Standing]:
    """The standings of the units the `scopes` select, by (unit path, indicator id), pooled
    over `periods`: `standing_rows` added up by unit and indicator."""
    found: dict[tuple, Standing] = {}
    for path, indicator_id, total, count, low, high, estimated, own, periods_in in standing_rows(
        scopes, periods, indicator_ids
    ):
        standing = Standing(Partial(total, count, low, high, estimated), periods_in, own)
        key = (path, indicator_id)
        if key in found:
            found[key].add(standing)
        else:
            found[key] = standing
    return found


def standing_rows(
    scopes: list[Q],
    periods: list[str],
    indicator_ids: list[int],
    *,
    picked: tuple[list[int], list[int]] | None = None,
) -> list[tuple]:
    """The rows `standings` adds up: (unit path, indicator id, total, count, low, high,
    estimated, own periods, periods). For one period each (unit, indicator) has one row at
    most, a whole standing; pooled, it may have several (months, blocks).

    Two queries: the units' subtotal rows, and the own results of units that have none.
    Disjoint scopes (a unit; its children) are separate index ranges joined by UNION ALL: an
    OR of them, or `unit_depth IN (D, D + 1)`, made PostgreSQL scan every depth of the
    period instead.

    Months pooled on PostgreSQL: the subtotals of the quarters, half-years and years among
    them come from their block rows (figures.blocks), one per unit and block instead of one
    per month; only the months left over read monthly rows.

    `picked` (ids read by their minimum, ids read by their maximum), for one period: the
    total column then carries the one amount each indicator's rule reads, and low and high
    are NULL: two decimal columns fewer to decode, 2 ms of a province's 5,050 rows."""
    pooled = len(periods) > 1  # else one row per unit and indicator: nothing to group
    picked = None if pooled else picked
    covered = blocks.cover(periods) if pooled and connection.vendor == "postgresql" else None
    block_codes, monthly = covered if covered else ([], periods)
    found: list[tuple] = []
    for sql, params, serially in _standing_queries(
        scopes, periods, monthly, block_codes, indicator_ids, picked
    ):
        # The compiled SQL on a plain cursor: Django's per-row converters would cost more
        # than the query itself for a province's 5,000 rows. Only SQLite needs converting.
        with connection.cursor() as cursor:
            if serially:
                rows = _fetched_serially(cursor, sql, params)
            else:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
        if rows and type(rows[0][2]) is not Decimal:  # SQLite: floats back to decimals
            rows = [
                (*row[:2], stored_decimal(row[2]), row[3], *map(stored_decimal, row[4:6]), *row[6:])
                for row in rows
            ]
        if pooled:  # a block whose months all lost their standing has none
            rows = [row for row in rows if row[8]]
        found += rows
    return found


def _standing_queries(
    scopes: list[Q],
    periods: list[str],
    monthly: list[str],
    block_codes: list[str],
    indicator_ids: list[int],
    picked: tuple[list[int], list[int]] | None,
) -> list[tuple[str, list, bool]]:
    """(SQL, parameters, run without parallel workers) of each of `standing_rows`' queries
    (see `_fetched_serially`), compiled once per shape of question (figures.shapes): a
    province's month is the same SQL for every province, with other paths."""
    pooled = len(periods) > 1

    def build(scopes, periods, monthly, block_codes, indicator_ids, picked) -> list:
        def each_scope(rows, columns: dict, codes: list[str]):
            return scoped_union(
                rows,
                scopes,
                codes,
                indicator_ids,
                lambda part: part.values("unit_path", "indicator_id").annotate(**columns),
            )

        own = _result_columns(pooled, picked)
        queries = [(each_scope(results_without_subtotal, own, periods), True)]
        if monthly:
            rows = Subtotal.objects.all()
            queries.append((each_scope(rows, _subtotal_columns(pooled, picked), monthly), False))
        if block_codes:
            rows = BlockSubtotal.objects.all()
            queries.append((each_scope(rows, blocks.block_columns(), block_codes), False))
        return queries

    arguments = (scopes, periods, monthly, block_codes, indicator_ids, picked)
    slots = shapes.Slots()
    try:
        placeholders = (
            [slots.q(scope) for scope in scopes],
            *(slots.many(codes) for codes in (periods, monthly, block_codes, indicator_ids)),
            None if picked is None else tuple(slots.many(ids) for ids in picked),
        )
        slots.shape.append(("picked", picked is not None))
        queries = shapes.compiled("standing_rows", slots, lambda: build(*placeholders))
    except shapes.Unshaped:
        queries = None
    if queries is not None:
        return queries
    queries = []  # a shape that could not be cached: compiled with the question's values
    for query, serially in build(*arguments):
        try:
            queries.append((*query.query.sql_with_params(), serially))
        except EmptyResultSet:  # no indicators asked for
            continue
    return queries


def stored_decimal(value) -> Decimal | None:
    """Decimals from PostgreSQL as they are; SQLite's floats back to the stored 6 places."""
    if value is None or type(value) is Decimal:
        return value
    return Decimal(str(value)).quantize(_PLACES)


# ---- keeping them live ---------------------------------------------------------------

# A unit's *chunk*: its ancestor at this depth, or the unit itself if it lies above it. The
# chunk, in one period, is what a rebuild recomputes in one short transaction and what its
# lock covers: every writer takes the chunks' locks in shared mode, a rebuild (and a large
# flush) in exclusive mode. See the module docstring.
CHUNK_DEPTH = 2
# A flush of at least this many (period, unit) pairs is set-based: one statement per
# (period, level) for all of them, under the chunks' exclusive locks; below it, unit by unit
# under per-indicator locks, so that small writes on one unit do not wait for each other.
BULK_UNITS = 64
# Past this many chunks of one period, a large flush locks the whole period instead.
CHUNK_LOCKS = 500
# Units (of the tree) a rebuild transaction covers at most: about 0.1 s of work each at
# scales M and L (50 indicators, 12 months), the longest a write waits for a rebuild.
REBUILD_UNITS = 2_000
_PATH_STEPS = re.compile(r"[0-9A-Z]+")


def chunk_of(path: str) -> str:
    return path[: min(depth_of(path), CHUNK_DEPTH) * OrgUnit.steplen]


class Pending:
    """Units whose subtotals the current transaction changed: {(period, path): indicator ids}."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], set[int]] = defaultdict(set)

    def add(
        self, unit_path: str, period: str, indicator_ids: Iterable[int], *, leaf: bool = False
    ) -> None:
        # A unit with no children has no subtotal of its own: only its ancestors change.
        for path in ancestor_paths(unit_path, include_self=not leaf):
            self.keys[(period, path)].update(indicator_ids)

    def flush(self) -> None:
        if not self.keys:
            return
        bulk = len(self.keys) >= BULK_UNITS
        _lock_chunks(_flush_chunks(self.keys, bulk=bulk), exclusive=bulk)
        if bulk:
            _refresh_by_level(self.keys)
        else:
            # Deepest first: a parent is combined from children already refreshed. The same
            # order in every transaction is what keeps the advisory locks free of deadlock,
            # and the blocks' (figures.blocks) row locks: within a level, unit by unit, as a
            # unit's months all touch its year's block rows.
            for period, path in sorted(self.keys, key=lambda k: (-depth_of(k[1]), k[1], k[0])):
                _refresh(path, period, sorted(self.keys[(period, path)]))
        self.keys.clear()


def _flush_chunks(keys, *, bulk: bool) -> set[tuple[str, str]]:
    """The chunk locks a flush takes: its units' chunks, and each period's own lock (the
    empty chunk, which a rebuild inside a caller's transaction takes). A large flush that
    covers more than `CHUNK_LOCKS` chunks of a period takes that period's lock instead: the
    lock table holds a few thousand locks in all."""
    chunks: dict[str, set[str]] = defaultdict(set)
    for period, path in keys:
        chunks[period].add(chunk_of(path))
    taken = set()
    for period, in_period in chunks.items():
        if bulk and len(in_period) > CHUNK_LOCKS:
            in_period = set()
        taken.update({(period, ""), *((period, chunk) for chunk in in_period)})
    return taken


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
    to one unit, period and set of indicators: the locks first (the unit's chunk, shared,
    then the unit's indicators), then two statements.
    """
    _lock_chunks({(period, ""), (period, chunk_of(path))}, exclusive=False)
    _refresh(path, period, indicator_ids)


def _refresh(path: str, period: str, indicator_ids: list[int]) -> None:
    _lock(path, period, indicator_ids)
    ids = _integers(indicator_ids)
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
    target = f"AND unit_path = %(path)s AND indicator_id IN ({ids})"
    with connection.cursor() as cursor:
        _make_level(cursor, params, scope, target)


def _refresh_by_level(keys: dict[tuple[str, str], set[int]]) -> None:
    """Set-based flush: per (period, level), deepest first, one `_make_level` for every
    pending unit of that level; the rows of the union of their indicators are made
    again (right whatever changed: they are recomputed from the children). The caller holds
    the chunks' exclusive locks, so no other writer touches these units meanwhile."""
    levels: dict[tuple[int, str], dict[str, set[int]]] = defaultdict(dict)
    for (period, path), indicator_ids in keys.items():
        levels[(depth_of(path), period)][path] = indicator_ids
    deepest = _deepest()
    with connection.cursor() as cursor:
        for depth, period in sorted(levels, key=lambda level: (-level[0], level[1])):
            units = levels[(depth, period)]
            indicator_ids = set().union(*units.values())
            leaf = depth == deepest - 1  # children with no subtotals: no anti-join
            _replace_level(
                cursor, period, depth, sorted(units), depth, indicator_ids, leaf=leaf, kept=True
            )


def _deepest() -> int:
    """The depth of the tree's deepest units: they have no children, hence no subtotals."""
    return OrgUnit.objects.aggregate(deepest=Max("depth"))["deepest"] or 0


def _replace_level(
    cursor,
    period: str,
    depth: int,
    chunks: list[str],
    chunk_depth: int,
    indicator_ids: Iterable[int] | None = None,
    *,
    leaf: bool = False,
    whole_range: bool = False,
    kept: bool = False,
) -> None:
    """Delete and make again the subtotal rows of one period at `depth` that lie in the
    subtrees of `chunks` (paths at `chunk_depth`; `chunk_depth == depth`: those units
    themselves), optionally only of `indicator_ids`. The scope is an index range (from the
    first chunk to the end of the last) narrowed to the chunks themselves, unless the caller
    knows they are all the range holds (`whole_range`: the list costs 10 % of a rebuild).
    `kept`: rows that stay are updated in place where they changed (`_make_level`), for a
    flush; the rebuild, with the blocks' triggers off, deletes and inserts."""
    scope = "AND unit_path >= %(low)s AND unit_path < %(high)s"
    if not whole_range:
        length = chunk_depth * OrgUnit.steplen
        listed = ", ".join(f"'{_checked_path(path)}'" for path in chunks)
        scope += f" AND substr(unit_path, 1, {length}) IN ({listed})"
    if indicator_ids is not None:
        scope += f" AND indicator_id IN ({_integers(indicator_ids)})"
    params = {
        "period": period,
        "depth": depth,
        "child": depth + 1,
        "length": depth * OrgUnit.steplen,
        "low": chunks[0],
        "high": _subtree_end(chunks[-1]),
    }
    _make_level(cursor, params, scope, scope, leaf=leaf, in_place=kept)


def _make_level(
    cursor, params: dict, scope: str, target: str, *, leaf: bool = False, in_place: bool = True
) -> None:
    """Make one period's subtotal rows of the units `target` selects (SQL over unit_path and
    indicator_id, at `params["depth"]`) from the standings in `scope` one level below.

    In place on PostgreSQL: one statement that updates the rows that stay where they
    changed and inserts the new ones (`_KEPT_LEVEL`); where it finds rows left without any
    standing below, the rows are then made again from scratch. A row deleted
    and inserted again cost its blocks (figures.blocks) two passes of their triggers, and
    every row a new version even when nothing changed; an update costs one pass, and only
    where something did (about a fifth of a 100,000-value batch's refresh, measured).
    Otherwise, and on SQLite (no covering unique index to conflict on; one writer at a
    time): delete, then insert. Under the caller's locks nobody else writes these rows
    meanwhile."""
    if in_place and connection.vendor == "postgresql":
        cursor.execute(_kept_level(scope, leaf=leaf), params)
        made = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT COUNT(*) FROM {Subtotal._meta.db_table} "  # noqa: S608 — as above
            f"WHERE period = %(period)s AND unit_depth = %(depth)s {target}",
            params,
        )
        if cursor.fetchone()[0] == made:
            return
        # More rows than made: some were left without any standing below (results deleted,
        # units moved). Rare; the level is made again from scratch.
    cursor.execute(
        f"DELETE FROM {Subtotal._meta.db_table} "  # noqa: S608 — checked paths, integers
        f"WHERE period = %(period)s AND unit_depth = %(depth)s {target}",
        params,
    )
    cursor.execute(_insert_level(scope, leaf=leaf), params)


def _checked_path(path: str) -> str:
    """A path written into SQL: base-36 steps only, so nothing to quote (an IN list of
    literals works on both databases; PostgreSQL makes it an array)."""
    if not _PATH_STEPS.fullmatch(path):
        raise ValueError(f"not a unit path: {path!r}")
    return path


def _integers(values: Iterable[int]) -> str:
    return ", ".join(str(int(value)) for value in values)


def _lock(path: str, period: str, indicator_ids: Iterable[int]) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite: one writer at a time already
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s), id) "
            "FROM (SELECT unnest(%s::int[]) AS id ORDER BY 1) AS ids",
            [f"{period}:{path}", list(indicator_ids)],
        )


def _chunk_key(period: str, chunk: str) -> str:
    return f"subtotals:{period}:{chunk}"


def _lock_chunks(chunks: Iterable[tuple[str, str]], *, exclusive: bool) -> None:
    """The advisory locks of (period, chunk) pairs, in one statement and in one order for
    every transaction (period, then path: a root before its own chunks), shared for a write
    of a few units, exclusive for a rebuild or a large flush. Bigint keys: a space of their
    own, apart from the (int, int) keys of `_lock`."""
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    keys = [_chunk_key(period, chunk) for period, chunk in sorted(chunks)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {function}(hashtextextended(key, 0)) "  # noqa: S608 — our names
            "FROM (SELECT key FROM unnest(%s::text[]) WITH ORDINALITY AS k(key, n) "
            "ORDER BY n) AS keys",
            [keys],
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
# The same walk over the subtotals: a rebuild also empties periods left without results.
_SUBTOTAL_PERIOD_CODES = _PERIOD_CODES.replace(Result._meta.db_table, Subtotal._meta.db_table)


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

_LEVEL_COLUMNS = (
    "period, unit_path, unit_depth, indicator_id, total, reporting, low, high, estimated, "
    "own_value, own_estimated"
)
_LEVEL_ROWS = """
    SELECT g.period, g.parent AS unit_path, %(depth)s AS unit_depth, g.indicator_id,
           g.total, g.reporting, g.low, g.high, g.estimated,
           own.value AS own_value, COALESCE(own.status = 'estimated', FALSE) AS own_estimated
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
    rows = _level_rows(scope, leaf=leaf)
    return f"INSERT INTO {Subtotal._meta.db_table} ({_LEVEL_COLUMNS}) {rows}"


def _level_rows(scope: str, *, leaf: bool) -> str:
    tables = {"subtotal": Subtotal._meta.db_table, "result": Result._meta.db_table}
    standings_sql = (_LEAF_STANDINGS if leaf else _STANDINGS_BELOW).format(scope=scope, **tables)
    return _LEVEL_ROWS.format(standings=standings_sql, **tables)


_STANDING_COLUMNS = ("total", "reporting", "low", "high", "estimated", "own_value", "own_estimated")
# The rows of a level made in place (PostgreSQL): the new ones inserted, those that stay
# updated where they changed, in the order `_LEVEL_ROWS` gives them (the one every writer
# locks rows in); the statement answers how many rows it made. A row it did not make is left
# without any standing below: the units' rows are then more than that. Counted after it
# rather than deleted by an anti-join against the fresh rows: the planner cannot know how
# many those are, expects one (a new month has no statistics yet), and ran such a join as a
# nested loop over 5,000 × 5,000 rows (5 s); a count of an index range has no such plan.
_KEPT_LEVEL = """
    WITH fresh AS MATERIALIZED ({rows}),
    kept AS (
        INSERT INTO {subtotal} AS s ({columns}) SELECT * FROM fresh
        ON CONFLICT (period, unit_depth, unit_path, indicator_id) DO UPDATE SET {assigned}
        WHERE ({old}) IS DISTINCT FROM ({new})
    )
    SELECT COUNT(*) FROM fresh
"""


def _kept_level(scope: str, *, leaf: bool) -> str:
    return _KEPT_LEVEL.format(
        rows=_level_rows(scope, leaf=leaf),
        subtotal=Subtotal._meta.db_table,
        columns=_LEVEL_COLUMNS,
        assigned=", ".join(f"{c} = EXCLUDED.{c}" for c in _STANDING_COLUMNS),
        old=", ".join(f"s.{c}" for c in _STANDING_COLUMNS),
        new=", ".join(f"EXCLUDED.{c}" for c in _STANDING_COLUMNS),
    )


def rebuild() -> int:
    """Recompute every subtotal from the results, period by period, and within a period
    chunk by chunk (groups of `REBUILD_UNITS` units of the tree), level by level from the
    deepest; the roots' rows last, once their chunks are done.

    For after a bulk load, which writes results without refreshing anything. Set-based SQL,
    one DELETE and one INSERT per level of a group. Each group is its own short transaction
    under its chunks' exclusive locks, the ones every write takes in shared mode: a write
    waits for at most one group, and then refreshes from the rebuilt rows; it never meets a
    row the rebuild is making. Called inside a transaction (a migration, a test), the groups
    are savepoints of it and every lock is held to its end, taken a period at a time in the
    writers' order. Returns the number of subtotal rows.
    """
    with connection.cursor() as cursor:
        cursor.execute(_PERIOD_CODES)
        periods = {row[0] for row in cursor.fetchall()}
        cursor.execute(_SUBTOTAL_PERIOD_CODES)
        periods.update(row[0] for row in cursor.fetchall())
    deepest = _deepest()
    groups = _chunk_groups()
    roots = list(OrgUnit.objects.filter(depth=1).order_by("path").values_list("path", flat=True))
    held = connection.in_atomic_block  # the caller's transaction keeps every lock
    for period in sorted(periods):
        if held:  # the period's own lock, not thousands held to the caller's commit
            _lock_chunks({(period, "")}, exclusive=True)
        for group in groups:
            levels = range(deepest - 1, CHUNK_DEPTH - 1, -1)
            _rebuild_part([period], group, _remaking(period, group, levels, deepest), held)
        if roots:
            levels = range(min(deepest, CHUNK_DEPTH) - 1, 0, -1)
            _rebuild_part([period], roots, _remaking(period, roots, levels, deepest), held)
    _rebuild_blocks(periods, groups, roots, deepest, held)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {Subtotal._meta.db_table}")  # noqa: S608
        return cursor.fetchone()[0]


def _rebuild_blocks(periods, groups, roots, deepest: int, held: bool) -> None:
    """The blocks (figures.blocks) of every year with a month among `periods`, made again
    from the rebuilt subtotals, group by group, each under the exclusive locks of its
    chunks for all twelve months (a write of any month of the year adds to them). Between
    a group's subtotals and its blocks, a page pooling months may read blocks that do not
    yet include the rebuild's changes: only after a bulk load, whose results were not in
    the subtotals either."""
    if connection.vendor != "postgresql":
        return
    years = sorted({year for year in map(blocks.year_of_month, periods) if year})
    with connection.cursor() as cursor:
        if not years or BlockSubtotal._meta.db_table not in connection.introspection.table_names(
            cursor
        ):  # a migration before the blocks existed
            return
    for year in years:
        months = [f"{year}-{month:02d}" for month in range(1, 13)]
        if held:
            _lock_chunks({(month, "") for month in months}, exclusive=True)
        for group in groups:
            depths = (CHUNK_DEPTH, deepest - 1)
            _rebuild_part(months, group, _blocks_remade(year, group, depths), held)
        if roots:
            depths = (1, min(deepest, CHUNK_DEPTH) - 1)
            _rebuild_part(months, roots, _blocks_remade(year, roots, depths), held)


def _blocks_remade(year: str, chunks: list[str], depths: tuple[int, int]):
    def work(cursor) -> None:
        if depths[0] > depths[1]:
            return
        length = depth_of(chunks[0]) * OrgUnit.steplen
        listed = ", ".join(f"'{_checked_path(path)}'" for path in chunks)
        scope = (
            f"AND unit_depth BETWEEN {int(depths[0])} AND {int(depths[1])} "
            f"AND unit_path >= %(low)s AND unit_path < %(high)s "
            f"AND substr(unit_path, 1, {length}) IN ({listed})"
        )
        bounds = {"low": chunks[0], "high": _subtree_end(chunks[-1])}
        blocks.remade(cursor, year, scope, bounds)

    return work


def _chunk_groups() -> list[list[str]]:
    """The chunks below the roots (paths at `CHUNK_DEPTH`), in path order, in groups of
    about `REBUILD_UNITS` units of the tree (at least one chunk each)."""
    sizes = (
        OrgUnit.objects.filter(depth__gte=CHUNK_DEPTH)
        .annotate(chunk=Substr("path", 1, CHUNK_DEPTH * OrgUnit.steplen))
        .values("chunk")
        .annotate(units=Count("*"))
        .order_by("chunk")
        .values_list("chunk", "units")
    )
    groups: list[list[str]] = []
    size = REBUILD_UNITS
    for chunk, units in sizes:
        if size + units > REBUILD_UNITS:
            groups.append([])
            size = 0
        groups[-1].append(chunk)
        size += units
    return groups


def _remaking(period: str, chunks: list[str], depths: range, deepest: int):
    def work(cursor) -> None:
        if depths:
            _remake(cursor, period, chunks, depths, deepest)

    return work


def _rebuild_part(periods: list[str], chunks: list[str], work, held: bool) -> None:
    """One transaction (or savepoint, when `held` in the caller's): the chunks' exclusive
    locks for `periods`, then the `work`."""
    keys = sorted((period, chunk) for period in periods for chunk in chunks)
    first = 0
    while True:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                if not held and connection.vendor == "postgresql":
                    # The periods' own locks, shared: a large flush may hold them instead of
                    # their chunks'.
                    _lock_chunks([(period, "") for period in periods], exclusive=False)
                    _lock_all_or_none(cursor, keys, first)
                work(cursor)
            return
        except _ChunkBusy as busy:  # rolled back, its locks let go: wait for that one first
            first = busy.index


class _ChunkBusy(Exception):
    def __init__(self, index: int) -> None:
        self.index = index


def _lock_all_or_none(cursor, keys: list[tuple[str, str]], first: int) -> None:
    """The group's exclusive locks without ever waiting while holding one: wait for the
    `first` (the one found busy last time) alone, then try the rest; if one is busy, give
    everything back (roll back) and wait for that one. A writer that took its chunks' locks
    in two flushes of one transaction, out of order, then cannot deadlock with the rebuild."""
    _lock_chunks([keys[first]], exclusive=True)
    cursor.execute(
        "SELECT n - 1 FROM unnest(%s::text[]) WITH ORDINALITY AS k(key, n) "
        "WHERE NOT pg_try_advisory_xact_lock(hashtextextended(key, 0)) LIMIT 1",
        [[_chunk_key(*key) for key in keys]],
    )
    busy = cursor.fetchone()
    if busy is not None:
        raise _ChunkBusy(busy[0])


def _remake(cursor, period: str, chunks: list[str], depths: range, deepest: int) -> None:
    """The chunks' rows of `depths` deleted and made again from the level below, deepest
    first."""
    if connection.vendor == "postgresql":
        # A large group is grouped in memory.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        # The blocks are made again afterwards (`_rebuild_blocks`), not patched for every
        # row replaced here.
        blocks.switched_off(cursor, True)
    whole_range = _only_these_in_range(cursor, chunks)
    # Made from results whose indicators exist: nothing for the checks to find.
    with foreign_key_triggers_skipped(cursor):
        for depth in depths:
            leaf = depth == deepest - 1
            _replace_level(
                cursor,
                period,
                depth,
                chunks,
                depth_of(chunks[0]),
                leaf=leaf,
                whole_range=whole_range,
            )
    if connection.vendor == "postgresql":  # a caller's transaction goes on with them on
        blocks.switched_off(cursor, False)


def _only_these_in_range(cursor, chunks: list[str]) -> bool:
    """Whether the tree holds no other unit of the chunks' depth between the first chunk
    and the end of the last (read under their locks): a unit added since the rebuild listed
    the chunks is its writers' to keep, and the statements must then name the chunks."""
    cursor.execute(
        f"SELECT COUNT(*) FROM {OrgUnit._meta.db_table} "  # noqa: S608 — our table name
        "WHERE depth = %s AND path >= %s AND path < %s",
        [depth_of(chunks[0]), chunks[0], _subtree_end(chunks[-1])],
    )
    return cursor.fetchone()[0] == len(chunks)
