"""The API access sweep: every operation of the OpenAPI schema, as every persona, on objects
of their own units and of others' — against the rules of docs/access.md written here again,
independently of `xaso.org.policy`.

An allowed request answers 200 and, for a list, holds exactly what the persona may read; a
refused one answers 403 (a unit: codes are public) or 404 (an object id: it tells nothing)
and changes nothing; an anonymous or revoked token gets 401. An operation of the schema
without a rule here fails the sweep (tests/web/test_access_sweep.py leaves /api/ to this).
"""

from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client

from tests.api.conftest import Api
from tests.api.sweep_world import populate
from xaso.api.main import api as ninja_api
from xaso.audit.models import AuditEntry
from xaso.figures.models import Result, Target
from xaso.meetings.models import Directive, FollowUp, Meeting
from xaso.reporting.models import Submission

# --- the rules ------------------------------------------------------------------------------

PARENT = {"42": None, "hk": "42", "hl": "hk", "hl-1": "hl", "hl-2": "hl", "hl-3": "hl",
          "p2": None, "d1": "p2", "w1": "d1"}  # fmt: skip
GRANT = {"village": ("hl-1", "reporter"), "commune": ("hl", "manager"),
         "province": ("42", "viewer"), "other": ("p2", "manager")}  # fmt: skip
PERSONAS = [*GRANT, "anonymous", "revoked"]
# Meetings: host, units taking part; tasks: meeting, units given to; documents: uploader, unit.
MEETINGS = {"M-HL": ("hl", []), "M-D1": ("d1", []), "M-JOINT": ("hl", ["d1"])}
TASKS = {"T-SHARED": ("M-HL", ["hl-1", "hl-2"]), "T-HL1": ("M-HL", ["hl-1"]),
         "T-W1": ("M-D1", ["w1"])}  # fmt: skip
SUBMISSIONS = {"SUB-HL-1": "hl-1", "SUB-W1": "w1"}  # report -> its unit
REVIEWER = {"SUB-HL-1": "hl", "SUB-W1": "d1"}  # report -> the unit its form goes to
FORM_OF = {"hl-1": "thang-hl", "hl-2": "thang-hl", "w1": "thang-d1"}  # village -> its form
DOCUMENTS = {"DOC-HL1": ("village", "hl-1"), "DOC-HL": ("commune", "hl"), "DOC-D1": ("other", "d1")}
GROUPS = {"G-HL": ("hl", ["hl-1", "hl-2"]), "G-P2": ("p2", ["d1"])}  # owner, members


def _under(unit: str, root: str) -> bool:
    while unit is not None:
        if unit == root:
            return True
        unit = PARENT[unit]
    return False


def reads(persona, unit) -> bool:
    return persona in GRANT and _under(unit, GRANT[persona][0])


def records(persona, unit) -> bool:
    return reads(persona, unit) and GRANT[persona][1] in ("reporter", "manager")


def manages(persona, unit) -> bool:
    return reads(persona, unit) and GRANT[persona][1] == "manager"


def reads_meeting(persona, name) -> bool:
    host, taking_part = MEETINGS[name]
    return any(reads(persona, u) for u in [host, *taking_part])


def reads_task(persona, name) -> bool:
    meeting, given_to = TASKS[name]
    return reads_meeting(persona, meeting) or any(reads(persona, u) for u in given_to)


def follows_up(persona, name) -> bool:
    meeting, given_to = TASKS[name]
    return any(records(persona, u) for u in [MEETINGS[meeting][0], *given_to])


def moves_status(persona, name) -> bool:
    meeting, given_to = TASKS[name]
    host = MEETINGS[meeting][0]
    return records(persona, host) or (len(given_to) == 1 and records(persona, given_to[0]))


def sees_group(persona, name) -> bool:
    """Reads the owner or a member, or the persona's own unit lies in a member."""
    owner, members = GROUPS[name]
    if persona not in GRANT:
        return False
    own = GRANT[persona][0]
    return reads(persona, owner) or any(reads(persona, m) or _under(own, m) for m in members)


def reads_document(persona, name) -> bool:
    uploader, unit = DOCUMENTS[name]
    return persona == uploader or manages(persona, unit)


# --- the cases ------------------------------------------------------------------------------


@dataclass
class Case:
    operation: str  # "GET /api/units/{code}"
    path: str
    allowed: bool
    refused: tuple = (403,)
    body: dict | None = None
    listed: tuple[str, set] | None = None  # (what, the exact set expected) for a list
    batch: bool = False  # a refused batch answers 200 with the row named


@dataclass
class Tally:
    requests: int = 0
    problems: list = field(default_factory=list)
    covered: set = field(default_factory=set)


UNITS = list(PARENT)
INDICATORS = {"road", "households", "thu-cho", "thu-ho-ngheo", "thu-nuoc-sach"}  # the catalogue


def cases(persona, ids) -> list[Case]:
    every = persona in GRANT
    out = []
    readable_units = {u for u in UNITS if reads(persona, u)}
    out.append(
        Case("GET /api/units/", "/api/units/?limit=200", every, listed=("code", readable_units))
    )
    for unit in ("hl-1", "hl-2", "hl", "42", "w1"):
        r = reads(persona, unit)
        out += [
            Case("GET /api/units/{code}", f"/api/units/{unit}", r),
            Case("GET /api/units/{code}/children", f"/api/units/{unit}/children", r),
            Case("GET /api/units/{code}/subtree", f"/api/units/{unit}/subtree?depth=2", r),
            Case("GET /api/units/{code}/figures", f"/api/units/{unit}/figures?period=2022-11", r),
            Case("GET /api/units/{code}/targets", f"/api/units/{unit}/targets", r),
            Case("GET /api/tasks/", f"/api/tasks/?unit={unit}", r),
            Case("GET /api/meetings/", f"/api/meetings/?unit={unit}", r),
            Case("GET /api/units/{code}/criteria", f"/api/units/{unit}/criteria", r),
        ]
        row = {"unit": unit, "indicator": "road", "period": "2022-11", "value": "7777"}
        out.append(Case("POST /api/results", "/api/results", records(persona, unit), body=row))
        out.append(Case("POST /api/results/batch", "/api/results/batch", records(persona, unit),
                        body={"rows": [row]}, batch=True))  # fmt: skip
        target = {"unit": unit, "indicator": "road", "period": "2022", "source": "district_plan",
                  "value": "8888"}  # fmt: skip
        out.append(Case("POST /api/targets", "/api/targets", manages(persona, unit), body=target))
        task = {"text": "Việc", "assigned_to": [unit]}
        meeting = {"host": unit, "kind": "briefing", "title": "Giao ban 7777",
                   "date": "2022-12-01", "tasks": [task]}  # fmt: skip
        out.append(
            Case("POST /api/meetings", "/api/meetings", records(persona, unit), body=meeting)
        )
        out.append(Case("GET /api/units/{code}/groups", f"/api/units/{unit}/groups", r))
        group = {"owner": unit, "code": "g-7777", "name": "Nhóm 7777", "kind": "cluster",
                 "members": [unit]}  # fmt: skip
        out.append(Case("POST /api/groups", "/api/groups", manages(persona, unit), body=group))
    # A task given to a unit of another province: every unit named must be recordable.
    joint = {"host": "hl", "kind": "briefing", "title": "Giao ban 7777", "date": "2022-12-01",
             "tasks": [{"text": "Việc", "assigned_to": ["hl-1", "w1"]}]}  # fmt: skip
    allowed = records(persona, "hl") and records(persona, "w1")
    out.append(Case("POST /api/meetings", "/api/meetings", allowed, body=joint))
    for op in ("GET /api/units/{code}", "GET /api/units/{code}/figures"):
        out.append(Case(op, op.split()[1].replace("{code}", "nowhere") + "?period=2022-11",
                        False, refused=(404,)))  # fmt: skip
    out += [
        Case(
            "GET /api/indicators/",
            "/api/indicators/",
            every,
            listed=("code", INDICATORS if every else set()),
        ),
        Case("GET /api/indicators/{code}", "/api/indicators/road", every),
        Case("GET /api/periods/{code}", "/api/periods/2022-Q4", every),
        Case(
            "GET /api/meetings/",
            "/api/meetings/",
            every,
            listed=("id", {ids[m] for m in MEETINGS if reads_meeting(persona, m)}),
        ),
        Case(
            "GET /api/tasks/",
            "/api/tasks/",
            every,
            listed=("id", {ids[t] for t in TASKS if reads_task(persona, t)}),
        ),
        Case(
            "GET /api/documents/",
            "/api/documents/",
            every,
            listed=("id", {ids[d] for d in DOCUMENTS if reads_document(persona, d)}),
        ),
    ]
    for name in MEETINGS:
        out.append(Case("GET /api/meetings/{meeting_id}", f"/api/meetings/{ids[name]}",
                        reads_meeting(persona, name), refused=(404,)))  # fmt: skip
    for name in TASKS:
        r = reads_task(persona, name)
        out.append(Case("GET /api/tasks/{task_id}", f"/api/tasks/{ids[name]}", r, refused=(404,)))
        note = {"status": "open", "note": "Đã làm một phần"}
        out.append(Case("POST /api/tasks/{task_id}/progress", f"/api/tasks/{ids[name]}/progress",
                        follows_up(persona, name), refused=(403, 404), body=note))  # fmt: skip
        done = {"status": "done", "note": "Xong"}
        out.append(Case("POST /api/tasks/{task_id}/progress", f"/api/tasks/{ids[name]}/progress",
                        moves_status(persona, name), refused=(403, 404), body=done))  # fmt: skip
    out.append(
        Case(
            "GET /api/submissions/",
            "/api/submissions/",
            every,
            listed=("id", {ids[n] for n, u in SUBMISSIONS.items() if reads(persona, u)}),
        )
    )
    for name, unit in SUBMISSIONS.items():
        out.append(Case("GET /api/submissions/{submission_id}", f"/api/submissions/{ids[name]}",
                        reads(persona, unit), refused=(404,)))  # fmt: skip
        reviews = manages(persona, REVIEWER[name])
        for review in ({"action": "approve"}, {"action": "return", "reason": "Thiếu số"}):
            out.append(Case("POST /api/submissions/{submission_id}/review",
                            f"/api/submissions/{ids[name]}/review",
                            reviews, refused=(403, 404), body=review))  # fmt: skip
    for unit, form in FORM_OF.items():
        report = {"form": form, "unit": unit, "period": "2022-12",
                  "values": [{"indicator": "road", "value": "7777"}]}  # fmt: skip
        out.append(Case("POST /api/reports", "/api/reports", records(persona, unit), body=report))
    out.append(
        Case(
            "GET /api/groups/",
            "/api/groups/",
            every,
            listed=("code", {g for g in GROUPS if sees_group(persona, g)}),
        )
    )
    for name in GROUPS:
        s = sees_group(persona, name)
        out.append(Case("GET /api/groups/{code}", f"/api/groups/{name}", s, refused=(404,)))
        figures = f"/api/groups/{name}/figures?period=2022-11"
        out.append(Case("GET /api/groups/{code}/figures", figures, s, refused=(404,)))
    for name in DOCUMENTS:
        out.append(Case("GET /api/documents/{document_id}", f"/api/documents/{ids[name]}",
                        reads_document(persona, name), refused=(404,)))  # fmt: skip
    return out


def operations() -> set[str]:
    schema = ninja_api.get_openapi_schema()
    return {f"{m.upper()} {p}" for p, ops in schema["paths"].items() for m in ops}


def state() -> tuple:
    return (
        list(Result.objects.order_by("pk").values_list("pk", "value", "status")),
        list(Target.objects.order_by("pk").values_list("pk", "value")),
        list(Directive.objects.order_by("pk").values_list("pk", "status")),
        FollowUp.objects.count(),
        Meeting.objects.count(),
        AuditEntry.objects.count(),
        list(Submission.objects.order_by("pk").values_list("pk", "status", "version")),
    )


def check(tally: Tally, persona: str, client: Api, case: Case) -> None:
    tally.covered.add(case.operation)
    before = state()
    with transaction.atomic():
        if case.body is None:
            response = client.client.get(case.path, **client.headers)
        else:
            response = client.post(case.path, case.body)
        after = state()
        transaction.set_rollback(True)
    tally.requests += 1
    status = response.status_code
    where = f"{persona} {case.operation} {case.path} → {status}"
    payload = response.json() if response["Content-Type"].startswith("application/json") else {}
    if status >= 500:
        tally.problems.append(f"server error: {where}")
        return
    if persona not in GRANT:
        if status != 401:
            tally.problems.append(f"not 401 without a valid token: {where}")
    elif case.allowed:
        if status != 200 or (case.batch and payload.get("errors")):
            tally.problems.append(f"refused what the rules allow: {where} {payload}")
        if case.listed is not None:
            what, expected = case.listed
            got = {str(item[what]) for item in payload.get("items", [])}
            if got != {str(e) for e in expected}:
                tally.problems.append(f"list {sorted(got)} ≠ {sorted(map(str, expected))}: {where}")
        if case.body is not None and after == before and "7777" in str(case.body):
            tally.problems.append(f"allowed write changed nothing: {where}")
    else:
        refused = status in case.refused
        if case.batch:
            errors = payload.get("errors") or [{}]
            refused = status == 200 and errors[0].get("field") == "unit"
        if not refused:
            tally.problems.append(f"not refused as the rules say: {where} {payload}")
        if status == 404 and payload != {
            "error": {"message": "Không tìm thấy.", "field": None, "code": "not_found"}
        }:
            tally.problems.append(f"a 404 that says more than 'not found': {where}")
    if not (case.allowed and persona in GRANT) and after != before:
        tally.problems.append(f"unauthorised write: {where}")


@pytest.mark.django_db
def test_every_operation_as_every_persona_follows_the_rules(world):
    ids = populate(world)
    tally = Tally()
    for persona in PERSONAS:
        client = Api(world.tokens.get(persona))
        for case in cases(persona, ids):
            check(tally, persona, client, case)

    assert tally.problems == [], "\n".join(tally.problems)
    unruled = operations() - tally.covered
    assert unruled == set(), f"API operations without an access rule in this sweep: {unruled}"
    assert tally.requests > 400
    print(f"\nAPI sweep: {tally.requests} requests, {len(PERSONAS)} personas, 0 problems")


@pytest.mark.django_db
def test_the_sweep_reports_a_refused_write_that_changed_data(world):
    """The sweep's own check bites: pretend the rules refuse the village its own figure."""
    tally = Tally()
    row = {"unit": "hl-1", "indicator": "road", "period": "2022-11", "value": "7777"}
    case = Case("POST /api/results", "/api/results", False, body=row)
    check(tally, "village", Api(world.tokens["village"]), case)
    assert any(p.startswith("not refused") for p in tally.problems)
    assert any(p.startswith("unauthorised write") for p in tally.problems)


@pytest.mark.django_db
def test_the_sweep_reports_a_list_holding_more_than_the_rules_allow(world):
    tally = Tally()
    case = Case("GET /api/units/", "/api/units/", True, listed=("code", {"hl-1"}))
    check(tally, "commune", Api(world.tokens["commune"]), case)
    assert any(p.startswith("list ['hl', 'hl-1', 'hl-2', 'hl-3']") for p in tally.problems)


def test_the_token_page_is_the_users_own(world):
    """The one page under /api/ that is not an operation: login required, own tokens only
    (the revoke case is in test_core)."""
    assert Client().get("/api/tokens/").status_code == 302
    for persona, user in world.users.items():
        client = Client()
        client.force_login(user)
        page = client.get("/api/tokens/").content.decode()
        others = {u.username for p, u in world.users.items() if p != persona}
        assert page.count("<code>xs_") == 1, persona  # the persona's own token only
        assert not any(name in page for name in others)
