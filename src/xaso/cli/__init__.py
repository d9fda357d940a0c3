"""The `xaso` command: parses arguments, calls services and selectors, prints.

xaso init                     create the data directory, its secret key and the database
xaso demo [--no-serve]        load the demo data (and serve it on http://127.0.0.1:8000)
xaso serve [--dev]            serve the web application (gunicorn; --dev: Django's server)
xaso show UNIT --period P     a unit's figures, targets and achievement [--json] [--as USER]
xaso createuser NAME --unit U --role R   a user with a role on a unit
xaso backup FILE | restore FILE          the whole database to a file and back
xaso load-admin-units         load the 34 provinces and 3,321 communes of July 2025
xaso manage ARGS...           any Django management command (createsuperuser, ...)

Without --as, the read commands act as the server's operator, who may read every unit.
"""

import argparse
import dataclasses
import getpass
import inspect
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from xaso.env import env_bool, env_int, env_str


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
    from django.conf import settings

    if settings.STATIC_ROOT:  # WhiteNoise warns about a missing one, even when finding files
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


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
    if args.dev:
        _setup_django()
        host, _, port = args.bind.rpartition(":")
        return _serve(host or "127.0.0.1", int(port))
    # A killed request must not leave its query running: statements get the request's time.
    os.environ.setdefault("XASO_DB_STATEMENT_TIMEOUT", str(args.timeout))
    # Served from the collected, compressed copies, not looked up in the apps.
    os.environ.setdefault("XASO_STATIC_FINDERS", "0")
    _setup_django()
    from django.core.management import call_command
    from django.db import connections

    call_command("collectstatic", interactive=False, verbosity=0)
    warning = _connection_budget_warning(args.workers * args.threads)
    connections.close_all()  # nothing opened here is shared with the workers
    if warning:
        print(warning, file=sys.stderr)
    return _gunicorn(args)


def _serve(host: str, port: int) -> int:
    from django.core.management import call_command

    call_command("runserver", f"{host}:{port}", use_reloader=False, skip_checks=True)
    return 0


def _gunicorn(args) -> int:
    """gunicorn in this process: the arbiter forks the workers that serve xaso.wsgi."""
    from gunicorn.app.base import BaseApplication

    options = {
        "bind": args.bind,
        "workers": args.workers,
        "threads": args.threads,
        # One thread per worker: a request stuck longer than the timeout stops the worker's
        # heartbeat and the arbiter kills it. Threads keep the heartbeat going (docs/deploy.md).
        "worker_class": "gthread" if args.threads > 1 else "sync",
        "timeout": args.timeout,
        "graceful_timeout": args.graceful_timeout,
        "max_requests": args.max_requests,
        "max_requests_jitter": max(args.max_requests // 10, 0),
        "accesslog": "-" if args.access_log else None,
        "errorlog": "-",
        "proc_name": "xaso",
    }

    class Server(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                if value is not None:
                    self.cfg.set(key, value)
            if "control_socket_disable" in self.cfg.settings:  # gunicorn 25.1+: systemd
                self.cfg.set("control_socket_disable", True)  # controls the server instead

        def load(self):
            from xaso.wsgi import application

            return application

    Server().run()
    return 0


def _connection_budget_warning(needed: int) -> str | None:
    """On PostgreSQL, a warning when the workers' connections may not fit the server's."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int,"
            " current_setting('superuser_reserved_connections')::int"
        )
        allowed, reserved = cursor.fetchone()
    spare = allowed - reserved - needed
    if spare >= 10:  # room for the CLI, backups and the task worker
        return None
    return (
        f"Cảnh báo: {needed} kết nối (số tiến trình × số luồng) gần hết giới hạn của PostgreSQL "
        f"(max_connections {allowed}, dành riêng {reserved}). Giảm XASO_WORKERS/XASO_THREADS "
        "hoặc tăng max_connections (docs/deploy.md)."
    )


# ---- backup and restore ------------------------------------------------------------------

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


def _database():
    from django.db import connection

    return connection.vendor, connection.settings_dict


def _describe(vendor: str, db: dict) -> str:
    if vendor == "sqlite":
        return f"SQLite {db['NAME']}"
    return f"PostgreSQL {db['NAME']} ({db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432})"


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    for var, key in [("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")]:
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _run_tool(command: list[str], db: dict, what: str) -> None:
    if shutil.which(command[0]) is None:
        raise CommandError(f"Không tìm thấy {command[0]} (cài gói postgresql-client).")
    done = subprocess.run(  # noqa: S603 — fixed tools, arguments from our own settings
        command, env=_pg_env(db), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise CommandError(f"{what} không thành công:\n{done.stderr.strip()}")


def cmd_backup(args) -> int:
    _setup_django()
    from django.db import connections

    vendor, db = _database()
    target = Path(args.file).resolve()
    if target.exists() and not args.yes:
        raise CommandError(f"Tệp {target} đã có. Thêm --yes để ghi đè.")
    partial = target.with_name(target.name + ".partial")
    if vendor == "sqlite":
        connections.close_all()
        source = sqlite3.connect(db["NAME"])
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)  # consistent even while the server writes
        finally:
            copy.close()
            source.close()
    elif vendor == "postgresql":
        _run_tool(
            ["pg_dump", "--format=custom", f"--file={partial}", f"--dbname={db['NAME']}"],
            db,
            "Sao lưu",
        )
    else:
        raise CommandError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {vendor}.")
    partial.replace(target)
    size = target.stat().st_size / (1024 * 1024)
    print(f"Đã sao lưu {_describe(vendor, db)} vào {target} ({size:.1f} MB).".replace(".", ",", 1))
    return 0


def _backup_kind(path: Path) -> str | None:
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    return None


def _is_xaso_sqlite(path: Path) -> bool:
    try:
        probe = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            row = probe.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
        finally:
            probe.close()
    except sqlite3.DatabaseError:
        return False
    return row is not None


def cmd_restore(args) -> int:
    _setup_django()
    from django.db import connections
    from django.utils import timezone

    vendor, db = _database()
    source = Path(args.file).resolve()
    if not source.is_file():
        raise CommandError(f"Không có tệp {source}.")
    kind = _backup_kind(source)
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    if kind != vendor or (kind == "sqlite" and not _is_xaso_sqlite(source)):
        raise CommandError(
            f"Tệp {source} không phải bản sao lưu {names.get(vendor, vendor)} của xaso "
            "(xaso backup tạo ra)."
        )
    made = timezone.localtime(
        timezone.datetime.fromtimestamp(source.stat().st_mtime, tz=timezone.get_current_timezone())
    )
    plan = (
        f"Sẽ khôi phục {_describe(vendor, db)} từ {source} (sao lưu lúc {made:%H:%M %d/%m/%Y}): "
        "mọi dữ liệu hiện có trong cơ sở dữ liệu này sẽ bị thay bằng dữ liệu của bản sao lưu."
    )
    if not args.yes:
        print(plan, file=sys.stderr)
        print("Chưa làm gì. Chạy lại với --yes để khôi phục.", file=sys.stderr)
        return 2
    print(plan)
    connections.close_all()
    if vendor == "sqlite":
        backup = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
        live = sqlite3.connect(db["NAME"])
        try:
            backup.backup(live)  # replaces every page of the live file, under its lock
        finally:
            live.close()
            backup.close()
    else:
        _run_tool(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={db['NAME']}",
                str(source),
            ],
            db,
            "Khôi phục",
        )
    print("Đã khôi phục. Nếu bản sao lưu cũ hơn phiên bản đang chạy: xaso manage migrate.")
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


def cmd_createuser(args) -> int:
    _setup_django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from xaso.org.services import membership_grant

    User = get_user_model()
    username = args.username.strip()
    if not username:
        raise CommandError("Tên đăng nhập không được để trống.")
    if User.objects.filter(username__iexact=username).exists():
        raise CommandError(f"Đã có người dùng ‘{username}’.")
    unit = resolve_unit(args.unit)
    password = _read_password(args.password_file)
    user = User(username=username, email=args.email or "")
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise CommandError(
            "Mật khẩu không dùng được:\n" + "\n".join(f"  - {m}" for m in _vi_messages(error))
        ) from None
    user.set_password(password)
    grant = {"user": user, "unit": unit, "role": args.role}
    if "by" in inspect.signature(membership_grant).parameters:
        grant["by"] = None  # the server's operator, not a user of xaso
    with transaction.atomic():
        user.save()
        membership_grant(**grant)
    print(f"Đã tạo người dùng {username}, vai trò {ROLE_NAMES[args.role]} tại {unit.full_name}.")
    return 0


ROLE_NAMES = {"manager": "quản lý", "reporter": "báo cáo", "viewer": "xem"}


def _read_password(source: str | None) -> str:
    """From a file's first line ('-': standard input), else asked twice on the terminal."""
    if source == "-":
        line = sys.stdin.readline()
    elif source:
        try:
            line = Path(source).read_text(encoding="utf-8").splitlines()[0:1]
        except (OSError, UnicodeDecodeError):
            raise CommandError(f"Không đọc được tệp mật khẩu {source}.") from None
        line = line[0] if line else ""
    else:
        first = getpass.getpass("Mật khẩu: ")
        if getpass.getpass("Nhập lại mật khẩu: ") != first:
            raise CommandError("Hai lần nhập mật khẩu không khớp.")
        line = first
    password = line.rstrip("\r\n")
    if not password:
        raise CommandError("Mật khẩu không được để trống.")
    return password


def _vi_messages(error) -> list[str]:
    """Django's own words, except where its Vietnamese catalogue has none."""
    out = []
    for item in error.error_list:
        if item.code == "password_too_short":
            out.append(f"Mật khẩu quá ngắn: cần ít nhất {item.params['min_length']} ký tự.")
        else:
            out.extend(item.messages)
    return out


def _acting_user(username: str | None):
    """The user a read command acts for; None: the server's operator, who reads everything."""
    if username is None:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"Không có người dùng ‘{username}’ (hoặc tài khoản đã bị khóa).")
    return user


def resolve_readable_unit(text: str, username: str | None):
    from xaso.org import policy

    user = _acting_user(username)
    unit = resolve_unit(text)
    if user is not None and not policy.can_read(user, unit):
        raise CommandError(f"Người dùng {user.username} không có quyền xem {unit.full_name}.")
    return unit


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
    unit = resolve_readable_unit(args.unit, args.as_user)
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

    unit = resolve_readable_unit(args.unit, args.as_user)
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

    unit = resolve_readable_unit(args.unit, args.as_user)
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


def _add_as(command) -> None:
    command.add_argument(
        "--as",
        dest="as_user",
        metavar="USERNAME",
        help="read as this user: refused for a unit the user may not read. Without it the "
        "command acts as the server's operator and reads every unit.",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xaso", description="xã số — the digital commune")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("init", help="create the data directory and database").set_defaults(
        func=cmd_init
    )
    demo = sub.add_parser("demo", help="load the demo data and serve it (development server)")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--no-serve", action="store_true", help="load and exit")
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser(
        "serve",
        help="serve the web application with gunicorn (--dev: Django's development server)",
        description="Serve xaso in production: gunicorn workers behind a reverse proxy, static "
        "files collected into XASO_STATIC_ROOT and served by WhiteNoise. Each flag's default "
        "comes from the environment variable named in its help (docs/deploy.md).",
    )
    serve.add_argument("--dev", action="store_true", help="Django's development server instead")
    serve.add_argument(
        "--bind", default=env_str("XASO_BIND", "127.0.0.1:8000"), help="XASO_BIND (127.0.0.1:8000)"
    )
    cpus = os.cpu_count() or 1
    for flag, var, default, text in [
        ("--workers", "XASO_WORKERS", min(2 * cpus + 1, 12), "processes; 2 × CPUs + 1, at most 12"),
        ("--threads", "XASO_THREADS", 1, "threads per process; 1 lets --timeout kill a request"),
        ("--timeout", "XASO_TIMEOUT", 60, "seconds before a stuck request's worker is killed"),
        ("--graceful-timeout", "XASO_GRACEFUL_TIMEOUT", 30, "seconds to finish on restart"),
        ("--max-requests", "XASO_MAX_REQUESTS", 1000, "requests before a worker is renewed"),
    ]:
        serve.add_argument(
            flag, type=int, default=env_int(var, default), help=f"{var} ({default}): {text}"
        )
    serve.add_argument(
        "--no-access-log",
        dest="access_log",
        action="store_false",
        default=env_bool("XASO_ACCESS_LOG", default=True),
        help="XASO_ACCESS_LOG (1): one line per request on standard output",
    )
    serve.set_defaults(func=cmd_serve)

    createuser = sub.add_parser(
        "createuser",
        help="create a user with a role on a unit",
        description="Create a user with a role on a unit and its whole subtree. The password "
        "is asked twice, or read from --password-file ('-': standard input). Password rules "
        "apply (10 characters at least, not common, not all digits, not like the name).",
    )
    createuser.add_argument("username")
    createuser.add_argument("--unit", required=True, help="code or name of the unit")
    createuser.add_argument("--role", required=True, choices=["manager", "reporter", "viewer"])
    createuser.add_argument("--password-file", help="first line is the password; '-' for stdin")
    createuser.add_argument("--email", default="")
    createuser.set_defaults(func=cmd_createuser)

    backup = sub.add_parser(
        "backup",
        help="copy the whole database to a file",
        description="SQLite: a consistent copy through SQLite's online backup, safe while the "
        "server runs. PostgreSQL: pg_dump's custom format.",
    )
    backup.add_argument("file")
    backup.add_argument("--yes", action="store_true", help="overwrite the file if it exists")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser(
        "restore",
        help="replace the whole database with a backup",
        description="Says what it would replace and stops, unless --yes is given. PostgreSQL: "
        "pg_restore --clean in one transaction. Stop the server first.",
    )
    restore.add_argument("file")
    restore.add_argument("--yes", action="store_true", help="really replace the database")
    restore.set_defaults(func=cmd_restore)

    show = sub.add_parser("show", help="a unit's figures for a period")
    show.add_argument("unit", help="code or name, e.g. 'Xã Hà Linh' or 'Hà Linh'")
    show.add_argument("--period", required=True, help="e.g. 2022-11, 2020-H1, 2022")
    show.add_argument("--json", action="store_true")
    _add_as(show)
    show.set_defaults(func=cmd_show)

    meetings = sub.add_parser("meetings", help="a unit's meetings, newest first")
    meetings.add_argument("unit")
    meetings.add_argument("--json", action="store_true")
    _add_as(meetings)
    meetings.set_defaults(func=cmd_meetings)

    tasks = sub.add_parser("tasks", help="directives given to a unit and the units below it")
    tasks.add_argument("unit")
    tasks.add_argument("--open", action="store_true", help="only those not done")
    tasks.add_argument("--json", action="store_true")
    _add_as(tasks)
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
    from django.core.exceptions import ImproperlyConfigured

    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except (CommandError, ImproperlyConfigured) as error:
        print(error, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
