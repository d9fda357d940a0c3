"""A campaign's scores as a workbook, for the year-end grading of party cells, villages and
unions (bình xét cuối năm): one row per participant in ranking order — rank, score, goals
completed, verdict — and, for each goal, its target, its result and the achievement.

Numbers are stored as numbers (they add up and sort in the grading sheet they are copied
into) and percentages as fractions with a `0.0%` format, as the report's workbook does
(`publishing.xlsx_out`); each program shows them in its reader's locale ("24,2%").
"""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from xaso.campaigns.closing import PRAISE, REMIND, Closing
from xaso.vn.numbers import format_number

SHEET = "Bảng điểm"
GOALS_SHEET = "Theo chỉ tiêu"
VERDICTS = {PRAISE: "Biểu dương", REMIND: "Nhắc nhở", "": ""}
FIXED = ("Hạng", "Đơn vị", "Mã đơn vị", "Điểm thi đua", "Chỉ tiêu hoàn thành", "Chỉ tiêu được giao")
FIXED += ("Ngày hoàn thành", "Xếp loại")
_FONT = Font(name="Times New Roman", size=12)
_BOLD = Font(name="Times New Roman", size=12, bold=True)
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _fraction(percent: Decimal | None) -> float | None:
    return None if percent is None else float(percent / 100)


def _put(sheet, row: int, column: int, value, *, fmt: str = "", bold: bool = False):
    cell = sheet.cell(row=row, column=column, value=value)
    cell.font, cell.border = (_BOLD if bold else _FONT), _BOX
    if fmt:
        cell.number_format = fmt
    return cell


def _title(sheet, closing: Closing, width: int) -> int:
    campaign = closing.campaign
    state = "Kết quả cuối đợt" if closing.final else "Tạm tính (phong trào chưa kết thúc)"
    lines = [
        campaign.name,
        f"{campaign.host.full_name}, từ {campaign.start:%d/%m/%Y} đến {campaign.end:%d/%m/%Y}",
        f"{state}, số liệu đến ngày {closing.progress.on:%d/%m/%Y}. Biểu dương từ "
        f"{format_number(closing.praise_from)} điểm; nhắc nhở dưới "
        f"{format_number(closing.remind_below)} điểm.",
    ]
    for number, text in enumerate(lines, start=1):
        cell = sheet.cell(row=number, column=1, value=text)
        cell.font = _BOLD if number == 1 else _FONT
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=width)
    return len(lines) + 2  # a blank line, then the header


def _scores(book, closing: Closing) -> None:
    sheet = book.active
    sheet.title = SHEET
    goals = [total.goal for total in closing.progress.goals]
    heads = list(FIXED)
    for goal in goals:
        name = f"{goal.indicator.name} ({goal.indicator.unit_name})"
        heads += [f"{name}: chỉ tiêu", f"{name}: đạt", f"{name}: % chỉ tiêu"]
    top = _title(sheet, closing, len(heads))
    for column, text in enumerate(heads, start=1):
        _put(sheet, top, column, text, bold=True).alignment = _HEAD
        sheet.column_dimensions[get_column_letter(column)].width = 30 if column == 2 else 14
    sheet.row_dimensions[top].height = 48
    for number, row in enumerate(closing.rows, start=top + 1):
        ranked = row.ranked
        values = [
            (ranked.rank, "0"),
            (row.unit.full_name, ""),
            (row.unit.code, ""),
            (float(ranked.score), "0.0"),
            (ranked.completed, "0"),
            (row.goals, "0"),
            (ranked.completed_on, "DD/MM/YYYY"),
            (VERDICTS[row.verdict], ""),
        ]
        for cell in row.cells:
            target = None if cell.target is None else float(cell.target)
            values += [(target, "#,##0.###"), (float(cell.done), "#,##0.###")]
            values.append((_fraction(cell.percent), "0.0%"))
        for column, (value, fmt) in enumerate(values, start=1):
            _put(sheet, number, column, value, fmt=fmt)
    sheet.freeze_panes = sheet.cell(row=top + 1, column=3)
    last = get_column_letter(len(heads))
    sheet.auto_filter.ref = f"A{top}:{last}{top + len(closing.rows)}"


def _goals(book, closing: Closing) -> None:
    sheet = book.create_sheet(GOALS_SHEET)
    heads = ("Chỉ tiêu", "Đơn vị tính", "Chỉ tiêu phát động", "Toàn đợt đạt", "% chỉ tiêu")
    top = _title(sheet, closing, len(heads))
    for column, text in enumerate(heads, start=1):
        _put(sheet, top, column, text, bold=True).alignment = _HEAD
        sheet.column_dimensions[get_column_letter(column)].width = 40 if column == 1 else 16
    for number, total in enumerate(closing.progress.goals, start=top + 1):
        indicator = total.goal.indicator
        values = [
            (indicator.name, ""),
            (indicator.unit_name, ""),
            (float(total.target), "#,##0.###"),
            (float(total.done), "#,##0.###"),
            (_fraction(total.percent), "0.0%"),
        ]
        for column, (value, fmt) in enumerate(values, start=1):
            _put(sheet, number, column, value, fmt=fmt)


def scores_xlsx(closing: Closing) -> bytes:
    book = Workbook()
    _scores(book, closing)
    _goals(book, closing)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
