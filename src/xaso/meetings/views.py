from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from xaso.figures.selectors import unit_overview
from xaso.formkit import show_service_errors, with_more_rows
from xaso.meetings.forms import (
    AttendeeFormSet,
    AwardFormSet,
    DirectiveFormSet,
    DocumentFormSet,
    FollowUpForm,
    MeetingForm,
)
from xaso.meetings.models import Meeting, MeetingKind
from xaso.meetings.selectors import (
    directive_progress,
    meeting_detail,
    meetings_for_unit,
    predecessor_units,
    readable_directives,
    task_board,
)
from xaso.meetings.services import (
    StaleStatus,
    directive_follow_up,
    may_change_status,
    may_follow_up,
    meeting_record,
)
from xaso.org import policy
from xaso.org.selectors import unit_or_404
from xaso.periods import PeriodError, parse_period, read_period


def meeting_list(request, code: str):
    unit = unit_or_404(code)
    policy.require_read(request.user, unit)
    kind = request.GET.get("kind", "")
    period = request.GET.get("period", "").strip()
    subtree = request.GET.get("scope") == "subtree"
    period_error = None
    if period:
        try:
            period = read_period(period).code
        except PeriodError as error:
            period_error = str(error)
    meetings = meetings_for_unit(unit, kind=kind, period=period, include_subtree=subtree)
    context = {
        "unit": unit,
        "trail": policy.trail(request.user, unit),
        "meetings": list(meetings),
        "kinds": MeetingKind.choices,
        "kind": kind,
        "period": period,
        "period_error": period_error,
        "subtree": subtree,
        "can_record": policy.can_record(request.user, unit),
    }
    return render(request, "meetings/list.html", context)


def meeting_page(request, pk: int):
    try:
        meeting = meeting_detail(pk, user=request.user)
    except Meeting.DoesNotExist:
        raise Http404("Không có hội nghị này.") from None
    overview = unit_overview(meeting.host, parse_period(meeting.period)) if meeting.period else None
    attendances = list(meeting.attendances.all())
    context = {
        "meeting": meeting,
        "unit": meeting.host,
        "trail": policy.trail(request.user, meeting.host),
        "chairs": [a for a in attendances if a.role == "chair"],
        "speakers": [a for a in attendances if a.role != "chair"],
        "overview": overview,
        # Plan columns only when some figure has a plan: on a phone, empty columns squeeze
        # the indicator names into three-word lines.
        "has_plans": bool(overview)
        and any(line.achievements for line in overview.lines if line.figure),
        "today": timezone.localdate(),
    }
    return render(request, "meetings/meeting.html", context)


def tasks(request, code: str):
    unit = unit_or_404(code)
    policy.require_read(request.user, unit)
    show_all = request.GET.get("all") == "1"
    today = timezone.localdate()
    directives = task_board(unit, today=today, open_only=not show_all)
    # A unit formed in a reorganisation carries on its predecessors' open tasks.
    inherited = [
        (old, board)
        for old in predecessor_units(unit)  # and theirs, from earlier reorganisations
        if (board := task_board(old, today=today))
    ]
    inherited_open = [d for _, board in inherited for d in board]
    context = {
        "inherited": inherited,
        # Counted in the head with the unit's own: the new commune carries them on.
        "inherited_open": len(inherited_open),
        "inherited_overdue": sum(1 for d in inherited_open if d.is_overdue(today)),
        "unit": unit,
        "trail": policy.trail(request.user, unit),
        "directives": directives,
        "overdue": sum(1 for d in directives if d.is_overdue(today)),
        "show_all": show_all,
        "today": today,
    }
    return render(request, "meetings/tasks.html", context)


def directive_page(request, pk: int):
    directive = get_object_or_404(
        readable_directives(request.user)
        .select_related("meeting__host", "issued_by__person", "issued_by__position")
        .prefetch_related("assigned_to", "follow_ups__by"),
        pk=pk,
    )
    assigned = list(directive.assigned_to.all())
    allowed = may_follow_up(request.user, directive)
    form = FollowUpForm(
        request.POST if request.method == "POST" else None,
        initial={"status": directive.status},
        status_locked=not may_change_status(request.user, directive),
    )
    status = 200
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied("Bạn không có quyền cập nhật nhiệm vụ này.")
        status = 400
        if form.is_valid():
            try:
                directive_follow_up(directive=directive, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                show_service_errors(form, error)
            except StaleStatus as stale:
                form.show_stale(stale)
                status = 409
            else:
                messages.success(request, "Đã cập nhật tiến độ nhiệm vụ.")
                return redirect("meetings:directive", pk=directive.pk)
    context = {
        "directive": directive,
        "assigned": assigned,
        "progress": directive_progress(directive),
        "form": form,
        "allowed": allowed,
        "today": timezone.localdate(),
    }
    return render(request, "meetings/directive.html", context, status=status)


# "Thêm dòng": a formset's button adds this many empty rows, up to MAX_ROWS in all.
MORE_ROWS = 5
MAX_ROWS = 100
_PREFIXES = ("a", "d", "t", "k")  # attendees, documents, directives (tasks), awards


def meeting_new(request, code: str):
    unit = unit_or_404(code)
    policy.require_record(request.user, unit, what="ghi hội nghị")
    data = request.POST if request.method == "POST" else None
    # A "Thêm dòng" button (name "more", value the formset's prefix) sends the form to be
    # shown again with more rows: nothing is checked or saved, everything typed is kept,
    # the submission token too. Works without JavaScript.
    adding = data is not None and "more" in data
    if adding and data["more"] in _PREFIXES:
        data = with_more_rows(data, data["more"], more=MORE_ROWS, most=MAX_ROWS)
    form = MeetingForm(data, near=unit)
    attendees = AttendeeFormSet(data, prefix="a")
    documents = DocumentFormSet(data, prefix="d")
    directives = DirectiveFormSet(data, prefix="t", form_kwargs={"near": unit})
    awards = AwardFormSet(data, prefix="k")
    parts = [form, attendees, documents, directives, awards]
    if request.method == "POST" and not adding and all(part.is_valid() for part in parts):
        try:
            meeting = meeting_record(
                host=unit,
                **form.cleaned_data,
                attendees=[f.to_input() for f in attendees if f.has_changed()],
                documents=[f.to_input() for f in documents if f.has_changed()],
                directives=[f.to_input() for f in directives if f.has_changed()],
                awards=[f.to_input() for f in awards if f.has_changed()],
                user=request.user,
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            if meeting.repeated:
                messages.info(request, "Biểu mẫu này đã được gửi và ghi trước đó: không ghi lại.")
            else:
                messages.success(request, f"Đã ghi hội nghị ngày {meeting.date:%d/%m/%Y}.")
            return redirect("meetings:meeting", pk=meeting.pk)
    context = {
        "unit": unit,
        "trail": policy.trail(request.user, unit),
        "form": form,
        "attendees": attendees,
        "documents": documents,
        "directives": directives,
        "awards": awards,
        "checked": data is not None and not adding,  # show errors only after a real send
        "max_rows": MAX_ROWS,
    }
    return render(request, "meetings/new.html", context, status=400 if context["checked"] else 200)
