"""API: meetings and their tasks (directives) — read, and progress on a task.

Lists hold what the user may read (`readable_meetings`, `readable_directives`, filtered in
the query); an id the user may not read is 404, telling nothing. Progress goes through
`directive_follow_up`, the web form's service, with its own rules on who moves a status.
"""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from xaso.api.errors import READ_ERRORS, WRITE_ERRORS, ApiError
from xaso.api.idempotency import once
from xaso.api.pagination import limit_query, page
from xaso.meetings.models import Directive, DirectiveStatus, Meeting, MeetingKind
from xaso.meetings.selectors import (
    meetings_for_unit,
    predecessor_units,
    readable_directives,
    readable_meetings,
)
from xaso.meetings.services import (
    DirectiveInput,
    StaleStatus,
    directive_follow_up,
    meeting_record,
)
from xaso.org.api import readable_unit
from xaso.org.models import OrgUnit

router = Router(tags=["Hội nghị và nhiệm vụ"])


class TaskOut(Schema):
    id: int
    meeting: int
    number: int
    text: str
    assigned_to: list[str]
    due_date: dt.date | None
    due_period: str
    status: str


class TaskPage(Schema):
    items: list[TaskOut]
    next: str | None


class MeetingOut(Schema):
    id: int
    host: str
    kind: str
    title: str
    date: dt.date
    period: str
    units: list[str]
    conclusions: str


class MeetingPage(Schema):
    items: list[MeetingOut]
    next: str | None


class MeetingDetail(MeetingOut):
    place: str
    summary: str
    tasks: list[TaskOut]


class TaskIn(Schema):
    text: str = Field(max_length=2000)
    assigned_to: list[str] = Field(default_factory=list, max_length=200)
    due_date: dt.date | None = None
    due_period: str = Field("", max_length=32)


class MeetingIn(Schema):
    host: str = Field(max_length=64)
    kind: MeetingKind
    title: str = Field(max_length=400)
    date: dt.date
    place: str = Field("", max_length=300)
    period: str = Field("", max_length=32)
    units: list[str] = Field(default_factory=list, max_length=200)
    summary: str = Field("", max_length=20000)
    conclusions: str = Field("", max_length=20000)
    tasks: list[TaskIn] = Field(default_factory=list, max_length=100)


class ProgressIn(Schema):
    status: DirectiveStatus
    note: str = Field(max_length=2000)
    date: dt.date | None = None
    seen_status: DirectiveStatus | None = Field(
        None, description="Tình trạng bạn thấy trước khi đổi (tránh ghi đè người khác)."
    )


class ProgressOut(Schema):
    task: int
    date: dt.date
    status: str
    note: str
    task_status: str


def meeting_json(meeting: Meeting) -> dict:
    return {
        "id": meeting.pk,
        "host": meeting.host.code,
        "kind": meeting.kind,
        "title": meeting.title,
        "date": meeting.date,
        "period": meeting.period,
        "units": sorted(unit.code for unit in meeting.units.all()),
        "conclusions": meeting.conclusions,
    }


def task_json(directive: Directive) -> dict:
    return {
        "id": directive.pk,
        "meeting": directive.meeting_id,
        "number": directive.number,
        "text": directive.text,
        "assigned_to": sorted(unit.code for unit in directive.assigned_to.all()),
        "due_date": directive.due_date,
        "due_period": directive.due_period,
        "status": directive.status,
    }


@router.get("/meetings/", response={200: MeetingPage, **READ_ERRORS}, summary="Các hội nghị")
def list_meetings(
    request,
    unit: str | None = Query(None, max_length=64, description="Chỉ hội nghị của đơn vị này."),
    limit: int = limit_query(),
    cursor: str | None = Query(None, max_length=200),
):
    """Meetings the user may read, newest recorded first; with `unit`, those the unit hosted
    or took part in — for a unit formed in a reorganisation, its predecessors' too (their
    `host` is the old unit), as its meetings page lists them."""
    meetings = readable_meetings(request.auth)
    if unit:
        where = readable_unit(request, unit)
        meetings = meetings.filter(id__in=meetings_for_unit(where).values("id"))
    meetings = meetings.select_related("host").prefetch_related("units")
    return page(request, meetings, key="-id", limit=limit, cursor=cursor, serialize=meeting_json)


@router.get(
    "/meetings/{meeting_id}", response={200: MeetingDetail, **READ_ERRORS}, summary="Một hội nghị"
)
def get_meeting(request, meeting_id: int):
    meeting = get_object_or_404(
        readable_meetings(request.auth)
        .select_related("host")
        .prefetch_related("units", "directives__assigned_to"),
        pk=meeting_id,
    )
    return _detail(meeting)


def _detail(meeting: Meeting) -> dict:
    return meeting_json(meeting) | {
        "place": meeting.place,
        "summary": meeting.summary,
        "tasks": [task_json(d) for d in meeting.directives.all()],
    }


def _units(codes: list[str], field: str) -> list[OrgUnit]:
    found = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise ApiError(422, f"Không có đơn vị mã «{missing[0]}».", field=field, code="validation")
    return [found[code] for code in codes]


@router.post("/meetings", response={200: MeetingDetail, **WRITE_ERRORS}, summary="Ghi một hội nghị")
def record_meeting(request, payload: MeetingIn):
    """A meeting with its conclusions and the tasks given, through `meeting_record` (the
    web form's service): the host, the units taking part and the units given tasks must all
    be ones the user records for. All or nothing."""

    def write():
        (host,) = _units([payload.host], "host")
        directives = [
            DirectiveInput(text=task.text, assigned_to=_units(task.assigned_to, "tasks"),
                           due_date=task.due_date, due_period=task.due_period)
            for task in payload.tasks
        ]  # fmt: skip
        meeting = meeting_record(
            host=host, kind=payload.kind, title=payload.title, date=payload.date,
            place=payload.place, period=payload.period, units=_units(payload.units, "units"),
            directives=directives, summary=payload.summary, conclusions=payload.conclusions,
            user=request.auth, channel="api",
        )  # fmt: skip
        return 200, MeetingDetail(**_detail(meeting)).model_dump(mode="json")

    return once(request, write)


@router.get("/tasks/", response={200: TaskPage, **READ_ERRORS}, summary="Các nhiệm vụ")
def list_tasks(
    request,
    unit: str | None = Query(None, max_length=64, description="Chỉ nhiệm vụ giao cho đơn vị này."),
    status: DirectiveStatus | None = None,
    limit: int = limit_query(),
    cursor: str | None = Query(None, max_length=200),
):
    """Tasks the user may read, newest first; with `unit`, those given to it — for a unit
    formed in a reorganisation, those given to its predecessors too (it carries them on;
    `assigned_to` names the old unit)."""
    tasks = readable_directives(request.auth)
    if unit:
        where = readable_unit(request, unit)
        ids = Directive.objects.filter(assigned_to__in=[where, *predecessor_units(where)])
        tasks = tasks.filter(id__in=ids.values("id"))
    if status:
        tasks = tasks.filter(status=status)
    tasks = tasks.prefetch_related("assigned_to")
    return page(request, tasks, key="-id", limit=limit, cursor=cursor, serialize=task_json)


@router.get("/tasks/{task_id}", response={200: TaskOut, **READ_ERRORS}, summary="Một nhiệm vụ")
def get_task(request, task_id: int):
    task = get_object_or_404(readable_directives(request.auth), pk=task_id)
    return task_json(task)


@router.post(
    "/tasks/{task_id}/progress",
    response={200: ProgressOut, **WRITE_ERRORS},
    summary="Ghi tiến độ một nhiệm vụ",
)
def task_progress(request, task_id: int, payload: ProgressIn):
    """Progress on a task, and its status moved; who may do which is the web's rule
    (docs/access.md, Tasks). A status someone moved since `seen_status` is a 409."""

    def write():
        task = get_object_or_404(
            readable_directives(request.auth).select_related("meeting__host"), pk=task_id
        )
        try:
            follow_up = directive_follow_up(
                directive=task, status=payload.status, note=payload.note, user=request.auth,
                date=payload.date, channel="api", seen_status=payload.seen_status or "",
            )  # fmt: skip
        except StaleStatus as stale:
            raise ApiError(409, str(stale), field="seen_status", code="conflict") from None
        task.refresh_from_db(fields=["status"])
        body = {"task": task.pk, "date": follow_up.date, "status": follow_up.status,
                "note": follow_up.note, "task_status": task.status}  # fmt: skip
        return 200, ProgressOut(**body).model_dump(mode="json")

    return once(request, write)
