"""`xaso report`: a unit's report for a period as DOCX, PDF, XLSX or Markdown.

The same service as the "Tạo báo cáo" page (`publishing.reports.write_report`): the report is
written from the figures as they stand; nothing is stored.
"""

import sys
from pathlib import Path

from xaso.cli.common import CommandError, setup_django, typed_period
from xaso.cli.units import acting_user, add_as_option, resolve_readable_unit

ISSUERS = {"ubnd": "state", "dang-uy": "party"}


def cmd_report(args) -> int:
    setup_django()
    from xaso.formkit import read_day
    from xaso.publishing.contents import ReportKind
    from xaso.publishing.reports import ReportError, default_issuer, write_report

    period = typed_period(args.period)
    unit = resolve_readable_unit(args.unit, args.as_user)
    try:
        day = read_day(args.date) if args.date else None
    except ValueError as error:
        raise CommandError(f"--date: {error}") from None
    if args.output is None and args.format != "md":
        raise CommandError(f"Tệp {args.format.upper()} cần nơi ghi: thêm -o TỆP.")
    try:
        written = write_report(
            user=acting_user(args.as_user),
            unit=unit,
            period=period,
            fmt=args.format,
            kind=ReportKind(args.kind) if args.kind else None,
            issuer=ISSUERS[args.issuer] if args.issuer else default_issuer(unit),
            day=day,
        )
    except ReportError as error:
        raise CommandError(str(error)) from None
    if args.output is None:
        sys.stdout.write(written.content.decode("utf-8"))
        return 0
    Path(args.output).write_bytes(written.content)
    print(f"Đã ghi {args.output} ({len(written.content):,} byte).".replace(",", "."))
    return 0


def add_report(sub) -> None:
    report = sub.add_parser("report", help="a unit's report for a period (DOCX, PDF, XLSX, MD)")
    report.add_argument("unit", help="code or name, e.g. '42.huong-khe.tt' or 'Hà Linh'")
    report.add_argument("--period", required=True, help="e.g. 2020-H1, 2022-11, 2022")
    report.add_argument(
        "--kind",
        choices=["thang", "so-ket", "tong-ket"],
        help="monthly, interim or year-end report (default: from the period)",
    )
    report.add_argument("--format", choices=["docx", "pdf", "xlsx", "md"], default="docx")
    report.add_argument(
        "--issuer",
        choices=list(ISSUERS),
        help="People's Committee (NĐ 30/2020) or party committee (HD 36) layout",
    )
    report.add_argument("--date", help="the report's date, dd/mm/yyyy (default: today)")
    report.add_argument("-o", "--output", help="file to write (Markdown goes to stdout without)")
    add_as_option(report)
    report.set_defaults(func=cmd_report)
