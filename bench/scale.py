"""National scale (issues 5 and 20): load a synthetic country into PostgreSQL, make it less
tidy (bench/scale_realism.py: villages missing, late estimates, communes' own values, targets
at every level), then time the live roll-ups the pages run against the baselines a skilled
engineer would write first, measured in the same run (bench/scale_baselines.py): (a) one
query per child on the results' own path range and depth, (b) one GROUP BY over the parent's
range (the DBA's first query), (c) DuckDB over the same rows in Parquet. Every ratio is
stated against (b) and (c).

Warm medians, and a cold first query: a province no query of the run has read yet, on a
fresh connection, after PostgreSQL restarted and the OS page cache dropped (`_made_cold`:
as root with the server on this machine; XASO_BENCH_COLD=0 skips it — it restarts the
server other work may be using). Where it cannot, "cold-ish": `DISCARD ALL` only, which at
scales S and M, whose tables fit in memory, measures a new backend's empty catalog and plan
caches and pages in the OS cache, not disk reads.

shared_buffers: the bench leaves the server's setting (128 MB, PostgreSQL's default). A
production deployment sets about 25 % of RAM (6 GB on this 23 GB machine) and
effective_cache_size to about 75 %: PostgreSQL reads through the OS page cache, so a larger
share mostly holds the same pages twice and lengthens checkpoints, while 25 % keeps the hot
indexes (subtotals, the results' covering index for recent periods) in its own buffers.

XASO_BENCH_SCALE = S | M | L (L: 34 provinces × 100 communes × 20 villages, 50 indicators,
12 months ≈ 41 million results). XASO_BENCH_PG = server URL without the database name.
XASO_BENCH_REUSE=1 keeps an already loaded database (the load is then not measured).
XASO_BENCH_DB names the database (default `xaso_bench_<scale>`), so that runs from several
checkouts on one server keep apart.
"""

import gc
import json
import os
import resource
import shutil
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
    name = os.environ.get("XASO_BENCH_DB") or f"xaso_bench_{scale.lower()}"
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
    gc.freeze()  # as a server worker is set up (xaso.wsgi): startup objects frozen


def _explain(province, period) -> str:
    """The plans of the province roll-up: the very queries `rollup` sends, replayed in one
    transaction with the settings a read is sent with (figures.subtotals._fetched_serially)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from xaso.catalog.models import Indicator
    from xaso.figures.selectors import rollup

    indicators = list(Indicator.objects.filter(code__startswith="syn-"))
    with CaptureQueriesContext(connection) as captured:
        rollup(province, period, indicators)
    plans = []
    with transaction.atomic(), connection.cursor() as cursor:
        for query in captured.captured_queries:
            # A read may come between statements that set and reset a setting for it.
            *settings, read = query["sql"].split(";\n")[:2]
            for setting in settings:
                cursor.execute(setting)
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + read)
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


def _roughen() -> dict | None:
    """The realism pass, then the subtotals rebuilt; None when the database has it already."""
    from django.db import connection

    from xaso.figures import subtotals
    from xaso.figures.models import BlockSubtotal, Result
    from xaso.org.models import OrgUnit

    from . import scale_realism

    if Result.objects.filter(unit_depth=2).exists():  # a reused, already roughened country
        return None
    started = time.perf_counter()
    with connection.cursor() as cursor:
        changed = scale_realism.roughen(cursor, OrgUnit.steplen)
        cursor.execute("VACUUM (ANALYZE) figures_result")
    rebuild_started = time.perf_counter()
    changed["subtotals"] = subtotals.rebuild()
    changed["rebuild_s"] = time.perf_counter() - rebuild_started
    changed["blocks"] = BlockSubtotal.objects.count()
    changed["bare_rebuild_s"] = _rebuild_without_blocks()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) figures_subtotal")
        cursor.execute("VACUUM (ANALYZE) figures_blocksubtotal")
        cursor.execute("ANALYZE figures_target")
        cursor.execute(
            "SELECT pg_total_relation_size('figures_subtotal') / 1048576.0, "
            "pg_total_relation_size('figures_blocksubtotal') / 1048576.0"
        )
        changed["subtotal_mb"], changed["blocks_mb"] = cursor.fetchone()
    changed["seconds"] = time.perf_counter() - started
    return changed


def _rebuild_without_blocks() -> float:
    """The same rebuild again without making the blocks again (figures.blocks): what keeping
    them costs a rebuild. The subtotals come out the same, so the blocks stay right."""
    from xaso.figures import subtotals

    kept = subtotals._rebuild_blocks
    subtotals._rebuild_blocks = lambda *args: None
    try:
        started = time.perf_counter()
        subtotals.rebuild()
        return time.perf_counter() - started
    finally:
        subtotals._rebuild_blocks = kept


def xaso_page(unit, period, months, indicators):
    """What a page asks: the unit and every child for every indicator, pooled over `months`,
    and the targets of the unit and its children whose period contains the last month, read
    as the unit page reads them (`unit_and_children_targets`)."""
    from xaso.figures.selectors import rollup, unit_and_children_targets
    from xaso.org.selectors import children

    figures = rollup(unit, period, indicators, months=months)
    kids = list(children(unit))
    return figures, unit_and_children_targets(unit, kids, months[-1] if months else period)


def _drawn_anew(client, url):
    """The page as its first viewer gets it: no chart drawn before."""
    from xaso import charts

    charts._DRAWN.clear()
    return client.get(url)


def same_sums(figures, baseline, sum_ids) -> None:
    """xaso and a baseline agree on every child's and the parent's sum indicators."""
    for indicator_id in sum_ids:
        mine = figures.figures.get(indicator_id)
        theirs = baseline["parent"].get(indicator_id)
        assert (mine.value if mine else None) == theirs, (indicator_id, mine, theirs)
    for path, by_indicator in figures.child_figures.items():
        for indicator_id in sum_ids:
            mine = by_indicator.get(indicator_id)
            theirs = baseline["children"].get(path, {}).get(indicator_id)
            assert (mine.value if mine else None) == theirs, (path, indicator_id)


def _questions(province, commune, indicators):
    from xaso.periods import parse_period

    year = parse_period("2024")
    bounds = (year.start, year.end)
    twelve = [parse_period(f"2024-{m:02d}") for m in range(1, 13)]
    ytd = [parse_period(code) for code in YTD]
    return {
        "province_month": (
            "a province's communes, 2024-06, against their yearly targets",
            province, parse_period(MONTH), [parse_period(MONTH)], bounds,
        ),
        "commune_ytd": (
            "a commune's villages, January–June, against their yearly targets",
            commune, year, ytd, bounds,
        ),
        "province_year": (
            "a province's communes, the 12 months of 2024 pooled, against yearly targets",
            province, year, twelve, bounds,
        ),
    }  # fmt: skip


def _measure(scale: str, url: str, load: dict | None, folder: Path) -> str:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from xaso.catalog.models import Indicator, Rollup
    from xaso.figures.models import Result, Target
    from xaso.figures.selectors import rollup, unit_overview
    from xaso.figures.services import record_result
    from xaso.org.models import OrgUnit
    from xaso.periods import parse_period

    from . import scale_baselines as base

    base.STEP = OrgUnit.steplen
    rough = _roughen()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    results = Result.objects.count()
    provinces = list(OrgUnit.objects.filter(code__startswith="S", depth=1).order_by("path"))
    province = provinces[0]
    commune = OrgUnit.objects.filter(path__startswith=province.path, depth=2).order_by("path")[3]
    indicators = list(Indicator.objects.filter(code__startswith="syn-").order_by("code"))
    ids = [i.pk for i in indicators]
    sum_ids = [i.pk for i in indicators if i.rollup == Rollup.SUM]
    month = parse_period(MONTH)
    villages = OrgUnit.objects.filter(path__startswith=province.path, depth=3).count()
    levels = {
        row["unit__depth"]: row["n"]
        for row in Target.objects.filter(unit__code__startswith="S")
        .values("unit__depth")
        .annotate(n=Count("id"))
    }

    cold = _cold_ish(provinces, indicators, ids, month)
    duck = base.DuckBaseline(url, folder)
    t, checks = {}, []
    for key, (_, unit, period, months, bounds) in _questions(province, commune, indicators).items():
        codes = [m.code for m in months]
        pooled = months if len(months) > 1 else None
        xaso_page(unit, period, pooled, indicators)  # warm
        t[key], (figures, targets) = _median_ms(
            lambda u=unit, p=period, m=pooled: xaso_page(u, p, m, indicators)
        )
        with connection.cursor() as cursor:
            t[key + ":b"], by_group = _median_ms(
                lambda u=unit, c=codes, b=bounds: base.group_by(cursor, u.path, c, ids, b)
            )
            t[key + ":a"], by_loop = _median_ms(
                lambda u=unit, c=codes, b=bounds: base.loop(cursor, u.path, c, ids, b), 3
            )
        t[key + ":c"], by_duck = _median_ms(
            lambda u=unit, c=codes, b=bounds: duck.ask(u.path, c, ids, b)
        )
        for answer in (by_group, by_loop, by_duck):
            same_sums(figures, answer, sum_ids)
        assert len(targets) == len(by_group["targets"]) > 0, (len(targets), key)
        checks.append(f"{key}: {len(targets):,} targets")

    year = parse_period("2024")
    ytd = [parse_period(code) for code in YTD]
    t["national"], _ = _median_ms(lambda: rollup(None, month, indicators), 5)
    t["national:c"], _ = _median_ms(lambda: duck.ask(None, [MONTH], ids, (year.start, year.end)), 5)
    t["national_ytd"], _ = _median_ms(lambda: rollup(None, year, indicators, months=ytd), 5)
    t["national_ytd:c"], _ = _median_ms(lambda: duck.ask(None, YTD, ids, (year.start, year.end)), 5)
    with connection.cursor() as cursor:
        t["alone"], alone = _median_ms(
            lambda: base.answer_alone(cursor, province.path, MONTH, ids, (year.start, year.end))
        )
    first = indicators[0]
    t["naive_loop"], _ = _median_ms(lambda: _naive_loop(province, month, indicators), 1)

    user = get_user_model().objects.filter(username="bench").first()
    user = user or get_user_model().objects.create_superuser("bench", password=None)
    client = Client()
    client.force_login(user)
    page = client.get(f"/units/{province.code}/?period={MONTH}")
    assert page.status_code == 200, page.status_code
    plain = f"/units/{province.code}/?period={MONTH}"
    opened = f"/units/{province.code}/?period={MONTH}&indicator={first.code}"
    assert client.get(opened).status_code == 200
    for key, url in (("page", plain), ("page_opened", opened)):
        # Seen again (its charts' drawings kept, xaso.charts), and as if first seen.
        t[key], _ = _median_ms(lambda u=url: client.get(u))
        t[key + ":drawn"], _ = _median_ms(lambda u=url: _drawn_anew(client, u))
    t["selector"], _ = _median_ms(
        lambda: unit_overview(province, month, inline_children=30, chosen=first.code)
    )

    village = (
        OrgUnit.objects.filter(path__startswith=province.path, depth=3)
        .exclude(path__startswith=commune.path)
        .order_by("path")[7]
    )
    own = Result.objects.filter(unit_path=village.path, indicator=first, period=MONTH).first()
    own = own.value if own else 0
    bump = iter(range(1, 1000))
    t["write"], _ = _median_ms(
        lambda: record_result(unit=village, indicator=first, period=month, value=own + next(bump))
    )
    record_result(unit=village, indicator=first, period=month, value=own)
    plan = _explain(province, month)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    facts = {
        "scale": scale, "results": results, "villages": villages, "indicators": len(indicators),
        "load": load, "rough": rough, "levels": levels, "cold": cold, "checks": checks,
        "export_s": duck.export_s, "alone": alone, "rss_mb": rss_mb, "plan": plan,
        "questions": _questions(province, commune, indicators),
    }  # fmt: skip
    return _report(facts, t)


def _made_cold() -> bool:
    """PostgreSQL restarted and the OS page cache dropped, when this process may (root, the
    server on this machine, `pg_ctlcluster`; XASO_BENCH_COLD=0 skips it): the next query
    reads from disk. False when it could not, and the first query is then only cold-ish."""
    if os.environ.get("XASO_BENCH_COLD", "1") == "0" or os.geteuid() != 0:
        return False
    clusters = Path("/etc/postgresql")
    if not shutil.which("pg_ctlcluster") or not clusters.is_dir():
        return False
    version = sorted(clusters.iterdir())[-1].name
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"]
    try:
        subprocess.run(command, check=True, capture_output=True)  # noqa: S603
        subprocess.run(["sync"], check=True)  # noqa: S607
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except (OSError, subprocess.CalledProcessError):
        return False
    return True


def _cold_ish(provinces, indicators, ids, month) -> dict:
    """The first query on a province nothing has read in this run, on a fresh connection:
    after PostgreSQL restarted and the OS cache dropped where this process may (`_made_cold`),
    else after DISCARD ALL. xaso on the last province, the GROUP BY on the one before (when
    there are three or more; else after xaso, on the same province)."""
    from django.db import connection

    from . import scale_baselines as base

    year_bounds = (month.start.replace(month=1, day=1), month.end.replace(month=12, day=31))
    xaso_province = provinces[-1]
    group_province = provinces[-2] if len(provinces) >= 3 else provinces[-1]
    cold = {"xaso_province": xaso_province.code, "group_province": group_province.code}
    connection.close()
    cold["restarted"] = _made_cold()
    with connection.cursor() as cursor:
        cursor.execute("DISCARD ALL")
    started = time.perf_counter()
    xaso_page(xaso_province, month, None, indicators)
    cold["xaso"] = (time.perf_counter() - started) * 1000
    connection.close()
    cold["restarted"] &= _made_cold()
    with connection.cursor() as cursor:
        cursor.execute("DISCARD ALL")
        started = time.perf_counter()
        base.group_by(cursor, group_province.path, [month.code], ids, year_bounds)
        cold["group"] = (time.perf_counter() - started) * 1000
    return cold


def _naive_loop(province, period, indicators) -> dict:
    """The naive loop of round one: one query per commune through the unit table's LIKE."""
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


def ratio(mine: float, theirs: float) -> str:
    return f"{theirs / mine:.1f}× faster" if mine <= theirs else f"{mine / theirs:.1f}× slower"


def _report(f: dict, t: dict) -> str:
    lines = [
        f"## National scale (issues 5, 20): scale {f['scale']}, PostgreSQL",
        "",
        f"{f['results']:,} results; a province of {f['villages']:,} villages, "
        f"{f['indicators']} indicators. Times are medians of {REPEATS} runs (3 for the loop, "
        "5 for national) in the Python process: queries, transfer and the Python that makes "
        "the answer. Every question is answered the same way by each method: each child's "
        "figure (its own value where it recorded one, else its children's sum), the "
        "parent's, and the yearly targets of the parent and children; the run checks that "
        "xaso, (a), (b) and (c) agree on every sum indicator and on the targets' count.",
        "",
    ]
    load, rough = f["load"], f["rough"]
    if load:
        lines += [
            f"Load (`xaso synth`): {load['results']:,} results in {load['result_seconds']:.0f} s"
            f" = **{load['rows_per_second']:,.0f} rows/s** (index builds "
            f"{load['index_seconds']:.0f} s); whole command {load['seconds']:.0f} s; peak RSS "
            f"{load['peak_rss_mb']:.0f} MB.",
            "",
        ]
    else:
        lines += ["Load: database reused (XASO_BENCH_REUSE=1), not measured in this run.", ""]
    if rough:
        lines += [
            f"Realism pass (bench/scale_realism.py, seed 1): {rough['missing']:,} village "
            f"indicator-months removed (never reported), {rough['late']:,} entered late as "
            f"estimates, {rough['overrides']:,} commune values of the commune's own (they "
            f"override its villages), {rough['targets']:,} targets added; then "
            f"{rough['subtotals']:,} subtotal rows rebuilt in {rough['rebuild_s']:.1f} s, "
            f"{rough['blocks']:,} quarter, half-year and year rows made again with them; the same "
            f"rebuild without remaking those {rough['bare_rebuild_s']:.1f} s "
            f"(whole pass {rough['seconds']:.0f} s). On disk: subtotals "
            f"{rough['subtotal_mb']:.0f} MB, blocks {rough['blocks_mb']:.0f} MB.",
            "",
        ]
    kinds = {1: "province", 2: "commune", 3: "village"}
    lines += [
        "Yearly targets by level: "
        + ", ".join(f"{kinds.get(d, d)} {n:,}" for d, n in sorted(f["levels"].items()))
        + " (the synthetic country has no district level). "
        + "; ".join(f["checks"])
        + ".",
        "",
        "| question | xaso ms | (a) loop per child ms | (b) GROUP BY ms | (c) DuckDB ms "
        "| xaso vs (b) | xaso vs (c) |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, (what, *_rest) in f["questions"].items():
        mine, group, duck = t[key], t[key + ":b"], t[key + ":c"]
        lines.append(
            f"| {what} | **{mine:.1f}** | {t[key + ':a']:.1f} | {group:.1f} | {duck:.1f} "
            f"| {ratio(mine, group)} | {ratio(mine, duck)} |"
        )
    for key, what in (("national", "national, 2024-06"), ("national_ytd", "national, Jan–Jun")):
        mine, duck = t[key], t[key + ":c"]
        lines.append(
            f"| {what} (no targets) | **{mine:.1f}** | — | — | {duck:.1f} | — "
            f"| {ratio(mine, duck)} |"
        )
    cold = f["cold"]
    lines += [
        "",
        (
            "Cold (PostgreSQL restarted and the OS page cache dropped before each, a province "
            "not read before in the run, a fresh connection): "
            if cold["restarted"]
            else "Cold-ish (fresh connection, `DISCARD ALL`, a province not read before in the "
            "run; PostgreSQL not restarted, OS cache not dropped): "
        )
        + f"xaso's first province-month page "
        f"on {cold['xaso_province']} took **{cold['xaso']:.1f} ms** (warm median "
        f"{t['province_month']:.1f}); the GROUP BY's first on {cold['group_province']} "
        f"{cold['group']:.1f} ms (warm {t['province_month:b']:.1f}).",
        "",
        f"(d) The answer alone, a floor under any method (the province month): its "
        f"{f['alone']['figures']:,} figures as already stored (the month's subtotal rows of "
        f"the province and its communes) and its {f['alone']['targets']:,} targets, fetched "
        f"and decoded with nothing computed, **{t['alone']:.1f} ms**. Five times faster "
        f"than (b) would be {t['province_month:b'] / 5:.1f} ms; xaso spends "
        f"{t['province_month'] - t['alone']:.1f} ms above this floor, (b) "
        f"{t['province_month:b'] - t['alone']:.1f} ms.",
        "",
        f"Other measures: the province unit page, request → HTML, {t['page']:.1f} ms seen "
        f"again, {t['page:drawn']:.1f} ms with its charts drawn anew (a first view, or its "
        f"figures changed); with one indicator's breakdown opened {t['page_opened']:.1f} ms "
        f"again, {t['page_opened:drawn']:.1f} ms drawn anew; its selectors "
        f"(`unit_overview`) {t['selector']:.1f} ms. One write (`record_result`: value, audit "
        f"entry, subtotals refreshed in the same transaction) {t['write']:.1f} ms median. "
        f"Naive loop of round one (one query per commune through the unit table's LIKE, a "
        f"parallel scan each; kept for comparison only): {t['naive_loop']:.1f} ms. DuckDB "
        f"export to Parquet {f['export_s']:.1f} s (not in any time). Peak RSS "
        f"{f['rss_mb']:.0f} MB.",
        "",
        "EXPLAIN ANALYZE of xaso's province roll-up:",
        "",
        "```",
        f["plan"],
        "```",
        "",
    ]
    return "\n".join(lines)
