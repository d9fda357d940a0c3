"""Data-entry throughput: concurrent reporters submit entry sheets through the real HTTP server.

gunicorn serves xaso on 127.0.0.1; a bounded load generator (stdlib threads and urllib, one
cookie jar and one REPORTER account per client) does what a browser does for each submission:
GET the entry sheet of a village, POST all its values written the Vietnamese way ("1.234",
"12,5", "1.234.567,89"), follow the redirect to the unit page. One run measures several client
counts in turn (8, 64 and 200 by default), on one server started once; every client logs in
once, before the first count. Each count has a province of its own, so every submission targets
a village and period with no figures yet, and every count starts on a month with no figures in
its province (what a write costs the database grows as the month fills: the roll-ups above it).
After each count the database must hold exactly the values sent so far, each once, with one
audit entry each.

Bounded: SUBMISSIONS per client count, TIME_LIMIT_S per count and TOTAL_LIMIT_S for all of
them, REQUEST_TIMEOUT_S per request; traffic goes to 127.0.0.1 only (proxies from the
environment are ignored).

    python -m bench.entry_load   # XASO_BENCH_DATABASE_URL, default postgres://…/xaso_entry
    XASO_BENCH_CLIENTS=8,64,200 XASO_BENCH_SUBMISSIONS=800 python -m bench.entry_load

With the default URL the database is created, and dropped afterwards (XASO_BENCH_KEEP=1 keeps
it); another URL must name an empty database that exists.
"""

import http.cookiejar
import importlib.metadata
import math
import os
import queue
import random
import re
import resource
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import psycopg

from xaso.vn.units import get_unit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/xaso_entry"
PERIOD = "2024-02"  # synth loads 2024-01 only, so every value sent for 2024-02 is new
CLIENT_COUNTS = (8, 64, 200)  # XASO_BENCH_CLIENTS="8,64,200"
MAX_CLIENTS = 500
SUBMISSIONS = 800  # per client count, each count on villages of its own; XASO_BENCH_SUBMISSIONS
WORKERS, THREADS = 2, 4
LOGIN_CONCURRENCY = WORKERS * THREADS  # logins at once, before the load (PBKDF2 is costly)
LOGIN_LIMIT_S = 90.0  # no login starts later; a count with too few clients logged in is skipped
INDICATORS = 10
VILLAGES_PER_COMMUNE = 10
TIME_LIMIT_S = 90.0  # per client count
TOTAL_LIMIT_S = 240.0  # all client counts together; a count that would start later is skipped
REQUEST_TIMEOUT_S = 30.0  # 200 clients queue behind 8 server threads: POST p95 about 3 s
STARTUP_TIMEOUT_S = 30.0
SEED = 20240201

HOST = "127.0.0.1"
BIN = Path(sys.executable).parent
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# A backend's title: "postgres: 15/main: <user> <database> 127.0.0.1(<port>) <state>".
BACKEND = re.compile(r"postgres: (?:\S+: )?\S+ (\S+) ")
SAVED = f"Đã lưu {INDICATORS} số liệu"

USERS_SCRIPT = """
import os
from django.contrib.auth import get_user_model
from xaso.org.models import OrgUnit, Role
from xaso.org.services import membership_grant
provinces = OrgUnit.objects.filter(code__in=os.environ["XASO_BENCH_PROVINCES"].split(","))
names = os.environ["XASO_BENCH_USERS"].split(",")
User = get_user_model()
first = User.objects.create_user(names[0], password=os.environ["XASO_BENCH_PASSWORD"])
# One password for all: hashed once (PBKDF2), the hash copied to the other accounts.
others = User.objects.bulk_create([User(username=n, password=first.password) for n in names[1:]])
for user in [first, *others]:
    for province in provinces:
        membership_grant(user=user, unit=province, role=Role.REPORTER)
"""


# --- values written the Vietnamese way ------------------------------------------------------


def vn_text(value: Decimal) -> str:
    """1234567.89 → "1.234.567,89": dots group thousands, a comma marks the decimals."""
    integer, _, fraction = f"{value:f}".partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    text = ".".join([integer, *groups])
    return f"{text},{fraction}" if fraction else text


def vn_value(text: str) -> Decimal:
    """The inverse of vn_text, written independently of xaso's own parser."""
    return Decimal(text.replace(".", "").replace(",", "."))


def make_values(villages: list[str], indicators: dict[str, str]) -> dict[str, dict[str, str]]:
    """{village: {indicator code: text}}, deterministic; percentages stay within 0–100 and
    counts are whole."""
    rng = random.Random(SEED)
    values = {}
    for n, village in enumerate(villages):
        row = {}
        for j, (code, unit) in enumerate(sorted(indicators.items())):
            style = (n + j) % 4
            if unit == "percent":
                amount = Decimal(rng.randint(0, 1_000)).scaleb(-1)  # "87,5", "100,0"
            elif style == 0:
                amount = Decimal(rng.randint(1_000, 9_999_999))  # "1.234", "1.234.567"
            elif style == 1:
                amount = Decimal(rng.randint(1, 99_999)).scaleb(-1)  # "12,5", "9.999,9"
            elif style == 2:
                amount = Decimal(rng.randint(100_000, 999_999_999)).scaleb(-2)  # "1.234.567,89"
            else:
                amount = Decimal(rng.randint(0, 999))  # "42"
            if unit != "percent" and get_unit(unit).is_count:
                amount = amount.to_integral_value()  # a count is whole (hộ, cây)
            row[code] = vn_text(amount)
        values[village] = row
    return values


# --- the load generator ---------------------------------------------------------------------


@dataclass
class Sample:
    kind: str  # login, form, submit, page
    seconds: float
    status: int  # 0: no HTTP answer
    ok: bool
    detail: str = ""


@dataclass
class ClientLog:
    username: str
    samples: list[Sample] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)  # villages whose POST went out
    confirmed: list[str] = field(default_factory=list)  # 302 to the unit page, then "Đã lưu"
    errors: list[str] = field(default_factory=list)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a 3xx comes back as an HTTPError, to be looked at and timed on its own


class Browser:
    def __init__(self, base: str, log: ClientLog):
        self.base, self.log = base, log
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),  # loopback only, whatever the environment says
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            _NoRedirect(),
        )

    def call(self, kind: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """(status, Location, body) of one request, timed and logged; status 0 if none."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        # base is http://127.0.0.1:<port>, built here; no other scheme can reach this.
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310
        started = time.perf_counter()
        try:
            try:
                with self.opener.open(request, timeout=REQUEST_TIMEOUT_S) as response:
                    status, headers, text = response.status, response.headers, response.read()
            except urllib.error.HTTPError as error:
                with error:
                    status, headers, text = error.code, error.headers, error.read()
        except (OSError, urllib.error.URLError) as error:
            self.log.samples.append(
                Sample(kind, time.perf_counter() - started, 0, False, repr(error))
            )
            return 0, "", ""
        seconds = time.perf_counter() - started
        self.log.samples.append(Sample(kind, seconds, status, True))
        return status, headers.get("Location", ""), text.decode("utf-8", "replace")

    def fail(self, what: str) -> None:
        sample = self.log.samples[-1]
        what = f"{what} ({sample.detail})" if sample.detail else what
        sample.ok, sample.detail = False, what
        self.log.errors.append(what)


def _login(browser: Browser, password: str) -> bool:
    status, _, html = browser.call("login", "/login/")
    token = TOKEN.search(html)
    if status != 200 or token is None:
        browser.fail(f"GET /login/: {status}")
        return False
    form = {"csrfmiddlewaretoken": token[1], "username": browser.log.username}
    status, location, _ = browser.call("login", "/login/", {**form, "password": password})
    if status != 302 or location != "/":
        browser.fail(f"POST /login/: {status} → {location or 'no redirect'}")
        return False
    return True


def _submit(browser: Browser, village: str, values: dict[str, str], other: list[str]) -> None:
    path = f"/units/{village}/entry/?period={PERIOD}"
    status, _, html = browser.call("form", path)
    token = TOKEN.search(html)
    if status != 200 or token is None:
        browser.fail(f"GET {path}: {status}")
        return
    data = {"csrfmiddlewaretoken": token[1], "period": PERIOD}
    for code, text in values.items():
        data[f"v_{code}"], data[f"s_{code}"] = text, "final"
    for code in other:  # active indicators that are not ours (none in a synthetic country)
        data[f"v_{code}"], data[f"s_{code}"] = "", "final"
    browser.log.sent.append(village)
    status, location, _ = browser.call("submit", path, data)
    if status != 302 or not location.startswith(f"/units/{village}/"):
        browser.fail(f"POST {path}: {status} → {location or 'no redirect'}")
        return
    status, _, html = browser.call("page", location)
    if status != 200 or SAVED not in html:
        browser.fail(f"GET {location}: {status}, {'no' if SAVED not in html else ''} message")
        return
    browser.log.confirmed.append(village)


def _client(
    browser: Browser,
    work: queue.SimpleQueue,
    values: dict[str, dict[str, str]],
    other: list[str],
    barrier: threading.Barrier,
    phase: dict,
) -> None:
    try:
        barrier.wait(timeout=STARTUP_TIMEOUT_S)
    except threading.BrokenBarrierError:
        browser.log.errors.append("the other clients did not start in time")
        return
    while time.perf_counter() < phase["deadline"]:
        try:
            village = work.get_nowait()
        except queue.Empty:
            break
        _submit(browser, village, values[village], other)


def _join(threads: list[threading.Thread], limit: float) -> None:
    for thread in threads:
        thread.join(timeout=max(0.0, limit - time.perf_counter()))
    stuck = [thread.name for thread in threads if thread.is_alive()]
    if stuck:
        raise RuntimeError(f"load generator threads did not stop: {stuck[:10]}")


def login_all(browsers: list[Browser], password: str) -> tuple[list[bool], float]:
    """Log every client in, LOGIN_CONCURRENCY at a time; whether each did, and the wall time."""
    todo: queue.SimpleQueue = queue.SimpleQueue()
    for n in range(len(browsers)):
        todo.put(n)
    done = [False] * len(browsers)

    def worker() -> None:
        while time.perf_counter() < started + LOGIN_LIMIT_S:
            try:
                n = todo.get_nowait()
            except queue.Empty:
                return
            done[n] = _login(browsers[n], password)

    started = time.perf_counter()  # read by the workers, which start below
    threads = [
        threading.Thread(target=worker, name=f"login-{n}", daemon=True)
        for n in range(min(LOGIN_CONCURRENCY, len(browsers)))
    ]
    for thread in threads:
        thread.start()
    # The last login starts before LOGIN_LIMIT_S and is two requests.
    _join(threads, started + LOGIN_LIMIT_S + 2 * REQUEST_TIMEOUT_S + 10)
    return done, time.perf_counter() - started


def load(
    browsers: list[Browser], villages: list[str], values: dict, other: list[str], deadline: float
) -> tuple[list[ClientLog], float]:
    """One client count: a thread per browser (each logged in already) takes villages from a
    shared queue until none is left or the time is up; the logs of this count, and the wall
    time of its submission phase."""
    work: queue.SimpleQueue = queue.SimpleQueue()
    for village in villages:
        work.put(village)
    phase: dict = {}

    def start_phase() -> None:  # run by one thread when all have started
        phase["started"] = time.perf_counter()
        phase["deadline"] = min(phase["started"] + TIME_LIMIT_S, deadline)

    barrier = threading.Barrier(len(browsers), action=start_phase)
    for browser in browsers:
        browser.log = ClientLog(browser.log.username)
    threads = [
        threading.Thread(
            target=_client,
            args=(browser, work, values, other, barrier, phase),
            name=f"client-{browser.log.username}",
            daemon=True,
        )
        for browser in browsers
    ]
    for thread in threads:
        thread.start()
    # Starting, the phase, then at most one submission more (3 requests) per client.
    _join(threads, time.perf_counter() + STARTUP_TIMEOUT_S + TIME_LIMIT_S + 4 * REQUEST_TIMEOUT_S)
    ended = time.perf_counter()
    return [browser.log for browser in browsers], max(ended - phase.get("started", ended), 0.001)


# --- preparing the database and the server --------------------------------------------------


def _run(command: list[str], env: dict, timeout: float = 600) -> str:
    done = subprocess.run(  # noqa: S603
        command, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])} … failed:\n{done.stderr[-3000:]}")
    return done.stdout


def _ensure_gunicorn() -> Path:
    gunicorn = BIN / "gunicorn"
    if not gunicorn.exists():
        print("gunicorn is missing: installing it into this virtualenv", flush=True)
        _run([sys.executable, "-m", "pip", "install", "--quiet", "gunicorn"], dict(os.environ))
    return gunicorn


def _province(n: int) -> str:
    return f"S{n + 1:02d}"  # as `xaso synth` names them


def _prepare(env: dict, usernames: list[str], password: str, provinces: int, villages: int):
    """A country of `provinces` provinces with at least `villages` villages each."""
    xaso = str(BIN / "xaso")
    _run([xaso, "init"], env)
    communes = math.ceil(villages / VILLAGES_PER_COMMUNE)
    _run(
        [
            xaso,
            "synth",
            f"--provinces={provinces}",
            f"--communes-per-province={communes}",
            f"--villages-per-commune={VILLAGES_PER_COMMUNE}",
            f"--indicators={INDICATORS}",
            "--periods=2024-01..2024-01",
            "--json",
        ],
        env,
    )
    users_env = {
        **env,
        "XASO_BENCH_USERS": ",".join(usernames),
        "XASO_BENCH_PASSWORD": password,
        "XASO_BENCH_PROVINCES": ",".join(_province(n) for n in range(provinces)),
    }
    _run([xaso, "manage", "shell", "-c", USERS_SCRIPT], users_env)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _start_server(gunicorn: Path, env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    command = [
        str(gunicorn),
        "xaso.wsgi:application",
        f"--bind={HOST}:{port}",
        f"--workers={WORKERS}",
        f"--threads={THREADS}",
        "--timeout=60",
        "--graceful-timeout=10",
        f"--error-logfile={log}",
        "--log-level=warning",
    ]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)  # noqa: S603
    base = f"http://{HOST}:{port}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.perf_counter() + STARTUP_TIMEOUT_S
    while time.perf_counter() < deadline:
        if server.poll() is not None:
            break
        try:
            with opener.open(f"{base}/login/", timeout=5) as response:
                if response.status == 200:
                    return server, base
        except OSError:
            time.sleep(0.2)
    _stop_server(server)
    raise RuntimeError(f"gunicorn did not answer on {base}:\n{log.read_text()[-3000:]}")


def _stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


# --- checking what was stored ---------------------------------------------------------------


def verify(url: str, values: dict[str, dict[str, str]], senders: dict[str, str]) -> dict:
    """Compare the database with what was sent: counts, duplicates, values, audit entries."""
    with psycopg.connect(url) as db:
        users = dict(db.execute("SELECT username, id FROM auth_user").fetchall())
        result_rows = db.execute(
            "SELECT u.code, i.code, r.value, r.status, r.channel, r.entered_by_id "
            "FROM figures_result r JOIN org_orgunit u ON u.id = r.unit_id "
            "JOIN catalog_indicator i ON i.id = r.indicator_id WHERE r.period = %s",
            [PERIOD],
        ).fetchall()
        duplicates = db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM figures_result WHERE period = %s "
            "GROUP BY unit_path, indicator_id HAVING count(*) > 1) AS d",
            [PERIOD],
        ).fetchone()[0]
        change_rows = db.execute(
            "SELECT u.code, i.code, c.old_value, c.new_value, c.old_status, c.new_status, "
            "c.written_as, c.changed_by_id, c.channel FROM figures_resultchange c "
            "JOIN org_orgunit u ON u.id = c.unit_id "
            "JOIN catalog_indicator i ON i.id = c.indicator_id WHERE c.period = %s",
            [PERIOD],
        ).fetchall()
        # Subtotals, checked against the results by plain SQL (not xaso's code): only
        # villages report in this load, so a unit's subtotal is the sum and count of the
        # results strictly below it; and every ancestor of a reporting village has one.
        subtotals_wrong = db.execute(
            "SELECT count(*) FROM figures_subtotal s CROSS JOIN LATERAL "
            "(SELECT sum(r.value) AS total, count(*) AS n FROM figures_result r "
            "WHERE r.period = s.period AND r.indicator_id = s.indicator_id "
            "AND r.unit_path LIKE s.unit_path || '%%' AND r.unit_path <> s.unit_path) b "
            "WHERE s.period = %s AND (s.total IS DISTINCT FROM b.total OR s.reporting <> b.n)",
            [PERIOD],
        ).fetchone()[0]
        subtotals_missing = db.execute(
            "SELECT count(*) FROM (SELECT DISTINCT substr(r.unit_path, 1, 4 * d) AS path, "
            "r.indicator_id FROM figures_result r, generate_series(1, r.unit_depth - 1) d "
            "WHERE r.period = %s) a WHERE NOT EXISTS (SELECT 1 FROM figures_subtotal s "
            "WHERE s.period = %s AND s.unit_path = a.path AND s.indicator_id = a.indicator_id)",
            [PERIOD, PERIOD],
        ).fetchone()[0]
        subtotals = db.execute(
            "SELECT count(*) FROM figures_subtotal WHERE period = %s", [PERIOD]
        ).fetchone()[0]
    expected = {
        (village, code): text for village in senders for code, text in values[village].items()
    }
    stored: dict[tuple[str, str], list] = {}
    for village, code, *rest in result_rows:
        stored.setdefault((village, code), []).append(rest)
    wrong_values = 0
    for key, rows in stored.items():
        text = expected.get(key)
        sender = users.get(senders.get(key[0], ""))
        for value, status, channel, entered_by in rows:
            good = text is not None and value == vn_value(text)
            good = good and (status, channel, entered_by) == ("final", "form", sender)
            wrong_values += not good
    changes: dict[tuple[str, str], list] = {}
    for village, code, *rest in change_rows:
        changes.setdefault((village, code), []).append(rest)
    wrong_changes = 0
    for key, rows in changes.items():
        text = expected.get(key)
        sender = users.get(senders.get(key[0], ""))
        for old, new, old_status, new_status, written_as, changed_by, channel in rows:
            good = text is not None and new == vn_value(text) and written_as == text
            good = good and (old, old_status, new_status) == (None, "", "final")
            good = good and (changed_by, channel) == (sender, "form")
            wrong_changes += not good
    report = {
        "expected": len(expected),
        "results": len(result_rows),
        "duplicates": duplicates,
        "missing": len(expected.keys() - stored.keys()),
        "unexpected": len(stored.keys() - expected.keys()),
        "wrong_values": wrong_values,
        "changes": len(change_rows),
        "change_keys_not_once": sum(len(rows) != 1 for rows in changes.values())
        + len(expected.keys() - changes.keys()),
        "wrong_changes": wrong_changes,
        "subtotals": subtotals,
        "subtotals_wrong": subtotals_wrong,
        "subtotals_missing": subtotals_missing,
    }
    report["ok"] = report["results"] == report["expected"] == report["changes"] and not any(
        report[key]
        for key in (
            "duplicates",
            "missing",
            "unexpected",
            "wrong_values",
            "change_keys_not_once",
            "wrong_changes",
            "subtotals_wrong",
            "subtotals_missing",
        )
    )
    return report


# --- the report -----------------------------------------------------------------------------


@dataclass
class Round:
    """One client count: what its clients did, what it cost, what the database held after."""

    clients: int
    planned: int
    logs: list[ClientLog] = field(default_factory=list)
    phase_s: float = 0.0
    server_cpu_s: float | None = None
    database_cpu_s: float | None = None
    client_cpu_s: float = 0.0
    machine_busy: float | None = None  # share of all cores busy during the phase, 0–1
    check: dict | None = None
    skipped: str = ""


def _ms(samples: list[float], q: float) -> str:
    if not samples:
        return "—"
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))  # nearest rank
    return f"{ordered[index] * 1000:,.0f}"


def _spread(samples: list[Sample], kind: str) -> str:
    times = [s.seconds for s in samples if s.kind == kind]
    return " / ".join(_ms(times, q) for q in (0.5, 0.95, 1.0))


def _rows(rounds: list[Round]) -> tuple[list[str], list[str]]:
    cores = os.cpu_count() or 1
    totals, latencies = [], []
    for r in rounds:
        if r.skipped:
            totals.append(f"| {r.clients} | {r.skipped} |" + " |" * 10)
            continue
        samples = [s for log in r.logs for s in log.samples]
        sent = sum(len(log.sent) for log in r.logs)
        confirmed = sum(len(log.confirmed) for log in r.logs)
        errors = sum(len(log.errors) for log in r.logs)
        no_answer = sum(s.status == 0 for s in samples)
        per_client = sorted(len(log.confirmed) for log in r.logs)
        server = (
            f"{r.server_cpu_s * 1000 / max(confirmed, 1):.0f}"
            if r.server_cpu_s is not None
            else "—"
        )
        database = (
            f"{r.database_cpu_s * 1000 / max(confirmed, 1):.0f}"
            if r.database_cpu_s is not None
            else "—"
        )
        busy = f"{r.machine_busy:.0%}" if r.machine_busy is not None else "—"
        generator = f"{r.client_cpu_s:.1f} s ({r.client_cpu_s / (r.phase_s * cores):.0%})"
        verdict = "**PASS**" if r.check and r.check["ok"] else "**FAIL**"
        totals.append(
            f"| {r.clients} | {confirmed:,} / {sent:,} / {r.planned:,} | {r.phase_s:.1f} "
            f"| **{confirmed / r.phase_s:.1f}** | {confirmed * INDICATORS / r.phase_s:,.0f} "
            f"| {per_client[0]}–{per_client[-1]} | {errors} ({no_answer}) | {server} | {database} "
            f"| {generator} | {busy} | {verdict} |"
        )
        failed = sum(not s.ok for s in samples)
        latencies.append(
            f"| {r.clients} | {_spread(samples, 'form')} | {_spread(samples, 'submit')} "
            f"| {_spread(samples, 'page')} | {failed} |"
        )
    return totals, latencies


def _markdown(facts: dict, logins: list[ClientLog], login_s: float, rounds: list[Round]) -> str:
    from bench.__main__ import machine

    login_samples = [s for log in logins for s in log.samples]
    login_times = [s.seconds for s in login_samples]
    login_failed = sum(not s.ok for s in login_samples)
    counts = ", ".join(str(r.clients) for r in rounds)
    totals, latencies = _rows(rounds)
    checked = [r for r in rounds if r.check]
    lines = [
        "## Data entry under concurrent load (gunicorn, PostgreSQL)",
        "",
        f"Machine: {machine()}; PostgreSQL {facts['postgres']} on the same machine. "
        f"gunicorn {facts['gunicorn']} on {HOST}, {WORKERS} workers × {THREADS} threads "
        f"(gthread), DEBUG off, started once for the run. Load generator on the same machine, "
        f"sharing its cores with the server and the database: {counts} clients in turn "
        "(stdlib threads and urllib in one process, a cookie jar and a REPORTER account each, "
        "no pause between requests); its CPU is in the first table.",
        "",
        f"Each submission is what a browser does: GET a village's entry sheet for {PERIOD}, "
        f"POST all {INDICATORS} values written the Vietnamese way (“1.234”, “12,5”, "
        "“1.234.567,89”) with status final, follow the 302 to the unit page and find "
        f"“{SAVED}” there. Every submission is a different village, and each client count "
        f"has a synthetic province of its own ({facts['villages']:,} villages each, "
        f"{INDICATORS} indicators, January loaded by `xaso synth`): every value is new, and "
        "every count starts on a month with no figures in its province (a write's roll-ups "
        "cost more as the month fills). "
        f"Limits: {facts['submissions']:,} submissions and {TIME_LIMIT_S:.0f} s per client "
        f"count, {TOTAL_LIMIT_S:.0f} s for all, {REQUEST_TIMEOUT_S:.0f} s per request.",
        "",
        f"Logins first, {len(logins)} accounts, {LOGIN_CONCURRENCY} at a time (GET + POST "
        f"/login/, PBKDF2), not in the load: {login_s:.1f} s; per request p50 / p95 / max "
        f"{_ms(login_times, 0.5)} / {_ms(login_times, 0.95)} / {_ms(login_times, 1.0)} ms, "
        f"{login_failed} failed.",
        "",
        "| clients | submissions confirmed / sent / planned | load s | submissions/s | values/s "
        "| per client min–max | errors (no answer) | server CPU ms per submission "
        "| PostgreSQL CPU ms per submission "
        "| load generator CPU (share of the cores) | machine CPU busy | verification |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        *totals,
        "",
        "Latency in ms, p50 / p95 / max:",
        "",
        f"| clients | GET entry sheet | POST entry sheet ({INDICATORS} values) "
        "| GET unit page (the redirect) | failed requests |",
        "|---|---|---|---|---|",
        *latencies,
        "",
        "Server CPU: gunicorn's master and workers (user + system, from /proc) during the "
        "phase, divided by the submissions confirmed (three requests each). PostgreSQL CPU: "
        "the backends connected to the bench's database, likewise (polled every "
        f"{DatabaseCpu.POLL_S} s, as connections are replaced after CONN_MAX_AGE; what a "
        "backend spent after its last poll is lost). Machine CPU busy: all cores, "
        "everyone's (/proc/stat).",
    ]
    if checked:
        last = checked[-1]
        check = last.check
        sent = check["expected"] // INDICATORS
        lines += [
            "",
            "Verification in PostgreSQL after each client count, against everything sent so "
            f"far (the counts before included). After the last ({last.clients} clients):",
            "",
            f"- `figures_result` rows for {PERIOD}: {check['results']:,}; expected "
            f"{check['expected']:,} (= {sent:,} sent × {INDICATORS})",
            f"- (unit, indicator) pairs stored more than once: {check['duplicates']}; "
            f"missing: {check['missing']}; not sent: {check['unexpected']}",
            f"- stored values not equal to the text sent read back (or not final, not channel "
            f"form, not entered by the sender): {check['wrong_values']}",
            f"- `figures_resultchange` rows for {PERIOD}: {check['changes']:,}; pairs without "
            f"exactly one entry: {check['change_keys_not_once']}; entries that are not "
            "“nothing → the value sent, written as typed, by the sender”: "
            f"{check['wrong_changes']}",
            f"- `figures_subtotal` rows for {PERIOD} (kept live by the writes): "
            f"{check['subtotals']:,}; not equal to the sum and count of the results below "
            f"them: {check['subtotals_wrong']}; ancestors of a reporting village without one: "
            f"{check['subtotals_missing']}",
        ]
        for r in checked:
            if not r.check["ok"]:
                wrong = {k: v for k, v in r.check.items() if k != "ok"}
                lines.append(f"- FAIL after {r.clients} clients: {wrong}")
    errors = [e for log in logins for e in log.errors]
    errors += [f"{r.clients} clients: {e}" for r in rounds for log in r.logs for e in log.errors]
    if errors:
        lines += ["", "First errors:", "", "```", *errors[:10], "```"]
    if facts["server_log"]:
        lines += ["", "gunicorn error log (last lines):", "", "```", *facts["server_log"], "```"]
    return "\n".join(lines) + "\n"


# --- the benchmark --------------------------------------------------------------------------


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _server_cpu(master: int) -> float | None:
    """CPU seconds of the gunicorn master and its workers so far (workers it reaped included),
    from /proc; None where there is no /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        pids = [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()]
    except OSError:
        return None
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue  # gone meanwhile
        fields = stat.rpartition(")")[2].split()  # fields[0] is the state, field 3 of stat(5)
        if pid == master:
            total += sum(int(x) for x in fields[11:15]) / ticks  # utime stime cutime cstime
        elif int(fields[1]) == master:
            total += sum(int(x) for x in fields[11:13]) / ticks
    return total


def _database_cpu(name: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend connected to the database `name`."""
    ticks = os.sysconf("SC_CLK_TCK")
    backends = {}
    try:
        pids = [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()]
    except OSError:
        return backends
    for pid in pids:
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() != "postgres":
                continue
            title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            stat = Path(f"/proc/{pid}/stat").read_text()
        except (OSError, UnicodeDecodeError):
            continue
        backend = BACKEND.match(title)
        if backend and backend[1] == name:
            fields = stat.rpartition(")")[2].split()
            backends[pid] = sum(int(x) for x in fields[11:13]) / ticks
    return backends


class DatabaseCpu:
    """CPU seconds of the bench database's backends over a phase. Django replaces a thread's
    connection after CONN_MAX_AGE, so backends end during a phase: they are polled every
    POLL_S and each counts up to its last poll (what it spent after that is lost)."""

    POLL_S = 0.5

    def __init__(self, name: str):
        self.name = name
        self.first = _database_cpu(name)
        self.last = dict(self.first)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._poll, name="database-cpu", daemon=True)
        self.thread.start()

    def _poll(self) -> None:
        while not self.stop.wait(self.POLL_S):
            self.last.update(_database_cpu(self.name))

    def seconds(self) -> float | None:
        self.stop.set()
        self.thread.join(timeout=10)
        self.last.update(_database_cpu(self.name))
        if not self.last:
            return None  # no /proc, or PostgreSQL elsewhere
        # A backend first seen after the start began in the phase: all its CPU is the phase's.
        return sum(cpu - self.first.get(pid, 0.0) for pid, cpu in self.last.items())


def _machine_busy() -> tuple[int, int] | None:
    """(busy, all) jiffies of all cores so far, from /proc/stat."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return None
    jiffies = [int(x) for x in first[1:9]]  # user nice system idle iowait irq softirq steal
    return sum(jiffies) - jiffies[3] - jiffies[4], sum(jiffies)


def _settings() -> tuple[list[int], int]:
    """Client counts and submissions per count, from the environment or the defaults."""
    text = os.environ.get("XASO_BENCH_CLIENTS", "")
    counts = [int(x) for x in text.split(",") if x.strip()] if text else list(CLIENT_COUNTS)
    submissions = int(os.environ.get("XASO_BENCH_SUBMISSIONS", SUBMISSIONS))
    if not counts or any(not 1 <= n <= MAX_CLIENTS for n in counts) or submissions < 1:
        raise ValueError(
            f"XASO_BENCH_CLIENTS: client counts from 1 to {MAX_CLIENTS}, separated by commas; "
            "XASO_BENCH_SUBMISSIONS: at least 1"
        )
    return counts, submissions


def run(database_url: str | None = None) -> str:
    database_url = database_url or os.environ.get("XASO_BENCH_DATABASE_URL", DEFAULT_URL)
    own_database = database_url == DEFAULT_URL
    server_url, _, name = DEFAULT_URL.rpartition("/")
    if own_database:
        with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {name}")
    try:
        with tempfile.TemporaryDirectory(prefix="xaso-entry-") as tmp:
            return _bench(database_url, Path(tmp))
    finally:
        if own_database and os.environ.get("XASO_BENCH_KEEP") != "1":
            with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _bench(database_url: str, tmp: Path) -> str:
    counts, submissions = _settings()
    database = urllib.parse.urlsplit(database_url).path.lstrip("/")
    planned = submissions * len(counts)
    gunicorn = _ensure_gunicorn()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "XASO_DATA_DIR": str(tmp / "data"),
        "XASO_ALLOWED_HOSTS": HOST,
        "XASO_DEBUG": "0",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    usernames = [f"bench-reporter-{n:03d}" for n in range(1, max(counts) + 1)]
    password = secrets.token_urlsafe(16)
    print(f"preparing the database (init, synth of {planned} villages, users)", flush=True)
    _prepare(env, usernames, password, len(counts), submissions)

    with psycopg.connect(database_url) as db:
        postgres = db.execute("SHOW server_version").fetchone()[0].split()[0]
        indicators = dict(
            db.execute("SELECT code, unit FROM catalog_indicator WHERE code LIKE %s", ["syn-%"])
        )
        other = [
            row[0]
            for row in db.execute(
                "SELECT code FROM catalog_indicator WHERE active AND code NOT LIKE %s", ["syn-%"]
            )
        ]
        provinces = [  # the villages of each client count, a province each
            [
                row[0]
                for row in db.execute(
                    "SELECT code FROM org_orgunit WHERE code LIKE %s AND depth = 3 "
                    "ORDER BY path LIMIT %s",
                    [f"{_province(n)}.%", submissions],
                )
            ]
            for n in range(len(counts))
        ]
        villages = [village for province in provinces for village in province]
        before = db.execute(
            "SELECT count(*) FROM figures_result WHERE period = %s", [PERIOD]
        ).fetchone()[0]
    if len(indicators) != INDICATORS or len(villages) != planned or before:
        raise RuntimeError(
            f"unexpected database: {len(indicators)} indicators, {len(villages)} villages, "
            f"{before} results for {PERIOD} already"
        )
    values = make_values(villages, indicators)

    log = tmp / "gunicorn.log"
    print(f"starting gunicorn ({WORKERS} workers × {THREADS} threads)", flush=True)
    server, base = _start_server(gunicorn, env, log)
    rounds = [Round(clients, submissions) for clients in counts]
    senders: dict[str, str] = {}
    try:
        browsers = [Browser(base, ClientLog(name)) for name in usernames]
        print(f"logging {len(browsers)} clients in", flush=True)
        logged_in, login_s = login_all(browsers, password)
        logins = [browser.log for browser in browsers]
        ready = [browser for browser, ok in zip(browsers, logged_in, strict=True) if ok]
        deadline = time.perf_counter() + TOTAL_LIMIT_S
        for n, r in enumerate(rounds):
            if len(ready) < r.clients:
                r.skipped = f"skipped: {len(ready)} clients logged in"
                continue
            if time.perf_counter() + 5 > deadline:
                r.skipped = f"skipped: the {TOTAL_LIMIT_S:.0f} s limit was reached"
                continue
            mine = provinces[n]
            print(f"load: {r.clients} clients, {len(mine)} submissions on {base}", flush=True)
            server_cpu, client_cpu, busy = _server_cpu(server.pid), _cpu_self(), _machine_busy()
            database_cpu = DatabaseCpu(database)
            r.logs, r.phase_s = load(ready[: r.clients], mine, values, other, deadline)
            server_after, busy_after = _server_cpu(server.pid), _machine_busy()
            r.database_cpu_s = database_cpu.seconds()
            r.client_cpu_s = _cpu_self() - client_cpu
            if server_cpu is not None and server_after is not None:
                r.server_cpu_s = server_after - server_cpu
            if busy and busy_after and busy_after[1] > busy[1]:
                r.machine_busy = (busy_after[0] - busy[0]) / (busy_after[1] - busy[1])
            senders.update({v: entry.username for entry in r.logs for v in entry.sent})
            r.check = verify(database_url, values, senders)
            print(
                f"  {sum(len(e.confirmed) for e in r.logs)} confirmed in {r.phase_s:.1f} s, "
                f"verification {'PASS' if r.check['ok'] else 'FAIL'}",
                flush=True,
            )
    finally:
        _stop_server(server)

    server_log = [
        line for line in log.read_text(errors="replace").splitlines() if "Starting" not in line
    ]
    facts = {
        "postgres": postgres,
        "gunicorn": importlib.metadata.version("gunicorn"),
        "villages": submissions,
        "submissions": submissions,
        "server_log": server_log[-15:],
    }
    return _markdown(facts, logins, login_s, rounds)


if __name__ == "__main__":
    print(run(os.environ.get("XASO_BENCH_DATABASE_URL", DEFAULT_URL)))
