"""The spreadsheet a commune already keeps, on the web: upload, map (once), check, "Lưu".

A file whose headings match a saved `SheetMapping` of the unit goes straight to the dry-run
report; otherwise the mapping step shows the sheet, heading row, layout and period, and a
code for every heading and row label, prefilled by `sheet_mapping.suggest`.
"""

import base64

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from xaso.exchange import sheet_mapping as mapping_service
from xaso.exchange.sheets import MAX_UPLOAD, SheetError, _open
from xaso.exchange.values import import_values
from xaso.exchange.views import _pack, _shown, _unpack
from xaso.org import policy
from xaso.org.selectors import unit_or_404
from xaso.periods import PeriodError, parse_period

LAYOUTS = [
    (mapping_service.UNIT_ROWS, "Đơn vị theo dòng, chỉ tiêu theo cột"),
    (mapping_service.INDICATOR_ROWS, "Chỉ tiêu theo dòng, đơn vị theo cột"),
]


def _int(text, default: int) -> int:
    try:
        return max(1, int(text))
    except (TypeError, ValueError):
        return default


def _choices(request, prefix: str, found: dict) -> list[tuple]:
    post = request.POST
    return [
        (i, text, post.get(f"{prefix}_{i}", code)) for i, (text, code) in enumerate(found.items())
    ]


def _step(request, unit, data: bytes, context: dict, *, status: int = 200):
    """The mapping step: the chosen (or first) sheet, heading row and layout, prefilled."""
    book = _open(data)
    name = request.POST.get("sheet") or book.sheetnames[0]
    if name not in book.sheetnames:
        name = book.sheetnames[0]
    header_row = _int(request.POST.get("header_row"), 1)
    layout = request.POST.get("layout") or mapping_service.UNIT_ROWS
    headings, labels = mapping_service.layout_of(book[name], header_row)
    columns, rows = mapping_service.suggest(unit, headings, labels, layout)
    context |= {
        "step": True, "sheets": book.sheetnames, "sheet": name, "header_row": header_row,
        "layout": layout, "layouts": LAYOUTS, "period_text": request.POST.get("period", ""),
        "columns": _choices(request, "col", columns),
        "rows": _choices(request, "row", rows),
    }  # fmt: skip
    return render(request, "exchange/kept_sheet.html", context, status=status)


def _check(request, unit, key, rows, context):
    report = import_values(rows, user=request.user, dry_run=True)
    if report.ok:
        request.session[key + ":rows"] = _pack(rows)
    return render(request, "exchange/kept_sheet.html", context | _shown(report))


@login_required
def kept_sheet(request, code: str):
    unit = unit_or_404(code)
    policy.require_record(request.user, unit, what="nhập số liệu từ bảng tính")
    key = f"exchange:kept:{unit.code}"
    context = {"unit": unit, "limit_mb": MAX_UPLOAD >> 20}
    if request.method != "POST":
        return render(request, "exchange/kept_sheet.html", context)
    action = request.POST.get("action", "")
    if action == "save" and key + ":rows" in request.session:
        report = import_values(_unpack(request.session[key + ":rows"]), user=request.user)
        if report.ok:
            del request.session[key + ":rows"]
            return redirect("figures:unit", code=unit.code)
        return render(request, "exchange/kept_sheet.html", context | _shown(report), status=400)
    try:
        upload = request.FILES.get("file")
        if upload is not None:
            if upload.size > MAX_UPLOAD:
                raise SheetError(f"Tệp quá lớn: tối đa {context['limit_mb']} MB.")
            data = upload.read()
            _open(data)
            request.session[key] = base64.b64encode(data).decode()
        elif key in request.session:
            data = base64.b64decode(request.session[key])
        else:
            raise SheetError("Chưa chọn tệp để tải lên.")
        if upload is not None:
            found = mapping_service.find_mapping(unit, data)
            if found is not None:
                period = request.POST.get("period", "").strip()
                rows = mapping_service.read_mapped(data, found, period)
                return _check(request, unit, key, rows, context | {"mapping": found})
            return _step(request, unit, data, context)
        if action != "map":
            return _step(request, unit, data, context)
        period = parse_period(request.POST.get("period", "")).code
    except PeriodError as error:
        return _step(request, unit, data, context | {"error": str(error)}, status=400)
    except SheetError as error:
        return render(
            request, "exchange/kept_sheet.html", context | {"error": str(error)}, status=400
        )
    book = _open(data)
    name = request.POST.get("sheet") if request.POST.get("sheet") in book.sheetnames else ""
    header_row = _int(request.POST.get("header_row"), 1)
    headings, labels = mapping_service.layout_of(
        _open(data)[name or book.sheetnames[0]], header_row
    )
    columns = {
        h: request.POST.get(f"col_{i}", "").strip()
        for i, h in enumerate(dict.fromkeys(x for x in headings if x))
    }
    rows = {
        x: request.POST.get(f"row_{i}", "").strip()
        for i, x in enumerate(dict.fromkeys(y for y in labels if y))
    }
    layout = request.POST.get("layout")
    layout = layout if layout in dict(LAYOUTS) else mapping_service.UNIT_ROWS
    saved = mapping_service.save_mapping(
        request.user, unit, data, name=request.POST.get("name", "") or f"Bảng {unit.name}",
        sheet=name, header_row=header_row, layout=layout, columns=columns, rows=rows, period=period,
    )  # fmt: skip
    return _check(
        request, unit, key, mapping_service.read_mapped(data, saved), context | {"mapping": saved}
    )
