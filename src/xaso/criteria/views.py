"""The criteria pages: a unit's standing on a set (and recording assessments, recognitions and
its group), a parent's matrix, the sets and loading a province's own.

Views parse, ask `org.policy`, call `criteria.services`/`criteria.selectors` and render. A
refused write re-shows what was typed with the reason beside the field.
"""

import datetime as dt
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from xaso.criteria import wording
from xaso.criteria.forms import SEEN_NONE, AssessmentForm, GroupingForm, RecognitionForm
from xaso.criteria.lineage import predecessors_standing
from xaso.criteria.loading import OWNER_KINDS, pack_of
from xaso.criteria.models import CriteriaSet, Criterion
from xaso.criteria.selectors import (
    groups_of,
    history,
    keeping,
    matrix,
    sets_below,
    sets_for,
    standing,
    units_below,
    visible_sets,
)
from xaso.criteria.services import NOTHING, StaleAssessment, assess, recognise, set_grouping
from xaso.criteria.upload import upload_pack
from xaso.formkit import show_service_errors
from xaso.org import policy
from xaso.org.groups import visible_group, visible_groups
from xaso.org.models import OrgUnit
from xaso.org.selectors import unit_or_404

ACTIONS = ("assess", "recognise", "group")


def _day(text: str) -> tuple[dt.date, str | None]:
    today = timezone.localdate()
    if not text:
        return today, None
    try:
        day = wording.read_day(text)
    except ValueError as error:
        return today, f"Ngày xem: {error}"
    return min(day, today), None


def _chosen_set(sets: list[CriteriaSet], code: str, day: dt.date) -> CriteriaSet | None:
    if code:
        return next((s for s in sets if s.code == code), None)
    in_force = [
        s
        for s in sets
        if s.first_year <= day.year and (s.last_year is None or day.year <= s.last_year)
    ]
    return (in_force or sets or [None])[0]


def _page_url(unit: OrgUnit, criteria_set: CriteriaSet, day: dt.date) -> str:
    url = reverse("criteria:unit", args=[unit.code])
    return f"{url}?set={criteria_set.code}&date={day:%d/%m/%Y}"


def unit_criteria(request, code: str):
    unit = unit_or_404(code)
    policy.require_read(request.user, unit)
    data = request.POST if request.method == "POST" else request.GET
    day, day_error = _day(data.get("date", ""))
    own = sets_for(unit)
    sets = own + sets_below(unit)
    criteria_set = _chosen_set(sets, data.get("set", ""), day)
    applies = criteria_set in own
    if data.get("set") and criteria_set is None:
        raise Http404("Không có bộ tiêu chí này cho đơn vị.")
    can_manage = policy.can_manage(request.user, unit)
    forms, status = {}, 200
    if criteria_set is not None:
        criteria = list(criteria_set.criteria.order_by("position"))
        forms = {
            "assess": AssessmentForm(criteria=criteria, initial={"assessed_on": day}),
            "recognise": RecognitionForm(initial={"decided_on": day}),
            "group": GroupingForm(groups=criteria_set.groups),
        }
        if request.method == "POST":
            action = request.POST.get("action")
            if action not in ACTIONS or (action != "group" and not applies):
                return render(request, "400.html", status=400)
            policy.require_manage(request.user, unit, what="đánh giá tiêu chí")
            form, status = _write(request, unit, criteria_set, criteria, action)
            if form is None:
                return redirect(_page_url(unit, criteria_set, day))
            forms[action] = form
    elif request.method == "POST":
        raise Http404("Không có bộ tiêu chí nào áp dụng cho đơn vị này.")
    context = {
        "unit": unit,
        "trail": policy.trail(request.user, unit),
        "sets": sets,
        "criteria_set": criteria_set,
        "day": day,
        "day_error": day_error,
        "can_manage": can_manage,
        "forms": forms,
        "applies": applies,
    }
    if criteria_set is not None:
        context["has_matrix"] = units_below(unit, criteria_set.applies_to).exists()
        group = groups_of(criteria_set, [unit])[unit.pk]
        context["group_name"] = criteria_set.group_name(group) if group else ""
    if applies:
        result = standing(unit, criteria_set, day)
        if "assess" in forms and not forms["assess"].is_bound:
            forms["assess"].initial["shown"] = shown_of(result.rows)
        context |= {
            "standing": result,
            "groups": _grouped(result.rows),
            "keeping": keeping(unit, criteria_set, day),
            "history": history(unit, criteria_set),
            **_predecessors(unit, criteria_set, day),
        }
    return render(request, "criteria/unit.html", context, status=400 if day_error else status)


def _predecessors(unit, criteria_set, day) -> dict:
    """A unit formed from others (2025): where each stood when it ended ("2/3 xã cũ đã đạt
    chuẩn") and its history — recognised when, by which decision, and its counts over the
    assessments up to then."""
    found = predecessors_standing(unit, criteria_set, day)
    if found is None:
        return {"predecessors": None, "predecessor_history": []}
    rows = []
    for standing_then in found.standings:
        old = standing_then.unit
        counts = [c for c in history(old, criteria_set) if c.on <= standing_then.on]
        recognition = keeping(old, criteria_set, standing_then.on).recognition
        rows.append((old, recognition, counts))
    return {"predecessors": found, "predecessor_history": rows}


def _grouped(rows):
    """Rows under their group headings, in order: [(heading, [rows])]."""
    out = []
    for row in rows:
        if not out or out[-1][0] != row.criterion.group:
            out.append((row.criterion.group, []))
        out[-1][1].append(row)
    return out


def _write(request, unit, criteria_set, criteria, action):
    """Do the posted action; (None, 302) when done, else (the form with its errors, status)."""
    if action == "assess":
        form = AssessmentForm(request.POST, criteria=criteria)
    elif action == "recognise":
        form = RecognitionForm(request.POST)
    else:
        form = GroupingForm(request.POST, groups=criteria_set.groups)
    if not form.is_valid():
        return form, 400
    data = form.cleaned_data
    try:
        if action == "assess":
            criterion = Criterion.objects.get(criteria_set=criteria_set, number=data["criterion"])
            seen = data["seen"] or _shown(data["shown"], criterion.number, data["assessed_on"])
            assess(
                unit=unit,
                criterion=criterion,
                on=data["assessed_on"],
                status=data["status"],
                evidence=data["evidence"],
                document=data["document"],
                user=request.user,
                seen=NOTHING if seen in ("", SEEN_NONE) else seen,
            )
            done = f"Đã ghi tiêu chí {criterion.number}: {wording.status(data['status'])}."
        elif action == "recognise":
            recognise(
                unit=unit,
                criteria_set=criteria_set,
                on=data["decided_on"],
                decision=data["decision"],
                kind=data["kind"],
                user=request.user,
            )
            done = "Đã ghi quyết định."
        else:
            set_grouping(
                unit=unit, criteria_set=criteria_set, group=data["group"], user=request.user
            )
            done = f"Đã xếp {unit.full_name} vào {criteria_set.group_name(data['group'])}."
    except ValidationError as error:
        show_service_errors(form, error)
        return form, 400
    except StaleAssessment as stale:
        form.add_error(None, str(stale))
        form.data = form.data.copy()
        form.data["seen"] = stale.current.status if stale.current else SEEN_NONE
        return form, 409
    messages.success(request, done)
    return None, 302


def _readable_set(user, code: str) -> CriteriaSet:
    """A national set, or a province's own set for readers of that province (else 404)."""
    criteria_set = get_object_or_404(CriteriaSet.objects.select_related("owner"), code=code)
    if criteria_set.owner is not None and not policy.can_read(user, criteria_set.owner):
        raise Http404
    return criteria_set


def _shown(shown: str, number: str, day: dt.date) -> str:
    """What the page showed for this criterion on this day: its status, or SEEN_NONE."""
    for item in shown.split(";"):
        key, _, value = item.partition("=")
        status, _, on = value.partition("@")
        if key == number and on == day.isoformat():
            return status
    return SEEN_NONE


def shown_of(rows) -> str:
    return ";".join(
        f"{row.criterion.number}={row.recorded.status}@{row.recorded.assessed_on.isoformat()}"
        for row in rows
        if row.recorded
    )


def matrix_page(request, code: str, set_code: str):
    unit = unit_or_404(code)
    policy.require_read(request.user, unit)
    criteria_set = _readable_set(request.user, set_code)
    day, day_error = _day(request.GET.get("date", ""))
    grid = matrix(unit, criteria_set, day, request.user)
    order = request.GET.get("sort", "")
    standings = list(grid.standings)
    group, groups = _within_group(request, standings)
    if group is not None:  # "xếp hạng trong cụm thi đua số 2": its members, most criteria first
        members = set(group.members.values_list("pk", flat=True))
        standings = [s for s in standings if s.unit.pk in members]
        order = "achieved"
    if order == "achieved":
        standings.sort(key=lambda s: (-s.achieved, s.unit.path))
    elif order == "missing":
        standings.sort(key=lambda s: (s.achieved, s.unit.path))
    for index, row in enumerate(standings):  # the place in a group's ranking: ties share one
        tied = index and standings[index - 1].achieved == row.achieved
        row.place = standings[index - 1].place if tied else index + 1
    context = {
        "unit": unit,
        "trail": policy.trail(request.user, unit),
        "criteria_set": criteria_set,
        "grid": grid,
        "standings": standings,
        "order": order,
        "day": day,
        "day_error": day_error,
        "group": group,
        "groups": groups,
    }
    return render(request, "criteria/matrix.html", context, status=400 if day_error else 200)


def _within_group(request, standings) -> tuple:
    """The group asked for (`?nhom=`; 404 when the user may not see it) and the groups the
    user sees that have members in this matrix, to offer."""
    units = [s.unit.pk for s in standings]
    groups = list(
        visible_groups(request.user).filter(memberships__unit__in=units).distinct().order_by("name")
    )
    code = request.GET.get("nhom", "").strip()
    if not code:
        return None, groups
    group = visible_group(request.user, code)
    if group is None:
        raise Http404("Không có nhóm này.")
    return group, groups


def sets_page(request):
    """The sets the user may read; a manager of a province loads the province's own here."""
    owners = _owners(request.user)
    form, status = None, 200
    if owners:
        form, status = upload_pack(request, owners)
        if form is None:
            return redirect(reverse("criteria:sets"))
    elif request.method == "POST":
        raise PermissionDenied("Chỉ người quản lý cấp tỉnh mới được nạp bộ tiêu chí của tỉnh.")
    context = {"sets": visible_sets(request.user), "form": form}
    return render(request, "criteria/sets.html", context, status=status)


def _owners(user) -> list[OrgUnit]:
    """The provinces whose own sets the user may load."""
    provinces = OrgUnit.objects.filter(kind__in=OWNER_KINDS).order_by("path")
    return [p for p in provinces if policy.can_manage(user, p)][:100]


def set_page(request, set_code: str):
    criteria_set = _readable_set(request.user, set_code)
    criteria = list(criteria_set.criteria.order_by("position").prefetch_related("requirements"))
    context = {"criteria_set": criteria_set, "criteria": criteria}
    return render(request, "criteria/set.html", context)


def set_xlsx(request, set_code: str):
    """The set as the spreadsheet a province edits and loads back as its own."""
    from xaso.criteria.spreadsheet_out import write_pack_xlsx  # openpyxl, on demand

    criteria_set = _readable_set(request.user, set_code)
    buffer = io.BytesIO()
    write_pack_xlsx(pack_of(criteria_set), buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{criteria_set.code}.xlsx"'
    return response
