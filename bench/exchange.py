"""Data exchange in (issue 18): how fast a DHIS2 dataValueSet and a filled-in spreadsheet are
imported, through the same services `xaso import` calls.

A PostgreSQL database of its own: one province > district > commune with VILLAGES villages,
INDICATORS indicators. Measured:

- a DHIS2 JSON dataValueSet of VILLAGES × INDICATORS = 10,000 values for a month with no
  figures yet (`dhis2.import_json`: read, codes translated, every row checked, stored all or
  nothing with its audit entry and the subtotals refreshed), then the same file again (every
  value unchanged, nothing written); and the same set as DHIS2 CSV into another month;
- a 100 × 50 spreadsheet (`exchange.sheets.read_template` then `import_values`), when the
  spreadsheet reader exists.

XASO_BENCH_PG = server URL without the database name (default postgres://postgres@127.0.0.1:5432).
The timing runs in a child process, so that Django is set up on the bench database alone.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

NAME = "xaso_bench_exchange"
VILLAGES, INDICATORS = 200, 50
SHEET_UNITS, SHEET_INDICATORS = 100, 50


def _timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def _value(n: int, j: int) -> str:
    return str((n * 37 + j * 11) % 5000) + (".5" if (n + j) % 3 == 0 else "")


def worker() -> None:
    """In the child: build the tree, time the imports, print JSON."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from xaso.catalog.services import indicator_upsert
    from xaso.exchange import dhis2
    from xaso.figures.models import Result
    from xaso.org.models import UnitKind
    from xaso.org.services import unit_create
    from xaso.periods import parse_period

    province = unit_create(name="Tỉnh thử", kind=UnitKind.PROVINCE, parent=None, code="B")
    district = unit_create(name="Huyện thử", kind=UnitKind.DISTRICT, parent=province, code="B.1")
    commune = unit_create(name="Xã thử", kind=UnitKind.COMMUNE, parent=district, code="B.1.1")
    villages = [
        unit_create(name=f"Thôn {n}", kind=UnitKind.VILLAGE, parent=commune, code=f"B.1.1.{n}")
        for n in range(1, VILLAGES + 1)
    ]
    indicators = [
        indicator_upsert(code=f"ct{j:02d}", name=f"Chỉ tiêu {j}", unit="m", rollup="sum")
        for j in range(1, INDICATORS + 1)
    ]

    def value_set(period: str) -> str:
        values = [
            {"dataElement": i.code, "period": period, "orgUnit": v.code, "value": _value(n, j)}
            for n, v in enumerate(villages)
            for j, i in enumerate(indicators)
        ]
        return json.dumps({"dataValues": values})

    content = value_set("202401")
    read_s, _ = _timed(lambda: dhis2.to_value_rows(dhis2.read_json(content), None))
    json_s, report = _timed(lambda: dhis2.import_json(content))
    assert report.ok and report.stored == VILLAGES * INDICATORS, report.errors[:3]
    again_s, again = _timed(lambda: dhis2.import_json(content))
    assert again.unchanged == VILLAGES * INDICATORS
    figures = dhis2.exported_figures(None, commune, parse_period("2024-01"))
    csv_text = dhis2.write_csv(figures).replace(",202401,", ",202402,")
    csv_s, csv_report = _timed(lambda: dhis2.import_csv(csv_text))
    assert csv_report.stored == VILLAGES * INDICATORS, csv_report.errors[:3]
    stored = Result.objects.filter(period__in=["2024-01", "2024-02"]).count()
    print(
        json.dumps(
            {
                "rows": VILLAGES * INDICATORS,
                "json_s": json_s,
                "read_s": read_s,
                "again_s": again_s,
                "csv_s": csv_s,
                "stored": stored,
                "bytes": len(content),
                "sheet": _sheet(district, indicators),
            }
        )
    )


def _sheet(district, indicators) -> dict:
    """A commune of 100 villages × 50 indicators: its figures written by `xaso export
    --format xlsx` (`exchange.flat`, one row per figure), the figures deleted, the file read
    back by `exchange.flat.read_xlsx` and imported."""
    from xaso.exchange import dhis2, flat
    from xaso.exchange.values import ValueRow, import_values
    from xaso.figures.models import Result, Subtotal
    from xaso.org.models import UnitKind
    from xaso.org.services import unit_create
    from xaso.periods import parse_period

    commune = unit_create(name="Xã bảng tính", kind=UnitKind.COMMUNE, parent=district, code="B.1.2")
    units = [
        unit_create(name=f"Thôn {n}", kind=UnitKind.VILLAGE, parent=commune, code=f"B.1.2.{n}")
        for n in range(1, SHEET_UNITS + 1)
    ]
    rows = [
        ValueRow(0, u.code, i.code, "2024-03", _value(n, j))
        for n, u in enumerate(units)
        for j, i in enumerate(indicators[:SHEET_INDICATORS])
    ]
    assert import_values(rows).ok
    content = flat.write_xlsx(dhis2.exported_figures(None, commune, parse_period("2024-03")))
    Subtotal.objects.filter(period="2024-03").delete()
    Result.objects.filter(period="2024-03").delete()

    def load():
        read = flat.read_xlsx(content)
        return read, import_values(read)

    seconds, (read, report) = _timed(load)
    if not report.ok or report.stored != len(rows):
        return {"skipped": f"stored {report.stored} of {len(rows)}: {report.errors[:2]}"}
    return {"s": seconds, "rows": len(read)}


def _prepare(server: str) -> str:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {NAME}")
        admin.execute(f"CREATE DATABASE {NAME}")
    return f"{server}/{NAME}"


def run() -> str:
    server = os.environ.get("XASO_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    url = _prepare(server)
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            env = {
                **os.environ,
                "DATABASE_URL": url,
                "XASO_DATA_DIR": data_dir,
                "DJANGO_SETTINGS_MODULE": "xaso.settings",
                "XASO_SECRET_KEY": "bench-exchange-not-secret",
            }
            done = subprocess.run(
                [sys.executable, "-m", "bench.exchange", "--worker"],
                env=env,
                check=True,
                capture_output=True,
                text=True,
                cwd=Path(__file__).resolve().parent.parent,
            )
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {NAME}")
    m = json.loads(done.stdout.strip().splitlines()[-1])
    rows = m["rows"]
    sheet = m["sheet"]
    sheet_line = (
        f"| spreadsheet {SHEET_UNITS} × {SHEET_INDICATORS} | not measured: {sheet['skipped']} | |"
        if "skipped" in sheet
        else f"| spreadsheet, {SHEET_UNITS} villages × {SHEET_INDICATORS} indicators (the "
        f"XLSX `xaso export` writes, read and imported) | {sheet['s']:.2f} s | "
        f"{sheet['rows'] / sheet['s']:,.0f} |"
    )
    lines = [
        "## Data exchange in: imports (issue 18)",
        "",
        f"PostgreSQL, one commune of {VILLAGES} villages × {INDICATORS} indicators; each file "
        f"holds {rows:,} values (the JSON {m['bytes'] / 1024:.0f} KB), imported once through "
        "the service `xaso import` calls (every row checked, all or nothing, one audit entry "
        "per value, subtotals refreshed once).",
        "",
        "| import | time | rows per second |",
        "|---|---|---|",
        f"| DHIS2 JSON dataValueSet, {rows:,} new values | {m['json_s']:.2f} s | "
        f"{rows / m['json_s']:,.0f} |",
        f"| — of which reading the file and translating its codes | {m['read_s']:.2f} s | "
        f"{rows / m['read_s']:,.0f} |",
        f"| the same file again (all unchanged, nothing written) | {m['again_s']:.2f} s | "
        f"{rows / m['again_s']:,.0f} |",
        f"| DHIS2 CSV, {rows:,} new values (another month) | {m['csv_s']:.2f} s | "
        f"{rows / m['csv_s']:,.0f} |",
        sheet_line,
        "",
        f"Stored afterwards: {m['stored']:,} figures (two months).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker()
    else:
        print(run())
