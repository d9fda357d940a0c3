"""The `xaso` command: parses arguments, calls services and selectors, prints.

xaso init                     create the data directory, its secret key and the database
xaso demo [--no-serve]        load the demo data (and serve it on http://127.0.0.1:8000)
xaso serve [--port N]         serve the web application
xaso show UNIT --period P     a unit's figures, targets and achievement [--json]
xaso load-admin-units         load the 34 provinces and 3,321 communes of July 2025
xaso manage ARGS...           any Django management command (createsuperuser, ...)
"""

import argparse
import dataclasses
import json
import os
import secrets
import sys
from pathlib import Path


class CommandError(Exception):
    """An error to print for the user (in Vietnamese) before exiting non-zero."""


def _data_dir() -> Path:
    return Path(os.environ.get("XASO_DATA_DIR", "var")).resolve()


def _ensure_secret_key() -> None:
    """Write a random secret key into the data directory once; production sets its own."""
    if os.environ.get("XASO_SECRET_KEY"):
        return
    data_dir = _data_dir()
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xaso.settings")
    if os.environ["DJANGO_SETTINGS_MODULE"] == "xaso.settings":
        _data_dir().mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def _migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def cmd_init(args) -> int:
    _ensure_secret_key()
    _setup_django()
    _migrate()
    print(f"Đã khởi tạo dữ liệu tại {_data_dir()}")
    return 0


def cmd_demo(args) -> int:
    _ensure_secret_key()
    _setup_django()
    _migrate()
    from xaso.demo.loader import load_demo

    report = load_demo()
    print(report.summary())
    if args.no_serve:
        return 0
    print(f"\nxaso đang chạy: http://{args.host}:{args.port}/")
    print(f"Đăng nhập thử: tên {report.username} · mật khẩu {report.password}\n")
    return _serve(args.host, args.port)


def cmd_serve(args) -> int:
    _setup_django()
    return _serve(args.host, args.port)


def _serve(host: str, port: int) -> int:
    from django.core.management import call_command

    call_command("runserver", f"{host}:{port}", use_reloader=False, skip_checks=True)
    return 0


def cmd_load_admin_units(args) -> int:
    _setup_django()
    _migrate()
    from xaso.org.admin_units import load_admin_units

    report = load_admin_units()
    print(
        f"Đã nạp {report.provinces} tỉnh, thành phố và {report.communes} xã, phường, đặc khu "
        f"(mới {report.created}, cập nhật {report.updated}, không đổi {report.unchanged})."
    )
    return 0


def cmd_manage(args) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xaso manage", *args.rest])
    return 0


def resolve_unit(text: str):
    from xaso.org.selectors import find_units

    matches = find_units(text)
    if not matches:
        raise CommandError(f"Không tìm thấy đơn vị ‘{text}’.")
    if len(matches) > 1:
        lines = [f"‘{text}’ khớp với {len(matches)} đơn vị, hãy dùng mã:"]
        lines += [f"  {unit.code}\t{unit.full_name}" for unit in matches]
        raise CommandError("\n".join(lines))
    return matches[0]


def cmd_show(args) -> int:
    _setup_django()
    from xaso.figures.selectors import unit_overview
    from xaso.periods import PeriodError, parse_period

    try:
        period = parse_period(args.period)
    except PeriodError as error:
        raise CommandError(str(error)) from None
    unit = resolve_unit(args.unit)
    overview = unit_overview(unit, period)
    if args.json:
        print(json.dumps(_overview_json(overview), ensure_ascii=False, indent=2))
    else:
        print(_overview_text(overview))
    return 0


def _overview_json(overview) -> dict:
    from xaso.vn.numbers import plain_number

    rows = []
    for line in overview.lines:
        figure = line.figure
        rows.append(
            {
                "indicator": line.indicator.name,
                "indicator_code": line.indicator.code,
                "unit": line.indicator.unit_name,
                "result": plain_number(figure.value) if figure else None,
                "status": ("estimated" if figure.estimated else "final") if figure else None,
                "own": figure.own if figure else None,
                "targets": [
                    {
                        "source": item.target.get_source_display(),
                        "source_code": item.target.source,
                        "period": item.target.period,
                        "value": plain_number(item.target.value),
                        "percent": plain_number(item.percent),
                    }
                    for item in line.achievements
                ],
            }
        )
    return {
        "unit": {
            "code": overview.unit.code,
            "name": overview.unit.full_name,
            "kind": overview.unit.kind,
        },
        "period": {"code": overview.period.code, "label": overview.period.label},
        "rows": rows,
    }


def _overview_text(overview) -> str:
    from xaso.vn.numbers import format_number, format_percent

    out = [f"{overview.unit.full_name} — {overview.period.label} ({overview.period.code})", ""]
    if not overview.lines:
        out.append("Chưa có số liệu cho kỳ này.")
    for line in overview.lines:
        figure = line.figure
        unit_name = line.indicator.unit_name
        if figure is None:
            result = "chưa có số liệu"
        else:
            result = f"{format_number(figure.value)} {unit_name}"
            result += " (ước đạt)" if figure.estimated else ""
        out.append(f"{line.indicator.name}: {result}")
        for item in line.achievements:
            target = item.target
            percent = "" if item.percent is None else f", đạt {format_percent(item.percent)}"
            out.append(
                f"    kế hoạch {format_number(target.value)} {unit_name} — "
                f"{target.get_source_display()} {target.period_label}{percent}"
            )
    return "\n".join(out)


def _attendee_text(attendance) -> str:
    if attendance.person is None:
        return attendance.group
    title = attendance.position.title if attendance.position else ""
    return f"{attendance.person.full_name}, {title}" if title else attendance.person.full_name


def cmd_meetings(args) -> int:
    _setup_django()
    from xaso.meetings.selectors import meetings_for_unit

    unit = resolve_unit(args.unit)
    meetings = list(meetings_for_unit(unit))
    rows = [
        {
            "date": meeting.date.isoformat(),
            "time_of_day": meeting.time_of_day or None,
            "kind": meeting.kind,
            "kind_label": meeting.get_kind_display(),
            "title": meeting.title,
            "host": meeting.host.full_name,
            "place": meeting.place or None,
            "period": meeting.period or None,
            "chairs": [_attendee_text(a) for a in meeting.chairs],
            "directives": meeting.directive_count,
        }
        for meeting in meetings
    ]
    if args.json:
        print(json.dumps({"meetings": rows}, ensure_ascii=False, indent=2))
        return 0
    print(f"Hội nghị của {unit.full_name}: {len(rows)}")
    for meeting, row in zip(meetings, rows, strict=True):
        when = f"{meeting.get_time_of_day_display().lower()} " if meeting.time_of_day else ""
        print(f"\n{when}{meeting.date:%d/%m/%Y} · {row['kind_label']} · {meeting.title}")
        if row["chairs"]:
            print(f"    chủ trì: {'; '.join(row['chairs'])}")
        print(f"    {row['directives']} nhiệm vụ")
    return 0


def cmd_tasks(args) -> int:
    _setup_django()
    from django.utils import timezone

    from xaso.meetings.selectors import task_board

    unit = resolve_unit(args.unit)
    today = timezone.localdate()
    directives = task_board(unit, today=today, open_only=args.open)
    rows = [
        {
            "text": d.text,
            "status": "overdue" if d.is_overdue(today) else d.status,
            "status_label": d.status_label(today),
            "due": d.due_date.isoformat() if d.due_date else None,
            "assigned_to": [u.full_name for u in d.assigned_to.all()],
            "issued_by": _attendee_text(d.issued_by) if d.issued_by else None,
            "meeting_date": d.meeting.date.isoformat(),
            "meeting": d.meeting.title,
        }
        for d in directives
    ]
    if args.json:
        print(json.dumps({"tasks": rows}, ensure_ascii=False, indent=2))
        return 0
    print(f"Nhiệm vụ của {unit.full_name}{' (chưa xong)' if args.open else ''}: {len(rows)}")
    for d, row in zip(directives, rows, strict=True):
        due = f"hạn {d.due_date:%d/%m/%Y}" if d.due_date else "không ghi hạn"
        print(f"\n[{row['status_label']}] {d.text}")
        print(f"    {due} · giao: {', '.join(row['assigned_to'])} · họp {d.meeting.date:%d/%m/%Y}")
    return 0


def cmd_ingest(args) -> int:
    """Read reports into structured data. Pure: needs no database."""
    from xaso.reading import ReadError, read_path

    results, failed = [], 0
    for path in args.files:
        try:
            extraction = read_path(path)
        except (ReadError, OSError) as error:
            failed += 1
            message = str(error) if isinstance(error, ReadError) else "Không mở được tệp."
            print(f"{path}: {message}", file=sys.stderr)
            if args.json:
                results.append({"source": path, "error": message})
            continue
        if args.json:
            results.append(extraction.to_json())
        else:
            print(_extraction_text(extraction))
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    return 1 if failed else 0


def _extraction_text(extraction) -> str:
    from xaso.vn.numbers import format_number

    meeting = extraction.meeting
    when = f"{meeting.date:%d/%m/%Y}" if meeting.date else "không rõ ngày"
    out = [f"== {extraction.source}", f"Hội nghị: {meeting.title or '(không có tiêu đề)'}"]
    out.append(
        f"  ngày {when} · {meeting.time_of_day or '-'} · {meeting.kind or '-'}"
        f" · kỳ {meeting.period or '-'} · nơi họp {meeting.place or '-'}"
    )
    for person in extraction.people:
        out.append(f"  người: {person.name} — {person.position} [{person.role or '-'}]")
    for figure in extraction.figures:
        line = f"  số liệu: {figure.label}: {format_number(figure.value)} {figure.unit_text}"
        if figure.plan is not None:
            line += f" / {format_number(figure.plan)} ({figure.plan_source_text or 'kế hoạch'})"
        if figure.percent_stated is not None:
            check = {True: "khớp", False: "KHÔNG khớp", None: ""}[figure.consistent]
            line += f", ghi {format_number(figure.percent_stated)}% {check}"
        out.append(line)
    for ratio in extraction.ratios:
        achieved = "" if ratio.achieved is None else f"{ratio.achieved}/"
        out.append(f"  tỷ số: {achieved}{ratio.total} {ratio.what}")
    out += [f"  hạn chế: {item}" for item in extraction.limitations]
    out += [f"  nhiệm vụ: {item}" for item in extraction.directives]
    out += [f"  cảnh báo: {item}" for item in extraction.warnings]
    return "\n".join(out)


def cmd_synth(args) -> int:
    _ensure_secret_key()
    _setup_django()
    _migrate()
    from xaso.demo.synth import SynthError, SynthSpec, synth
    from xaso.periods import PeriodError
    from xaso.vn.numbers import format_number

    spec = SynthSpec(
        provinces=args.provinces,
        communes_per_province=args.communes_per_province,
        villages_per_commune=args.villages_per_commune,
        indicators=args.indicators,
        periods=args.periods,
        seed=args.seed,
    )
    try:
        report = synth(spec, progress=(lambda line: None) if args.json else print)
    except (PeriodError, SynthError) as error:
        raise CommandError(str(error)) from None
    if args.json:
        print(json.dumps({**dataclasses.asdict(report), "rows_per_second": report.rows_per_second}))
        return 0
    print(
        f"Đã nạp {format_number(report.units)} đơn vị, {report.indicators} chỉ tiêu, "
        f"{format_number(report.targets)} chỉ tiêu kế hoạch, "
        f"{format_number(report.results)} kết quả "
        f"({format_number(round(report.rows_per_second))} dòng kết quả/giây) và "
        f"{format_number(report.subtotals)} dòng tổng hợp cấp dưới, "
        f"tổng cộng {format_number(round(report.seconds, 1))} giây."
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xaso", description="xã số — the digital commune")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("init", help="create the data directory and database").set_defaults(
        func=cmd_init
    )
    for name, func, help_text in [
        ("demo", cmd_demo, "load the demo data and serve it"),
        ("serve", cmd_serve, "serve the web application"),
    ]:
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("--host", default="127.0.0.1")
        cmd.add_argument("--port", type=int, default=8000)
        if name == "demo":
            cmd.add_argument("--no-serve", action="store_true", help="load and exit")
        cmd.set_defaults(func=func)

    show = sub.add_parser("show", help="a unit's figures for a period")
    show.add_argument("unit", help="code or name, e.g. 'Xã Hà Linh' or 'Hà Linh'")
    show.add_argument("--period", required=True, help="e.g. 2022-11, 2020-H1, 2022")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=cmd_show)

    meetings = sub.add_parser("meetings", help="a unit's meetings, newest first")
    meetings.add_argument("unit")
    meetings.add_argument("--json", action="store_true")
    meetings.set_defaults(func=cmd_meetings)

    tasks = sub.add_parser("tasks", help="directives given to a unit and the units below it")
    tasks.add_argument("unit")
    tasks.add_argument("--open", action="store_true", help="only those not done")
    tasks.add_argument("--json", action="store_true")
    tasks.set_defaults(func=cmd_tasks)

    ingest = sub.add_parser("ingest", help="read reports (text, HTML, DOCX) into structured data")
    ingest.add_argument("files", nargs="+")
    ingest.add_argument("--json", action="store_true")
    ingest.set_defaults(func=cmd_ingest)

    synth = sub.add_parser("synth", help="load a deterministic synthetic country")
    synth.add_argument("--provinces", type=int, required=True)
    synth.add_argument("--communes-per-province", type=int, required=True)
    synth.add_argument("--villages-per-commune", type=int, required=True)
    synth.add_argument("--indicators", type=int, required=True)
    synth.add_argument("--periods", required=True, help="2024 (its 12 months) or 2024-01..2024-06")
    synth.add_argument("--seed", type=int, default=1)
    synth.add_argument("--json", action="store_true", help="print the report as JSON")
    synth.set_defaults(func=cmd_synth)

    sub.add_parser(
        "load-admin-units", help="load the 2025 provinces and communes (offline data)"
    ).set_defaults(func=cmd_load_admin_units)

    manage = sub.add_parser("manage", help="run a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CommandError as error:
        print(error, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
