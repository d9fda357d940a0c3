"""The groups pages: a unit's groups (and its group sets' check), a group's page (members'
figures side by side, the total, the ranking, its meetings and directives), creating and
editing a group, and loading groups from a spreadsheet. Each calls `groups.services` /
`groups.selectors`, as the CLI does."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from xaso.figures.views import VIEWS as UNIT_VIEWS
from xaso.figures.views import no_last_year, period_asked, view_asked
from xaso.formkit import show_service_errors
from xaso.groups.figures import group_figures
from xaso.groups.forms import GroupForm, GroupsUploadForm
from xaso.groups.selectors import groups_of, partition
from xaso.groups.services import group_save, groups_import
from xaso.groups.sheets import groups_template, read_group_rows
from xaso.meetings.models import Directive
from xaso.org import policy
from xaso.org.groups import can_see
from xaso.org.models import GroupSet, OrgUnit, UnitGroup
from xaso.org.selectors import unit_or_404

WHAT = "lập hoặc sửa nhóm đơn vị"
# What the unit page offers for a period and a group's page too: the period, the year-to-date
# ("lũy kế 6 tháng đầu năm"), the same period (or year-to-date) last year.
VIEWS = {key: UNIT_VIEWS[key] for key in ("period", "ytd", "last-year")}


def _posted(request) -> tuple:
    """A form's data and files when the page is sent (even empty: it is then refused)."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def unit_groups(request, code: str):
    unit = unit_or_404(code)
    policy.require_read(request.user, unit)
    year = timezone.localdate().year
    checks = [partition(group_set, year) for group_set in GroupSet.objects.filter(owner=unit)]
    context = {
        "unit": unit,
        "trail": policy.trail(request.user, unit),
        "groups": groups_of(unit, request.user),
        "checks": checks,
        "year": year,
        "manages": policy.can_manage(request.user, unit),
    }
    return render(request, "groups/unit.html", context)


def _group(request, code: str) -> UnitGroup:
    group = get_object_or_404(UnitGroup.objects.select_related("owner"), code=code)
    if not can_see(request.user, group):
        raise Http404("Không có nhóm này.")
    return group


def group_page(request, code: str):
    group = _group(request, code)
    # the owner's periods: those its members report
    period, choices, period_error = period_asked(request, group.owner)
    view, view_note = view_asked(request, period, VIEWS)
    figures = group_figures(
        group, period, request.user, ytd=view == "ytd", last_year=view == "last-year"
    )
    if view == "last-year" and figures.before is None:
        view_note = no_last_year(period)
    chosen = figures.line(request.GET.get("indicator", "")) or (
        figures.lines[0] if figures.lines else None
    )
    meetings = group.meetings.order_by("-date")
    directives = (
        Directive.objects.filter(meeting__group=group)
        .select_related("meeting")
        .order_by("-meeting__date", "number")
    )
    context = {
        "group": group,
        "figures": figures,
        "period": period,
        "choices": choices,
        "period_error": period_error,
        "chosen": chosen,
        "view": view,
        "views": [(key, *labels, key == view) for key, labels in VIEWS.items()],
        "view_note": view_note,
        "keep": f"period={period.code}" + ("" if view == "period" else f"&view={view}"),
        "meetings": meetings,
        "directives": directives,
        "manages": policy.can_manage(request.user, group.owner),
    }
    return render(request, "groups/group.html", context)


def _save(request, owner: OrgUnit, form: GroupForm, group: UnitGroup | None):
    data = form.cleaned_data
    try:
        saved = group_save(
            owner=owner,
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            members=data["members"],
            group_set=group.group_set if group else None,
            first_year=data["first_year"],
            last_year=data["last_year"],
            user=request.user,
        )
    except ValidationError as error:
        show_service_errors(form, error)
        return None
    messages.success(request, f"Đã lưu {saved.get_kind_display().lower()} {saved.name}.")
    return redirect("groups:group", code=saved.code)


def group_new(request, code: str):
    owner = unit_or_404(code)
    policy.require_manage(request.user, owner, what=WHAT)
    form = GroupForm(_posted(request)[0], near=owner)
    if request.method == "POST" and form.is_valid() and (done := _save(request, owner, form, None)):
        return done
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "owner": owner, "group": None}
    return render(request, "groups/form.html", context, status=status)


def group_edit(request, code: str):
    group = _group(request, code)
    policy.require_manage(request.user, group.owner, what=WHAT)
    initial = {
        "code": group.code,
        "name": group.name,
        "kind": group.kind,
        "members": "\n".join(unit.code for unit in group.members.order_by("path")),
        "first_year": group.first_year,
        "last_year": group.last_year,
    }
    form = GroupForm(_posted(request)[0], initial=initial, near=group.owner)
    form.fields["code"].disabled = True  # a group keeps its code (links, sheets name it)
    saved = (
        request.method == "POST" and form.is_valid() and _save(request, group.owner, form, group)
    )
    if saved:
        return saved
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "owner": group.owner, "group": group}
    return render(request, "groups/form.html", context, status=status)


def groups_upload(request, code: str):
    owner = unit_or_404(code)
    policy.require_manage(request.user, owner, what="nhập nhóm đơn vị")
    form = GroupsUploadForm(*_posted(request))
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_group_rows(upload.read(), upload.name)
        except ValueError as error:
            form.add_error("file", str(error))
        else:
            dry_run = form.cleaned_data["dry_run"]
            report = groups_import(rows, owner=owner, user=request.user, dry_run=dry_run)
            if report.ok and not dry_run:
                messages.success(
                    request, f"Đã nhập {report.groups} nhóm, {report.members} thành viên."
                )
                return redirect("groups:unit", code=owner.code)
    refused = form.errors or (report is not None and not report.ok)
    status = 400 if request.method == "POST" and refused else 200
    context = {"form": form, "owner": owner, "report": report}
    return render(request, "groups/upload.html", context, status=status)


def groups_sheet(request, code: str):
    """The unit's own groups as a spreadsheet: to edit and load back."""
    owner = unit_or_404(code)
    policy.require_read(request.user, owner)
    groups = UnitGroup.objects.filter(owner=owner).order_by("code")
    response = HttpResponse(
        groups_template(groups),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="nhom-don-vi-{owner.code}.xlsx"'
    return response
