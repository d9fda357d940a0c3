"""Documents out (issue 16): how long writing a report takes, through the same service the
page and `xaso report` call (`publishing.reports.write_report`: the reads and the rendering).

A synthetic province in PostgreSQL (`xaso synth`): 100 communes of 20 villages, 60
indicators, January–June 2024 entered monthly at the villages, yearly province targets at
the communes. Measured, each the median of REPEATS runs after one warm-up:

- the six-month report (2024-H1, months added up from January) of one commune as DOCX —
  the target is ≤ 0.5 s — and its parts: reading the contents, and laying them out;
- the province's report as XLSX: 100 communes × 60 indicators, one sheet per indicator's
  breakdown and the trace of the communes' entries — the target is ≤ 2 s;
- the commune's report as PDF once (LibreOffice: a process per file, no target).

XASO_BENCH_PG = server URL without the database name (default postgres://postgres@127.0.0.1:5432).
The timing runs in a child process, so that Django is set up on the bench database alone.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

NAME = "xaso_bench_publishing"
COMMUNES, VILLAGES, INDICATORS = 100, 20, 60
PERIODS = "2024-01..2024-06"
REPEATS = 7


def _median_s(function) -> tuple[float, object]:
    function()  # warm-up: imports, fonts, templates
    times, result = [], None
    for _ in range(REPEATS):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def worker() -> None:
    """In the child: time the service on the bench database, print JSON."""
    import django

    django.setup()
    import datetime as dt

    from xaso.org.models import OrgUnit
    from xaso.periods import parse_period
    from xaso.publishing import docx_out
    from xaso.publishing.contents import report_contents
    from xaso.publishing.reports import write_report

    period, day = parse_period("2024-H1"), dt.date(2024, 7, 5)
    commune = OrgUnit.objects.get(code="S01.001")
    province = OrgUnit.objects.get(code="S01")

    def report(unit, fmt):
        return write_report(user=None, unit=unit, period=period, fmt=fmt, day=day)

    docx_s, docx = _median_s(lambda: report(commune, "docx"))
    contents_s, contents = _median_s(lambda: report_contents(commune, period, day=day))
    layout_s, _ = _median_s(lambda: docx_out.render(contents))
    xlsx_s, xlsx = _median_s(lambda: report(province, "xlsx"))
    province_contents = report_contents(province, period, day=day)
    started = time.perf_counter()
    try:
        pdf = report(commune, "pdf")
        pdf_s, pdf_bytes = time.perf_counter() - started, len(pdf.content)
    except Exception as error:
        pdf_s, pdf_bytes = None, str(error)
    print(
        json.dumps(
            {
                "docx_s": docx_s,
                "docx_bytes": len(docx.content),
                "contents_s": contents_s,
                "layout_s": layout_s,
                "rows": len(contents.rows),
                "children": max((len(b.rows) for b in contents.breakdowns), default=0),
                "xlsx_s": xlsx_s,
                "xlsx_bytes": len(xlsx.content),
                "province_rows": len(province_contents.rows),
                "province_children": max(
                    (len(b.rows) for b in province_contents.breakdowns), default=0
                ),
                "trace": len(province_contents.trace),
                "pdf_s": pdf_s,
                "pdf_bytes": pdf_bytes,
            }
        )
    )


def _prepare(server: str, data_dir: str) -> str:
    url = f"{server}/{NAME}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {NAME}")
        admin.execute(f"CREATE DATABASE {NAME}")
    env = {**os.environ, "DATABASE_URL": url, "XASO_DATA_DIR": data_dir}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [
        str(Path(sys.executable).with_name("xaso")),
        "synth",
        "--provinces=1",
        f"--communes-per-province={COMMUNES}",
        f"--villages-per-commune={VILLAGES}",
        f"--indicators={INDICATORS}",
        f"--periods={PERIODS}",
    ]
    subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603
    return url


def run() -> str:
    server = os.environ.get("XASO_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    with tempfile.TemporaryDirectory() as data_dir:
        url = _prepare(server, data_dir)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "XASO_DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "xaso.settings",
        }
        done = subprocess.run(
            [sys.executable, "-m", "bench.publishing", "--worker"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {NAME}")
    m = json.loads(done.stdout.strip().splitlines()[-1])
    pdf = (
        f"{m['pdf_s']:.2f} s ({m['pdf_bytes'] / 1024:.0f} KB)"
        if m["pdf_s"] is not None
        else f"not converted: {m['pdf_bytes']}"
    )
    lines = [
        "## Documents out: report files (issue 16)",
        "",
        f"A synthetic province in PostgreSQL: {COMMUNES} communes × {VILLAGES} villages, "
        f"{INDICATORS} indicators, months {PERIODS} entered at the villages, yearly targets at "
        f"the communes. `write_report` (reads and layout), median of {REPEATS} after a warm-up.",
        "",
        "| report | target | measured |",
        "|---|---|---|",
        f"| one commune, 2024-H1, DOCX ({m['rows']} indicators, {m['children']} villages, "
        f"chart, appendix) | ≤ 0,5 s | {m['docx_s']:.3f} s ({m['docx_bytes'] / 1024:.0f} KB) |",
        f"| — of which reading the contents | | {m['contents_s']:.3f} s |",
        f"| — of which the DOCX layout | | {m['layout_s']:.3f} s |",
        f"| the province, 2024-H1, XLSX ({m['province_children']} communes × "
        f"{m['province_rows']} indicators, {m['trace']} traced entries) | ≤ 2 s | "
        f"{m['xlsx_s']:.3f} s ({m['xlsx_bytes'] / 1024:.0f} KB) |",
        f"| one commune, 2024-H1, PDF (LibreOffice, once) | — | {pdf} |",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker()
    else:
        print(run())
