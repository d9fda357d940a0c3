"""A criteria pack written as the spreadsheet `criteria.spreadsheet` reads: the layout a
province downloads, edits in Excel or LibreOffice, and loads back as its own set."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from xaso.criteria.pack import Pack
from xaso.criteria.spreadsheet import (
    CRITERIA_SHEET,
    GROUP_PREFIX,
    GUIDE_SHEET,
    HEAD,
    PACK_KEYS,
    PACK_SHEET,
    TAIL,
    TEST_WRITTEN,
    UNKNOWN,
)
from xaso.vn.units import get_unit


def write_pack_xlsx(pack: Pack, path) -> None:
    """The pack in the layout `read_pack_xlsx` reads, to a path or an open binary file."""
    book = Workbook()
    sheet = book.active
    sheet.title = PACK_SHEET
    _append(sheet, ["Khóa", "Giá trị", "Giải thích"], bold=True)
    for key, value in _pack_values(pack):
        _append(sheet, [key, value, PACK_KEYS[key]])
    _widths(sheet, (16, 60, 70))
    groups = [code for code, _ in pack.groups]
    sheet = book.create_sheet(CRITERIA_SHEET)
    header = [*HEAD, *(GROUP_PREFIX + code for code in groups), *TAIL]
    _append(sheet, header, bold=True)
    sheet.freeze_panes = "A2"
    for criterion in pack.criteria:
        for row in _criterion_rows(pack, criterion, groups):
            _append(sheet, row)
    _widths(sheet, (8, 28, 20, 10, 50, 8, 12, 10, *(10 for _ in groups), 18, 12, 24, 30))
    guide = book.create_sheet(GUIDE_SHEET)
    for line in GUIDE:
        _append(guide, [line])
    _widths(guide, (110,))
    book.save(path)


def _pack_values(pack: Pack):
    years = f"{pack.first_year}-{pack.last_year or ''}"
    values = {
        "code": pack.code, "version": pack.version, "name": pack.name,
        "short_name": pack.short_name, "family": pack.family, "decision": pack.decision,
        "scope": pack.scope, "applies_to": ", ".join(pack.applies_to), "years": years,
        "requires": pack.requires, "grouping_label": pack.grouping_label,
        "groups": "; ".join(f"{code}={name}" for code, name in pack.groups),
        "confidence": pack.confidence,
    }  # fmt: skip
    yield from values.items()
    for source in pack.sources or ("",):
        yield "sources", source
    yield "note", pack.note


def _criterion_rows(pack: Pack, criterion, groups: list[str]):
    blank = [None] * (1 + len(groups))  # Ngưỡng chung and the groups'
    own = criterion.confidence if criterion.confidence != pack.confidence else None
    head = [criterion.number, criterion.name, criterion.group or None]
    if not criterion.requirements or criterion.source or criterion.note or own:
        yield [*head, None, None, None, None, *blank, None, own, criterion.source, criterion.note]
    for r in criterion.requirements:
        values = r.thresholds or {}
        thresholds = [_written(values, key) for key in ("all", *groups)]
        confidence = r.confidence if r.confidence != criterion.confidence else None
        unit = get_unit(r.unit).name if r.unit else None
        yield [
            *head, r.code, r.name, TEST_WRITTEN[r.test], unit, *thresholds,
            r.indicator or None, confidence, r.source or None, r.note or None,
        ]  # fmt: skip


def _written(values: dict, key: str):
    if key not in values:
        return None
    value = values[key]
    if value is None:
        return UNKNOWN
    if value == value.to_integral_value():
        return int(value)
    if Decimal(repr(float(value))) == value:
        return float(value)
    return format(value, "f").replace(".", ",")  # more digits than a float keeps


def _append(sheet, values: list, *, bold: bool = False) -> None:
    sheet.append([None if v == "" else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # text such as "=", never a formula
        if bold:
            cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _widths(sheet, widths) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


GUIDE = (
    "Bộ tiêu chí trong bảng tính: sửa rồi nạp lại ở trang «Bộ tiêu chí» hoặc bằng lệnh "
    "xaso criteria-import TỆP --owner TỈNH.",
    "",
    "Trang «Bộ tiêu chí»: mỗi dòng một khóa (cột A) và giá trị (cột B); cột C chỉ để giải "
    "thích. Một bộ của tỉnh ghi scope = province và một mã (code) riêng.",
    "Trang «Tiêu chí»: dòng đầu là tiêu đề; mỗi dòng sau là một chỉ tiêu của một tiêu chí, "
    "hoặc dòng riêng của tiêu chí (để trống các cột chỉ tiêu).",
    "Các dòng liền nhau cùng số tiêu chí (hoặc để trống số, như ô gộp) là một tiêu chí.",
    "Phép so: đạt (đạt/không đạt), ≥ (ít nhất), ≤ (nhiều nhất), = (bằng).",
    "Đơn vị: %, hộ, người, công trình, … (đơn vị tính của xaso); cần cho ≥, ≤ và =.",
    "Ngưỡng chung áp dụng cho mọi nhóm; cột «Ngưỡng MÃ» là ngưỡng riêng của nhóm đó. Ô để "
    f"trống: không có giá trị riêng; ghi «{UNKNOWN}» khi chưa biết giá trị.",
    "Số viết kiểu Việt Nam: 85,5 là tám mươi lăm phẩy năm.",
    "Mã chỉ tiêu xaso: mã chỉ tiêu trong danh mục xaso để tự tính từ số liệu (có thể để trống).",
    "Độ tin cậy: read (đã đối chiếu văn bản gốc), summary (theo bản tin), unverified (chưa "
    "kiểm chứng); để trống là theo tiêu chí, tiêu chí để trống là theo cả bộ.",
    "Không quá 5 MB và 5.000 dòng. Một lỗi được báo kèm tên trang, số dòng và cột; khi có lỗi "
    "không có gì được ghi.",
)
