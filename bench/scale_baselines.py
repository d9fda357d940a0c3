"""The baselines a skilled engineer would write first (issue 20), on the results' own index:

(a) one query per child unit, on the child's path range and depth;
(b) one GROUP BY over the parent's path range and the children's depths (the DBA's query);
(c) DuckDB, the same GROUP BY over the same rows exported to Parquet.

Each gives the same answer as a page: every child's figure for the periods pooled (its own
value where it recorded one, else the sum of what lies below it), the parent's figure, and
the yearly targets of the parent and its children. Figures are summed (the rule of most
indicators); the bench compares them with xaso's on the sum indicators.
"""

from collections import defaultdict
from decimal import Decimal

STEP = 4  # characters per level of a path; set by the bench from OrgUnit.steplen


def subtree_end(path: str) -> str:
    from xaso.org.paths import subtree_upper_bound

    return subtree_upper_bound(path) or path + "~"


_BELOW = """
    SELECT indicator_id, {bucket}, period,
        max(value) FILTER (WHERE unit_depth <= %(depth)s) AS own,
        sum(value) FILTER (WHERE unit_depth = %(depth)s + 1) AS below
    FROM figures_result
    WHERE period = ANY(%(periods)s) AND unit_depth IN ({depths})
      AND unit_path >= %(start)s AND unit_path < %(end)s
      AND indicator_id = ANY(%(indicators)s)
    GROUP BY 1, 2, 3
"""

# An IN list, not BETWEEN: each depth is then its own range of the (period, unit_depth,
# unit_path) index; a range on the depth would scan every unit of those depths.
_PARENT_AND_TWO_BELOW = "%(depth)s - 1, %(depth)s, %(depth)s + 1"

_TARGETS = """
    SELECT u.path, t.indicator_id, t.value FROM figures_target t
    JOIN org_orgunit u ON u.id = t.unit_id
    WHERE u.path >= %(start)s AND u.path < %(end)s AND u.depth IN (%(depth)s - 1, %(depth)s)
      AND t.period_start <= %(first)s AND t.period_end >= %(last)s
"""


def _standings(rows, parent: str) -> dict:
    """The answer from rows (indicator, child path, period, own value, sum below); the
    parent's own rows come with the parent's path. An own value overrides the sum below it,
    month by month; the months are then summed."""
    children: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    below: dict[tuple[int, str], Decimal] = defaultdict(Decimal)  # the parent's, by month
    parent_own: dict[tuple[int, str], Decimal] = {}
    for indicator_id, child, period, own, under in rows:
        if child == parent:
            parent_own[(indicator_id, period)] = own
            continue
        value = own if own is not None else under
        if value is not None:
            children[child][indicator_id] += value
            below[(indicator_id, period)] += value
    total: dict[int, Decimal] = defaultdict(Decimal)
    for key in below.keys() | parent_own.keys():
        total[key[0]] += parent_own.get(key, below.get(key))
    return {"parent": dict(total), "children": children}


def _answer(cursor, rows, parent: str, depth: int, bounds) -> dict:
    cursor.execute(
        _TARGETS,
        {"start": parent, "end": subtree_end(parent), "depth": depth, "first": bounds[0],
         "last": bounds[1]},
    )  # fmt: skip
    targets = {(path, indicator): value for path, indicator, value in cursor.fetchall()}
    return {**_standings(rows, parent), "targets": targets}


def group_by(cursor, parent: str, periods: list[str], indicators: list[int], bounds) -> dict:
    """(b): one query over the parent's range; children are the path's next step."""
    depth = len(parent) // STEP + 1
    sql = _BELOW.format(
        bucket=f"substr(unit_path, 1, {depth * STEP})", depths=_PARENT_AND_TWO_BELOW
    )
    cursor.execute(
        sql,
        {"depth": depth, "periods": periods, "start": parent, "end": subtree_end(parent),
         "indicators": indicators},
    )  # fmt: skip
    return _answer(cursor, cursor.fetchall(), parent, depth, bounds)


_STORED = """
    SELECT unit_path, indicator_id, COALESCE(own_value, total) FROM figures_subtotal
    WHERE period = %(period)s AND unit_depth IN (%(depth)s - 1, %(depth)s)
      AND unit_path >= %(start)s AND unit_path < %(end)s AND indicator_id = ANY(%(indicators)s)
"""


def answer_alone(cursor, parent: str, period: str, indicators: list[int], bounds) -> dict:
    """(d), a floor for any method: the answer's figures as already stored (one month's
    subtotal rows of the parent and its children: a row per unit and indicator, where the
    children have subtotals, as a province's communes do) and the targets as (b) reads them,
    fetched and decoded, nothing computed."""
    depth = len(parent) // STEP + 1
    cursor.execute(
        _STORED,
        {"period": period, "depth": depth, "start": parent, "end": subtree_end(parent),
         "indicators": indicators},
    )  # fmt: skip
    figures = cursor.fetchall()
    answer = _answer(cursor, [], parent, depth, bounds)
    return {"figures": len(figures), "targets": len(answer["targets"])}


def loop(cursor, parent: str, periods: list[str], indicators: list[int], bounds) -> dict:
    """(a): the children's paths, then one query per child on its own range."""
    depth = len(parent) // STEP + 1
    cursor.execute(
        "SELECT path FROM org_orgunit WHERE depth = %s AND path >= %s AND path < %s ORDER BY path",
        [depth, parent, subtree_end(parent)],
    )
    children = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT indicator_id, unit_path, period, value, NULL FROM figures_result "
        "WHERE period = ANY(%s) AND unit_depth = %s AND unit_path = %s AND indicator_id = ANY(%s)",
        [periods, depth - 1, parent, indicators],
    )
    rows = cursor.fetchall()  # the parent's own values
    for child in children:
        cursor.execute(
            _BELOW.format(bucket="%(child)s::text", depths="%(depth)s, %(depth)s + 1"),
            {"depth": depth, "periods": periods, "start": child, "end": subtree_end(child),
             "indicators": indicators, "child": child},
        )  # fmt: skip
        rows += cursor.fetchall()
    return _answer(cursor, rows, parent, depth, bounds)


def _copy_out(url: str, sql: str, csv) -> None:
    import psycopg

    with csv.open("wb") as out, psycopg.connect(url) as pg, pg.cursor() as cursor:
        copy_out = cursor.copy(f"COPY ({sql}) TO STDOUT")
        with copy_out as copy:
            for block in copy:
                out.write(block)


class DuckBaseline:
    """(c): the results and targets exported once to Parquet, then the same GROUP BY."""

    def __init__(self, url: str, folder):
        import time

        import duckdb

        started = time.perf_counter()
        self.db = duckdb.connect()
        for name, sql, columns in (
            (
                "r",
                "SELECT unit_path, unit_depth, indicator_id, period, value FROM figures_result",
                "'unit_path': 'VARCHAR', 'unit_depth': 'INTEGER', 'indicator_id': 'INTEGER', "
                "'period': 'VARCHAR', 'value': 'DECIMAL(24,6)'",
            ),
            (
                "t",
                "SELECT u.path, u.depth, t.indicator_id, t.period_start, t.period_end, t.value "
                "FROM figures_target t JOIN org_orgunit u ON u.id = t.unit_id",
                "'path': 'VARCHAR', 'depth': 'INTEGER', 'indicator_id': 'INTEGER', "
                "'period_start': 'DATE', 'period_end': 'DATE', 'value': 'DECIMAL(24,6)'",
            ),
        ):
            csv, parquet = folder / f"{name}.csv", folder / f"{name}.parquet"
            _copy_out(url, sql, csv)
            self.db.execute(
                f"COPY (SELECT * FROM read_csv('{csv}', delim='\\t', header=false, "
                f"columns={{{columns}}})) TO '{parquet}' (FORMAT parquet)"
            )
            csv.unlink()
            self.db.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{parquet}')")
        self.export_s = time.perf_counter() - started

    def ask(self, parent: str | None, periods: list[str], indicators: list[int], bounds):
        depth = len(parent) // STEP + 1 if parent else 1
        where = f"starts_with(unit_path, '{parent}') AND " if parent else ""
        rows = self.db.execute(
            f"SELECT indicator_id, substr(unit_path, 1, {depth * STEP}), period, "
            f"max(value) FILTER (WHERE unit_depth <= {depth}), "
            f"sum(value) FILTER (WHERE unit_depth = {depth + 1}) FROM r "
            f"WHERE {where}unit_depth BETWEEN {depth - 1} AND {depth + 1} AND period IN "
            f"({', '.join(repr(p) for p in periods)}) AND indicator_id IN "
            f"({', '.join(str(i) for i in indicators)}) GROUP BY 1, 2, 3"
        ).fetchall()
        target_where = f"starts_with(path, '{parent}') AND " if parent else ""
        targets = self.db.execute(
            f"SELECT path, indicator_id, value FROM t WHERE {target_where}"
            f"depth IN ({depth - 1}, {depth}) AND period_start <= ? AND period_end >= ?",
            list(bounds),
        ).fetchall()
        return {
            **_standings(rows, parent),
            "targets": {(p, i): v for p, i, v in targets},
        }
