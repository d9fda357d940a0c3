"""`xaso backup` and `xaso restore`: the whole database to a file and back.

SQLite through its online backup (safe while the server writes); PostgreSQL through pg_dump's
custom format, restored by pg_restore's --clean script run by psql in one transaction.
"""

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from xaso.cli.common import CommandError, setup_django

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


# pg_restore --clean drops a partition's copy of its table's primary key on its own, which
# PostgreSQL refuses ("cannot drop inherited constraint"; results are partitioned by year,
# figures.partitions): the partitioned tables go first, their partitions with them.
_DROP_PARTITIONED = """
DO $$
DECLARE found regclass;
BEGIN
    FOR found IN SELECT oid FROM pg_class WHERE relkind = 'p' AND NOT relispartition
                 AND relnamespace = 'public'::regnamespace LOOP
        EXECUTE format('DROP TABLE %s CASCADE', found);
    END LOOP;
END $$;
"""


def _restore_postgresql(source: Path, db: dict) -> None:
    """pg_restore writes the --clean script, psql runs it in one transaction after dropping
    the partitioned tables. The script passes through here: psql's input is closed (and the
    transaction committed) only once pg_restore has ended well; else psql is stopped before
    the end of its input and nothing is changed. Their messages go to files, not pipes, so
    that neither waits on a full pipe while the other waits on it."""
    tools = {tool: shutil.which(tool) for tool in ("pg_restore", "psql")}
    for tool, path in tools.items():
        if path is None:
            raise CommandError(f"Không tìm thấy {tool} (cài gói postgresql-client).")
    env = _pg_env(db)
    with tempfile.TemporaryFile() as restore_log, tempfile.TemporaryFile() as apply_log:
        restore = subprocess.Popen(  # noqa: S603 — fixed tools, arguments from our settings
            [tools["pg_restore"], "--clean", "--if-exists", "--no-owner", "--exit-on-error",
             "--file=-", str(source)],
            env=env, stdout=subprocess.PIPE, stderr=restore_log,
        )  # fmt: skip
        apply = subprocess.Popen(  # noqa: S603
            [tools["psql"], "--no-psqlrc", "--quiet", "--single-transaction",
             "--set=ON_ERROR_STOP=1", f"--dbname={db['NAME']}",
             f"--command={_DROP_PARTITIONED}", "--file=-"],
            env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=apply_log,
        )  # fmt: skip
        try:
            shutil.copyfileobj(restore.stdout, apply.stdin, 1 << 20)
        except BrokenPipeError:  # psql stopped at an error: its message says which
            restore.kill()
        restore.stdout.close()
        if restore.wait() != 0 and apply.poll() is None:
            apply.kill()  # before the end of its input: the transaction is rolled back
        with contextlib.suppress(BrokenPipeError):
            apply.stdin.close()
        if apply.wait() != 0 or restore.returncode != 0:
            # pg_restore's own failure, or psql's (pg_restore then killed here, below 0)
            log = restore_log if restore.returncode > 0 else apply_log
            log.seek(0)
            message = log.read().decode(errors="replace").strip()
            raise CommandError(f"Khôi phục không thành công:\n{message}")


def cmd_backup(args) -> int:
    setup_django()
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
    setup_django()
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
        _restore_postgresql(source, db)
    print("Đã khôi phục. Nếu bản sao lưu cũ hơn phiên bản đang chạy: xaso manage migrate.")
    return 0


def add_backup(sub) -> None:
    backup = sub.add_parser(
        "backup",
        help="copy the whole database to a file",
        description="SQLite: a consistent copy through SQLite's online backup, safe while the "
        "server runs. PostgreSQL: pg_dump's custom format.",
    )
    backup.add_argument("file")
    backup.add_argument("--yes", action="store_true", help="overwrite the file if it exists")
    backup.set_defaults(func=cmd_backup)


def add_restore(sub) -> None:
    restore = sub.add_parser(
        "restore",
        help="replace the whole database with a backup",
        description="Says what it would replace and stops, unless --yes is given. PostgreSQL: "
        "pg_restore --clean in one transaction. Stop the server first.",
    )
    restore.add_argument("file")
    restore.add_argument("--yes", action="store_true", help="really replace the database")
    restore.set_defaults(func=cmd_restore)
