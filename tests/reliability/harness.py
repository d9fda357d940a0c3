"""The reliability tests' machinery: a scratch database or a private PostgreSQL cluster, the
app's data built in it, gunicorn serving xaso against it, and HTTP clients with their own
sessions that fill in forms the way a browser does.

Every process started here is stopped by its own id (a process group for gunicorn, pg_ctl for
the cluster) in the callers' `finally` blocks; nothing here touches the shared PostgreSQL
server beyond creating and dropping one database of its own.
"""

import http.client
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from decimal import Decimal
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from tests.forms import parse_form

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REQUEST_TIMEOUT_S = 30.0
STARTUP_TIMEOUT_S = 30.0
PG_VERSIONS = Path("/usr/lib/postgresql")


# --- what the tests need, or a skip ---------------------------------------------------------


def postgres_url_or_skip() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("reliability tests run on PostgreSQL: DATABASE_URL is not a postgres URL")
    return url


def gunicorn_or_skip() -> Path:
    gunicorn = BIN / "gunicorn"
    if not gunicorn.exists():
        pytest.skip(f"gunicorn is not installed in {BIN}")
    return gunicorn


def pg_bin_or_skip() -> Path:
    """The newest PostgreSQL server binaries on this machine (initdb, pg_ctl)."""
    candidates = sorted(
        (p / "bin" for p in PG_VERSIONS.glob("*") if (p / "bin" / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if not candidates:
        found = shutil.which("initdb")
        if found is None or shutil.which("pg_ctl") is None:
            pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
        return Path(found).parent
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run initdb as")
        if shutil.which("runuser") is None:
            pytest.skip("running as root and runuser is missing")
    return candidates[-1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


# --- databases ------------------------------------------------------------------------------


def _with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def _admin(url: str):
    """An autocommit connection to the server of `url`: its own database, else `postgres`."""
    import psycopg

    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError:
        return psycopg.connect(_with_database(url, "postgres"), autocommit=True, connect_timeout=10)


@contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server of `server_url`, dropped afterwards."""
    from psycopg import sql

    name = f"xaso_reliability_{os.getpid()}_{secrets.token_hex(3)}"
    with _admin(server_url) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _with_database(server_url, name)
    finally:
        with _admin(server_url) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


class Cluster:
    """A PostgreSQL cluster of the test's own: initdb in a temporary directory, a free port,
    its socket in that directory. As root, the server binaries run as the postgres user."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="xaso-reliability-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            entry = pwd.getpwnam("postgres")
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        self.url = f"postgres://postgres@{HOST}:{self.port}/postgres"
        self.running = False

    def _run(self, *args: str, timeout: float = 60) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(  # noqa: S603
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
            cwd=self.dir,
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"{args[0]} {args[1:3]} failed ({done.returncode}):\n{done.stdout}\n"
                f"{done.stderr}\n{self.tail()}"
            )

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def start(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses={HOST} "
            "-c fsync=off -c max_connections=60 -c shared_buffers=32MB"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")
        self.running = True

    def restart(self) -> None:
        """`pg_ctl restart -m fast`: open connections are ended, running transactions roll back."""
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-m", "fast", "-w", "restart"
        )

    def stop(self) -> None:
        try:
            if self.running:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
                self.running = False
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


# --- the app: its data and its server -------------------------------------------------------


def app_env(database_url: str, data_dir: Path) -> dict:
    """The environment of every xaso process of a test: production settings, scratch data."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "XASO_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="xaso.settings",
        DATABASE_URL=database_url,
        XASO_DATA_DIR=str(data_dir),
        XASO_SECRET_KEY=secrets.token_urlsafe(32),
        XASO_ALLOWED_HOSTS=f"{HOST},localhost",
        # Opt-in for diagnosis: error pages then carry Django's traceback.
        XASO_DEBUG="1" if os.environ.get("XASO_RELIABILITY_DEBUG") == "1" else "0",
    )
    return env


def _run(command: list[str], env: dict, stdin: str | None = None, timeout: float = 120) -> str:
    done = subprocess.run(  # noqa: S603
        command,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} failed:\n{done.stderr[-4000:]}")
    return done.stdout


def prepare(env: dict, spec: dict) -> dict:
    """Migrate the scratch database and build the test data in it; returns the seed's facts."""
    _run([str(BIN / "xaso"), "manage", "migrate", "--verbosity=0"], env)
    seed_env = {
        **env,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    }
    out = _run([sys.executable, "-m", "tests.reliability.seed"], seed_env, stdin=json.dumps(spec))
    return json.loads(out)


class Server:
    """gunicorn serving xaso.wsgi, in its own process group so that it and its workers can be
    stopped, or killed, by that group's id."""

    def __init__(self, env: dict, workdir: Path, *, workers: int = 3, threads: int = 4):
        self.env, self.workers, self.threads = env, workers, threads
        self.port = free_port()
        self.log = workdir / "gunicorn.log"
        self.process: subprocess.Popen | None = None
        self.base = f"http://{HOST}:{self.port}"

    def start(self) -> None:
        command = [
            str(BIN / "gunicorn"),
            "xaso.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--timeout",
            "30",
            "--error-logfile",
            str(self.log),
            "--log-level",
            "warning",
        ]
        with open(self.log, "ab") as sink:
            self.process = subprocess.Popen(  # noqa: S603
                command,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=ROOT,
            )
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
                connection.request("GET", "/login/")
                if connection.getresponse().status == 200:
                    connection.close()
                    return
                connection.close()
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not come up on {self.base}:\n{self.tail()}")

    def kill(self) -> None:
        """SIGKILL to the master and its workers at once: a crash, no clean-up."""
        if self.process is not None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self._wait_group_gone(self.process.pid)
            self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=15)
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # any worker left behind
        if self.process.poll() is None:
            self.process.wait(timeout=10)
        self._wait_group_gone(self.process.pid)
        self.process = None

    @staticmethod
    def _wait_group_gone(pgid: int, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


# --- clients --------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int  # 0: no HTTP answer (refused, reset, timed out)
    location: str
    body: str
    error: str = ""
    started: float = 0.0  # time.monotonic() when the request went out


@dataclass
class Tally:
    """Every request of a test, counted by answer; thread-safe."""

    statuses: Counter = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    failures: list[Answer] = field(default_factory=list)  # 5xx and unanswered, in order
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, method: str, path: str, answer: Answer) -> None:
        with self.lock:
            self.statuses[answer.status] += 1
            if answer.status >= 500:
                self.server_errors.append(
                    f"{method} {path} → {answer.status}: {answer.body[:3000]}"
                )
            if answer.status >= 500 or answer.status == 0:
                self.failures.append(answer)

    @property
    def sent(self) -> int:
        return sum(self.statuses.values())

    def count(self, low: int, high: int) -> int:
        return sum(n for status, n in self.statuses.items() if low <= status <= high)


class Client:
    """One browser: its own cookies (session, CSRF), one connection per request."""

    def __init__(self, server: Server, tally: Tally, name: str):
        self.server, self.tally, self.name = server, tally, name
        self.cookies: dict[str, str] = {}
        self.lock = threading.Lock()

    def request(self, method: str, path: str, data: dict | list | None = None) -> Answer:
        body = urllib.parse.urlencode(data) if data is not None else None
        with self.lock:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {"Cookie": cookie} if cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(HOST, self.server.port, timeout=REQUEST_TIMEOUT_S)
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            answer = Answer(response.status, response.getheader("Location", ""), text)
            answer.started = started
            self._keep_cookies(response.msg.get_all("Set-Cookie") or [])
        except (OSError, http.client.HTTPException) as error:
            answer = Answer(0, "", "", repr(error), started)
        finally:
            connection.close()
        self.tally.add(method, path, answer)
        return answer

    def _keep_cookies(self, headers: list[str]) -> None:
        with self.lock:
            for header in headers:
                jar = SimpleCookie()
                jar.load(header)
                for name, morsel in jar.items():
                    if morsel["max-age"] == "0":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value

    def use_session(self, cookie_name: str, key: str) -> None:
        self.cookies[cookie_name] = key

    def login(self, username: str, password: str) -> None:
        page = self.request("GET", "/login/")
        fields = parse_form(page.body, "username")
        fields.update(username=username, password=password)
        answer = self.request("POST", "/login/", fields)
        if answer.status != 302:
            raise AssertionError(f"{username} could not log in: {answer.status} {answer.error}")


# --- numbers, the Vietnamese way, written independently of xaso's own code ------------------


def vn_text(value: Decimal) -> str:
    """1234567.8 → "1.234.567,8": dots group thousands, a comma marks the decimals."""
    integer, _, fraction = f"{value:f}".partition(".")
    fraction = fraction.rstrip("0")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    text = ".".join([integer, *groups])
    return f"{text},{fraction}" if fraction else text


def seen_text(value: Decimal | None, status: str) -> str:
    """The hidden `was_` field for what a sheet shows: "" or "<plain number>|<status>"."""
    if value is None:
        return ""
    plain = f"{value.normalize():f}"
    return f"{plain}|{status}"


def read_seen(text: str) -> tuple[Decimal, str] | None:
    if not text:
        return None
    value, _, status = text.partition("|")
    return Decimal(value), status


# --- reading the stored state ---------------------------------------------------------------


def stored_results(url: str, period_like: str) -> dict[tuple[str, str, str], list]:
    """{(unit code, indicator code, period): [(value, status), ...]} — a list, to see doubles."""
    import psycopg

    with psycopg.connect(url) as db:
        rows = db.execute(
            "SELECT u.code, i.code, r.period, r.value, r.status FROM figures_result r "
            "JOIN org_orgunit u ON u.id = r.unit_id "
            "JOIN catalog_indicator i ON i.id = r.indicator_id WHERE r.period LIKE %s",
            [period_like],
        ).fetchall()
    stored: dict[tuple[str, str, str], list] = {}
    for unit, indicator, period, value, status in rows:
        stored.setdefault((unit, indicator, period), []).append((value, status))
    return stored


def stored_changes(url: str, period_like: str) -> dict[tuple[str, str, str], list]:
    """{(unit, indicator, period): [(old value, new value, new status), ...]} in id order."""
    import psycopg

    with psycopg.connect(url) as db:
        rows = db.execute(
            "SELECT u.code, i.code, c.period, c.old_value, c.new_value, c.new_status "
            "FROM figures_resultchange c JOIN org_orgunit u ON u.id = c.unit_id "
            "JOIN catalog_indicator i ON i.id = c.indicator_id WHERE c.period LIKE %s "
            "ORDER BY c.id",
            [period_like],
        ).fetchall()
    changes: dict[tuple[str, str, str], list] = {}
    for unit, indicator, period, old, new, status in rows:
        changes.setdefault((unit, indicator, period), []).append((old, new, status))
    return changes
