"""The "Tạo báo cáo" page of a unit: choose the period, kind, layout and format; download.

A read: the file is written from the figures as they stand and nothing is stored, so the
form is a GET and the download link can be shared with a colleague who may read the unit.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from xaso.figures.selectors import periods_with_data
from xaso.org import policy
from xaso.org.models import OrgUnit, UnitKind
from xaso.periods import parse_period
from xaso.publishing.contents import ReportKind
from xaso.publishing.models import IssuerKind
from xaso.publishing.report_forms import ReportForm
from xaso.publishing.reports import ReportError, template_for, write_report

PARTY_KINDS = (UnitKind.PARTY_COMMITTEE, UnitKind.PARTY_CELL)


def report_page(request, code: str):
    unit = get_object_or_404(OrgUnit, code=code)
    policy.require_read(request.user, unit)
    periods = periods_with_data(unit, limit=12)
    status = 200
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
        issuer = IssuerKind.PARTY if unit.kind in PARTY_KINDS else IssuerKind.STATE
        form = ReportForm(
            initial={"period": periods[0] if periods else "", "issuer": issuer, "format": "docx"}
        )
    templates = {kind: template_for(unit, kind) for kind in IssuerKind.values}
    context = {
        "unit": unit,
        "form": form,
        "periods": periods,
        "templates": templates,
        "can_manage": policy.can_manage(request.user, unit),
    }
    return render(request, "publishing/report_page.html", context, status=status)
