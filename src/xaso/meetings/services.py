"""Writes of meetings, directives and follow-ups. Each validates everything first, then
writes in one transaction: a meeting with a bad directive is not half-recorded."""

import datetime as dt
from dataclasses import dataclass, field, replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xaso.audit.models import Action, Entity
from xaso.audit.services import audit_record
from xaso.catalog.models import Indicator
from xaso.meetings.models import (
    Attendance,
    AttendanceRole,
    Award,
    AwardKind,
    Directive,
    DirectiveStatus,
    DocumentKind,
    FollowUp,
    Limitation,
    Meeting,
    MeetingDocument,
    MeetingKind,
    Person,
    Position,
    TimeOfDay,
)
from xaso.once import services as once_tokens
from xaso.org import policy
from xaso.org.models import OrgUnit, UnitGroup
from xaso.periods import PeriodError, read_period
from xaso.vn.abbreviations import normalise_title
from xaso.vn.text import nfc


@dataclass
class AttendeeInput:
    role: str = AttendanceRole.ATTENDEE
    name: str = ""  # a person …
    title: str = ""  # … with the title they held that day, as written
    group: str = ""  # … or a group: "bí thư các chi bộ, thôn trưởng 12 thôn"
    group_count: int | None = None


@dataclass
class DirectiveInput:
    text: str
    assigned_to: list[OrgUnit] = field(default_factory=list)
    due_date: dt.date | None = None
    due_period: str = ""
    issued_by: str = ""  # the name of an attendee of this meeting
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class DocumentInput:
    title: str
    kind: str = DocumentKind.REPORT
    presenter: str = ""  # the name of an attendee


@dataclass
class AwardInput:
    kind: str
    detail: str = ""
    recipients: str = ""
    count: int | None = None


def _clean(text: str) -> str:
    return " ".join(nfc(text or "").split())


def person_key(full_name: str) -> str:
    """How names are matched: case and spacing do not matter, tone marks do
    ("Nguyễn Văn Hải" and "Nguyễn Văn Hài" are two people)."""
    return _clean(full_name).lower()


def person_get_or_create(full_name: str) -> Person:
    name = _clean(full_name)
    person = Person.objects.filter(search_name=person_key(name)).first()
    return person or Person.objects.create(full_name=name, search_name=person_key(name))


def position_record(*, person: Person, title: str, unit: OrgUnit | None = None) -> Position:
    title = _clean(title)
    position, created = Position.objects.get_or_create(
        person=person,
        title=title,
        defaults={"title_normalised": normalise_title(title), "unit": unit},
    )
    if not created and unit is not None and position.unit_id is None:
        position.unit = unit
        position.save(update_fields=["unit"])
    return position


# How far ahead a date may lie. A meeting is recorded once held, or planned for the coming
# months: more than a year ahead is a typing slip (2099 for 2023). A task's due date may run
# as long as a congress term and more, but not past ten years after the meeting.
MEETING_DAYS_AHEAD_YEARS = 1
DUE_DATE_YEARS = 10


def years_after(date: dt.date, years: int) -> dt.date:
    """The same day `years` later (29/02 becomes 28/02 in a common year)."""
    try:
        return date.replace(year=date.year + years)
    except ValueError:
        return date.replace(year=date.year + years, day=28)


def _validate(
    *, kind, title, date, time_of_day, period, attendees, directives, documents, awards
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field_name: str, message: str) -> None:
        errors.setdefault(field_name, []).append(message)

    if kind not in MeetingKind.values:
        add("kind", f"Loại hội nghị ‘{kind}’ không hợp lệ.")
    if not _clean(title):
        add("title", "Chưa nhập tên hội nghị.")
    if date is None:
        add("date", "Chưa nhập ngày họp.")
    else:
        today = timezone.localdate()
        latest = years_after(today, MEETING_DAYS_AHEAD_YEARS)
        if date > latest:
            add(
                "date",
                f"Ngày họp {date:%d/%m/%Y} quá xa: không được sau {latest:%d/%m/%Y} "
                "(một năm kể từ hôm nay).",
            )
    if time_of_day and time_of_day not in TimeOfDay.values:
        add("time_of_day", f"Buổi ‘{time_of_day}’ không hợp lệ (sáng, chiều hoặc tối).")
    if period:
        try:
            read_period(period)
        except PeriodError as error:
            add("period", f"Kỳ đánh giá: {error}")
    names = {person_key(a.name) for a in attendees if a.name}
    for index, attendee in enumerate(attendees, start=1):
        if not _clean(attendee.name) and not _clean(attendee.group):
            add("attendees", f"Đại biểu thứ {index}: cần họ tên hoặc tên nhóm.")
        if attendee.role not in AttendanceRole.values:
            add("attendees", f"Đại biểu thứ {index}: vai trò ‘{attendee.role}’ không hợp lệ.")
    for index, directive in enumerate(directives, start=1):
        label = f"Nhiệm vụ {index}"
        if not _clean(directive.text):
            add("directives", f"{label}: chưa nhập nội dung.")
        if not directive.assigned_to:
            add("directives", f"{label}: chưa giao cho đơn vị nào.")
        if directive.due_date and date and directive.due_date < date:
            add(
                "directives",
                f"{label}: hạn hoàn thành {directive.due_date:%d/%m/%Y} "
                f"trước ngày họp {date:%d/%m/%Y}.",
            )
        due = directive.due_date
        if directive.due_period:
            try:
                due = due or read_period(directive.due_period).end
            except PeriodError as error:
                add("directives", f"{label}: hạn theo kỳ — {error}")
        if due and date and due > years_after(date, DUE_DATE_YEARS):
            add(
                "directives",
                f"{label}: hạn hoàn thành {due:%d/%m/%Y} quá xa: không được sau "
                f"{years_after(date, DUE_DATE_YEARS):%d/%m/%Y} (10 năm kể từ ngày họp).",
            )
        if directive.issued_by and person_key(directive.issued_by) not in names:
            add(
                "directives", f"{label}: ‘{directive.issued_by}’ không có trong danh sách đại biểu."
            )
    for document in documents:
        if document.presenter and person_key(document.presenter) not in names:
            add("documents", f"‘{document.presenter}’ không có trong danh sách đại biểu.")
    for award in awards:
        if award.kind not in AwardKind.values:
            add("awards", f"Hình thức khen thưởng ‘{award.kind}’ không hợp lệ.")
    return errors


@transaction.atomic
def meeting_record(
    *,
    host: OrgUnit,
    kind: str,
    title: str,
    date: dt.date,
    time_of_day: str = "",
    place: str = "",
    period: str = "",
    units: list[OrgUnit] = (),
    attendees: list[AttendeeInput] = (),
    documents: list[DocumentInput] = (),
    limitations: list[str] = (),
    directives: list[DirectiveInput] = (),
    awards: list[AwardInput] = (),
    summary: str = "",
    conclusions: str = "",
    source: str = "",
    user=None,
    once: str = "",
    channel: str = "form",
    group: UnitGroup | None = None,
) -> Meeting:
    """Record a meeting with everything said at it. All or nothing.

    A meeting held by a `group` (a cluster's review): its host is the group's owner or one of
    its members; the members take part unless `units` says otherwise, and a directive given
    to no unit is given to every member.

    For a user, the host, the units taking part and the units given tasks must all be ones
    the user records for. `once` is the form's submission token: sent again, it records
    nothing and returns the meeting the first submission recorded (marked `repeated`).
    """
    if group is not None:
        units, directives = _for_group(group, host, units, directives)
    if user is not None:
        _require_scope(user, host, units, directives)
    token, earlier = once_tokens.claim(user=user, key=once, kind="meeting")
    if earlier is not None:
        meeting = Meeting.objects.get(pk=earlier)
        meeting.repeated = True
        return meeting
    errors = _validate(
        kind=kind,
        title=title,
        date=date,
        time_of_day=time_of_day,
        period=period,
        attendees=attendees,
        directives=directives,
        documents=documents,
        awards=awards,
    )
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(
        host=host,
        group=group,
        kind=kind,
        title=_clean(title),
        date=date,
        time_of_day=time_of_day,
        place=_clean(place),
        period=read_period(period).code if period else "",
        summary=nfc(summary).strip(),
        conclusions=nfc(conclusions).strip(),
        source=_clean(source),
        recorded_by=user,
    )
    meeting.units.set(units)
    by_name: dict[str, Attendance] = {}
    for order, attendee in enumerate(attendees):
        person = position = None
        if _clean(attendee.name):
            person = person_get_or_create(attendee.name)
            if _clean(attendee.title):
                position = position_record(person=person, title=attendee.title)
        attendance = Attendance.objects.create(
            meeting=meeting,
            person=person,
            position=position,
            group=_clean(attendee.group),
            group_count=attendee.group_count,
            role=attendee.role,
            order=order,
        )
        if person is not None:
            by_name.setdefault(person.search_name, attendance)
    for order, document in enumerate(documents):
        MeetingDocument.objects.create(
            meeting=meeting,
            kind=document.kind,
            title=_clean(document.title),
            presenter=by_name.get(person_key(document.presenter)) if document.presenter else None,
            order=order,
        )
    Limitation.objects.bulk_create(
        Limitation(meeting=meeting, text=nfc(text).strip(), order=order)
        for order, text in enumerate(limitations)
        if _clean(text)
    )
    for number, item in enumerate(directives, start=1):
        due_date = item.due_date
        if due_date is None and item.due_period:
            due_date = read_period(item.due_period).end
        directive = Directive.objects.create(
            meeting=meeting,
            number=number,
            text=nfc(item.text).strip(),
            issued_by=by_name.get(person_key(item.issued_by)) if item.issued_by else None,
            due_date=due_date,
            due_period=read_period(item.due_period).code if item.due_period else "",
        )
        directive.assigned_to.set(item.assigned_to)
        directive.indicators.set(item.indicators)
    for award in awards:
        Award.objects.create(
            meeting=meeting,
            kind=award.kind,
            detail=_clean(award.detail),
            recipients=_clean(award.recipients),
            count=award.count,
        )
    _audit_meeting(meeting, user, channel)
    once_tokens.settle(token, meeting.pk)
    meeting.repeated = False
    return meeting


def _for_group(group: UnitGroup, host: OrgUnit, units, directives):
    """The units taking part and the directives' assignees of a group's meeting."""
    members = list(group.members.order_by("path"))
    if host != group.owner and host not in members:
        raise ValidationError({"host": f"{host.full_name} không lập và không thuộc {group.name}."})
    directives = [replace(item, assigned_to=item.assigned_to or members) for item in directives]
    return list(units) or members, directives


def _audit_meeting(meeting: Meeting, user, channel: str) -> None:
    """One entry for the meeting and one for each task it gave, naming who recorded them."""
    audit_record(
        entity=Entity.MEETING,
        object_id=meeting.pk,
        unit=meeting.host,
        action=Action.CREATE,
        old=None,
        new={
            "kind": meeting.kind,
            "title": meeting.title,
            "date": meeting.date,
            "period": meeting.period,
            "units": [unit.code for unit in meeting.units.all()],
            "group": meeting.group.code if meeting.group else None,
            "attendances": meeting.attendances.count(),
            "directives": meeting.directives.count(),
        },
        user=user,
        channel=channel,
    )
    for directive in meeting.directives.prefetch_related("assigned_to"):
        audit_record(
            entity=Entity.DIRECTIVE,
            object_id=directive.pk,
            unit=meeting.host,
            action=Action.CREATE,
            old=None,
            new={
                "meeting": meeting.pk,
                "number": directive.number,
                "text": directive.text,
                "assigned_to": [unit.code for unit in directive.assigned_to.all()],
                "due_date": directive.due_date,
                "status": directive.status,
            },
            user=user,
            channel=channel,
        )


def _require_scope(user, host: OrgUnit, units, directives) -> None:
    policy.require_record(user, host, what="ghi hội nghị")
    policy.require_record_all(user, units, what="ghi hội nghị")
    for directive in directives:
        policy.require_record_all(user, directive.assigned_to, what="giao nhiệm vụ")


class StaleStatus(Exception):
    """The directive's status was moved by someone else since the user saw it."""

    def __init__(self, *, seen: str, current: str):
        self.seen, self.current = seen, current
        labels = dict(DirectiveStatus.choices)
        super().__init__(
            f"Trong lúc bạn cập nhật, tình trạng đã được đổi từ ‘{labels.get(seen, seen)}’ "
            f"thành ‘{labels.get(current, current)}’. Chưa lưu: hãy xem lại, rồi gửi lại nếu "
            "vẫn muốn đổi."
        )


def may_follow_up(user, directive: Directive) -> bool:
    """Whether the user may report progress on the directive at all: a writer for the unit
    that issued it or for one of the units it was given to."""
    return policy.can_record(user, directive.meeting.host, *directive.assigned_to.all())


def may_change_status(user, directive: Directive) -> bool:
    """Whether the user may move the directive's status. A task given to several units has
    one status for all of them: only the issuing unit's writers move it; a unit it was
    given to alone moves its own."""
    if policy.can_record(user, directive.meeting.host):
        return True
    assigned = list(directive.assigned_to.all())
    return len(assigned) == 1 and policy.can_record(user, assigned[0])


@transaction.atomic
def directive_follow_up(
    *,
    directive: Directive,
    status: str,
    note: str,
    user=None,
    date: dt.date | None = None,
    once: str = "",
    channel: str = "form",
    seen_status: str = "",
) -> FollowUp:
    """Record progress on a directive and move its status.

    `seen_status` is the status the user saw: if someone moved it since, a different status
    from this user is not put over theirs (StaleStatus) — the user decides again."""
    directive.status = (
        Directive.objects.select_for_update().values_list("status", flat=True).get(pk=directive.pk)
    )
    if user is not None:
        if not may_follow_up(user, directive):
            raise PermissionDenied("Bạn không có quyền cập nhật nhiệm vụ này.")
        if status != directive.status and not may_change_status(user, directive):
            raise PermissionDenied(
                "Nhiệm vụ này giao cho nhiều đơn vị: chỉ đơn vị giao nhiệm vụ mới đổi được "
                "tình trạng chung. Bạn vẫn ghi được tiến độ của đơn vị mình "
                "(giữ nguyên tình trạng)."
            )
    token, earlier = once_tokens.claim(user=user, key=once, kind="follow_up")
    if earlier is not None:
        return FollowUp.objects.get(pk=earlier)
    if seen_status and seen_status != directive.status and status != directive.status:
        raise StaleStatus(seen=seen_status, current=directive.status)
    errors = {}
    if status not in DirectiveStatus.values:
        errors["status"] = [f"Tình trạng ‘{status}’ không hợp lệ."]
    if not _clean(note):
        errors["note"] = ["Chưa nhập nội dung cập nhật."]
    today = timezone.localdate()
    date = date or today
    if date < directive.meeting.date:
        errors["date"] = [f"Ngày cập nhật trước ngày họp {directive.meeting.date:%d/%m/%Y}."]
    elif date > today:
        # Progress is what has been done: a note dated ahead would also stay the latest-dated
        # one, and so fix the task's status over every real note until that day comes.
        errors["date"] = [
            f"Ngày cập nhật {date:%d/%m/%Y} sau hôm nay ({today:%d/%m/%Y}): tiến độ ghi việc "
            "đã làm, không ghi trước."
        ]
    if errors:
        raise ValidationError(errors)
    follow_up = FollowUp.objects.create(
        directive=directive, date=date, note=nfc(note).strip(), status=status, by=user
    )
    # The status is the one of the latest-dated follow-up: a back-dated note adds history
    # without undoing what was reported since.
    latest = directive.follow_ups.order_by("-date", "-id").first()
    audit_record(
        entity=Entity.FOLLOW_UP,
        object_id=follow_up.pk,
        unit=directive.meeting.host,
        action=Action.CREATE,
        old=None,
        new={"directive": directive.pk, "date": date, "status": status, "note": follow_up.note},
        user=user,
        channel=channel,
    )
    if directive.status != latest.status:
        audit_record(
            entity=Entity.DIRECTIVE,
            object_id=directive.pk,
            unit=directive.meeting.host,
            action=Action.UPDATE,
            old={"status": directive.status},
            new={"status": latest.status},
            user=user,
            channel=channel,
        )
        directive.status = latest.status
        directive.save(update_fields=["status"])
    once_tokens.settle(token, follow_up.pk)
    return follow_up
