"""Results partitioned by the year of their period (PostgreSQL only; docs/scale.md).

`figures_result` is `PARTITION BY RANGE (period)`: the partition of a year holds the codes
from `'2024'` up to `'2025'` — every code of 2024 (the year, its halves, nine months,
quarters, months, ISO weeks, a term or a span starting in 2024), as each code begins with
its four-digit year (xaso.periods). A default partition takes any other code: a row there is
stored, unique and read like any other, only not pruned to its year. The database's primary
key is the figure's key `(period, unit_depth, unit_path, indicator_id)` (migration 0012: a
partitioned table's keys must hold the partition key, and the index on `(id, period)` cost
about 32 bytes a result, 241 → 209 with the indexes, for no read); Django keeps `id` as its
pk, unique by its sequence, and no write looks a result up by it.

Only the years that hold results have a partition (migration 0011 dropped the empty ones
0009 had made ahead, 2015–2035): a statement whose periods are known only when it runs (the
period picker's walk, a lock by keys) is planned over every partition, and 21 empty years
made such a plan four times as costly to make (docs/scale.md). `for_writing` makes the
partition of a year a write is about to need: at once when the writer is in no transaction,
else after the writer's commit, its rows meanwhile in the default partition (stored and read
like any other) and moved into the new partition then.
"""

import logging
from collections.abc import Iterable

from django.db import DatabaseError, transaction
from django.db import connection as default_connection

log = logging.getLogger(__name__)

TABLE = "figures_result"
DEFAULT = f"{TABLE}_default"
SPAN = range(2015, 2036)  # the years migration 0009 made ahead (0011 dropped the empty ones)
# Making a partition takes an ACCESS EXCLUSIVE lock on the table: it waits no longer than this
# for the writers and readers of the moment (the year's rows then stay in the default).
LOCK_WAIT = "2s"
_years_made: set[int] = set()  # years this process has seen a partition of


def on_every_partition(index_definition: str) -> str:
    """An index definition as PostgreSQL shows a partitioned table's (`pg_get_indexdef`:
    "ON ONLY" the parent), made to be built on every partition too."""
    return index_definition.replace(" ON ONLY ", " ON ")


def partition_name(year: int) -> str:
    return f"{TABLE}_y{year:04d}"


def bounds(year: int) -> tuple[str, str]:
    """The partition's range of period codes, as SQL literals (digits only)."""
    return f"'{year:04d}'", f"'{year + 1:04d}'"


def is_partitioned(cursor) -> bool:
    cursor.execute("SELECT relkind = 'p' FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
    row = cursor.fetchone()
    return bool(row and row[0])


def partition_names(cursor) -> set[str]:
    """The names of the table's partitions, the default's included (none: not partitioned)."""
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid "
        "WHERE i.inhparent = to_regclass(%s)",
        [TABLE],
    )
    return {row[0] for row in cursor.fetchall()}


def ensure_partitions(years: Iterable[int], *, connection=None) -> list[int]:
    """Make the year partitions missing among `years`; the years made, in order.

    Idempotent, and a no-op on SQLite or on a table that is not partitioned. Rows of such a
    year already in the default partition are moved into the new partition in the same
    transaction (the default may not keep rows of a range a partition covers).
    """
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return []
    made = []
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if not is_partitioned(cursor):
            return []
        # One maker at a time: two processes making the same year would collide.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{TABLE} partitions"])
        for year in sorted(set(years)):
            name = partition_name(year)
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
            if cursor.fetchone()[0]:
                continue
            low, high = bounds(year)
            cursor.execute(
                f"SELECT EXISTS (SELECT 1 FROM {DEFAULT} WHERE period >= {low} AND period < {high})"  # noqa: S608 — our names and digits
            )
            if not cursor.fetchone()[0]:
                cursor.execute(
                    f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES FROM ({low}) TO ({high})"
                )
            else:
                cursor.execute(
                    f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
                )
                cursor.execute(
                    f"WITH moved AS (DELETE FROM {DEFAULT} WHERE period >= {low} "  # noqa: S608
                    f"AND period < {high} RETURNING *) INSERT INTO {name} SELECT * FROM moved"
                )
                cursor.execute(
                    f"ALTER TABLE {TABLE} ATTACH PARTITION {name} "
                    f"FOR VALUES FROM ({low}) TO ({high})"
                )
            made.append(year)
    return made


def for_writing(years: Iterable[int], *, connection=None) -> None:
    """Make the partitions missing for the years a writer is about to write: now, in a
    transaction of their own, if the writer is in none; else once the writer's transaction
    has committed, so that the writer never holds the table's lock for it nor fails for it
    (its rows of such a year go to the default partition and are moved then). A partition
    that cannot be made (the lock not had within LOCK_WAIT) is made by a later write."""
    connection = connection or default_connection
    missing = set(years) - _years_made
    if not missing or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        existing = partition_names(cursor)
    _years_made.update(year for year in missing if partition_name(year) in existing)
    missing -= _years_made
    if missing and existing:  # no partition at all: the table is not partitioned
        # At once when the writer is in no transaction: Django's on_commit runs it then.
        transaction.on_commit(lambda: _made_now(missing, connection), using=connection.alias)


def _made_now(years: set[int], connection) -> None:
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'")
            ensure_partitions(years, connection=connection)
    except DatabaseError as error:  # the values are stored (in the default partition)
        log.warning("partitions for %s not made now: %s", sorted(years), error)
        return
    _years_made.update(years)


# A partition whose rows grew by this share since PostgreSQL last counted them is analysed
# again at once (autovacuum's default scale factor, which it applies only later).
ANALYSE_SHARE = 0.1


def statistics_refreshed(cursor, added_by_year: dict[int, int]) -> list[str]:
    """ANALYZE the partitions that a batch's rows (`added_by_year`: the rows it adds, or the
    keys it looks up) are `ANALYSE_SHARE` or more of, as PostgreSQL last counted them (a
    partition never analysed counts 0 or -1); the partitions analysed.

    The planner, with no statistics for a partition just filled (a new year's first
    import), expects a few rows for a month and joins the next batch's keys against a scan
    of the whole month instead of probing the index: 100,000 changed values took 2.6 s to
    update instead of 1.2. Run in the batch's transaction, ANALYZE counts its rows too; it
    samples at most 30,000 rows (0.06 s for 100,000)."""
    names = {year: partition_name(year) for year in added_by_year}
    cursor.execute(
        "SELECT c.relname, c.reltuples FROM pg_class c "
        "JOIN pg_inherits i ON i.inhrelid = c.oid WHERE i.inhparent = to_regclass(%s)",
        [TABLE],
    )
    counted = dict(cursor.fetchall())
    grown: dict[str, int] = {}
    for year, added in added_by_year.items():
        name = names[year] if names[year] in counted else DEFAULT
        grown[name] = grown.get(name, 0) + added
    analysed = []
    for name, added in sorted(grown.items()):
        rows = counted.get(name, -1)
        if rows < 0 or added >= ANALYSE_SHARE * rows:
            cursor.execute(f'ANALYZE "{name}"')  # our partition names
            analysed.append(name)
    return analysed
