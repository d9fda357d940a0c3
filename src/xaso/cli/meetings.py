"""`xaso meetings` and `xaso tasks`: a unit's review meetings and the directives they gave."""

import json

from xaso.cli.common import setup_django
from xaso.cli.units import add_as_option, resolve_readable_unit


def _attendee_text(attendance) -> str:
    if attendance.person is None:
        return attendance.group
    title = attendance.position.title if attendance.position else ""
    return f"{attendance.person.full_name}, {title}" if title else attendance.person.full_name


def cmd_meetings(args) -> int:
    setup_django()
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
            "host_code": meeting.host.code,
            # Held by a unit that ended (a predecessor of a unit formed in 2025), and when.
            "host_valid_to": meeting.host.valid_to.isoformat() if meeting.host.valid_to else None,
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
        if meeting.host_id != unit.pk:
            ended = meeting.host.valid_to
            old = f" (đơn vị cũ, đến {ended:%d/%m/%Y})" if ended else ""
            print(f"    tổ chức: {meeting.host.full_name}{old}")
        if row["chairs"]:
            print(f"    chủ trì: {'; '.join(row['chairs'])}")
        print(f"    {row['directives']} nhiệm vụ")
    return 0


def cmd_tasks(args) -> int:
    setup_django()
    from django.utils import timezone

    from xaso.meetings.selectors import predecessor_units, task_board

    unit = resolve_readable_unit(args.unit, args.as_user)
    today = timezone.localdate()
    directives = task_board(unit, today=today, open_only=args.open)
    rows = [_task_json(d, today) for d in directives]
    # A unit formed in a reorganisation carries on its predecessors' open tasks (as its
    # task board on the web shows them).
    inherited = [
        (old, board) for old in predecessor_units(unit) if (board := task_board(old, today=today))
    ]
    if args.json:
        carried = [
            {"unit": old.full_name, "code": old.code, "valid_to": old.valid_to.isoformat(),
             "tasks": [_task_json(d, today) for d in board]}
            for old, board in inherited
        ]  # fmt: skip
        print(json.dumps({"tasks": rows, "predecessors": carried}, ensure_ascii=False, indent=2))
        return 0
    print(f"Nhiệm vụ của {unit.full_name}{' (chưa xong)' if args.open else ''}: {len(rows)}")
    _print_tasks(directives, rows)
    for old, board in inherited:
        print(f"\nViệc chưa xong của {old.full_name} (đơn vị cũ, đến {old.valid_to:%d/%m/%Y}): "
              f"{len(board)}")  # fmt: skip
        _print_tasks(board, [_task_json(d, today) for d in board])
    return 0


def _task_json(d, today) -> dict:
    return {
        "text": d.text,
        "status": "overdue" if d.is_overdue(today) else d.status,
        "status_label": d.status_label(today),
        "due": d.due_date.isoformat() if d.due_date else None,
        "assigned_to": [u.full_name for u in d.assigned_to.all()],
        "issued_by": _attendee_text(d.issued_by) if d.issued_by else None,
        "meeting_date": d.meeting.date.isoformat(),
        "meeting": d.meeting.title,
    }


def _print_tasks(directives, rows) -> None:
    for d, row in zip(directives, rows, strict=True):
        due = f"hạn {d.due_date:%d/%m/%Y}" if d.due_date else "không ghi hạn"
        print(f"\n[{row['status_label']}] {d.text}")
        print(f"    {due} · giao: {', '.join(row['assigned_to'])} · họp {d.meeting.date:%d/%m/%Y}")


def add_meetings(sub) -> None:
    meetings = sub.add_parser("meetings", help="a unit's meetings, newest first")
    meetings.add_argument("unit")
    meetings.add_argument("--json", action="store_true")
    add_as_option(meetings)
    meetings.set_defaults(func=cmd_meetings)


def add_tasks(sub) -> None:
    tasks = sub.add_parser("tasks", help="directives given to a unit and the units below it")
    tasks.add_argument("unit")
    tasks.add_argument("--open", action="store_true", help="only those not done")
    tasks.add_argument("--json", action="store_true")
    add_as_option(tasks)
    tasks.set_defaults(func=cmd_tasks)
