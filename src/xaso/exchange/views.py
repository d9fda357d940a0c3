"""Spreadsheets on the web: a form's template down and up, a figures table out (docs/exchange.md).

Every view calls the same functions as `xaso export/import`: `sheets.write_template`,
`sheets.read_template` + `values.import_values`, `tables.write_xlsx` / `write_csv`.
"""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from xaso.exchange import sheets, tables
from xaso.exchange.values import ValueRow, import_values
from xaso.org import policy
from xaso.org.selectors import unit_or_404
from xaso.periods import PeriodError, parse_period
from xaso.reporting.models import ReportForm
from xaso.reporting.selectors import check_form_period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAVE = "save"
FIELDS = {
    "unit": "đơn vị", "indicator": "chỉ tiêu", "period": "kỳ", "value": "số liệu",
    "status": "tình trạng", "file": "tệp",
}  # fmt: skip


def _shown(report) -> dict:
    errors = [(e.row, FIELDS.get(e.field, e.field), e.message) for e in report.errors]
    return {"report": report, "errors": errors}


def _setting(code: str, form_code: str, period: str, user):
    """The unit, form and period of a template, or 404; the user must record for the unit."""
    unit = unit_or_404(code)
    policy.require_record(user, unit, what="nhập số liệu")
    form = get_object_or_404(ReportForm, code=form_code)
    try:
        found = parse_period(period)
        check_form_period(form, found)
    except (PeriodError, ValidationError):
        raise Http404("Biểu này không báo cáo kỳ này.") from None
    if not sheets.template_units(form, unit):
        raise Http404("Đơn vị không có ai báo cáo theo biểu này.")
    return unit, form, found


def _attachment(content, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def template_download(request, code: str, form_code: str, period: str):
    unit, form, found = _setting(code, form_code, period, request.user)
    data = sheets.write_template(request.user, form, unit, found)
    return _attachment(data, XLSX, f"{form.code}-{unit.code}-{found.code}.xlsx")


def _session_key(unit, form, period) -> str:
    return f"exchange:{unit.code}:{form.code}:{period.code}"


def _pack(rows: list[ValueRow]) -> list:
    return [
        [r.row, r.unit, r.indicator, r.period, isinstance(r.value, Decimal), str(r.value)]
        for r in rows
    ]


def _unpack(packed: list) -> list[ValueRow]:
    return [
        ValueRow(row, unit, indicator, period, Decimal(value) if exact else value)
        for row, unit, indicator, period, exact, value in packed
    ]


@login_required
def template_upload(request, code: str, form_code: str, period: str):
    """Upload a filled template: checked as a dry run and reported; "Lưu" stores all or none."""
    unit, form, found = _setting(code, form_code, period, request.user)
    key = _session_key(unit, form, found)
    context = {"unit": unit, "form": form, "period": found, "limit_mb": sheets.MAX_UPLOAD >> 20}
    if request.method != "POST":
        return render(request, "exchange/upload.html", context)
    if request.POST.get("action") == SAVE and key in request.session:
        rows = _unpack(request.session[key])
        report = import_values(rows, user=request.user)
        if report.ok:
            del request.session[key]
            return redirect(
                "reporting:sheet", code=unit.code, form_code=form.code, period=found.code
            )
        return render(request, "exchange/upload.html", context | _shown(report), status=400)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise sheets.SheetError("Chưa chọn tệp để tải lên.")
        if upload.size > sheets.MAX_UPLOAD:
            raise sheets.SheetError(f"Tệp quá lớn: tối đa {context['limit_mb']} MB.")
        rows = sheets.read_template(upload, form=form)
        if any(r.period != found.code for r in rows):
            raise sheets.SheetError(f"Tệp là mẫu của kỳ khác, không phải {found.label}.")
        if not rows:
            raise sheets.SheetError("Tệp chưa có ô số liệu nào được điền.")
    except sheets.SheetError as error:
        return render(request, "exchange/upload.html", context | {"error": str(error)}, status=400)
    report = import_values(rows, user=request.user, dry_run=True)
    if report.ok:
        request.session[key] = _pack(rows)
    return render(request, "exchange/upload.html", context | _shown(report))


@login_required
def table_export(request, code: str, period: str, kind: str):
    """The unit's figures table for the period as XLSX or CSV."""
    unit = unit_or_404(code)
    try:
        found = parse_period(period)
    except PeriodError:
        raise Http404("Kỳ không hợp lệ.") from None
    name = f"so-lieu-{unit.code}-{found.code}.{kind}"
    if kind == "csv":
        text = tables.write_csv(request.user, unit, found)
        return _attachment(text.encode("utf-8"), "text/csv; charset=utf-8", name)
    return _attachment(tables.write_xlsx(request.user, unit, found), XLSX, name)
