"""Fifty clients against a real gunicorn on PostgreSQL: double submits and overlapping edits of
the data-entry sheet, double submits of the meeting form. Nothing may be lost, doubled or
silently overwritten, and no request may fail on the server.

Each client is a browser of its own (cookies, session, CSRF token) used by one thread per
burst. Before each burst every client opens its form; a barrier then releases all the submits
at once. What the server acknowledged (a 302) is all the oracle knows: from it alone it
computes what every cell must hold after each burst, and the database must hold exactly that,
with one audit row per acknowledged change.

Clients are in groups of five, one village per group; a group's five clients share the
village's sheet and collide on it in every burst. Five clients sign in through /login/; the
other 45 get a session made in the database (50 password hashes would cost this 2-core
machine about 25 s of CPU and prove nothing more). One village's first value has three
decimals, so that a sheet sent back untouched must not round it away.
"""

import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest

from tests.forms import parse_form
from tests.reliability.harness import (
    Answer,
    Client,
    Server,
    Tally,
    app_env,
    gunicorn_or_skip,
    postgres_url_or_skip,
    prepare,
    read_seen,
    scratch_database,
    stored_changes,
    stored_results,
    vn_text,
)

pytestmark = pytest.mark.reliability

CLIENTS = 50
GROUP = 5  # clients per village
LOGINS = 5  # clients that sign in through /login/ (the others get a session made for them)
INDICATORS = 5
PERIOD = "2024-03"
PREFIX = "rc"
BARRIER_TIMEOUT_S = 90.0

Value = tuple[Decimal | None, str]  # (value, status); (None, "") is "no figure"
NOTHING: Value = (None, "")


@pytest.fixture(scope="module")
def app():
    server_url = postgres_url_or_skip()
    gunicorn_or_skip()
    with (
        scratch_database(server_url) as url,
        tempfile.TemporaryDirectory(prefix="xaso-reliability-") as tmp,
    ):
        env = app_env(url, Path(tmp) / "data")
        spec = {
            "prefix": PREFIX,
            "villages": CLIENTS // GROUP,
            "indicators": INDICATORS,
            "users": CLIENTS,
            "logins": LOGINS,
        }
        facts = prepare(env, spec)
        server = Server(env, Path(tmp), workers=3, threads=4)
        server.start()
        try:
            clients = []
            for n, user in enumerate(facts["users"]):
                client = Client(server, Tally(), user["username"])
                if user["session"]:
                    client.use_session(facts["session_cookie"], user["session"])
                else:
                    client.login(user["username"], user["password"])
                clients.append(client)
                assert n // GROUP < len(facts["villages"])
            yield {"url": url, "server": server, "clients": clients, **facts}
        finally:
            server.stop()


def run_burst(clients: list[Client], step: Callable[[int, Client, threading.Barrier], None]):
    """Run `step(n, client, barrier)` for every client in its own thread; each step waits at
    the barrier after opening its form, so that all the submits start together."""
    barrier = threading.Barrier(len(clients), timeout=BARRIER_TIMEOUT_S)
    errors: list[str] = []

    def body(n: int, client: Client) -> None:
        try:
            step(n, client, barrier)
        except Exception as error:  # reported below, with the client's name
            barrier.abort()
            errors.append(f"{client.name}: {error!r}")

    threads = [
        threading.Thread(target=body, args=(n, c), name=c.name) for n, c in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=BARRIER_TIMEOUT_S * 2)
    assert not any(t.is_alive() for t in threads), "client threads did not finish"
    errors.sort(key=lambda e: "BrokenBarrierError" in e)  # the cause first
    assert not errors, errors[:5]


def twice_at_once(send: Callable[[], Answer]) -> list[Answer]:
    """A double click: the same request twice, the second before the first is answered."""
    answers: list[Answer] = []
    other = threading.Thread(target=lambda: answers.append(send()))
    other.start()
    answers.append(send())
    other.join(timeout=60)
    return answers


# --- the data-entry sheet -------------------------------------------------------------------


@dataclass
class Post:
    """One submit of a sheet: what the client meant to change and what it had seen."""

    client: str
    village: str
    changes: dict[str, Value]
    seen: dict[str, Value]
    answer: Answer
    expect: frozenset = frozenset({302, 409})


@dataclass
class Ledger:
    posts: list[Post] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, post: Post) -> None:
        with self.lock:
            self.posts.append(post)


def sheet_path(village: str) -> str:
    # all=1: every indicator's box, also those the village has no target or figure for yet
    # (the sheet lists only the unit's own otherwise).
    return f"/units/{village}/entry/?period={PERIOD}&all=1"


def open_sheet(client: Client, village: str) -> dict[str, str]:
    answer = client.request("GET", sheet_path(village))
    assert answer.status == 200, f"GET {sheet_path(village)}: {answer.status} {answer.error}"
    fields = parse_form(answer.body, "period")
    assert "csrfmiddlewaretoken" in fields and fields.get("period") == PERIOD
    return fields


def seen_in(fields: dict[str, str], indicators: list[str]) -> dict[str, Value]:
    seen = {}
    for code in indicators:
        assert f"was_{code}" in fields, f"the sheet has no was_{code} field"
        decoded = read_seen(fields[f"was_{code}"])
        seen[code] = NOTHING if decoded is None else decoded
    return seen


def submit(
    ledger: Ledger,
    client: Client,
    village: str,
    fields: dict[str, str],
    changes: dict[str, Value],
    indicators: list[str],
    *,
    double: bool = False,
    expect: frozenset = frozenset({302, 409}),
) -> list[Answer]:
    """Fill the sheet's fields with `changes` (the rest as the page showed them) and send it,
    once or twice at once."""
    data = dict(fields)
    for code, (value, status) in changes.items():
        data[f"v_{code}"] = "" if value is None else vn_text(value)
        data[f"s_{code}"] = status or "final"
    seen = seen_in(fields, indicators)

    def send() -> Answer:
        return client.request("POST", sheet_path(village), data)

    answers = twice_at_once(send) if double else [send()]
    for answer in answers:
        ledger.add(Post(client.name, village, changes, seen, answer, expect))
    return answers


def unique(burst: int, n: int, indicator: int) -> Decimal:
    """A value no other write of the test sends; odd clients' have a decimal part."""
    value = Decimal(100_000 + burst * 10_000 + n * 10 + indicator)
    return value + Decimal("0.5") if n % 2 else value


@dataclass
class Verdict:
    acknowledged_changes: int = 0
    lost: int = 0
    overwrites: int = 0
    unasked: int = 0
    audit_rows: int = 0
    audit_wrong: int = 0
    doubled: int = 0
    problems: list[str] = field(default_factory=list)


def settle(
    ledger: Ledger,
    model: dict[tuple[str, str], Value],
    url: str,
    audit_before: dict,
    verdict: Verdict,
    burst: str,
) -> dict:
    """Compare the database with the model after a burst and move the model on.

    Every sheet of a burst was opened before the burst, so each cell goes through at most one
    change in it: all acknowledged changes of a cell must carry the same value and must have
    seen the cell as it was; the cell then holds that value, with one new audit row from the
    old value to it. Cells nobody changed with an acknowledgement keep their value.
    """
    stored_rows = stored_results(url, PERIOD)
    changes_now = stored_changes(url, PERIOD)
    stored = {}
    for (unit, indicator, _), rows in stored_rows.items():
        if len(rows) > 1:
            verdict.doubled += len(rows) - 1
            verdict.problems.append(f"{burst}: {unit}/{indicator} stored {len(rows)} times")
        stored[(unit, indicator)] = rows[0]
    acked: dict[tuple[str, str], list[tuple[Value, Value, str]]] = {}
    for post in ledger.posts:
        if post.answer.status != 302:
            continue
        for code, new in post.changes.items():
            acked.setdefault((post.village, code), []).append((new, post.seen[code], post.client))
    for cell in sorted(set(model) | set(stored) | set(acked)):
        before = model.get(cell, NOTHING)
        now = stored.get(cell, NOTHING)
        writes = acked.get(cell, [])
        values = {new for new, _, _ in writes}
        for new, seen, who in writes:
            if new != before and seen != before:
                verdict.overwrites += 1
                verdict.problems.append(
                    f"{burst}: {who} changed {cell} from {seen}, but it was {before} (acknowledged)"
                )
        if len(values) > 1:
            verdict.overwrites += len(values) - 1
            verdict.problems.append(f"{burst}: {cell} acknowledged as {sorted(values, key=str)}")
        expected = values if values else {before}
        if now not in expected:
            if values:
                verdict.lost += 1
                verdict.problems.append(f"{burst}: {cell} holds {now}, acknowledged {values}")
            else:
                verdict.unasked += 1
                verdict.problems.append(f"{burst}: {cell} changed {before} → {now} unasked")
        changed = now != before and now in expected
        verdict.acknowledged_changes += changed
        full = (cell[0], cell[1], PERIOD)
        new_rows = changes_now.get(full, [])[len(audit_before.get(full, [])) :]
        verdict.audit_rows += len(new_rows)
        wanted = [(before[0], now[0], now[1] if now[0] is not None else "")] if changed else []
        if [(old, new, status) for old, new, status in new_rows] != wanted:
            verdict.audit_wrong += 1
            verdict.problems.append(f"{burst}: {cell} audit rows {new_rows}, expected {wanted}")
        model[cell] = now
    return changes_now


def check_answers(ledger: Ledger, model: dict, burst: str, problems: list[str]) -> int:
    """Each answer is one the protocol allows; a 409 page shows the value that clashed (the
    cell's value after the burst, as only one change per cell happens in a burst). Returns how
    many clashes were looked for on 409 pages."""
    looked = 0
    for post in ledger.posts:
        answer = post.answer
        if answer.status not in post.expect:
            problems.append(
                f"{burst}: {post.client} on {post.village} got {answer.status} "
                f"{answer.error}, expected {sorted(post.expect)}"
            )
        if answer.status == 409:
            for code, new in post.changes.items():
                current = model.get((post.village, code), NOTHING)
                if post.seen[code] == current or new == current or current[0] is None:
                    continue
                if current[0] != round(current[0], 2):
                    continue  # shown rounded to two decimals
                looked += 1
                shown = vn_text(current[0])
                if shown not in answer.body:
                    problems.append(f"{burst}: 409 to {post.client} does not show {shown}")
    return looked


def report(problems: list[str]) -> str:
    return "\n".join(["", *problems[:30]])


def one_winner(ledger: Ledger, code: str, villages: list[str], burst: str, problems: list[str]):
    """Clients that changed `code` of a village from the same state: exactly one value won."""
    for village in villages:
        won = {
            p.changes[code]
            for p in ledger.posts
            if p.village == village and code in p.changes and p.answer.status == 302
        }
        if len(won) != 1:
            problems.append(f"{burst}: {village}/{code} had {len(won)} winning values: {won}")


def test_entry_sheet_under_concurrency(app):
    started = time.monotonic()
    clients: list[Client] = app["clients"]
    tally = Tally()
    for client in clients:
        client.tally = tally
    villages: list[str] = app["villages"]
    codes: list[str] = app["indicators"]
    every = codes + app["other_indicators"]
    i1, i2, i3, i4, i5 = codes
    final, estimated = "final", "estimated"
    model: dict[tuple[str, str], Value] = {}
    verdict = Verdict()
    audit = stored_changes(app["url"], PERIOD)
    stale: dict[int, dict[str, str]] = {}
    refused: dict[int, Answer] = {}
    counts = Counter()
    # A value with three decimals: the sheet must not round it away when left untouched.
    fine = Decimal("1234.125")

    def village_of(n: int) -> str:
        return villages[n // GROUP]

    def burst(name: str, step, checks=()) -> None:
        nonlocal audit
        ledger = Ledger()
        run_burst(clients, lambda n, c, b: step(n, c, b, ledger))
        audit = settle(ledger, model, app["url"], audit, verdict, name)
        counts["clashes shown"] += check_answers(ledger, model, name, verdict.problems)
        for check in checks:
            check(ledger, name)
        counts["posts"] += len(ledger.posts)
        counts["acknowledged"] += sum(p.answer.status == 302 for p in ledger.posts)
        counts["409"] += sum(p.answer.status == 409 for p in ledger.posts)

    # 1. Everyone in a group creates the same new value at once, with a double click: all
    #    are told it is saved, one row and one audit row per cell.
    def same_new(n, client, barrier, ledger):
        village = village_of(n)
        fields = open_sheet(client, village)
        group = n // GROUP
        value = fine if group == 0 else Decimal(5_000 + group)
        status = estimated if group % 3 == 1 else final
        barrier.wait()
        submit(
            ledger,
            client,
            village,
            fields,
            {i1: (value, status)},
            every,
            double=True,
            expect=frozenset({302}),
        )

    burst("same new value", same_new)

    # 2. Everyone creates a different new value at once (double click again): one value wins
    #    per village, the others are refused. The sheets are kept for burst 4.
    def different_new(n, client, barrier, ledger):
        village = village_of(n)
        fields = open_sheet(client, village)
        stale[n] = fields
        barrier.wait()
        submit(ledger, client, village, fields, {i2: (unique(2, n, 2), final)}, every, double=True)

    burst(
        "different new values",
        different_new,
        [lambda ledger, name: one_winner(ledger, i2, villages, name, verdict.problems)],
    )

    # 3. Overlapping edits of stored values: four clients change i1, one wins; the fifth
    #    changes i3 of the same sheet at the same moment and must not clash with them.
    def overlapping(n, client, barrier, ledger):
        village = village_of(n)
        fields = open_sheet(client, village)
        barrier.wait()
        if n % GROUP == 0:
            submit(
                ledger,
                client,
                village,
                fields,
                {i3: (unique(3, n, 3), final)},
                every,
                expect=frozenset({302}),
            )
        else:
            submit(
                ledger,
                client,
                village,
                fields,
                {i1: (unique(3, n, 1), final)},
                every,
                double=n % GROUP in (1, 2),
            )

    burst(
        "overlapping edits",
        overlapping,
        [lambda ledger, name: one_winner(ledger, i1, villages, name, verdict.problems)],
    )

    # 4. The sheets of burst 2, now stale (i1 and i3 changed since, i2 filled in): a change of
    #    an untouched cell goes through without reverting anything; a change of a cell someone
    #    else changed is refused with nothing of the sheet saved.
    def stale_sheets(n, client, barrier, ledger):
        village, rank = village_of(n), n % GROUP
        barrier.wait()
        plan = {
            0: ({i1: (unique(4, n, 1), final), i5: (unique(4, n, 5), final)}, {409}),
            1: ({i4: (unique(4, n, 4), final)}, {302}),
            2: ({i1: (unique(4, n, 1), final)}, {409}),
            3: ({i2: (unique(4, n, 2), estimated)}, {409}),
            4: ({}, {302}),  # sent again as it was: changes nothing
        }
        changes, expect = plan[rank]
        (answer,) = submit(
            ledger, client, village, stale[n], changes, every, expect=frozenset(expect)
        )
        if answer.status == 409:
            refused[n] = answer

    burst("stale sheets", stale_sheets)

    # 5. The refused clients send the 409 page again as it is ("keep mine"): it now carries
    #    the current values as seen, so the change goes through, except where two of them
    #    insist on the same cell (one wins). One client empties its own i4 (a delete).
    def insist(n, client, barrier, ledger):
        village, rank = village_of(n), n % GROUP
        fields = parse_form(refused[n].body, "period") if n in refused else None
        if rank == 1:
            fields = open_sheet(client, village)
        barrier.wait()
        if rank == 1:
            submit(ledger, client, village, fields, {i4: NOTHING}, every, expect=frozenset({302}))
        elif rank in (0, 2, 3) and fields is not None:
            mine = {
                0: {i1: (unique(4, n, 1), final), i5: (unique(4, n, 5), final)},
                2: {i1: (unique(4, n, 1), final)},
                3: {i2: (unique(4, n, 2), estimated)},
            }[rank]
            expect = frozenset({302} if rank == 3 else {302, 409})
            submit(ledger, client, village, fields, mine, every, expect=expect)

    burst(
        "insist after 409",
        insist,
        [lambda ledger, name: one_winner(ledger, i1, villages, name, verdict.problems)],
    )

    seconds = time.monotonic() - started
    server_errors = tally.count(500, 599)
    no_answer = tally.statuses[0]
    print(
        f"\n[reliability] entry sheet: {CLIENTS} clients, {tally.sent} requests "
        f"({counts['posts']} submits), {counts['acknowledged']} acknowledged, "
        f"{counts['409']} refused 409 ({counts['clashes shown']} clashes checked on the 409 "
        f"pages), {server_errors} 5xx, {no_answer} unanswered, "
        f"lost {verdict.lost}, doubled {verdict.doubled}, overwrites {verdict.overwrites}, "
        f"unasked changes {verdict.unasked}, audit rows {verdict.audit_rows} vs changes "
        f"{verdict.acknowledged_changes}, {seconds:.1f} s"
    )
    assert not tally.server_errors, tally.server_errors[:3]
    assert no_answer == 0
    assert (verdict.lost, verdict.doubled, verdict.overwrites, verdict.unasked) == (0, 0, 0, 0), (
        report(verdict.problems)
    )
    assert verdict.audit_rows == verdict.acknowledged_changes, report(verdict.problems)
    assert not verdict.problems, report(verdict.problems)
    # The bursts really collided: refusals happened, and every cell the plan fills is filled.
    assert counts["409"] >= 2 * len(villages)
    assert counts["clashes shown"] >= counts["409"] // 2
    assert all(model[(v, code)][0] is not None for v in villages for code in (i1, i2, i3))


# --- the meeting form -----------------------------------------------------------------------


def test_meeting_form_double_submits(app):
    started = time.monotonic()
    clients: list[Client] = app["clients"]
    tally = Tally()
    for client in clients:
        client.tally = tally
    villages: list[str] = app["villages"]
    answers: dict[int, list[Answer]] = {}
    missing_token: list[str] = []

    def title(n: int) -> str:
        return f"Hội nghị sơ kết thử nghiệm {n:02d}"

    def record(n, client, barrier):
        path = f"/units/{villages[n // GROUP]}/meetings/new/"
        page = client.request("GET", path)
        assert page.status == 200, f"GET {path}: {page.status}"
        fields = parse_form(page.body, "title")
        if not fields.get("once"):
            missing_token.append(client.name)
        fields.update(
            {
                "kind": "interim_review",
                "title": title(n),
                "date": "15/03/2024",
                "period": PERIOD,
                "a-0-role": "chair",
                "a-0-name": f"Nguyễn Văn Thử {n:02d}",
                "a-0-title": "Bí thư Chi bộ",
            }
        )
        barrier.wait()
        got = twice_at_once(lambda: client.request("POST", path, fields))  # a double click
        got.append(client.request("POST", path, fields))  # Back, and submit again
        answers[n] = got

    run_burst(clients, lambda n, c, b: record(n, c, b))

    import psycopg

    with psycopg.connect(app["url"]) as db:
        rows = db.execute(
            "SELECT m.id, m.title, (SELECT count(*) FROM meetings_attendance a "
            "WHERE a.meeting_id = m.id) FROM meetings_meeting m WHERE m.title LIKE %s",
            ["Hội nghị sơ kết thử nghiệm %"],
        ).fetchall()
    by_title = Counter(row[1] for row in rows)
    attendances = {row[0]: row[2] for row in rows}
    posts = [a for got in answers.values() for a in got]
    acknowledged = sum(a.status == 302 for a in posts)
    problems = []
    for n, got in sorted(answers.items()):
        places = {a.location for a in got}
        if [a.status for a in got] != [302, 302, 302] or len(places) != 1:
            problems.append(f"client {n}: {[(a.status, a.location) for a in got]}")
    doubled = sum(count - 1 for count in by_title.values())
    lost = sum(by_title[title(n)] == 0 for n in range(CLIENTS))
    extra_attendees = sum(count - 1 for count in attendances.values() if count > 1)
    seconds = time.monotonic() - started
    print(
        f"\n[reliability] meeting form: {CLIENTS} clients, {tally.sent} requests "
        f"({len(posts)} submits, 3 per meeting), {acknowledged} acknowledged, "
        f"{tally.statuses[409]} 409, {tally.count(500, 599)} 5xx, lost {lost}, "
        f"doubled {doubled} meetings and {extra_attendees} attendees, "
        f"meetings {len(rows)} vs {CLIENTS} forms, {seconds:.1f} s"
    )
    assert not tally.server_errors, tally.server_errors[:3]
    assert not missing_token, f"meeting form without a once token: {missing_token[:3]}"
    assert (lost, doubled, extra_attendees) == (0, 0, 0), sorted(by_title.items())[:5]
    assert len(rows) == CLIENTS
    assert not problems, problems[:10]
