"""Faults in the middle of a burst of writes: PostgreSQL restarted (`pg_ctl restart -m fast`)
and, separately, the gunicorn master and its workers killed with SIGKILL and started again.

The PostgreSQL cluster is the test's own (initdb in a temporary directory, a free port), never
the shared server. Clients keep writing entry sheets of their own (a village each, new months
and then corrections) and retry a request that got no answer or a 5xx with exactly the same
content: a retry must never double anything. Afterwards every acknowledged (302) value must be
stored exactly once, with one audit row per change, and the server must have answered again
after each fault without being restarted for PostgreSQL's sake.
"""

import tempfile
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest

from tests.forms import parse_form
from tests.reliability.harness import (
    Answer,
    Client,
    Cluster,
    Server,
    Tally,
    app_env,
    gunicorn_or_skip,
    pg_bin_or_skip,
    postgres_url_or_skip,
    prepare,
    stored_changes,
    stored_results,
    vn_text,
)

pytestmark = pytest.mark.reliability

CLIENTS = 6
INDICATORS = 5
PREFIX = "rf"
NEW_MONTHS = [f"2024-{m:02d}" for m in range(1, 13)]
CORRECTED = NEW_MONTHS[:6]  # then filled in again with other values
DEADLINE_S = 45.0  # for the whole load; a client gives up on a request after it
RECOVERY_S = 20.0  # for the server to acknowledge writes again after a fault
RETRY_PAUSE_S = 0.1


@pytest.fixture(scope="module")
def stack():
    postgres_url_or_skip()  # runs in the PostgreSQL pass only
    gunicorn_or_skip()
    cluster = Cluster(pg_bin_or_skip())
    try:
        cluster.start()
        import psycopg

        with psycopg.connect(cluster.url, autocommit=True) as admin:
            admin.execute("CREATE DATABASE xaso")
        url = cluster.url.rsplit("/", 1)[0] + "/xaso"
        with tempfile.TemporaryDirectory(prefix="xaso-reliability-") as tmp:
            env = app_env(url, Path(tmp) / "data")
            spec = {
                "prefix": PREFIX,
                "villages": CLIENTS,
                "indicators": INDICATORS,
                "users": CLIENTS,
                "logins": 1,
            }
            facts = prepare(env, spec)
            server = Server(env, Path(tmp), workers=3, threads=4)
            try:
                server.start()
                yield {"url": url, "cluster": cluster, "server": server, **facts}
            finally:
                server.stop()
    finally:
        cluster.stop()


@dataclass
class Step:
    village: str
    period: str
    values: dict[str, Decimal]


@dataclass
class Progress:
    """What the server acknowledged, in each client's order; shared with the fault thread."""

    acked: list[Step] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # answers a retry may not get
    gave_up: list[str] = field(default_factory=list)
    retries: int = 0
    retried_writes: int = 0  # sheets acknowledged only on a retry
    lock: threading.Lock = field(default_factory=threading.Lock)
    advanced: threading.Condition = field(init=False)

    def __post_init__(self):
        self.advanced = threading.Condition(self.lock)

    def ack(self, step: Step) -> None:
        with self.advanced:
            self.acked.append(step)
            self.advanced.notify_all()

    def wait_for(self, count: int, timeout: float) -> bool:
        with self.advanced:
            return self.advanced.wait_for(lambda: len(self.acked) >= count, timeout)


def plan(n: int, village: str, indicators: list[str]) -> list[Step]:
    steps = []
    for round_, months in enumerate([NEW_MONTHS, CORRECTED]):
        for m, period in enumerate(months):
            values = {
                code: Decimal(10_000 * (round_ + 1) + 1_000 * n + 10 * m + i)
                for i, code in enumerate(indicators)
            }
            steps.append(Step(village, period, values))
    return steps


def until_answered(client: Client, method: str, path: str, data, progress, deadline) -> Answer:
    """Send, and send the very same request again while there is no answer or a 5xx."""
    retried = False
    while True:
        answer = client.request(method, path, data)
        if 0 < answer.status < 500 or time.monotonic() > deadline:
            if retried and method == "POST" and answer.status == 302:
                with progress.lock:
                    progress.retried_writes += 1
            return answer
        retried = True
        with progress.lock:
            progress.retries += 1
        time.sleep(RETRY_PAUSE_S)


def write(client: Client, step: Step, progress: Progress, deadline: float) -> None:
    path = f"/units/{step.village}/entry/?period={step.period}"
    while True:
        page = until_answered(client, "GET", path, None, progress, deadline)
        fields = parse_form(page.body, "period") if page.status == 200 else {}
        if fields or time.monotonic() > deadline:
            break
    if not fields:
        progress.gave_up.append(f"GET {path}: {page.status} {page.error}")
        return
    data = dict(fields)
    for code, value in step.values.items():
        data[f"v_{code}"], data[f"s_{code}"] = vn_text(value), "final"
    answer = until_answered(client, "POST", path, data, progress, deadline)
    if answer.status == 302:
        progress.ack(step)
    elif answer.status == 0 or answer.status >= 500:
        progress.gave_up.append(f"POST {path}: {answer.status} {answer.error}")
    else:
        progress.refused.append(f"POST {path}: {answer.status}")


def test_writes_survive_a_database_restart_and_a_server_crash(stack):
    started = time.monotonic()
    cluster: Cluster = stack["cluster"]
    server: Server = stack["server"]
    tally = Tally()
    clients = []
    for user in stack["users"]:
        client = Client(server, tally, user["username"])
        if user["session"]:
            client.use_session(stack["session_cookie"], user["session"])
        else:
            client.login(user["username"], user["password"])
        clients.append(client)
    plans = [plan(n, v, stack["indicators"]) for n, v in enumerate(stack["villages"])]
    total = sum(len(p) for p in plans)
    progress = Progress()
    deadline = time.monotonic() + DEADLINE_S

    def run(n: int) -> None:
        for step in plans[n]:
            if time.monotonic() > deadline:
                progress.gave_up.append(f"{clients[n].name}: out of time")
                return
            write(clients[n], step, progress, deadline)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    faults: dict[str, float] = {}
    try:
        # PostgreSQL restarts a third of the way through; the same server must carry on.
        assert progress.wait_for(total // 3, DEADLINE_S), "the load did not get going"
        before = len(progress.acked)
        faults["pg_restart"] = time.monotonic()
        cluster.restart()
        faults["pg_back"] = time.monotonic()
        recovered = progress.wait_for(before + CLIENTS, RECOVERY_S)
        faults["pg_recovered"] = time.monotonic()
        assert recovered, (
            f"no write acknowledged within {RECOVERY_S:.0f} s of PostgreSQL's restart:\n"
            f"{server.tail()}\n{tally.server_errors[-1:]}"
        )
        # Two thirds through, gunicorn dies at once, master and workers, and comes back.
        assert progress.wait_for(2 * total // 3, DEADLINE_S)
        before = len(progress.acked)
        faults["kill"] = time.monotonic()
        server.kill()
        server.start()
        faults["server_back"] = time.monotonic()
        assert progress.wait_for(before + CLIENTS, RECOVERY_S), (
            f"no write acknowledged within {RECOVERY_S:.0f} s of gunicorn's restart"
        )
    finally:
        for thread in threads:
            thread.join(timeout=DEADLINE_S + 30)
    assert not any(t.is_alive() for t in threads), "client threads did not finish"

    # What the server acknowledged, cell by cell, in order; and what it holds.
    expected: dict[tuple[str, str, str], list[Decimal]] = {}
    for step in progress.acked:
        for code, value in step.values.items():
            expected.setdefault((step.village, code, step.period), []).append(value)
    stored = stored_results(stack["url"], "2024-%")
    audit = stored_changes(stack["url"], "2024-%")
    lost = doubled = unasked = 0
    problems = []
    for cell in sorted(set(expected) | set(stored) | set(audit)):
        values = expected.get(cell, [])
        rows = stored.get(cell, [])
        doubled += max(0, len(rows) - 1)
        if values and [v for v, _ in rows[:1]] != values[-1:]:
            lost += 1
            problems.append(f"{cell}: holds {rows}, last acknowledged {values[-1]}")
        if not values and rows:
            unasked += 1
            problems.append(f"{cell}: holds {rows}, never acknowledged")
        news = [new for _, new, _ in audit.get(cell, [])]
        if news != values:
            extra = len(news) - len(values)
            doubled += max(0, extra)
            problems.append(f"{cell}: audit {news}, acknowledged {values}")
    changes = sum(len(v) for v in expected.values())
    audit_rows = sum(len(v) for v in audit.values())
    errors_5xx = [a for a in tally.failures if a.status >= 500]
    # A 5xx to a request sent while PostgreSQL was up again is the app's own failure (a stale
    # connection used without a check), not the fault's.
    after_back = [
        a for a in errors_5xx if faults["pg_back"] <= a.started < faults.get("kill", 1e18)
    ]
    no_answer = sum(a.status == 0 for a in tally.failures)
    seconds = time.monotonic() - started
    print(
        f"\n[reliability] faults: {CLIENTS} clients, {tally.sent} requests "
        f"({progress.retries} retries), {len(progress.acked)}/{total} sheets acknowledged, "
        f"{changes} values ({progress.retried_writes} sheets only on a retry of the same POST), "
        f"{len(progress.refused)} refused, {len(errors_5xx)} 5xx "
        f"({len(after_back)} after PostgreSQL was back), {no_answer} unanswered, "
        f"lost {lost}, doubled {doubled}, unasked {unasked}, audit rows {audit_rows} vs "
        f"changes {changes}; PostgreSQL restart {faults['pg_back'] - faults['pg_restart']:.1f} s, "
        f"writes again {faults['pg_recovered'] - faults['pg_back']:.1f} s after; gunicorn "
        f"SIGKILL + start {faults['server_back'] - faults['kill']:.1f} s; {seconds:.1f} s"
    )
    assert not progress.gave_up, progress.gave_up[:5]
    assert not progress.refused, progress.refused[:5]
    assert len(progress.acked) == total
    assert (lost, doubled, unasked) == (0, 0, 0), "\n".join(problems[:20])
    assert audit_rows == changes, "\n".join(problems[:20])
    assert no_answer > 0 or errors_5xx, "the faults did not hit a single request"
    assert not after_back, (
        f"{len(after_back)} requests sent after PostgreSQL was back got a server error "
        f"(stale database connections?), first:\n{after_back[0].body[:2000]}"
    )
