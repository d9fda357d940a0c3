"""`xaso backup` and `xaso restore`: a round trip through a file, on SQLite always and on
PostgreSQL when the suite runs on it (in a scratch database of its own, made and dropped here).

Each step is the real command in a fresh interpreter, as an operator or cron would run it."""

import os
import secrets
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import pytest

GOOD = "ruộng-lúa-Hà-Linh-2022"
MAKE_UNIT = (
    "from xaso.org.services import unit_create; "
    "unit_create(name='Hà Linh', kind='commune', parent=None, code='hl')"
)
LIST_USERS = (
    "from django.contrib.auth.models import User; "
    "print(' '.join(u.username for u in User.objects.order_by('username')))"
)


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """The DATABASE_URL for the commands: empty (SQLite in the data dir) or a scratch database."""
    if request.param == "sqlite":
        yield ""
        return
    url = postgres_url()
    if url is None:
        pytest.skip("DATABASE_URL is not a PostgreSQL URL")
    import psycopg

    parts = urlsplit(url)
    scratch = f"{parts.path.lstrip('/') or 'xaso'}_backup_{secrets.token_hex(4)}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{scratch}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{scratch}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


@pytest.fixture
def xaso(database, tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "XASO_DATA_DIR": str(tmp_path / "var"),
        "XASO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database,
    }

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 — our own command
            [sys.executable, "-m", "xaso.cli", *args],
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    assert run("init").returncode == 0
    assert run("manage", "shell", "-c", MAKE_UNIT).returncode == 0
    return run


def create(xaso, username: str) -> None:
    done = xaso(
        "createuser", username, "--unit", "hl", "--role", "reporter", "--password-file", "-",
        stdin=GOOD + "\n",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def users(xaso) -> str:
    done = xaso("manage", "shell", "-v", "0", "-c", LIST_USERS)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_backup_restores_the_database_as_it_was(xaso, tmp_path):
    create(xaso, "alice")
    backup = tmp_path / "xaso.backup"

    done = xaso("backup", str(backup))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Đã sao lưu ")
    assert f"vào {backup} (" in done.stdout

    create(xaso, "bob")
    assert users(xaso) == "alice bob"

    asked = xaso("restore", str(backup))
    assert asked.returncode == 2
    assert asked.stderr.startswith("Sẽ khôi phục ")
    assert "mọi dữ liệu hiện có trong cơ sở dữ liệu này sẽ bị thay" in asked.stderr
    assert asked.stderr.splitlines()[-1] == "Chưa làm gì. Chạy lại với --yes để khôi phục."
    assert users(xaso) == "alice bob"  # nothing touched

    done = xaso("restore", str(backup), "--yes")
    assert done.returncode == 0, done.stderr
    assert users(xaso) == "alice"
    # the restored data is whole: alice's password and role came back with her
    check = xaso(
        "manage", "shell", "-v", "0", "-c",
        "from django.contrib.auth.models import User; u = User.objects.get(username='alice'); "
        f"print(u.check_password('{GOOD}'), [m.unit.code for m in u.memberships.all()])",
    )  # fmt: skip
    assert check.stdout.strip() == "True ['hl']", check.stderr


def test_backup_and_restore_refuse_to_overwrite_without_yes_or_to_read_another_file(xaso, tmp_path):
    create(xaso, "alice")
    backup = tmp_path / "xaso.backup"
    backup.write_text("không phải bản sao lưu", encoding="utf-8")

    refused = xaso("backup", str(backup))
    assert refused.returncode == 2
    assert refused.stderr == f"Tệp {backup} đã có. Thêm --yes để ghi đè.\n"
    assert backup.read_text(encoding="utf-8") == "không phải bản sao lưu"

    refused = xaso("restore", str(backup), "--yes")
    assert refused.returncode == 2
    assert f"Tệp {backup} không phải bản sao lưu " in refused.stderr
    assert users(xaso) == "alice"

    assert xaso("backup", str(backup), "--yes").returncode == 0
    assert xaso("restore", str(backup), "--yes").returncode == 0
    assert users(xaso) == "alice"
