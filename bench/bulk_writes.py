"""Bulk writes and the data-entry sheet's server cost (issue 20), PostgreSQL.

A database of its own (`h_bulk_bench` unless XASO_BENCH_BULK_DB): one province of COMMUNES
communes × VILLAGES villages, INDICATORS indicators, so one province-month is 100,000 values.
In the same run:

- the set-based path (`figures.batch.write_results`): 100,000 new values of a month, then
  all 100,000 changed, then the same batch again (nothing changed, nothing written); each
  followed by checks — every subtotal equal to a plain GROUP BY over the results, one audit
  entry per value changed;
- the per-value path (`record_result` once per value, in one transaction with the subtotals
  refreshed once at its end, as `import_values` did before issue 20) on a sample of
  OLD_SAMPLE values of the same month, its rate extrapolated to 100,000 (labelled so);
- the entry sheet through Django's request handler in the process (one client): GET a
  village's sheet, POST 10 values written the Vietnamese way, GET the page it redirects to;
  milliseconds (median of ENTRY_SHEETS villages) and queries per request.

`--entry-only` measures the entry sheet alone, with whatever `xaso` is on the path: run with
PYTHONPATH set to an older checkout's `src` to measure "before" (see docs/benchmarks.md).
"""

import gc
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import psycopg

NAME = os.environ.get("XASO_BENCH_BULK_DB", "h_bulk_bench")
COMMUNES, VILLAGES, INDICATORS = 100, 20, 50
OLD_SAMPLE = 2_000
ENTRY_SHEETS, ENTRY_VALUES = 40, 10
MONTH, ENTRY_MONTH = "2024-01", "2024-02"
BEFORE_NOTE = (
    "“Before”: the same entry-sheet measure in the same run on an older checkout "
    "(`XASO_BENCH_BEFORE_SRC` names its `src`; here commit {rev}). The machine is shared: "
    "compare columns of one run, not runs."
)
SEEN = re.compile(r'name="(was_[^"]+)"[^>]*value="([^"]*)"')


def _value(n: int, j: int, shift: int = 0) -> Decimal:
    return Decimal((n * 37 + j * 11 + shift) % 5000) + (Decimal("0.5") if (n + j) % 3 else 0)


def _vn(value: Decimal) -> str:
    integer, _, fraction = f"{value:f}".partition(".")
    grouped = f"{int(integer):,}".replace(",", ".")
    return grouped + ("," + fraction.rstrip("0") if fraction.rstrip("0") else "")


def _build(entry_only: bool):
    from xaso.catalog.services import indicator_upsert
    from xaso.org.models import UnitKind
    from xaso.org.services import unit_create

    province = unit_create(name="Tỉnh thử", kind=UnitKind.PROVINCE, parent=None, code="B")
    villages = []
    for c in range(1, (2 if entry_only else COMMUNES) + 1):
        commune = unit_create(name=f"Xã {c}", kind=UnitKind.COMMUNE, parent=province, code=f"B.{c}")
        for v in range(1, (ENTRY_SHEETS if entry_only else VILLAGES) + 1):
            villages.append(
                unit_create(
                    name=f"Thôn {c}.{v}", kind=UnitKind.VILLAGE, parent=commune, code=f"B.{c}.{v}"
                )
            )
    indicators = [
        indicator_upsert(code=f"ct{j:02d}", name=f"Chỉ tiêu {j}", unit="m", rollup="sum")
        for j in range(1, INDICATORS + 1)
    ]
    return province, villages, indicators


def _oracle_mismatches(period: str) -> int:
    """Subtotal rows whose total or count differs from a GROUP BY of the results below
    (no unit above the villages records its own value here), plus rows missing."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH truth AS (
                SELECT substr(unit_path, 1, 4 * d) AS path, d AS depth, indicator_id,
                       SUM(value) AS total, COUNT(*) AS n
                FROM figures_result, generate_series(1, 2) AS d
                WHERE period = %s AND unit_depth = 3
                GROUP BY 1, 2, 3
            )
            SELECT COUNT(*) FROM truth t
            FULL JOIN (SELECT * FROM figures_subtotal WHERE period = %s) s
              ON s.unit_path = t.path AND s.indicator_id = t.indicator_id
            WHERE s.total IS DISTINCT FROM t.total OR s.reporting IS DISTINCT FROM t.n
            """,
            [period, period],
        )
        return cursor.fetchone()[0]


def _backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) of a process of this machine: the PostgreSQL backend that
    serves the batch. Beside the wall-clock time, it does not move with what else runs."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _bulk(villages, indicators) -> dict:
    from django.db import connection, transaction

    from xaso.figures import subtotals
    from xaso.figures.batch import Write, write_results
    from xaso.figures.models import ResultChange
    from xaso.figures.services import record_result
    from xaso.periods import parse_period

    period = parse_period(MONTH)

    def batch(shift: int) -> list:
        return [
            Write(v, i, period, _value(n, j, shift), "final", _vn(_value(n, j, shift)))
            for n, v in enumerate(villages)
            for j, i in enumerate(indicators)
        ]

    out = {"values": len(villages) * len(indicators)}
    backend = _backend_pid()
    for name, shift in (("insert", 0), ("change", 1), ("again", 1)):
        writes = batch(shift)
        started, client, server = time.perf_counter(), time.process_time(), _cpu_s(backend)
        saved = write_results(writes)
        out[f"{name}_s"] = time.perf_counter() - started
        out[f"{name}_cpu"] = (time.process_time() - client, _cpu_s(backend) - server)
        out[f"{name}_saved"] = saved.saved
        out[f"{name}_mismatches"] = _oracle_mismatches(MONTH)
    out["changes"] = ResultChange.objects.filter(period=MONTH).count()

    # The per-value path on a sample of the same month (every value changed once more).
    sample = [(v, i, n, j) for n, v in enumerate(villages) for j, i in enumerate(indicators)]
    sample = sample[:: len(sample) // OLD_SAMPLE][:OLD_SAMPLE]
    started = time.perf_counter()
    with transaction.atomic(), subtotals.deferred():
        for v, i, n, j in sample:
            record_result(unit=v, indicator=i, period=period, value=_vn(_value(n, j, 2)))
    out["old_s"] = time.perf_counter() - started
    out["old_values"] = len(sample)
    out["old_mismatches"] = _oracle_mismatches(MONTH)

    # The baseline a DBA writes first: one UPDATE of the month's rows by their index key,
    # values sent as arrays. No validation, no audit; subtotals are left as they were, so
    # they disagree with the results afterwards (counted, then rebuilt for what follows).
    keys = [(v.path, v.depth, i.pk, _value(n, j, 3)) for n, v in enumerate(villages)
            for j, i in enumerate(indicators)]  # fmt: skip
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE figures_result r SET value = u.value FROM unnest("
            "%s::text[], %s::int[], %s::bigint[], %s::numeric[]) "
            "AS u(path, depth, indicator, value) WHERE r.period = %s AND "
            "r.unit_depth = u.depth AND r.unit_path = u.path AND r.indicator_id = u.indicator",
            [*map(list, zip(*keys, strict=True)), MONTH],
        )
        out["plain_rows"] = cursor.rowcount
    out["plain_s"] = time.perf_counter() - started
    out["plain_mismatches"] = _oracle_mismatches(MONTH)
    subtotals.rebuild()
    return out


def _entry(villages, indicators) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from xaso.org.models import Role
    from xaso.org.services import membership_grant

    user = get_user_model().objects.create_user("bench-entry", password="x")
    membership_grant(user=user, unit=villages[0].get_parent().get_parent(), role=Role.REPORTER)
    client = Client()
    client.force_login(user)
    timings: dict[str, list] = {"get": [], "post": [], "redirect": []}
    queries: dict[str, list] = {"get": [], "post": [], "redirect": []}
    chosen = indicators[:ENTRY_VALUES]
    for n, village in enumerate(villages[:ENTRY_SHEETS]):
        url = f"/units/{village.code}/entry/"
        for step in ("get", "post", "redirect"):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                if step == "get":
                    page = client.get(url, {"period": ENTRY_MONTH})
                    data = dict(SEEN.findall(page.content.decode()))
                    data["period"] = ENTRY_MONTH
                    for j, indicator in enumerate(chosen):
                        data[f"v_{indicator.code}"] = _vn(_value(n, j))
                        data[f"s_{indicator.code}"] = "final"
                elif step == "post":
                    page = client.post(url, data)
                    assert page.status_code == 302, page.content.decode()[:2000]
                    target = page["Location"]
                else:
                    page = client.get(target)
                    assert f"Đã lưu {ENTRY_VALUES} số liệu" in page.content.decode()
                elapsed = time.perf_counter() - started
            if n >= 5:  # the first sheets warm caches
                timings[step].append(elapsed * 1000)
                queries[step].append(len(captured.captured_queries))
    return {
        step: {"ms": statistics.median(timings[step]), "queries": statistics.median(queries[step])}
        for step in timings
    }


def worker(entry_only: bool) -> None:
    import django

    django.setup()
    gc.freeze()  # as a server worker is set up (xaso.wsgi): startup objects frozen
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", interactive=False, verbosity=0)
    _, villages, indicators = _build(entry_only)
    out = {"entry": _entry(villages, indicators)}
    if not entry_only:
        out["bulk"] = _bulk(villages, indicators)
    print(json.dumps(out))


def measure(entry_only: bool = False, pythonpath: str | None = None) -> dict:
    server = os.environ.get("XASO_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {NAME}")
        admin.execute(f"CREATE DATABASE {NAME}")
    root = Path(__file__).resolve().parent.parent
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            env = {
                **os.environ,
                "DATABASE_URL": f"{server}/{NAME}",
                "XASO_DATA_DIR": data_dir,
                "DJANGO_SETTINGS_MODULE": "xaso.settings",
                "XASO_SECRET_KEY": "bench-bulk-not-secret",
                "PYTHONPATH": f"{pythonpath or root / 'src'}:{root}",
            }
            command = [sys.executable, "-m", "bench.bulk_writes", "--worker"]
            done = subprocess.run(  # noqa: S603 (our own interpreter and module)
                command + (["--entry-only"] if entry_only else []),
                env=env,
                check=True,
                capture_output=True,
                text=True,
                cwd=root,
            )
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {NAME}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cpu_text(cpu: tuple[float, float]) -> str:
    return f"{cpu[0]:.2f} + {cpu[1]:.2f} s"


def run() -> str:
    m = measure()
    before = None
    old_src = os.environ.get("XASO_BENCH_BEFORE_SRC")  # an older checkout's src, optional
    if old_src:
        before = measure(entry_only=True, pythonpath=old_src)["entry"]
    b, e = m["bulk"], m["entry"]
    values = b["values"]
    old_rate = b["old_values"] / b["old_s"]
    lines = [
        "## Bulk writes and the entry sheet's server cost (issue 20)",
        "",
        f"PostgreSQL, a province of {COMMUNES} communes × {VILLAGES} villages, {INDICATORS} "
        f"indicators: one province-month is {values:,} values. Every batch goes through "
        "`figures.batch.write_results` (rows locked, new ones inserted, changed ones updated, "
        "one audit entry per changed value, subtotals refreshed set-based before the commit).",
        "",
        "| write | time | values per second | CPU: Python + PostgreSQL | values per CPU "
        "second | audit entries written | subtotals ≠ GROUP BY |",
        "|---|---|---|---|---|---|---|",
        *(
            f"| {label} | {b[f'{name}_s']:.2f} s | **{values / b[f'{name}_s']:,.0f}** | "
            f"{_cpu_text(b[f'{name}_cpu'])} | {values / sum(b[f'{name}_cpu']):,.0f} | "
            f"{b[f'{name}_saved']:,} | {b[f'{name}_mismatches']} |"
            for name, label in (
                ("insert", f"{values:,} new values, set-based"),
                ("change", f"the {values:,} values all changed, set-based"),
                ("again", "the same batch again (nothing changed)"),
            )
        ),
        f"| one `record_result` call per value (since issue 20 a batch of one), a sample of "
        f"{b['old_values']:,} values changed (one transaction, subtotals once) | "
        f"{b['old_s']:.2f} s; **{values / old_rate:.0f} s "
        f"for {values:,}, extrapolated** | {old_rate:,.0f} | | | {b['old_values']:,} | "
        f"{b['old_mismatches']} |",
        f"| baseline: one plain `UPDATE … FROM unnest(…)` on the index key, no validation, "
        f"no audit, subtotals not refreshed | {b['plain_s']:.2f} s | "
        f"{b['plain_rows'] / b['plain_s']:,.0f} | | | 0 | {b['plain_mismatches']:,} |",
        "",
        "CPU: the bench process's and its PostgreSQL backend's CPU seconds during the batch "
        "(they mostly take turns, so their sum is about the time on an idle machine); values "
        "per CPU second do not move with the machine's other load as the time does.",
        "",
        f"Set-based against per-value: {values / b['change_s'] / old_rate:.0f}× for changed "
        f"values; against the plain UPDATE, which leaves the roll-ups wrong: "
        f"{b['change_s'] / b['plain_s']:.1f}× the time. Audit entries for the month "
        f"afterwards (before the sample): {b['changes']:,} = new + changed, none for the "
        f"repeated batch.",
        "",
        f"Entry sheet, one client, Django's handler in the process (no HTTP server), median "
        f"of {ENTRY_SHEETS - 5} villages after 5 warm-up sheets; each POST saves "
        f"{ENTRY_VALUES} new values:",
        "",
        "| request | ms | queries |" + (" before: ms | before: queries |" if before else ""),
        "|---|---|---|" + ("---|---|" if before else ""),
    ]
    names = {"get": "GET entry sheet", "post": "POST 10 values", "redirect": "GET the unit page"}
    for step, label in names.items():
        line = f"| {label} | {e[step]['ms']:.1f} | {e[step]['queries']:.0f} |"
        if before:
            line += f" {before[step]['ms']:.1f} | {before[step]['queries']:.0f} |"
        lines.append(line)
    if before:
        lines += ["", BEFORE_NOTE.format(rev=os.environ.get("XASO_BENCH_BEFORE_REV", "?"))]
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker("--entry-only" in sys.argv)
    else:
        print(run())
