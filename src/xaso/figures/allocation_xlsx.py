"""The allocation table as a spreadsheet: downloaded with the units and their proposed
shares, filled in Excel or LibreOffice, uploaded back (all or nothing, row by row).

Columns: unit code, unit name, base figure (reference), current target (reference), share.
Only the code and the share are read back; the code names the unit, whatever the name says.
"""

import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from xaso.figures.allocation import AllocationPlan, AllocationRowsError
from xaso.reading.archive import ZIP_ERRORS, check_archive
from xaso.reading.decode import ReadError

HEADER = ["Mã đơn vị", "Tên đơn vị", "Số liệu gốc", "Chỉ tiêu hiện có", "Phần được giao"]
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000


def allocation_workbook(plan: AllocationPlan) -> bytes:
    target = plan.target
    book = Workbook()
    sheet = book.active
    sheet.title = "Phân bổ"
    sheet.append(
        [
            f"Phân bổ chỉ tiêu {target.indicator.name} ({target.indicator.unit_name}) "
            f"của {target.unit.full_name}, {target.as_period.label}: "
            f"{_number(target.value)}"
        ]
    )
    sheet.append(["Chỉ điền cột “Phần được giao”; không sửa cột “Mã đơn vị”."])
    sheet.append(HEADER)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF4CC")
    for share in plan.shares:
        sheet.append(
            [
                share.unit.code,
                share.unit.full_name,
                _number(share.base),
                _number(share.current),
                _number(share.value),
            ]
        )
        sheet.cell(row=sheet.max_row, column=5).fill = fill
    for column, width in zip("ABCDE", (14, 32, 14, 16, 16), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def read_allocation_workbook(data: bytes) -> dict[str, str]:
    """The shares typed in an uploaded table, by unit code, as text for the service to read
    (which checks units, numbers and the sum, and names each wrong row)."""
    if len(data) > MAX_BYTES:
        raise AllocationRowsError([("Tệp", f"lớn quá {MAX_BYTES // 1024 // 1024} MB.")])
    unreadable = "không đọc được: hãy tải lên tệp .xlsx đã tải xuống từ trang này."
    try:  # a hostile archive (a zip bomb) is refused before openpyxl opens it
        check_archive(data, broken=unreadable)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ReadError as error:
        raise AllocationRowsError([("Tệp", str(error))]) from None
    except (InvalidFileException, *ZIP_ERRORS):
        raise AllocationRowsError([("Tệp", unreadable)]) from None
    sheet = book.worksheets[0]
    values: dict[str, str] = {}
    errors: list[tuple[str, str]] = []
    header_seen = False
    for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=5), start=1):
        if number > MAX_ROWS:
            errors.append(("Tệp", f"nhiều hơn {MAX_ROWS} dòng."))
            break
        cells = list(row) + [None] * (5 - len(row))
        if not header_seen:
            header_seen = [str(c or "").strip() for c in cells[:1]] == HEADER[:1]
            continue
        code, share = cells[0], cells[4]
        if code is None and share is None:
            continue
        code = str(code or "").strip()
        if not code:
            errors.append((f"Dòng {number}", "thiếu mã đơn vị."))
            continue
        if code in values:
            errors.append((f"Dòng {number}", f"đơn vị {code} có hai dòng."))
            continue
        values[code] = "" if share is None else _as_text(share)
    if not header_seen:
        errors.append(("Tệp", "không có dòng tiêu đề “Mã đơn vị …”: không phải bảng phân bổ."))
    if errors:
        raise AllocationRowsError(errors)
    return values


def _as_text(cell) -> str:
    """A cell as the service reads numbers: Vietnamese text kept, numbers written exactly."""
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, int | float):
        value = Decimal(str(cell))
        return format(value.normalize(), "f").replace(".", ",")
    return str(cell).strip()
