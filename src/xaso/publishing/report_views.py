"""The "Tạo báo cáo" page of a unit: choose the period, kind, layout and format; download.

A read: the file is written from the figures as they stand and nothing is stored, so the
form is a GET and the download link can be shared with a colleague who may read the unit.
A manager also sets the office's own Word template here (POST).
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from xaso.figures.selectors import periods_with_data
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.org.selectors import unit_or_404
from xaso.periods import parse_period
from xaso.publishing.contents import ReportKind
from xaso.publishing.models import IssuerKind
from xaso.publishing.report_forms import ReportForm, TemplateForm
from xaso.publishing.report_templates import (
    TemplateRefused,
    remove_report_template,
    set_report_template,
)
from xaso.publishing.reports import ReportError, default_issuer, template_for, write_report


def report_page(request, code: str):
    unit = unit_or_404(code)
    policy.require_read(request.user, unit)
    if request.method == "POST":
        return _template_post(request, unit)
    return _page(request, unit)


def _template_post(request, unit: OrgUnit):
    policy.require_manage(request.user, unit, what="đặt mẫu báo cáo")
    form = TemplateForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == "remove":
                if remove_report_template(unit=unit, issuer=data["issuer"], user=request.user):
                    messages.success(request, "Đã bỏ mẫu riêng: báo cáo dùng lại mẫu chuẩn.")
            else:
                upload = data["file"]
                set_report_template(
                    unit=unit,
                    issuer=data["issuer"],
                    filename=upload.name,
                    content=upload.read(),
                    user=request.user,
                )
                messages.success(request, f"Đã lưu mẫu «{upload.name}».")
        except TemplateRefused as refused:
            form.add_error("file", f"Tệp «{request.FILES['file'].name}»: {refused}")
        else:
            return redirect("reports:page", unit.code)
    return _page(request, unit, template_form=form, status=400)


def _latest(codes: list[str]) -> str:
    """The period to offer first: the one that starts last, the shortest of those (a
    six-month report before the year that holds it)."""
    if not codes:
        return ""
    periods = [parse_period(code) for code in codes]
    return min(periods, key=lambda p: (-p.start.toordinal(), p.end)).code


def _page(request, unit: OrgUnit, *, template_form=None, status: int = 200):
    periods = periods_with_data(unit, limit=12)
    if "format" in request.GET:
        form = ReportForm(request.GET)
        if form.is_valid():
            data = form.cleaned_data
            try:
                written = write_report(
                    user=request.user,
                    unit=unit,
                    period=parse_period(data["period"]),
                    fmt=data["format"],
                    kind=ReportKind(data["kind"]) if data["kind"] else None,
                    issuer=data["issuer"],
                    day=data["date"],
                )
            except ReportError as error:
                form.add_error("format", str(error))
            else:
                response = HttpResponse(written.content, content_type=written.content_type)
                response["Content-Disposition"] = f'attachment; filename="{written.filename}"'
                return response
        status = 400
    else:
        issuer = default_issuer(unit)
        form = ReportForm(initial={"period": _latest(periods), "issuer": issuer, "format": "docx"})
    templates = {kind: template_for(unit, kind) for kind in IssuerKind.values}
    context = {
        "unit": unit,
        "form": form,
        "periods": periods,
        "templates": templates,
        "can_manage": policy.can_manage(request.user, unit),
        "template_form": template_form or TemplateForm(initial={"issuer": form["issuer"].value()}),
    }
    return render(request, "publishing/report_page.html", context, status=status)
