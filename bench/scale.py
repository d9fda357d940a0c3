"""National scale (issue 5): load a synthetic country into PostgreSQL, then time the live
roll-ups the pages run, against two baselines measured in the same run: the straightforward
ORM loop (one query per child unit) and DuckDB scanning the same rows exported to Parquet.

XASO_BENCH_SCALE = S | M | L (L: 34 provinces × 100 communes × 20 villages, 50 indicators,
12 months ≈ 41 million results). XASO_BENCH_PG = server URL without the database name.
XASO_BENCH_REUSE=1 keeps an already loaded database (the load is then not measured).
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

SCALES = {"S": (2, 20, 10, 20), "M": (4, 100, 20, 50), "L": (34, 100, 20, 50)}
MONTH, YTD = "2024-06", [f"2024-{m:02d}" for m in range(1, 7)]
REPEATS = 9


def _median_ms(function, repeats: int = REPEATS) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def _prepare(scale: str, server: str, reuse: bool, data_dir: str) -> tuple[str, dict | None]:
    provinces, communes, villages, indicators = SCALES[scale]
    name = f"xaso_bench_{scale.lower()}"
    if reuse:
        return f"{server}/{name}", None
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    env = {**os.environ, "DATABASE_URL": f"{server}/{name}", "XASO_DATA_DIR": data_dir}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [
        str(Path(sys.executable).with_name("xaso")),
        "synth",
        f"--provinces={provinces}",
        f"--communes-per-province={communes}",
        f"--villages-per-commune={villages}",
        f"--indicators={indicators}",
        "--periods=2024",
        "--json",
    ]
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603
    report = json.loads(done.stdout.strip().splitlines()[-1])
    report["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return f"{server}/{name}", report


def _setup_django(url: str, data_dir: str) -> None:
    os.environ.update(
        DATABASE_URL=url,
        XASO_DATA_DIR=data_dir,
        XASO_SECRET_KEY="bench-only",
        DJANGO_SETTINGS_MODULE="xaso.settings",
        XASO_ALLOWED_HOSTS="testserver",
    )
    import django

    django.setup()


def _duckdb(url: str, folder: Path, paths: dict) -> dict:
    """Export the results to Parquet and time DuckDB's scans of the same questions."""
    import duckdb

    csv, parquet = folder / "results.csv", folder / "results.parquet"
    started = time.perf_counter()
    with psycopg.connect(url) as connection, connection.cursor() as cursor, csv.open("wb") as out:
        sql = "COPY (SELECT unit_path, indicator_id, period, value FROM figures_result) TO STDOUT"
        with cursor.copy(sql) as copy:
            for block in copy:
                out.write(block)
    db = duckdb.connect()
    db.execute(
        f"COPY (SELECT * FROM read_csv('{csv}', delim='\\t', header=false, columns={{"
        "'unit_path': 'VARCHAR', 'indicator_id': 'INTEGER', 'period': 'VARCHAR', "
        f"'value': 'DECIMAL(24,6)'}})) TO '{parquet}' (FORMAT parquet)"
    )
    export_s = time.perf_counter() - started
    csv.unlink()
    db.execute(f"CREATE VIEW r AS SELECT * FROM read_parquet('{parquet}')")

    def query(where: str, key_length: int):
        return db.execute(
            f"SELECT indicator_id, substr(unit_path, 1, {key_length}) AS bucket, "
            f"sum(value), count(*), min(value), max(value) FROM r WHERE {where} "
            "GROUP BY 1, 2"
        ).fetchall()

    province = paths["province"]
    months = ", ".join(f"'{m}'" for m in YTD)
    return {
        "export_s": export_s,
        "province": _median_ms(
            lambda: query(f"period = '{MONTH}' AND starts_with(unit_path, '{province}')", 8)
        )[0],
        "national": _median_ms(lambda: query(f"period = '{MONTH}'", 4), 5)[0],
        "province_ytd": _median_ms(
            lambda: query(f"period IN ({months}) AND starts_with(unit_path, '{province}')", 8)
        )[0],
        "national_ytd": _median_ms(lambda: query(f"period IN ({months})", 4), 5)[0],
    }


def _orm_loop(province, period, indicators) -> dict:
    """Baseline (a): the straightforward way, one aggregate query per child unit."""
    from django.db.models import Sum

    from xaso.figures.models import Result
    from xaso.org.selectors import children

    totals: dict[int, object] = {}
    for child in children(province):
        rows = (
            Result.objects.filter(
                unit__path__startswith=child.path, period=period.code, indicator__in=indicators
            )
            .values("indicator_id")
            .annotate(total=Sum("value"))
        )
        for row in rows:
            totals[row["indicator_id"]] = totals.get(row["indicator_id"], 0) + row["total"]
    return totals


def _explain(province, period) -> str:
    """The plans of the province roll-up: the very queries `rollup` sends."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xaso.catalog.models import Indicator
    from xaso.figures.selectors import rollup

    indicators = list(Indicator.objects.filter(code__startswith="syn-"))
    with CaptureQueriesContext(connection) as captured:
        rollup(province, period, indicators)
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return "\n\n".join(plans)


def run() -> str:
    scale = os.environ.get("XASO_BENCH_SCALE", "M").upper()
    server = os.environ.get("XASO_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    reuse = os.environ.get("XASO_BENCH_REUSE") == "1"
    with tempfile.TemporaryDirectory() as tmp:
        url, load = _prepare(scale, server, reuse, tmp)
        _setup_django(url, tmp)
        return _measure(scale, url, load, Path(tmp))


def _measure(scale: str, url: str, load: dict | None, folder: Path) -> str:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from xaso.catalog.models import Indicator
    from xaso.figures.models import Result
    from xaso.figures.selectors import rollup, targets_containing, unit_overview
    from xaso.figures.services import record_result
    from xaso.org.models import OrgUnit
    from xaso.periods import parse_period

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    results = Result.objects.count()
    province = OrgUnit.objects.get(code="S01")
    indicators = list(Indicator.objects.filter(code__startswith="syn-").order_by("code"))
    month, year = parse_period(MONTH), parse_period("2024")
    months = [parse_period(code) for code in YTD]
    villages = OrgUnit.objects.filter(path__startswith=province.path, depth=3).count()

    rollup(province, month, indicators)  # warm
    first = indicators[0]
    t = {}
    # As the unit page runs it: the province's figures for every indicator, and the
    # breakdown by commune of the one indicator the officer opened.
    t["province"], figures = _median_ms(
        lambda: rollup(province, month, indicators, breakdown=[first])
    )
    t["province_all"], _ = _median_ms(lambda: rollup(province, month, indicators))
    t["province_page_selector"], _ = _median_ms(
        lambda: unit_overview(province, month, inline_children=30, chosen=first.code)
    )
    t["national"], _ = _median_ms(lambda: rollup(None, month, indicators), 5)
    t["province_ytd"], _ = _median_ms(
        lambda: (
            rollup(province, year, indicators, months=months, breakdown=[first]),
            targets_containing([province], months[-1]),
        )
    )
    t["province_ytd_all"], _ = _median_ms(
        lambda: (
            rollup(province, year, indicators, months=months),
            targets_containing([province], months[-1]),
        )
    )
    t["national_ytd"], _ = _median_ms(lambda: rollup(None, year, indicators, months=months), 5)
    # The baseline is slow at scale (seconds per child): timed once.
    t["orm_loop"], loop_totals = _median_ms(lambda: _orm_loop(province, month, indicators), 1)
    assert loop_totals[first.pk] == figures.figures[first.pk].value  # same answer

    user = get_user_model().objects.filter(username="bench").first()
    user = user or get_user_model().objects.create_superuser("bench", password=None)
    client = Client()
    client.force_login(user)
    page = client.get(f"/units/{province.code}/?period={MONTH}")
    assert page.status_code == 200, page.status_code
    t["page"], _ = _median_ms(lambda: client.get(f"/units/{province.code}/?period={MONTH}"))
    opened = f"/units/{province.code}/?period={MONTH}&indicator={first.code}"
    assert client.get(opened).status_code == 200
    t["page_opened"], _ = _median_ms(lambda: client.get(opened))

    village = OrgUnit.objects.filter(path__startswith=province.path, depth=3).order_by("path")[7]
    before = figures.figures[first.pk].value
    own = Result.objects.get(unit_path=village.path, indicator=first, period=MONTH).value
    started = time.perf_counter()
    record_result(unit=village, indicator=first, period=month, value=own + 1000)
    after = rollup(province, month, indicators).figures[first.pk].value
    live_ms = (time.perf_counter() - started) * 1000
    assert after == before + 1000
    record_result(unit=village, indicator=first, period=month, value=own)
    # What keeping subtotals live costs a write: one value, its village's ancestors refreshed.
    bump = iter(range(1, 1000))
    t["write"], _ = _median_ms(
        lambda: record_result(unit=village, indicator=first, period=month, value=own + next(bump))
    )
    record_result(unit=village, indicator=first, period=month, value=own)
    plan = _explain(province, month)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    duck = _duckdb(url, folder, {"province": province.path})
    return _report(scale, results, villages, len(indicators), load, t, duck, live_ms, rss_mb, plan)


def _report(scale, results, villages, indicators, load, t, duck, live_ms, rss_mb, plan) -> str:
    def row(what, ms, target, duck_ms=None):
        ratio = f"{ms / duck_ms:.1f}×" if duck_ms else "—"
        duck_text = f"{duck_ms:.1f}" if duck_ms else "—"
        return f"| {what} | **{ms:.1f}** | {target} | {duck_text} | {ratio} |"

    lines = [
        f"## National scale (issue 5): scale {scale}, PostgreSQL",
        "",
        f"{results:,} results; a province of {villages:,} villages, {indicators} indicators, "
        "month 2024-06 (year-to-date: January–June against the 2024 targets). Times are "
        f"medians of {REPEATS} runs (5 for national) measured in the Python process, so they "
        "include the queries, their transfer and the Python that makes figures of the rows. "
        "DuckDB answers each question by scanning the province's (or country's) raw results "
        "grouped by indicator and child unit; it reads the same rows whatever part of the "
        "answer is shown, so its one time stands beside both the page's and the full roll-up.",
        "",
    ]
    if load:
        lines += [
            f"Load (`xaso synth`, COPY into the empty table, then its two indexes built): "
            f"{load['results']:,} results in {load['result_seconds']:.0f} s = "
            f"**{load['rows_per_second']:,.0f} rows/s** (target ≥ 200,000), of which COPY "
            f"{load['result_seconds'] - load['index_seconds']:.0f} s = "
            f"{load['results'] / (load['result_seconds'] - load['index_seconds']):,.0f} rows/s "
            f"and the index builds {load['index_seconds']:.0f} s. Then "
            f"{load['subtotals']:,} subtotal rows built from the results in "
            f"{load['subtotal_seconds']:.0f} s (set-based SQL, once per load); whole command "
            f"{load['seconds']:.0f} s; peak RSS {load['peak_rss_mb']:.0f} MB.",
            "",
        ]
    else:
        lines += ["Load: database reused (XASO_BENCH_REUSE=1), not measured in this run.", ""]
    lines += [
        "| measure | xaso ms | target | DuckDB ms | xaso ÷ DuckDB |",
        "|---|---|---|---|---|",
        row(
            "province roll-up as the unit page runs it: 50 figures + one indicator by commune",
            t["province"],
            "≤ 50",
            duck["province"],
        ),
        row(
            "province roll-up, every indicator by commune (5,050 figures)",
            t["province_all"],
            "—",
            duck["province"],
        ),
        row("province, unit page selectors (`unit_overview`)", t["province_page_selector"], "—"),
        row(
            "national roll-up: 34 provinces × 50 indicators",
            t["national"],
            "≤ 1000",
            duck["national"],
        ),
        row(
            "province year-to-date (6 months) vs yearly targets, as the page would",
            t["province_ytd"],
            "≤ 100",
            duck["province_ytd"],
        ),
        row(
            "province year-to-date, every indicator by commune",
            t["province_ytd_all"],
            "—",
            duck["province_ytd"],
        ),
        row("national year-to-date", t["national_ytd"], "≤ 2000", duck["national_ytd"]),
        row("province unit page, request → HTML", t["page"], "≤ 150"),
        row("the same page with one indicator's breakdown opened", t["page_opened"], "≤ 150"),
        row("baseline (a): ORM loop over the 100 communes (one run)", t["orm_loop"], "—"),
        "",
        f"xaso is {t['orm_loop'] / t['province']:.1f}× faster than the ORM loop on the province "
        f"roll-up. DuckDB export of all results to Parquet took {duck['export_s']:.0f} s "
        "(not part of any roll-up).",
        "",
        f"Live: recording a village's value and reading the province roll-up again took "
        f"{live_ms:.1f} ms together, and the new value was in that very next query. One "
        f"write alone (the value, its audit entry, and the subtotals of its commune and "
        f"province refreshed in the same transaction): {t['write']:.1f} ms median.",
        "",
        f"Peak RSS of the benchmark process (it plays the server: queries, pages): "
        f"{rss_mb:.0f} MB.",
        "",
        "EXPLAIN ANALYZE of the province roll-up's two queries (subtotal rows of the "
        "province and its communes; own results of units without a subtotal row):",
        "",
        "```",
        plan,
        "```",
        "",
    ]
    return "\n".join(lines)
