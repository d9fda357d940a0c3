"""A report form's template as XLSX, and the same template read back into `ValueRow`s.

The template is one sheet "Biểu": indicators down, the reporting units across (the unit's
children that report on the form, or the unit itself when it reports alone), the unit of
measure beside each indicator, and the previous period's figures as a greyed, locked block to
the right for reference. Machine codes are hidden so the upload never guesses: column A holds
each indicator's code and row 3 holds the marker `#xaso`, the form code, the period code and
each value column's unit code (the reference columns have none and are never read). Headings
are locked (sheet protection without password, only the entry cells are open). A second
sheet "Hướng dẫn" says how to fill it.

Reading accepts numbers typed as numbers or as Vietnamese text ("3.750,5", "1,8 km"; the text
is passed as written to `import_values`, which parses it against the indicator's unit) and
skips empty cells. Each row names its cell ("D7") so the report points at it.
"""

import io
import zipfile
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from xaso.exchange.values import ValueRow
from xaso.figures.models import Result
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.org.selectors import children
from xaso.periods import Period, previous_period
from xaso.reporting.models import ReportForm
from xaso.reporting.selectors import expected_units, form_indicators
from xaso.vn.text import nfc

MARKER = "#xaso"
SHEET = "Biểu"
GUIDE = "Hướng dẫn"
CODE_ROW, HEAD_ROW, FIRST_ROW = 3, 4, 5
FIRST_VALUE_COLUMN = 4  # D: A code (hidden), B indicator, C unit of measure
MAX_UPLOAD = 5 * 1024 * 1024  # bytes: a filled template is a few tens of kilobytes
_GREY = PatternFill("solid", fgColor="E7E6E6")
_HEAD = Font(bold=True)
GUIDE_LINES = [
    "Hướng dẫn điền biểu",
    "1. Chỉ điền số vào các ô trắng trong cột của từng đơn vị; không sửa tiêu đề, không thêm "
    "hay xóa dòng, cột.",
    "2. Số viết theo kiểu Việt Nam: 3.750,5 (dấu chấm ngăn hàng nghìn, dấu phẩy trước phần "
    "thập phân); có thể ghi kèm đơn vị tính như «1,8 km».",
    "3. Ô để trống là chưa có số liệu và không được ghi.",
    "4. Các cột màu xám là số liệu kỳ trước, chỉ để đối chiếu.",
    "5. Tải tệp lên ở trang nhập biểu: hệ thống kiểm tra trước và chỉ lưu khi mọi ô đều đúng.",
]


class SheetError(ValueError):
    """The file cannot be read as a template; the message is Vietnamese."""


def template_units(form: ReportForm, unit: OrgUnit) -> list[OrgUnit]:
    """The columns: the unit's children that report on the form, else the unit itself if it
    reports on it, else none."""
    reporters = expected_units(form)
    kids = list(children(unit).filter(pk__in=reporters.values("pk")))
    if kids:
        return kids
    return [unit] if reporters.filter(pk=unit.pk).exists() else []


def _previous(units, indicators, period: Period) -> dict:
    before = previous_period(period)
    if before is None:
        return {}
    found = Result.objects.filter(
        period=before.code,
        unit_path__in=[u.path for u in units],
        indicator_id__in=[i.pk for i in indicators],
    ).values_list("unit_path", "indicator_id", "value")
    return {(path, indicator_id): value for path, indicator_id, value in found}


def write_template(user, form: ReportForm, unit: OrgUnit, period: Period) -> bytes:
    """The form's template for the unit and the period, as XLSX bytes."""
    policy.require_read(user, unit)
    indicators = form_indicators(form)
    units = template_units(form, unit)
    if not units:
        raise SheetError(f"{unit.full_name} không có đơn vị nào báo cáo theo biểu «{form.name}».")
    before = _previous(units, indicators, period)
    earlier = previous_period(period)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet["B1"] = f"{form.name} — {unit.full_name}"
    sheet["B1"].font = Font(bold=True, size=13)
    sheet["B2"] = f"Kỳ báo cáo: {period.label}"
    sheet.cell(CODE_ROW, 1, MARKER)
    sheet.cell(CODE_ROW, 2, form.code)
    sheet.cell(CODE_ROW, 3, period.code)
    heads = ["Mã", "Chỉ tiêu", "Đơn vị tính"] + [u.full_name for u in units]
    if earlier:
        heads += [f"{u.full_name} ({earlier.label})" for u in units]
    for column, text in enumerate(heads, start=1):
        cell = sheet.cell(HEAD_ROW, column, text)
        cell.font = _HEAD
        if column >= FIRST_VALUE_COLUMN + len(units):
            cell.fill = _GREY
    for offset, u in enumerate(units):
        sheet.cell(CODE_ROW, FIRST_VALUE_COLUMN + offset, u.code)
    for index, indicator in enumerate(indicators):
        row = FIRST_ROW + index
        sheet.cell(row, 1, indicator.code)
        sheet.cell(row, 2, indicator.name)
        sheet.cell(row, 3, indicator.get_unit_display())
        for offset in range(len(units)):
            sheet.cell(row, FIRST_VALUE_COLUMN + offset).protection = Protection(locked=False)
        if earlier:
            for offset, u in enumerate(units):
                value = before.get((u.path, indicator.pk))
                cell = sheet.cell(row, FIRST_VALUE_COLUMN + len(units) + offset, value)
                cell.fill = _GREY
                cell.number_format = "#,##0.###"
    sheet.column_dimensions["A"].hidden = True
    sheet.row_dimensions[CODE_ROW].hidden = True
    sheet.column_dimensions["B"].width = 50
    sheet.column_dimensions["C"].width = 14
    for column in range(FIRST_VALUE_COLUMN, len(heads) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 18
    sheet.freeze_panes = sheet.cell(FIRST_ROW, FIRST_VALUE_COLUMN)
    sheet.protection.sheet = True
    guide = book.create_sheet(GUIDE)
    for line in GUIDE_LINES:
        guide.append([line])
    guide["A1"].font = _HEAD
    guide.column_dimensions["A"].width = 110
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _open(file):
    data = file if isinstance(file, bytes) else file.read()
    if len(data) > MAX_UPLOAD:
        raise SheetError(f"Tệp quá lớn: tối đa {MAX_UPLOAD // (1024 * 1024)} MB.")
    try:
        return load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise SheetError("Tệp không phải bảng tính Excel (.xlsx) đọc được.") from None


def _value(raw) -> str | Decimal | None:
    if raw is None or isinstance(raw, bool):
        return None if raw is None else str(raw)
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    text = nfc(str(raw)).strip()
    return text or None


def read_template(file, *, form: ReportForm | None = None) -> list[ValueRow]:
    """The filled cells of a template (bytes or a file object) as `ValueRow`s.

    With `form`, a template of another form is refused. Raises SheetError (Vietnamese)."""
    book = _open(file)
    if SHEET not in book.sheetnames or book[SHEET].cell(CODE_ROW, 1).value != MARKER:
        raise SheetError(
            "Tệp không phải mẫu nhập số liệu của xaso (thiếu mã ẩn của biểu); "
            "hãy tải mẫu từ trang nhập biểu rồi điền vào đó."
        )
    sheet = book[SHEET]
    form_code = str(sheet.cell(CODE_ROW, 2).value or "")
    period = str(sheet.cell(CODE_ROW, 3).value or "")
    if form is not None and form_code != form.code:
        raise SheetError(f"Tệp là mẫu của biểu «{form_code}», không phải biểu «{form.name}».")
    columns = []
    for column in range(FIRST_VALUE_COLUMN, sheet.max_column + 1):
        code = sheet.cell(CODE_ROW, column).value
        if code:
            columns.append((column, str(code).strip()))
    rows = []
    for row in range(FIRST_ROW, sheet.max_row + 1):
        indicator = sheet.cell(row, 1).value
        if not indicator:
            continue
        for column, unit in columns:
            cell = sheet.cell(row, column)
            value = _value(cell.value)
            if value is None:
                continue
            rows.append(ValueRow(cell.coordinate, unit, str(indicator).strip(), period, value))
    return rows
