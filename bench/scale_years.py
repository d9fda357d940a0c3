"""Scale-up over years (issue 20): the same country loaded for 1, 2, 3 and 5 years of months,
to see what grows with the years and what stays flat, with the results partitioned by year
of period (migration 0009; docs/scale.md). Scale M's shape by default (4 provinces × 100
communes × 20 villages, 50 indicators: 4.8 million results a year); XASO_BENCH_SCALE=L for
scale L's 34 provinces, 41 million a year and about 10 GB of disk a year (the database of the
largest span is made last), written as a section of its own (`scale_years_l`).

For each number of years, a fresh database (`xaso_bench_years`, `xaso_bench_years_l`):
`xaso synth` (load rate, its subtotal rebuild), then in a worker process (set up as a server
worker is): the size of results, subtotals and blocks (quarter, half-year, year); a second
rebuild; and the pages' questions on the last month, the first month, the last year's 12
months pooled and the whole span pooled (a five-year term at 5 years), medians of 9. The
whole span is also asked as its page asks it (with targets) beside the GROUP BY and DuckDB
baselines of bench/scale.py, in the same run: the issue's goal reaches up to a term.

XASO_BENCH_YEARS = "1,2,3,5"; XASO_BENCH_PG = server URL without the database name;
XASO_BENCH_DB = the database's name (default `xaso_bench_years`; it is dropped and made again).
"""

import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from .scale import ratio

# XASO_BENCH_SCALE=L: scale L's 34 provinces (41 million results a year), its own section.
SCALE = os.environ.get("XASO_BENCH_SCALE", "M").upper()
PROVINCES = {"M": 4, "L": 34}
SECTION = "scale_years" if SCALE == "M" else f"scale_years_{SCALE.lower()}"
NAME = os.environ.get("XASO_BENCH_DB") or f"xaso_{SECTION.replace('scale', 'bench')}"
SHAPE = {"provinces": PROVINCES[SCALE], "communes": 100, "villages": 20, "indicators": 50}
FIRST_YEAR = 2024
REPEATS = 9


def _median_ms(function) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def worker(years: int) -> None:
    import django

    django.setup()
    gc.freeze()  # as a server worker is set up (xaso.wsgi)
    from django.db import connection

    from xaso.catalog.models import Indicator
    from xaso.figures import subtotals
    from xaso.figures.selectors import rollup
    from xaso.org.models import OrgUnit
    from xaso.periods import parse_period

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) figures_blocksubtotal")
        cursor.execute(
            # A partitioned table has no storage of its own: its partitions' sizes add up
            # (pg_partition_tree gives a plain table alone).
            "SELECT (SELECT SUM(pg_total_relation_size(relid)) "
            "FROM pg_partition_tree('figures_result'))::bigint, "
            "pg_total_relation_size('figures_subtotal'), "
            "pg_total_relation_size('figures_blocksubtotal'), "
            "(SELECT COUNT(*) FROM figures_result)"
        )
        results_b, subtotals_b, blocks_b, results = cursor.fetchone()
    started = time.perf_counter()
    subtotals.rebuild()
    rebuild_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) figures_subtotal")
        cursor.execute("VACUUM (ANALYZE) figures_blocksubtotal")
    province = OrgUnit.objects.filter(code__startswith="S", depth=1).order_by("path").first()
    indicators = list(Indicator.objects.filter(code__startswith="syn-").order_by("code"))
    last = FIRST_YEAR + years - 1
    months = [
        parse_period(f"{y}-{m:02d}") for y in range(FIRST_YEAR, last + 1) for m in range(1, 13)
    ]
    questions = {
        "last_month": (months[-1], None),
        "first_month": (months[0], None),
        "last_year": (parse_period(str(last)), months[-12:]),
        "whole_span": (months[-1], months),
    }
    timings = {}
    for key, (period, pooled) in questions.items():
        rollup(province, period, indicators, months=pooled)  # warm
        timings[key] = _median_ms(
            lambda p=period, m=pooled: rollup(province, p, indicators, months=m)
        )
    timings |= _whole_span_against_baselines(province, indicators, months, last)
    print(json.dumps({
        "results": results, "results_mb": results_b / 2**20, "subtotals_mb": subtotals_b / 2**20,
        "blocks_mb": blocks_b / 2**20, "rebuild_s": rebuild_s, **timings,
    }))  # fmt: skip


def _whole_span_against_baselines(province, indicators, months, last: int) -> dict:
    """The whole span as a page asks it (the province and its communes pooled over every
    month, with the targets of the last year, `scale.xaso_page`) beside (b) the GROUP BY and
    (c) DuckDB of bench.scale, on the same rows; every sum indicator checked equal."""
    from django.db import connection

    from xaso.catalog.models import Rollup
    from xaso.org.models import OrgUnit
    from xaso.periods import parse_period

    from . import scale_baselines as base
    from .scale import same_sums, xaso_page

    base.STEP = OrgUnit.steplen
    year = parse_period(str(last))
    codes, ids, bounds = (
        [m.code for m in months],
        [i.pk for i in indicators],
        (year.start, year.end),
    )
    xaso_page(province, months[-1], months, indicators)  # warm
    page, (figures, targets) = _timed(lambda: xaso_page(province, months[-1], months, indicators))
    with connection.cursor() as cursor:
        group_by, by_group = _timed(
            lambda: base.group_by(cursor, province.path, codes, ids, bounds)
        )
    with tempfile.TemporaryDirectory() as folder:
        duck = base.DuckBaseline(os.environ["DATABASE_URL"], Path(folder))
        duck.ask(province.path, codes, ids, bounds)  # warm
        duckdb, by_duck = _timed(lambda: duck.ask(province.path, codes, ids, bounds))
    sum_ids = [i.pk for i in indicators if i.rollup == Rollup.SUM]
    for answer in (by_group, by_duck):
        same_sums(figures, answer, sum_ids)
        assert len(answer["targets"]) == len(targets), (len(answer["targets"]), len(targets))
    return {"span_page": page, "span_group_by": group_by, "span_duckdb": duckdb,
            "span_targets": len(targets)}  # fmt: skip


def _timed(function) -> tuple[float, object]:
    """`_median_ms` that keeps the last answer, to check it."""
    answers = []
    ms = _median_ms(lambda: answers.append(function()))
    return ms, answers[-1]


def _one(server: str, years: int) -> dict:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {NAME}")
        admin.execute(f"CREATE DATABASE {NAME}")
    root = Path(__file__).resolve().parent.parent
    last = FIRST_YEAR + years - 1
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            env = {
                **os.environ,
                "DATABASE_URL": f"{server}/{NAME}",
                "XASO_DATA_DIR": data_dir,
                "XASO_SECRET_KEY": "bench-years-not-secret",
                "PYTHONPATH": f"{root / 'src'}:{root}",
            }
            env.pop("DJANGO_SETTINGS_MODULE", None)  # the CLI sets its own
            synth = [
                str(Path(sys.executable).with_name("xaso")), "synth",
                f"--provinces={SHAPE['provinces']}",
                f"--communes-per-province={SHAPE['communes']}",
                f"--villages-per-commune={SHAPE['villages']}",
                f"--indicators={SHAPE['indicators']}",
                f"--periods={FIRST_YEAR}-01..{last}-12", "--json",
            ]  # fmt: skip
            done = subprocess.run(synth, env=env, check=True, capture_output=True, text=True)  # noqa: S603
            load = json.loads(done.stdout.strip().splitlines()[-1])
            command = [sys.executable, "-m", "bench.scale_years", "--worker", str(years)]
            done = subprocess.run(  # noqa: S603 (our own interpreter and module)
                command,
                env={**env, "DJANGO_SETTINGS_MODULE": "xaso.settings"},
                check=True,
                capture_output=True,
                text=True,
                cwd=root,
            )
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {NAME}")
    return {"years": years, "load": load, **json.loads(done.stdout.strip().splitlines()[-1])}


def run() -> str:
    server = os.environ.get("XASO_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    spans = [int(n) for n in os.environ.get("XASO_BENCH_YEARS", "1,2,3,5").split(",")]
    rows = [_one(server, years) for years in spans]
    lines = [
        f"## Scale-up over years (issue 20): one country at scale {SCALE}, "
        f"{spans[0]} to {spans[-1]} years of months",
        "",
        f"Scale {SCALE}'s shape ({SHAPE['provinces']} provinces × {SHAPE['communes']} communes × "
        f"{SHAPE['villages']} villages, {SHAPE['indicators']} indicators), every village "
        f"reporting every month from January {FIRST_YEAR}; results partitioned by year of "
        "period (one partition a year). A fresh PostgreSQL database for each row. Load and its "
        "rebuild by `xaso synth`; then a second rebuild alone; then a province's figures and "
        "its 100 communes' for every indicator (`rollup`), medians of 9, warm. The whole span "
        "pooled is the five-year term at 5 years.",
        "",
        "| years | results | load rows/s | synth's rebuild s | rebuild again s | results MB | "
        "subtotals MB | blocks MB | last month ms | first month ms | last year pooled "
        "ms | whole span pooled ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        load = r["load"]
        rate = load["results"] / load["result_seconds"]
        lines.append(
            f"| {r['years']} | {r['results']:,} | {rate:,.0f} | {load['subtotal_seconds']:.1f} | "
            f"{r['rebuild_s']:.1f} | {r['results_mb']:,.0f} | {r['subtotals_mb']:,.0f} | "
            f"{r['blocks_mb']:,.0f} | {r['last_month']:.1f} | {r['first_month']:.1f} | "
            f"{r['last_year']:.1f} | {r['whole_span']:.1f} |"
        )
    lines += [
        "",
        "The whole span as its page asks it: the province and its 100 communes pooled over "
        "every month (a five-year term at 5 years), with its communes' yearly targets for "
        "the last year (`xaso synth` sets none on provinces), beside the baselines of "
        "bench/scale.py measured "
        "in the same run on the same rows, (b) the GROUP BY over the province's range and (c) "
        "DuckDB over them in Parquet (export not timed); each checked equal to xaso on every "
        "sum indicator and on the targets' count. Medians of 9.",
        "",
        "| years | months | targets | xaso ms | (b) GROUP BY ms | (c) DuckDB ms | xaso vs (b) "
        "| xaso vs (c) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['years']} | {12 * r['years']} | {r['span_targets']:,} | "
            f"**{r['span_page']:.1f}** | {r['span_group_by']:.1f} | {r['span_duckdb']:.1f} | "
            f"{ratio(r['span_page'], r['span_group_by'])} | "
            f"{ratio(r['span_page'], r['span_duckdb'])} |"
        )
    first = rows[0]
    per_year = first["results_mb"] / first["years"]
    lines += [
        "",
        f"Projection in this layout: {per_year:,.0f} MB of results (heap and indexes) a year "
        f"for {first['results'] // first['years']:,} results, about "
        f"{per_year * 2**20 / (first['results'] / first['years']):.0f} bytes a result; 400 "
        f"million results would take about "
        f"{per_year * 2**20 / (first['results'] / first['years']) * 400e6 / 2**30:,.0f} GB "
        f"(docs/scale.md, partitioning).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker(int(sys.argv[-1]))
    else:
        print(run())
