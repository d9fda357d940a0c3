"""Year-to-date subtotals (`RunningSubtotal`), kept by PostgreSQL triggers (issue 20).

A page that pools months ("January–June", "the 12 months of 2024", a five-year term) read
every month's subtotal row and grouped them: 60,000 rows for a province's year, 87 ms in
PostgreSQL alone. Here each unit keeps, for every month, its standings pooled from January
(the additive parts: sums and counts), so a run of months within a year is the row of its
last month, minus the row of the month before it when it does not start in January.

Kept live without touching the write paths: three statement triggers on the subtotal table
(AFTER INSERT, DELETE, UPDATE, with their transition tables) add what a statement inserted,
and take away what it deleted, to the running rows of that month and every later month of
its year, in one upsert per statement. Every writer of subtotals — a write's refresh, a
large flush, the rebuild — only deletes and inserts rows, so the running rows follow
whatever path changed them, in the same transaction. The upsert orders its rows (month,
depth, path, indicator), as every writer does, so concurrent writers queue on them rather
than deadlock; additions commute, so their order does not change the result. The triggers
are `ENABLE ALWAYS`: the rebuild runs with `session_replication_role = replica` (to skip
foreign-key checks), which would silence an ordinary trigger.

Minimum and maximum do not subtract: indicators of those rules (and single-value ones) pool
the monthly rows as before. SQLite has no statement triggers with transition tables: there
the table stays empty and every read pools the monthly rows.
"""

import re

from django.db import migrations
from django.db.models import Case, DecimalField, F, IntegerField, Max, Min, Sum, Value, When

from xaso.catalog.models import Rollup

RUNNING = "figures_runningsubtotal"
SUBTOTAL = "figures_subtotal"
# Set to 'off' for its transaction by the rebuild, which remakes the running rows itself.
SWITCH = "xaso.running"
_MONTH = re.compile(r"(\d{4})-(\d{2})")
# The rules whose pooled figure needs only sums and counts: the ones a run of months not
# starting in January (a difference of running rows) can serve.
ADDITIVE = frozenset({str(Rollup.SUM), str(Rollup.AVERAGE)})
_AMOUNT = DecimalField(max_digits=30, decimal_places=6)
_COUNT = IntegerField()


def _standing_parts(table: str, sign: str) -> str:
    """What each subtotal row of `table` contributes as a standing (its unit's own value
    where it has one: the same as `subtotals._subtotal_columns`), times `sign`."""
    return f"""
        SELECT period, unit_depth, unit_path, indicator_id,
               {sign} * COALESCE(own_value, total) AS total,
               {sign} * CASE WHEN own_value IS NOT NULL THEN 1 ELSE reporting END AS reporting,
               {sign} * CASE WHEN own_value IS NULL THEN estimated
                             WHEN own_estimated THEN 1 ELSE 0 END AS estimated,
               {sign} * CASE WHEN own_value IS NOT NULL THEN 1 ELSE 0 END AS own_periods,
               {sign} AS periods,
               COALESCE(own_value, low) AS low, COALESCE(own_value, high) AS high
        FROM {table} WHERE period ~ '^[0-9]{{4}}-[0-9]{{2}}$'
    """  # noqa: S608 — our table names and a sign


def _spread(parts: str) -> str:
    """The parts added to the running rows of their month and every later month of the
    year, grouped per running row, in the order every writer locks rows in."""
    return f"""
        SELECT substr(d.period, 1, 5) || lpad(m::text, 2, '0'), d.unit_depth, d.unit_path,
               d.indicator_id, SUM(d.total), SUM(d.reporting), SUM(d.estimated),
               SUM(d.own_periods), SUM(d.periods), MIN(d.low), MAX(d.high)
        FROM ({parts}) AS d
        CROSS JOIN LATERAL generate_series(substr(d.period, 6, 2)::int, 12) AS m
        GROUP BY 1, 2, 3, 4
        ORDER BY 1, 2, 3, 4
    """  # noqa: S608 — our own statement


_COLUMNS = "period, unit_depth, unit_path, indicator_id, total, reporting, estimated, " + (
    "own_periods, periods, low, high"
)
# Sums and counts add up, whatever the order of the writers. A minimum only narrows as rows
# come (`widen`, for what a statement inserted); a row taken away may have been the minimum,
# so after a DELETE the minimum and maximum of the touched units are read again from the
# monthly rows (`_NARROWED`).
_ADD = f"""
    INSERT INTO {RUNNING} AS r ({_COLUMNS}) {{rows}}
    ON CONFLICT (period, unit_depth, unit_path, indicator_id) DO UPDATE SET
        total = r.total + EXCLUDED.total, reporting = r.reporting + EXCLUDED.reporting,
        estimated = r.estimated + EXCLUDED.estimated,
        own_periods = r.own_periods + EXCLUDED.own_periods, periods = r.periods + EXCLUDED.periods
        {{widen}}
"""
_WIDEN = ", low = LEAST(r.low, EXCLUDED.low), high = GREATEST(r.high, EXCLUDED.high)"
# For each (unit, indicator, year) a statement deleted rows of, from the first such month on:
# the running minimum and maximum of its monthly rows as they are now. Only rows the upsert
# before it already locked are updated, so it takes no lock of its own.
_NARROWED = f"""
    WITH touched AS (
        SELECT unit_depth, unit_path, indicator_id, substr(period, 1, 4) AS year,
               MIN(substr(period, 6, 2)::int) AS first
        FROM gone WHERE period ~ '^[0-9]{{4}}-[0-9]{{2}}$' GROUP BY 1, 2, 3, 4
    ), monthly AS (
        SELECT t.unit_depth, t.unit_path, t.indicator_id, t.year, t.first, m.m,
               MIN(COALESCE(s.own_value, s.low)) AS low, MAX(COALESCE(s.own_value, s.high)) AS high
        FROM touched t CROSS JOIN generate_series(1, 12) AS m(m)
        LEFT JOIN {SUBTOTAL} s ON s.period = t.year || '-' || lpad(m.m::text, 2, '0')
            AND s.unit_depth = t.unit_depth AND s.unit_path = t.unit_path
            AND s.indicator_id = t.indicator_id
        GROUP BY 1, 2, 3, 4, 5, 6
    ), so_far AS (
        SELECT unit_depth, unit_path, indicator_id, year || '-' || lpad(m::text, 2, '0') AS period,
               m, first, MIN(low) OVER w AS low, MAX(high) OVER w AS high
        FROM monthly
        WINDOW w AS (PARTITION BY unit_depth, unit_path, indicator_id, year ORDER BY m)
    )
    UPDATE {RUNNING} r SET low = x.low, high = x.high FROM so_far x
    WHERE x.m >= x.first AND r.period = x.period AND r.unit_depth = x.unit_depth
      AND r.unit_path = x.unit_path AND r.indicator_id = x.indicator_id
      AND (r.low IS DISTINCT FROM x.low OR r.high IS DISTINCT FROM x.high)
"""  # noqa: S608 — our table names
_EVENTS = {
    # event: (transition tables, what the statement does to the running rows)
    "INSERT": (
        "NEW TABLE AS made",
        _ADD.format(rows=_spread(_standing_parts("made", "1")), widen=_WIDEN),
    ),
    "DELETE": (
        "OLD TABLE AS gone",
        _ADD.format(rows=_spread(_standing_parts("gone", "-1")), widen="") + "; " + _NARROWED,
    ),
    "UPDATE": (
        "OLD TABLE AS gone NEW TABLE AS made",
        _ADD.format(
            rows=_spread(
                _standing_parts("made", "1") + " UNION ALL " + _standing_parts("gone", "-1")
            ),
            widen="",
        )
        + "; "
        + _NARROWED,
    ),
}


def _function(event: str) -> str:
    return f"xaso_running_after_{event.lower()}"


def _forwards(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for event, (tables, statements) in _EVENTS.items():
        name = _function(event)
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN IF current_setting('{SWITCH}', true) = 'off' THEN RETURN NULL; END IF; "
            f"{statements}; RETURN NULL; END $$",
            params=None,
        )
        schema_editor.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {SUBTOTAL} REFERENCING {tables} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )
        schema_editor.execute(f"ALTER TABLE {SUBTOTAL} ENABLE ALWAYS TRIGGER {name}")
    # The subtotals already there.
    schema_editor.execute(
        f"DELETE FROM {RUNNING}; INSERT INTO {RUNNING} ({_COLUMNS}) "  # noqa: S608
        f"{_spread(_standing_parts(SUBTOTAL, '1'))}",
        params=None,
    )


def _backwards(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for event in _EVENTS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {_function(event)} ON {SUBTOTAL}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {_function(event)}()")


def remade(cursor, year: str, scope: str, params: dict) -> None:
    """The running rows of one year for the units of `scope` (SQL over unit_path and
    unit_depth), deleted and made again from their subtotal rows: for the rebuild, which
    switches the triggers off while it replaces subtotals (with them on, each replaced row
    was taken away and added back to up to twelve running rows: a rebuild took 8.6 times
    as long, and the tables swelled with dead rows). The caller holds the exclusive locks
    of every month of the year for these units, so no write's trigger meets them meanwhile."""
    months = [f"{year}-{month:02d}" for month in range(1, 13)]
    cursor.execute(
        f"DELETE FROM {RUNNING} WHERE period = ANY(%(months)s) {scope}",  # noqa: S608
        {**params, "months": months},
    )
    parts = _standing_parts(SUBTOTAL, "1") + f" AND period = ANY(%(months)s) {scope}"
    cursor.execute(
        f"INSERT INTO {RUNNING} ({_COLUMNS}) {_RUNNING_SUMS.format(parts=parts)}",
        {**params, "months": months, "year": year},
    )


# A year's running rows from its monthly rows in one pass: each unit and indicator's twelve
# months (those without a row too) and the sums, minimum and maximum so far, from its first
# month with a row. Still the larger part of a rebuild at scale M (about 7 s of 15; the
# subtotals alone 6–8 s): PostgreSQL reads the group's subtotal rows by a parallel scan
# rather than the index, and inserting 57,000 rows a group into the covering index costs
# as much again.
_RUNNING_SUMS = """
    WITH parts AS MATERIALIZED ({parts})
    SELECT period, unit_depth, unit_path, indicator_id, total, reporting, estimated,
           own_periods, periods, low, high
    FROM (
        SELECT %(year)s || '-' || lpad(g.m::text, 2, '0') AS period, k.unit_depth,
               k.unit_path, k.indicator_id, g.m, k.first,
               SUM(p.total) OVER w AS total, SUM(p.reporting) OVER w AS reporting,
               SUM(p.estimated) OVER w AS estimated, SUM(p.own_periods) OVER w AS own_periods,
               SUM(p.periods) OVER w AS periods, MIN(p.low) OVER w AS low,
               MAX(p.high) OVER w AS high
        FROM (
            SELECT unit_depth, unit_path, indicator_id, MIN(substr(period, 6, 2)::int) AS first
            FROM parts GROUP BY 1, 2, 3
        ) AS k
        CROSS JOIN generate_series(1, 12) AS g(m)
        LEFT JOIN parts AS p ON p.unit_depth = k.unit_depth AND p.unit_path = k.unit_path
            AND p.indicator_id = k.indicator_id AND substr(p.period, 6, 2)::int = g.m
        WINDOW w AS (PARTITION BY k.unit_depth, k.unit_path, k.indicator_id ORDER BY g.m)
    ) AS so_far
    WHERE m >= first
    ORDER BY 1, 2, 3, 4
"""


def switched_off(cursor, off: bool) -> None:
    """The triggers skip (off) or keep (on) the running rows for the rest of the
    transaction (the rebuild's, or its savepoint's enclosing one)."""
    cursor.execute("SELECT set_config(%s, %s, true)", [SWITCH, "off" if off else "on"])


def kept_by_triggers() -> migrations.RunPython:
    """The migration operation that puts the triggers on the subtotal table and fills the
    running rows from the subtotals there (PostgreSQL only)."""
    return migrations.RunPython(_forwards, _backwards, elidable=False)


# ---- reading ---------------------------------------------------------------------------


def month_runs(periods: list[str]) -> list[tuple[str, int]] | None:
    """The running rows that pool exactly these months, with their signs: each run of
    consecutive months of a year is its last month's row, minus the row of the month before
    it unless it starts in January. None unless every period is a month, once."""
    by_year: dict[str, list[int]] = {}
    for code in periods:
        match = _MONTH.fullmatch(code)
        if not match:
            return None
        by_year.setdefault(match[1], []).append(int(match[2]))
    rows = []
    for year, months in sorted(by_year.items()):
        months.sort()
        if len(set(months)) != len(months):
            return None
        start = months[0]
        for month, following in zip(months, [*months[1:], None], strict=True):
            if following == month + 1:
                continue
            rows.append((f"{year}-{month:02d}", 1))
            if start > 1:
                rows.append((f"{year}-{start - 1:02d}", -1))
            start = following
    return rows


def from_january(runs: list[tuple[str, int]]) -> bool:
    """Whether every run starts in January (nothing taken away): then the running minimum
    and maximum hold too, and every roll-up rule reads the running rows."""
    return all(sign > 0 for _, sign in runs)


def running_columns(runs: list[tuple[str, int]]) -> dict:
    """The standing columns read from running rows (`subtotals._columns` names): one row per
    unit when one run starts in January, else the signed rows summed (and the minimum and
    maximum of the runs when all start in January; none otherwise)."""
    names = ("s_total", "s_count", "s_low", "s_high", "s_estimated", "s_own", "s_periods")
    parts = ("total", "reporting", "low", "high", "estimated", "own_periods", "periods")
    single = runs == [(runs[0][0], 1)]
    minus = [code for code, sign in runs if sign < 0]
    sign = Case(When(period__in=minus, then=Value(-1)), default=Value(1))
    values = []
    for part in parts:
        kind = _AMOUNT if part in ("total", "low", "high") else _COUNT
        if single:
            values.append(F(part))
        elif part in ("low", "high"):
            extreme = (
                Min(part, output_field=kind) if part == "low" else Max(part, output_field=kind)
            )
            values.append(extreme if not minus else Value(None, output_field=kind))
        else:
            values.append(Sum(F(part) * sign, output_field=kind))
    return dict(zip(names, values, strict=True))
