"""`xaso export`, `xaso import`, `xaso code-mappings`: figures out to and in from files.

The same services as the web and the API: `exchange.dhis2`, `exchange.adx`,
`exchange.qcvn125`, flat figures tables in XLSX and CSV (`exchange.flat`), a form's
template (`exchange.sheets`) and the
import core `exchange.values.import_values` (all or nothing, a row-by-row report).
"""

import json
import sys
from pathlib import Path

from xaso.cli.common import CommandError, setup_django, typed_period
from xaso.cli.units import acting_user, add_as_option, resolve_readable_unit

FORMATS = ["xlsx", "csv", "dhis2-json", "dhis2-csv", "adx", "qcvn125"]
BINARY = {"xlsx", "adx"}


def export_content(fmt, user, unit, period, *, system=None, children_only=False) -> bytes:
    """The file of a unit's figures for a period in a format, or CommandError."""
    from django.core.exceptions import PermissionDenied

    from xaso.exchange import adx, dhis2, flat, qcvn125
    from xaso.exchange.codes import CodeError

    try:
        figures = dhis2.exported_figures(user, unit, period, children_only=children_only)
        if not figures:
            raise CommandError(f"{unit.full_name} không có số liệu {period.label} để xuất.")
        match fmt:
            case "xlsx":
                return flat.write_xlsx(figures)
            case "csv":
                return flat.write_csv(figures).encode("utf-8")
            case "dhis2-json":
                return dhis2.write_json(figures, system).encode("utf-8")
            case "dhis2-csv":
                return dhis2.write_csv(figures, system).encode("utf-8")
            case "adx":
                return adx.write_adx(figures, system, data_set=system or "xaso")
            case "qcvn125":
                return qcvn125.write_packet(figures, unit, period, system).encode("utf-8")
    except (CodeError, PermissionDenied) as error:
        raise CommandError(str(error)) from None
    raise CommandError(f"Không biết định dạng {fmt}.")


def cmd_export(args) -> int:
    setup_django()
    period = typed_period(args.period)
    unit = resolve_readable_unit(args.unit, args.as_user)
    if args.output is None and args.format in BINARY:
        raise CommandError(f"Tệp {args.format.upper()} cần nơi ghi: thêm -o TỆP.")
    content = export_content(
        args.format, acting_user(args.as_user), unit, period,
        system=args.system, children_only=args.children,
    )  # fmt: skip
    if args.output is None:
        sys.stdout.write(content.decode("utf-8"))
        return 0
    Path(args.output).write_bytes(content)
    print(f"Đã ghi {args.output} ({len(content):,} byte).".replace(",", "."))
    return 0


def guess_format(path: Path, content: bytes) -> str:
    """The format of a file, from its extension and, for JSON and CSV, its first bytes."""
    suffix = path.suffix.lower()
    head = content[:4096].decode("utf-8", "replace").lstrip("\ufeff \r\n\t")
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".xml" or head.startswith("<"):
        return "adx"
    if suffix == ".json" or head.startswith("{"):
        return "qcvn125" if '"LoaiGoiTin"' in head else "dhis2-json"
    if head.lower().startswith("dataelement"):
        return "dhis2-csv"
    if suffix == ".csv":
        return "csv"
    raise CommandError(f"Không đoán được định dạng của {path.name}: thêm --format.")


def import_file(path: Path, fmt: str | None, *, user=None, system=None, dry_run=False):
    """Read a file and import it: the ImportReport (a file that cannot be read at all is
    one error of the field "file")."""
    from xaso.exchange import adx, dhis2, flat, qcvn125, sheets
    from xaso.exchange.values import ImportReport, RowError, import_values

    content = path.read_bytes()
    fmt = fmt or guess_format(path, content)
    options = {"system": system, "user": user, "dry_run": dry_run}
    try:
        match fmt:
            case "dhis2-json":
                return dhis2.import_json(content, **options)
            case "dhis2-csv":
                return dhis2.import_csv(content, **options)
            case "adx":
                return adx.import_adx(content, **options)
            case "qcvn125":
                return qcvn125.import_packet(content, **options)
        try:
            rows = _spreadsheet_rows(path, fmt, content)
        except (sheets.SheetError, flat.FlatError) as error:
            raise dhis2.FileError(str(error)) from None
        return import_values(rows, user=user, dry_run=dry_run)
    except dhis2.FileError as error:
        return ImportReport(errors=[RowError(0, "file", str(error))], dry_run=dry_run)


def _spreadsheet_rows(path: Path, fmt: str, content: bytes):
    """A form's template (hidden codes) or a flat figures table, XLSX or CSV."""
    from xaso.exchange import flat, sheets

    if fmt == "csv":
        return flat.read_csv(content)
    try:
        with path.open("rb") as file:
            return sheets.read_template(file)
    except sheets.SheetError:
        return flat.read_xlsx(content)  # not a template: a flat table, or the error is its


def _print_report(report) -> None:
    if report.errors:
        print(f"Không lưu gì: {len(report.errors)} lỗi trong {report.rows} dòng.")
        for error in report.errors:
            print(f"  dòng {error.row}, {error.field}: {error.message}")
        return
    verb = "Sẽ lưu" if report.dry_run else "Đã lưu"
    print(f"{verb} {report.stored} số liệu; {report.unchanged} không đổi; {report.rows} dòng.")


def cmd_import(args) -> int:
    setup_django()
    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"Không có tệp {args.file}.")
    report = import_file(
        path, args.format, user=acting_user(args.as_user), system=args.system,
        dry_run=args.dry_run,
    )  # fmt: skip
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
    else:
        _print_report(report)
    return 1 if report.errors else 0


def cmd_code_mappings(args) -> int:
    setup_django()
    from django.core.exceptions import PermissionDenied

    from xaso.exchange.codes import load_mappings

    try:
        text = Path(args.file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"Không đọc được {args.file}: {error}") from None
    try:
        report = load_mappings(text, user=acting_user(args.as_user))
    except PermissionDenied as error:
        raise CommandError(str(error)) from None
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
    elif report.errors:
        for error in report.errors:
            print(f"  dòng {error.row}, {error.field}: {error.message}")
    else:
        print(f"Đã nạp {report.stored} ánh xạ mã.")
    return 1 if report.errors else 0


def add_export(sub) -> None:
    command = sub.add_parser("export", help="a unit's figures for a period to a file")
    command.add_argument("unit", help="code or name of the unit")
    command.add_argument("--period", required=True, help="e.g. 2022-11, 2022-Q2, 2022")
    command.add_argument("--format", choices=FORMATS, required=True)
    command.add_argument("--system", help="the other system whose code mapping to use")
    command.add_argument(
        "--children", action="store_true", help="the unit and its children only (not deeper)"
    )
    command.add_argument("-o", "--output", help="file to write (text formats: stdout without)")
    add_as_option(command)
    command.set_defaults(func=cmd_export)


def add_import(sub) -> None:
    command = sub.add_parser("import", help="figures from a file: all or nothing")
    command.add_argument("file")
    command.add_argument("--format", choices=FORMATS, help="default: from the file")
    command.add_argument("--system", help="the other system whose code mapping to use")
    command.add_argument("--dry-run", action="store_true", help="check only, store nothing")
    command.add_argument("--json", action="store_true", help="the report as JSON")
    add_as_option(command)
    command.set_defaults(func=cmd_import)


def add_code_mappings(sub) -> None:
    command = sub.add_parser(
        "code-mappings", help="load a code mapping table (CSV: system,kind,xaso_code,other_code)"
    )
    command.add_argument("file")
    command.add_argument("--json", action="store_true")
    add_as_option(command)
    command.set_defaults(func=cmd_code_mappings)
