"""The report as a workbook: the indicator table, one sheet per children's breakdown, and a
last sheet with the entries behind every figure (who entered it, when, by which path, in
which report form's submission).

Numbers are stored as numbers, never as text, so they add up and sort. Their number formats
are written the file format's way (`#,##0.0`: "," groups, "." marks decimals) and each program
shows them in its reader's locale: "3.750,5" and "24,2%" in Vietnamese.

Percentages are stored as fractions (24,2% is 0.242) with a `0.0%` format: the spreadsheet's
own kind of percent, so a formula over them works, Excel's format menu says "Percentage", and
xaso's own readers take a cell formatted with "%" as a fraction (`criteria.spreadsheet`).
"""

import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from xaso.publishing.contents import Breakdown, PlanCell, ReportContents, Row
from xaso.vn.numbers import format_number
from xaso.vn.text import nfc

RESULTS_SHEET = "Kết quả"
TRACE_SHEET = "Nguồn số liệu"
MAX_SHEET_NAME = 31  # Excel's limit
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAX_DECIMALS = 3
_MM = 1 / 25.4  # page margins are given in inches

# Shared styles: one of each in the file, every cell points at one (by index, so 100,000
# cells cost no more than a few). Named, they show in the program's list of cell styles.
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TOP = Alignment(vertical="top")
_WRAP = Alignment(vertical="top", wrap_text=True)
_RIGHT = Alignment(vertical="top", horizontal="right")
_CENTRE = Alignment(vertical="top", horizontal="center")
_FONT_NAME, _FONT_SIZE = "Times New Roman", 12  # the state's documents' font (NĐ 30)
_FONT = Font(name=_FONT_NAME, size=_FONT_SIZE)
_LINE_HEIGHT = 16  # points, one line of the font
_TEXT_CHAR = 0.92  # a letter's width against a digit's (the unit of widths) in Times New Roman


def _named_styles() -> dict[str, NamedStyle]:
    """New for each workbook: a named style is bound to the one it is added to."""
    plain = {"font": _FONT, "border": _BOX}
    return {
        "text": NamedStyle("Văn bản", alignment=_TOP, **plain),
        "wrap": NamedStyle("Văn bản xuống dòng", alignment=_WRAP, **plain),
        "count": NamedStyle("Số thứ tự", alignment=_CENTRE, number_format="0", **plain),
        "percent": NamedStyle("Phần trăm", alignment=_RIGHT, number_format="0.0%", **plain),
        "moment": NamedStyle("Ngày giờ", alignment=_TOP, number_format="dd/mm/yyyy hh:mm", **plain),
        "head": NamedStyle(
            "Tiêu đề cột",
            font=Font(name=_FONT_NAME, size=_FONT_SIZE, bold=True),
            fill=PatternFill("solid", fgColor="DDEBF7"),
            border=_BOX,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        ),
        **{
            f"number{places}": NamedStyle(
                f"Số {places} chữ số thập phân" if places else "Số nguyên",
                alignment=_RIGHT,
                number_format="#,##0" + ("." + "0" * places if places else ""),
                **plain,
            )
            for places in range(_MAX_DECIMALS + 1)
        },
    }


# Title lines, each across the table's width: (font, horizontal alignment).
_UNIT_LINE = (Font(name=_FONT_NAME, size=_FONT_SIZE, bold=True), "left")
_TITLE_LINE = (Font(name=_FONT_NAME, size=14, bold=True), "center")
_NOTE_LINE = (Font(name=_FONT_NAME, size=_FONT_SIZE, italic=True), "center")
_DATE_LINE = (Font(name=_FONT_NAME, size=_FONT_SIZE, italic=True), "right")

# (header, width cap) of each sheet's columns; widths are fitted to the contents up to the cap.
_RESULT_COLUMNS = [("TT", 5), ("Lĩnh vực", 18), ("Chỉ tiêu", 40), ("ĐVT", 12)]
_PLAN_COLUMNS = [("Kế hoạch", 14), ("Nguồn kế hoạch", 28)]
_BREAKDOWN_COLUMNS = [
    ("TT", 5), ("Đơn vị", 30), ("Thực hiện", 14), ("Ước/Chính thức", 12), ("Kế hoạch", 14),
    ("% KH", 9),
]  # fmt: skip
_TRACE_COLUMNS = [
    ("TT", 6), ("Chỉ tiêu", 36), ("Đơn vị nhập", 22), ("Kỳ", 14), ("Giá trị", 14), ("ĐVT", 12),
    ("Ước/Chính thức", 12), ("Người nhập", 22), ("Thời điểm nhập", 17), ("Cách nhập", 14),
    ("Báo cáo", 34), ("Ghi chú", 40), ("Đã duyệt", 10),
]  # fmt: skip


@dataclass(frozen=True)
class _Sheet:
    name: str
    title: list[tuple[str, tuple]]  # (text, (font, alignment)) lines above the table
    columns: list[tuple[str, int]]  # (header, width cap)
    rows: list[list[tuple]]  # (value, style key) cells
    wrap: frozenset[str]  # the columns whose text wraps (a header, or one numbered "… 2")
    landscape: bool = True


def render(contents: ReportContents) -> bytes:
    # Cells are made whole (value, style indexes) and appended a row at a time: a province's
    # report (50 sheets of 100 communes, 5,000 entries) in about 1.2 s, against 1.4 s styling
    # cells by name and 1.5 s in write-only mode (whose append raises and catches an
    # exception per styled cell). Private openpyxl 3.1 names used: `_fonts`, `_style`.
    book = Workbook()
    book.remove(book.active)
    # The workbook's default font is the one column widths are counted in: ours, so a width
    # fitted here holds in Excel and in LibreOffice (whose stand-in for Calibri is wider).
    book._fonts = IndexedList([_FONT])
    styles = {}
    for key, style in _named_styles().items():
        book.add_named_style(style)
        styles[key] = style.as_tuple()  # the indexes a cell of that style holds
    _write(book, _results(contents), contents, styles)
    numbered = _numbered(contents)
    names = sheet_names(
        [f"{number}. {item.name}" for number, item in numbered], taken=[RESULTS_SHEET, TRACE_SHEET]
    )
    for name, (number, breakdown) in zip(names, numbered, strict=True):
        _write(book, _breakdown(name, contents, number, breakdown), contents, styles)
    _write(book, _trace(contents), contents, styles)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- the sheets ---------------------------------------------------------------------------


def _results(contents: ReportContents) -> _Sheet:
    extra = max((len(row.plans) for row in contents.rows), default=0) - 1
    columns = [*_RESULT_COLUMNS, *_PLAN_COLUMNS]
    columns += [("Thực hiện", 14), ("Ước/Chính thức", 12), ("% KH", 9), ("Cùng kỳ năm trước", 12)]
    for n in range(2, extra + 2):
        columns += [(f"Kế hoạch {n}", 14), (f"Nguồn kế hoạch {n}", 28), (f"% KH {n}", 9)]
    head = contents.heading
    authority = " ".join(head.body_lines)  # "ỦY BAN NHÂN DÂN XÃ HÀ LINH", "ĐẢNG ỦY XÃ …"
    rows = [_result_cells(row, extra) for row in contents.rows]
    if not rows:
        rows = [[(None, "count"), (None, "text"), ("Chưa có chỉ tiêu nào trong kỳ.", "text")]]
    return _Sheet(
        name=RESULTS_SHEET,
        title=[
            (authority, _UNIT_LINE),
            (f"Kết quả thực hiện các chỉ tiêu {contents.period.label}".upper(), _TITLE_LINE),
            (f"Kèm theo {contents.kind_label.lower()}: {contents.subject}", _NOTE_LINE),
            (head.place_date, _DATE_LINE),
        ],
        columns=columns,
        rows=rows,
        wrap=frozenset({"Lĩnh vực", "Chỉ tiêu", "Nguồn kế hoạch"}),
    )


def _result_cells(row: Row, extra: int) -> list:
    plan = row.plan
    cells = [
        (row.number, "count"),
        (row.group, "wrap"),
        (row.name, "wrap"),
        (row.unit_name, "text"),
        _number(plan.value if plan else None),
        (_plan_source(plan), "wrap"),
        _number(row.value),
        (_status(row.value, row.estimated), "text"),
        _percent(row.percent),
        _number(row.last_year),
    ]
    for index in range(1, extra + 1):
        other = row.plans[index] if index < len(row.plans) else None
        cells += [
            _number(other.value if other else None),
            (_plan_source(other), "wrap"),
            _percent(other.percent if other else None),
        ]
    return cells


def _breakdown(name: str, contents: ReportContents, number: int, breakdown: Breakdown) -> _Sheet:
    unit_name = f" ({breakdown.unit_name})" if breakdown.unit_name else ""
    rows = [
        [
            (index, "count"),
            (child.name, "wrap"),
            _number(child.value),
            (_status(child.value, child.estimated), "text"),
            _number(child.plan),
            _percent(child.percent),
        ]
        for index, child in enumerate(breakdown.rows, start=1)
    ]
    return _Sheet(
        name=name,
        title=[
            (f"{number}. {breakdown.name}{unit_name}", _TITLE_LINE),
            (f"{contents.unit.full_name}, {contents.period.label}: theo đơn vị", _NOTE_LINE),
        ],
        columns=_BREAKDOWN_COLUMNS,
        rows=rows,
        wrap=frozenset({"Đơn vị"}),
        landscape=False,
    )


def _trace(contents: ReportContents) -> _Sheet:
    rows = [
        [
            (index, "count"),
            (entry.indicator, "wrap"),
            (entry.unit, "wrap"),
            (entry.period, "text"),
            _number(entry.value),
            (entry.unit_name, "text"),
            (_status(entry.value, entry.estimated), "text"),
            (entry.entered_by or "hệ thống", "text"),
            _moment(entry.entered_at),
            (entry.channel, "text"),
            (entry.submission, "wrap"),
            (entry.note, "wrap"),
            ("Đã duyệt" if entry.approved else "Chưa duyệt", "text"),
        ]
        for index, entry in enumerate(contents.trace, start=1)
    ]
    if not rows:
        rows = [[(None, "count"), ("Không có số liệu nào được nhập cho kỳ này.", "text")]]
    about = (
        f"Các lần nhập đứng sau mỗi con số trong báo cáo của {contents.unit.full_name}, "
        f"{contents.period.label}: ai nhập, lúc nào, qua đâu, trong báo cáo nào."
    )
    return _Sheet(
        name=TRACE_SHEET,
        title=[("Nguồn số liệu", _TITLE_LINE), (about, _NOTE_LINE)],
        columns=_TRACE_COLUMNS,
        rows=rows,
        wrap=frozenset({"Chỉ tiêu", "Đơn vị nhập", "Báo cáo", "Ghi chú"}),
    )


# --- cells ----------------------------------------------------------------------------------


def _number(value: Decimal | None) -> tuple:
    """A number cell: an int when whole, else a float, formatted with the decimals it has."""
    if value is None:
        return None, "text"
    places = min(max(-value.normalize().as_tuple().exponent, 0), _MAX_DECIMALS)
    if value == value.to_integral_value():
        return int(value), "number0"
    return float(value), f"number{places}"


def _percent(value: Decimal | None) -> tuple:
    return (None, "text") if value is None else (float(value / 100), "percent")


def _moment(value: dt.datetime | None) -> tuple:
    """A date-time cell in local time: the file format has no time zones."""
    return (None, "text") if value is None else (value.replace(tzinfo=None), "moment")


def _status(value, estimated: bool) -> str:
    if value is None:
        return ""
    return "Ước" if estimated else "Chính thức"


def _plan_source(plan: PlanCell | None) -> str:
    """ "KH huyện giao năm 2020 (Quyết định số 15/QĐ-UBND …)"; a revised plan says what it was."""
    if plan is None:
        return ""
    words = plan.words
    text = "KH" + words[len("kế hoạch") :] if words.startswith("kế hoạch") else words
    text = text[:1].upper() + text[1:]
    if plan.document:
        text += f" ({plan.document})"
    if plan.original_value is not None:
        text += f"; điều chỉnh, ban đầu {format_number(plan.original_value)}"
    return text


@lru_cache(maxsize=4096)
def _clean(text: str) -> str:
    """Text as the file can hold it: NFC, no control characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", nfc(text))


# --- layout -----------------------------------------------------------------------------------


def _write(book, spec: _Sheet, contents: ReportContents, styles: dict) -> None:
    """One sheet: the title lines aligned across the table, the header, the rows (wrapped
    text sets their height), fitted widths, frozen panes, the filter and the print setup."""
    sheet = book.create_sheet(spec.name)
    names = [name for name, _cap in spec.columns]
    wrapped = [name.rstrip(" 0123456789") in spec.wrap for name in names]
    widths = _widths(spec, wrapped)
    last_column = get_column_letter(len(names))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header_row = len(spec.title) + 1
    sheet.freeze_panes = f"A{header_row + 1}"
    # Rows are a line high unless they wrap; programs do not refit rows on opening a file.
    sheet.sheet_format.defaultRowHeight, sheet.sheet_format.customHeight = _LINE_HEIGHT, True
    for number, (text, (font, align)) in enumerate(spec.title, start=1):
        cell = _cell(sheet, text, None)
        cell.font = font
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        scale = font.size / _FONT_SIZE  # a larger letter: fewer to a line, a taller line
        lines = _lines(text, int(sum(widths) / scale))
        sheet.row_dimensions[number].height = round(_LINE_HEIGHT * scale * lines, 1)
        sheet.append([cell])
        sheet.merge_cells(f"A{number}:{last_column}{number}")
    sheet.row_dimensions[header_row].height = _LINE_HEIGHT * max(map(_lines, names, widths))
    sheet.append([_cell(sheet, name, styles["head"]) for name in names])
    for number, cells in enumerate(spec.rows, start=header_row + 1):
        lines = max(
            (_lines(value, widths[index]) for index, (value, _key) in enumerate(cells)
             if wrapped[index] and isinstance(value, str)),
            default=1,
        )  # fmt: skip
        if lines > 1:
            sheet.row_dimensions[number].height = _LINE_HEIGHT * lines
        sheet.append([_cell(sheet, value, styles[key]) for value, key in cells])
    last_row = header_row + len(spec.rows)
    sheet.auto_filter.ref = f"A{header_row}:{last_column}{last_row}"
    _page(sheet, contents, header_row, landscape=spec.landscape)


def _cell(sheet, value, style) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet)
    if style is not None:
        cell._style = StyleArray(style)  # what `cell.style = name` does, less a lookup
    if isinstance(value, str):
        if value:
            cell.value = _clean(value)
            cell.data_type = "s"  # a note starting with "=" stays a note, not a formula
    elif value is not None:
        cell.value = value
    return cell


def _widths(spec: _Sheet, wrapped: list[bool]) -> list[int]:
    """Each column as wide as its widest value, a wrapping one up to its cap; a short header
    stays on one line, a long one wraps at its words."""
    widths = [
        len(name) + 2 if len(name) <= 10 else max(map(len, name.split())) + 2
        for name, _cap in spec.columns
    ]
    for cells in spec.rows:
        for index, (value, _key) in enumerate(cells):
            if value is not None and value != "":
                widths[index] = max(widths[index], _shown_width(value))
    return [
        min(width, cap) if wrap else width
        for width, (_name, cap), wrap in zip(widths, spec.columns, wrapped, strict=True)
    ]


def _shown_width(value) -> int:
    """About how many width units (a digit of the font) the value takes on screen."""
    if isinstance(value, str):
        return round(max(map(_measure, value.splitlines() or [""]))) + 2
    if isinstance(value, dt.datetime):
        return 17
    if isinstance(value, float) and abs(value) < 10:  # a percent, a small decimal
        return 8
    return len(f"{value:,.{_MAX_DECIMALS if isinstance(value, float) else 0}f}") + 2


@lru_cache(maxsize=4096)  # a report repeats its names thousands of times
def _measure(text: str) -> float:
    """Text's width in digits: a letter a little narrower, a capital wider, a space half."""
    capitals = sum(1 for char in text if char.isupper())
    return len(text) * _TEXT_CHAR + capitals * 0.48 - text.count(" ") * 0.42


@lru_cache(maxsize=4096)
def _lines(text: str, width: int) -> int:
    """How many lines `text` wraps to in a column `width` units wide (greedy, by word)."""
    room = max(width - 1.5, 1)  # less the cell's padding
    count = 0
    for paragraph in text.splitlines() or [""]:
        count += 1
        used = 0.0
        for word in paragraph.split():
            size = _measure(word)
            if used and used + 0.5 + size > room:
                count += 1
                used = 0.0
            used += size + (0.5 if used else 0)
            while used > room:  # a word wider than the column breaks inside
                count += 1
                used -= room
    return count


def _page(sheet, contents: ReportContents, header_row: int, *, landscape: bool = True) -> None:
    """A4, one page wide, the header row on every page, margins after NĐ 30 (top and bottom
    20 mm, left 30 mm, right 15 mm), the unit in the header and "Trang 1/3" in the footer."""
    setup = sheet.page_setup
    setup.paperSize = Worksheet.PAPERSIZE_A4
    setup.orientation = "landscape" if landscape else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0  # 0: as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_margins = PageMargins(
        left=30 * _MM, right=15 * _MM, top=20 * _MM, bottom=20 * _MM, header=8 * _MM, footer=8 * _MM
    )
    unit = _clean(contents.unit.full_name).replace("&", "&&")  # "&" starts a field code
    sheet.oddHeader.left.text = unit
    period = _clean(contents.period.label).replace("&", "&&")
    sheet.oddHeader.right.text = period[:1].upper() + period[1:]
    sheet.oddFooter.center.text = "Trang &P/&N"


# --- sheet names ----------------------------------------------------------------------------


def _numbered(contents: ReportContents) -> list[tuple[int, Breakdown]]:
    """Each breakdown with its indicator's number in the table (both follow the same order)."""
    found, rows = [], iter(contents.rows)
    for position, breakdown in enumerate(contents.breakdowns, start=1):
        number = next((row.number for row in rows if row.name == breakdown.name), position)
        found.append((number, breakdown))
    return found


def sheet_names(wanted: list[str], *, taken: list[str] = ()) -> list[str]:
    """Names a workbook accepts, in order: at most 31 characters (a longer name is cut and ends
    with "…"), none of []:*?/\\ (brackets become parentheses, the others "-"), not empty, and
    unique ignoring case (Excel's rule) — also apart from `taken`."""
    used = {name.casefold() for name in (*taken, "History")}  # Excel keeps "History"
    names = []
    for name in wanted:
        name = nfc(name).translate(str.maketrans("[]", "()"))
        name = _FORBIDDEN.sub("-", ILLEGAL_CHARACTERS_RE.sub("", name)).strip().strip("'")
        name = _cut(name or "Trang", MAX_SHEET_NAME)
        unique, n = name, 1
        while unique.casefold() in used:
            n += 1
            suffix = f" ({n})"
            unique = _cut(name, MAX_SHEET_NAME - len(suffix)) + suffix
        used.add(unique.casefold())
        names.append(unique)
    return names


def _cut(name: str, limit: int) -> str:
    if len(name) <= limit:
        return name
    return name[: limit - 1].rstrip() + "…"
