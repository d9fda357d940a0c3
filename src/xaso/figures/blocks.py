"""Quarter, half-year and year subtotals (`BlockSubtotal`), kept by PostgreSQL triggers
(issue 20).

A page that pools months ("6 tháng đầu năm", "the 12 months of 2024", a five-year term) read
every month's subtotal row and grouped them: 60,000 rows for a province's year, 87 ms in
PostgreSQL alone. Here each unit keeps, per indicator, its standings pooled over each
quarter, half-year and year: the months' sums, counts, minimum and maximum. A run of months
is covered by the largest blocks inside it and the months left over (`cover`): a year is
one row per unit, January–June one, January–September two, February–November at most six.
Nothing is subtracted, so every roll-up rule (minimum, maximum, single value) reads blocks.

Why blocks and not year-to-date rows (the design before, figures 0006): a write to month m
changed the year-to-date rows of months m to December, up to twelve rows per unit and
indicator, twice (the refresh deletes and inserts): bulk writes fell from 22,416 to 12,809
values/s and an entry POST rose from 23 to 40 ms. A month belongs to exactly three blocks.

Kept live without touching the write paths: three statement triggers on the subtotal table
(AFTER INSERT, DELETE, UPDATE, with their transition tables) add what a statement inserted,
and take away what it deleted, from the blocks of its months, in one upsert per statement
(an update is both). A write's refresh and a large flush, which update rows in place, go
through them, so the blocks follow whatever path changed them, in the same transaction; the
rebuild deletes and inserts with them off and remakes the blocks itself (below). The
upsert orders its rows (depth descending, path, indicator, block), the order in which every
flush goes through units, so concurrent writers queue on them rather than deadlock; additions
commute, so their order does not change the result. The triggers are `ENABLE ALWAYS`: the
rebuild runs with `session_replication_role = replica` (to skip foreign-key checks), which
would silence an ordinary trigger; it switches them off itself (`switched_off`) and remakes
the blocks per year (`remade`).

A minimum only narrows as rows come; a row taken away may have held the minimum, so after a
DELETE or UPDATE the blocks where it did, and no row added in its place reaches as far, are
read again from their months (`_narrowed`).

SQLite has no statement triggers with transition tables: there the table stays empty and
every read pools the monthly rows.
"""

import re

from django.db import migrations
from django.db.models import DecimalField, IntegerField, Max, Min, Sum

BLOCKS = "figures_blocksubtotal"
SUBTOTAL = "figures_subtotal"
# Set to 'off' for its transaction by the rebuild, which remakes the blocks itself.
SWITCH = "xaso.blocks"
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_AMOUNT = DecimalField(max_digits=30, decimal_places=6)
_COUNT = IntegerField()
_MONTHLY = "period ~ '^[0-9]{4}-[0-9]{2}$'"

# The three blocks of a month row `d` (its period 'YYYY-MM'), each with its first and last
# month, joined to it (`k.y` is the year).
_BLOCKS_OF_MONTH = """
    CROSS JOIN LATERAL (
        SELECT substr({d}.period, 1, 4) AS y, (substr({d}.period, 6, 2)::int + 2) / 3 AS q,
               (substr({d}.period, 6, 2)::int + 5) / 6 AS h
    ) AS k
    CROSS JOIN LATERAL (VALUES
        (k.y || '-Q' || k.q, 3 * k.q - 2, 3 * k.q), (k.y || '-H' || k.h, 6 * k.h - 5, 6 * k.h),
        (k.y, 1, 12)
    ) AS b(period, first, last)
"""


def _standing_parts(table: str, sign: str) -> str:
    """What each monthly subtotal row of `table` contributes as a standing (its unit's own
    value where it has one: the same as `subtotals._subtotal_columns`), times `sign`."""
    return f"""
        SELECT period, unit_depth, unit_path, indicator_id,
               {sign} * COALESCE(own_value, total) AS total,
               {sign} * CASE WHEN own_value IS NOT NULL THEN 1 ELSE reporting END AS reporting,
               {sign} * CASE WHEN own_value IS NULL THEN estimated
                             WHEN own_estimated THEN 1 ELSE 0 END AS estimated,
               {sign} * CASE WHEN own_value IS NOT NULL THEN 1 ELSE 0 END AS own_periods,
               {sign} AS periods,
               COALESCE(own_value, low) AS low, COALESCE(own_value, high) AS high
        FROM {table} WHERE {_MONTHLY}
    """  # noqa: S608 — our table names and a sign


def _spread(parts: str) -> str:
    """The parts added to the three blocks of their month, grouped per block row, in the
    order every writer locks rows in. A block's minimum is widened by the rows' (`LEAST`):
    a row taken away was in the block, so it lies within it already and widens nothing."""
    return f"""
        SELECT b.period, d.unit_depth, d.unit_path, d.indicator_id, SUM(d.total),
               SUM(d.reporting), SUM(d.estimated), SUM(d.own_periods), SUM(d.periods),
               MIN(d.low), MAX(d.high)
        FROM ({parts}) AS d {_BLOCKS_OF_MONTH.format(d="d")}
        GROUP BY 1, 2, 3, 4
        ORDER BY 2 DESC, 3, 4, 1
    """  # noqa: S608 — our own statement


_COLUMNS = "period, unit_depth, unit_path, indicator_id, total, reporting, estimated, " + (
    "own_periods, periods, low, high"
)
_ADD = f"""
    INSERT INTO {BLOCKS} AS r ({_COLUMNS}) {{rows}}
    ON CONFLICT (period, unit_depth, unit_path, indicator_id) DO UPDATE SET
        total = r.total + EXCLUDED.total, reporting = r.reporting + EXCLUDED.reporting,
        estimated = r.estimated + EXCLUDED.estimated,
        own_periods = r.own_periods + EXCLUDED.own_periods, periods = r.periods + EXCLUDED.periods,
        low = LEAST(r.low, EXCLUDED.low), high = GREATEST(r.high, EXCLUDED.high)
"""


def _narrowed(replaced: bool) -> str:
    """The statement that follows the upsert of a DELETE (`replaced` False) or an UPDATE: the
    minimum and maximum of the blocks that may have narrowed, read again from their months.

    Only blocks where the rows taken away reach the block's minimum (or maximum, as the
    upsert left it) and the rows added, if any, do not reach as far as those taken away:
    in any other block the extreme is held by a row still there or one just added, as the
    upsert left it. Compared per block (grouped), never row against row: the planner
    expects a transition table of a few rows, and joined two of 5,000 rows by a nested loop
    (3 s). The months are read by an index probe each (with a series of months, it chose a
    hash join over the whole subtotal table, even for a write of a few rows), and a block is
    updated only where it changed. The upsert before already locked every row updated here."""
    parts = _standing_parts("gone", "-1")
    if replaced:
        parts += " UNION ALL " + _standing_parts("made", "1")
    return f"""
        WITH moved AS (
            SELECT b.period, d.unit_depth, d.unit_path, d.indicator_id, k.y AS year,
                   b.first, b.last,
                   MIN(d.low) FILTER (WHERE d.periods < 0) AS gone_low,
                   MAX(d.high) FILTER (WHERE d.periods < 0) AS gone_high,
                   MIN(d.low) FILTER (WHERE d.periods > 0) AS made_low,
                   MAX(d.high) FILTER (WHERE d.periods > 0) AS made_high
            FROM ({parts}) AS d {_BLOCKS_OF_MONTH.format(d="d")}
            GROUP BY 1, 2, 3, 4, 5, 6, 7
        ), touched AS (
            SELECT m.period, m.unit_depth, m.unit_path, m.indicator_id,
                   ARRAY(SELECT m.year || '-' || lpad(month::text, 2, '0')
                         FROM generate_series(m.first, m.last) AS month) AS months
            FROM moved AS m
            JOIN {BLOCKS} AS r ON r.period = m.period AND r.unit_depth = m.unit_depth
                AND r.unit_path = m.unit_path AND r.indicator_id = m.indicator_id
            WHERE (m.gone_low <= r.low AND NOT COALESCE(m.made_low <= m.gone_low, FALSE))
               OR (m.gone_high >= r.high AND NOT COALESCE(m.made_high >= m.gone_high, FALSE))
        ), now AS (
            SELECT t.period, t.unit_depth, t.unit_path, t.indicator_id,
                   MIN(COALESCE(s.own_value, s.low)) AS low,
                   MAX(COALESCE(s.own_value, s.high)) AS high
            FROM touched AS t
            LEFT JOIN {SUBTOTAL} AS s ON s.period = ANY(t.months)
                AND s.unit_depth = t.unit_depth AND s.unit_path = t.unit_path
                AND s.indicator_id = t.indicator_id
            GROUP BY 1, 2, 3, 4
        )
        UPDATE {BLOCKS} AS r SET low = x.low, high = x.high FROM now AS x
        WHERE r.period = x.period AND r.unit_depth = x.unit_depth AND r.unit_path = x.unit_path
          AND r.indicator_id = x.indicator_id
          AND (r.low IS DISTINCT FROM x.low OR r.high IS DISTINCT FROM x.high)
    """  # noqa: S608 — our table names


_EVENTS = {
    # event: (transition tables, what the statement does to the blocks)
    "INSERT": ("NEW TABLE AS made", _ADD.format(rows=_spread(_standing_parts("made", "1")))),
    "DELETE": (
        "OLD TABLE AS gone",
        _ADD.format(rows=_spread(_standing_parts("gone", "-1"))) + "; " + _narrowed(replaced=False),
    ),
    "UPDATE": (
        "OLD TABLE AS gone NEW TABLE AS made",
        _ADD.format(
            rows=_spread(
                _standing_parts("made", "1") + " UNION ALL " + _standing_parts("gone", "-1")
            )
        )
        + "; "
        + _narrowed(replaced=True),
    ),
}
# The year-to-date rows' triggers (figures 0006), dropped by the migration that brings blocks.
_OLD_FUNCTIONS = tuple(f"xaso_running_after_{event}" for event in ("insert", "delete", "update"))


def _function(event: str) -> str:
    return f"xaso_blocks_after_{event.lower()}"


def _forwards(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in _OLD_FUNCTIONS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {SUBTOTAL}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
    _functions_made(schema_editor)
    for event, (tables, _) in _EVENTS.items():
        name = _function(event)
        schema_editor.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {SUBTOTAL} REFERENCING {tables} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )
        schema_editor.execute(f"ALTER TABLE {SUBTOTAL} ENABLE ALWAYS TRIGGER {name}")
    # The subtotals already there.
    schema_editor.execute(
        f"INSERT INTO {BLOCKS} ({_COLUMNS}) {_spread(_standing_parts(SUBTOTAL, '1'))}",
        params=None,
    )


def _functions_made(schema_editor) -> None:
    """The triggers' functions (created, or replaced by the statements of this module)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for event, (_, statements) in _EVENTS.items():
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {_function(event)}() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ BEGIN IF current_setting('{SWITCH}', true) = 'off' THEN RETURN NULL; "
            f"END IF; {statements}; RETURN NULL; END $$",
            params=None,
        )


def functions_replaced() -> migrations.RunPython:
    """The migration operation that gives the triggers this module's statements (a database
    made before they changed keeps its triggers and takes the new functions)."""
    return migrations.RunPython(
        lambda apps, schema_editor: _functions_made(schema_editor),
        migrations.RunPython.noop,
        elidable=False,
    )


def _backwards(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for event in _EVENTS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {_function(event)} ON {SUBTOTAL}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {_function(event)}()")


def kept_by_triggers() -> migrations.RunPython:
    """The migration operation that drops the year-to-date rows' triggers, puts the blocks'
    on the subtotal table and fills the blocks from the subtotals there (PostgreSQL only)."""
    return migrations.RunPython(_forwards, _backwards, elidable=False)


def remade(cursor, year: str, scope: str, params: dict) -> None:
    """The blocks of one year for the units of `scope` (SQL over unit_path and unit_depth),
    deleted and made again from their monthly subtotal rows: for the rebuild, which switches
    the triggers off while it replaces subtotals (with them on, each replaced row would be
    taken away from and added back to three blocks, and the table would swell with dead
    rows). The caller holds the exclusive locks of every month of the year for these units,
    so no write's trigger meets them meanwhile."""
    months = [f"{year}-{month:02d}" for month in range(1, 13)]
    codes = [year] + [f"{year}-H{h}" for h in (1, 2)] + [f"{year}-Q{q}" for q in range(1, 5)]
    cursor.execute(
        f"DELETE FROM {BLOCKS} WHERE period = ANY(%(codes)s) {scope}",  # noqa: S608
        {**params, "codes": codes},
    )
    parts = _standing_parts(SUBTOTAL, "1") + f" AND period = ANY(%(months)s) {scope}"
    cursor.execute(
        f"INSERT INTO {BLOCKS} ({_COLUMNS}) {_spread(parts)}",
        {**params, "months": months},
    )


def switched_off(cursor, off: bool) -> None:
    """The triggers skip (off) or keep (on) the blocks for the rest of the transaction (the
    rebuild's, or its savepoint's enclosing one)."""
    cursor.execute("SELECT set_config(%s, %s, true)", [SWITCH, "off" if off else "on"])


# ---- reading ---------------------------------------------------------------------------


def year_of_month(code: str) -> str | None:
    """The year of a month's code ("2024-06" → "2024"); None for any other period."""
    match = _MONTH.fullmatch(code)
    return match[1] if match else None


def cover(periods: list[str]) -> tuple[list[str], list[str]] | None:
    """The blocks and the months left over that pool exactly these months: per year, the
    year if all twelve are there, else each half-year whose six are, then each quarter whose
    three are, then the months left. None unless every period is a month, once."""
    by_year: dict[str, set[int]] = {}
    for code in periods:
        match = _MONTH.fullmatch(code)
        if not match:
            return None
        months = by_year.setdefault(match[1], set())
        if int(match[2]) in months:
            return None
        months.add(int(match[2]))
    blocks, left = [], []
    for year, months in sorted(by_year.items()):
        for code, span in _spans(year):
            if span <= months:
                blocks.append(code)
                months -= span
        left += [f"{year}-{month:02d}" for month in sorted(months)]
    return blocks, left


def _spans(year: str) -> list[tuple[str, set[int]]]:
    """A year's blocks, largest first, with their months."""
    spans = [(year, set(range(1, 13)))]
    spans += [(f"{year}-H{h}", set(range(6 * h - 5, 6 * h + 1))) for h in (1, 2)]
    spans += [(f"{year}-Q{q}", set(range(3 * q - 2, 3 * q + 1))) for q in range(1, 5)]
    return spans


def block_columns() -> dict:
    """The standing columns (`subtotals._columns` names) pooled from block rows."""
    return {
        "s_total": Sum("total", output_field=_AMOUNT),
        "s_count": Sum("reporting", output_field=_COUNT),
        "s_low": Min("low", output_field=_AMOUNT),
        "s_high": Max("high", output_field=_AMOUNT),
        "s_estimated": Sum("estimated", output_field=_COUNT),
        "s_own": Sum("own_periods", output_field=_COUNT),
        "s_periods": Sum("periods", output_field=_COUNT),
    }
