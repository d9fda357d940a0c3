"""Figures as a flat table, one row per stored figure, in XLSX or CSV: what
`xaso export --format xlsx|csv` writes and `xaso import` reads back, so a round trip gives the
same figures. (The unit page's table, units across, is `exchange.tables`, for people to read;
a form's template to fill in is `exchange.sheets`.)

Columns: unit code and name, indicator code and name, unit of measure, period code, value,
status. Only the codes, the value and the status are read back; the names are there for the
person who opens the file. XLSX keeps numbers as numbers. CSV is UTF-8 with a BOM and writes
numbers the machines' way ("3750.5", no thousands separator), and reads them the same way:
it is a file for other programs, and "3.750" would mean 3,75 to them.
"""

import csv
import io
import re
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from xaso.catalog.models import Indicator
from xaso.exchange.values import ValueRow
from xaso.figures.models import ResultStatus
from xaso.org.models import OrgUnit

HEAD = [
    "Mã đơn vị",
    "Đơn vị",
    "Mã chỉ tiêu",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Kỳ",
    "Giá trị",
    "Tình trạng",
]
STATUS_NAMES = {ResultStatus.FINAL: "Chính thức", ResultStatus.ESTIMATED: "Ước đạt"}
_STATUSES = {name.lower(): code for code, name in STATUS_NAMES.items()} | {
    code: code for code in STATUS_NAMES
}
_PLAIN = re.compile(r"-?[0-9]+(\.[0-9]+)?")
MAX_BYTES = 20 * 1024 * 1024


class FlatError(ValueError):
    """A file that is not a flat figures table; the message is Vietnamese."""


def _rows(figures) -> list[list]:
    units = dict(
        OrgUnit.objects.filter(code__in={f.unit for f in figures}).values_list("code", "name")
    )
    names = {i.code: i for i in Indicator.objects.filter(code__in={f.indicator for f in figures})}
    rows = []
    for f in figures:
        indicator = names[f.indicator]
        rows.append(
            [f.unit, units.get(f.unit, ""), f.indicator, indicator.name, indicator.unit_name,
             f.period, f.value, STATUS_NAMES.get(f.status, f.status)]
        )  # fmt: skip
    return rows


def write_xlsx(figures) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Số liệu"
    sheet.append(HEAD)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _rows(figures):
        sheet.append(row)
        sheet.cell(sheet.max_row, 7).number_format = "#,##0.######"
    for index, width in enumerate([18, 28, 18, 40, 12, 12, 14, 12], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_csv(figures) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEAD)
    for row in _rows(figures):
        row[6] = format(row[6].normalize(), "f") if isinstance(row[6], Decimal) else row[6]
        writer.writerow(row)
    return "\ufeff" + out.getvalue()


def _row(number: int, cells: list, *, plain_numbers: bool) -> ValueRow:
    unit, _, indicator, _, _, period, value, status = (list(cells) + [None] * 8)[:8]
    if isinstance(value, int | float):
        value = Decimal(str(value))
    elif value is None:
        value = ""
    else:
        value = str(value).strip()
        if plain_numbers and _PLAIN.fullmatch(value):
            value = Decimal(value)
    status_text = str(status or "").strip().lower()
    return ValueRow(
        row=number,
        unit=str(unit or "").strip(),
        indicator=str(indicator or "").strip(),
        period=str(period or "").strip(),
        value=value,
        status=_STATUSES.get(status_text, status_text or ResultStatus.FINAL),
    )


def is_flat(head) -> bool:
    return [str(cell or "").strip() for cell in list(head)[: len(HEAD)]] == HEAD


def read_xlsx(content: bytes) -> list[ValueRow]:
    if len(content) > MAX_BYTES:
        raise FlatError("Tệp quá lớn (tối đa 20 MB).")
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl says "not a zip file", "bad CRC", …
        raise FlatError("Không mở được tệp: không phải tệp Excel (.xlsx).") from None
    rows = book.worksheets[0].iter_rows(values_only=True)
    if not is_flat(next(rows, [])):
        raise FlatError(f"Dòng đầu của bảng phải là: {', '.join(HEAD)}.")
    return [
        _row(number, cells, plain_numbers=False)
        for number, cells in enumerate(rows, start=2)
        if any(cell not in (None, "") for cell in cells)
    ]


def read_csv(content: bytes) -> list[ValueRow]:
    if len(content) > MAX_BYTES:
        raise FlatError("Tệp quá lớn (tối đa 20 MB).")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FlatError("Tệp CSV phải lưu bằng mã UTF-8.") from None
    rows = csv.reader(io.StringIO(text))
    if not is_flat(next(rows, [])):
        raise FlatError(f"Dòng đầu của bảng phải là: {', '.join(HEAD)}.")
    return [
        _row(number, cells, plain_numbers=True)
        for number, cells in enumerate(rows, start=2)
        if any(cell.strip() for cell in cells)
    ]
