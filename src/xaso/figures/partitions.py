"""Results partitioned by the year of their period (PostgreSQL only; docs/scale.md).

`figures_result` is `PARTITION BY RANGE (period)`: the partition of a year holds the codes
from `'2024'` up to `'2025'` — every code of 2024 (the year, its halves, nine months,
quarters, months, ISO weeks, a term or a span starting in 2024), as each code begins with
its four-digit year (xaso.periods). A default partition takes any other code: a row there is
stored, unique and read like any other, only not pruned to its year. The database's primary
key is `(id, period)` (a partitioned table's keys must hold the partition key; `id` first so
that Django's `WHERE id = …` still finds a row by index), Django keeps `id` as its pk.
"""

from collections.abc import Iterable

from django.db import connection as default_connection
from django.db import transaction

TABLE = "figures_result"
DEFAULT = f"{TABLE}_default"
SPAN = range(2015, 2036)  # the years made by migration 0009, beside those of the data


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
