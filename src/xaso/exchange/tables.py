"""A unit's figures table for a period as a spreadsheet: XLSX for people, CSV for machines.

The table is the unit page's (`figures.selectors.unit_overview`): one row per indicator with a
figure, target or breakdown; the columns are the unit itself and then each of its children.
Web, API and `xaso export` all call `write_xlsx` / `write_csv`; reading is scoped by
`policy.require_read`.

XLSX stores numbers as numbers (the reader's Excel shows them in its own locale: "3.750,5" in
Vietnamese). CSV is UTF-8 with a BOM (so Excel opens the Vietnamese names right) and writes
numbers plainly: no thousands separator, "." before decimals ("3750.5"). A CSV is read by
programs more than by eyes, and the Vietnamese "3.750,5" would collide with the comma of the
format and be read as 3.7505 by every non-Vietnamese tool; people wanting the Vietnamese look
take the XLSX.
"""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from xaso.figures.selectors import unit_overview
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.periods import Period

HEADINGS = ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính"]


NOTE = "Ghi chú"


def table(user, unit: OrgUnit, period: Period) -> tuple[list[str], list[list]]:
    """The headings and rows: code, name, unit of measure, the unit's figure, each child's.

    A figure obtained through lineage (a period before the unit existed) says so in a last
    column, "Ghi chú": "tính từ 2 xã cũ: Hà Linh, Điền Mỹ"; the column is there only when
    one row needs it.
    """
    policy.require_read(user, unit)
    overview = unit_overview(unit, period)
    kids = overview.children
    headings = HEADINGS + [unit.full_name] + [kid.full_name for kid in kids]
    notes = [_note(line) for line in overview.lines]
    rows = []
    for line in overview.lines:
        by_path = {child.unit.path: child.figure for child in line.children}
        values = [line.figure.value if line.figure else None]
        for kid in kids:
            figure = by_path.get(kid.path)
            values.append(figure.value if figure else None)
        indicator = line.indicator
        rows.append([indicator.code, indicator.name, indicator.get_unit_display(), *values])
    if any(notes):
        headings.append(NOTE)
        for row, note in zip(rows, notes, strict=True):
            row.append(note or None)
    return headings, rows


def _note(line) -> str:
    """The unit's figure came from its predecessors: which ones ("tính từ 2 xã cũ: …")."""
    return line.via.words[:1].upper() + line.via.words[1:] if line.via is not None else ""


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


def write_csv(user, unit: OrgUnit, period: Period) -> str:
    """The table as CSV text, starting with the BOM Excel needs to read UTF-8."""
    headings, rows = table(user, unit, period)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Kỳ", period.code, period.label])
    writer.writerow(headings)
    for row in rows:
        writer.writerow([_plain(cell) for cell in row])
    return "\ufeff" + out.getvalue()


def write_xlsx(user, unit: OrgUnit, period: Period) -> bytes:
    """The table as a workbook: a title line, the headings, one row per indicator."""
    headings, rows = table(user, unit, period)
    book = Workbook()
    sheet = book.active
    sheet.title = "Số liệu"
    sheet.append([f"{unit.full_name} — {period.label}", None, None, period.code])
    sheet.append(headings)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row][3:]:
            if isinstance(cell.value, int | float | Decimal):
                cell.number_format = "#,##0.###"
    sheet.freeze_panes = "D3"
    for index, width in enumerate([16, 50, 14] + [14] * (len(headings) - 3), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    if headings[-1] == NOTE:
        sheet.column_dimensions[get_column_letter(len(headings))].width = 50
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
