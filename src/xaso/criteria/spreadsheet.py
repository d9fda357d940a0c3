"""A criteria set in a spreadsheet: a province types its own set without code, and any set
(a shipped one, say) is written out to be edited and loaded back.

Pure: no Django. The sheets are turned into the plain data a YAML pack parses to and checked
by `pack.read_pack_data`, so every rule is checked in one place; an error names the sheet, the
row and the column. Layout (docs/criteria-packs.md, "From a spreadsheet"):

Sheet "Bộ tiêu chí": one row per key, column A the key as in the YAML (code, version, name,
short_name, family, decision, scope, applies_to, years, requires, grouping_label, groups,
confidence, sources, note), column B its value; column C is an explanation and is not read.
`applies_to` is comma-separated ("commune, ward"); `years` "2021-2025", or "2026-" while open;
`groups` "BTB=Bắc Trung Bộ; DBSH=Đồng bằng sông Hồng"; `sources` one per row (or per line).

Sheet "Tiêu chí": a header row, then one row per requirement (chỉ tiêu) or per criterion:
Số tiêu chí, Tên tiêu chí, Nhóm tiêu chí, Mã chỉ tiêu, Nội dung chỉ tiêu, Phép so, Đơn vị,
Ngưỡng chung, one "Ngưỡng <MÃ NHÓM>" per group, Mã chỉ tiêu xaso, Độ tin cậy, Nguồn, Ghi chú.
Consecutive rows with the same criterion number (or none, as under merged cells) are one
criterion. A row with nothing in the requirement columns is the criterion's own row: its
Độ tin cậy, Nguồn and Ghi chú are the criterion's; on a requirement row they are the
requirement's. A threshold cell left empty is not given (the group takes Ngưỡng chung);
"chưa có ngưỡng" says the value is not known.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from xaso.criteria.pack import FORMAT, MAX_BYTES, Pack, PackError, read_pack_data
from xaso.reading.archive import ZIP_ERRORS, check_archive
from xaso.reading.decode import ReadError
from xaso.vn.numbers import NumberError, format_number, parse_number
from xaso.vn.text import nfc
from xaso.vn.units import UNITS, unit_for_text

MAX_ROWS = 5000
MAX_COLUMNS = 100

PACK_SHEET = "Bộ tiêu chí"
CRITERIA_SHEET = "Tiêu chí"
GUIDE_SHEET = "Hướng dẫn"

# Column A of the pack sheet, in the order written, with the explanation of column C.
PACK_KEYS = {
    "code": "mã bộ tiêu chí: chữ thường không dấu, số, gạch nối (vd. ntm-xa-ha-tinh-2026)",
    "version": "phiên bản nội dung; đổi khi sửa để nạp lại",
    "name": "tên đầy đủ",
    "short_name": "tên ngắn dùng trong bảng, vd. NTM 2021-2025",
    "family": "ntm, ntm_advanced, ntm_model, urban, model_area, model_garden hoặc other",
    "decision": "văn bản ban hành",
    "scope": "national (trung ương) hoặc province (của tỉnh)",
    "applies_to": "loại đơn vị, cách nhau dấu phẩy: commune, ward, township, village, "
    "residential_group, garden",
    "years": "năm hiệu lực: 2021-2025, hoặc 2026- nếu chưa có năm cuối",
    "requires": "mã bộ tiêu chí phải đạt trước (nếu có)",
    "grouping_label": "cách chia nhóm, vd. vùng hoặc nhóm xã (để trống nếu không chia)",
    "groups": "các nhóm: MÃ=Tên, cách nhau dấu chấm phẩy, vd. BTB=Bắc Trung Bộ; TN=Tây Nguyên",
    "confidence": "read (đã đối chiếu văn bản gốc), summary (theo bản tin) hoặc unverified",
    "sources": "nguồn: mỗi dòng một nguồn (lặp lại khóa sources)",
    "note": "ghi chú",
}
READ_KEYS = ("format", *PACK_KEYS)

NUMBER, NAME, GROUP = "Số tiêu chí", "Tên tiêu chí", "Nhóm tiêu chí"
CODE, TEXT, TEST, UNIT = "Mã chỉ tiêu", "Nội dung chỉ tiêu", "Phép so", "Đơn vị"
COMMON, GROUP_PREFIX = "Ngưỡng chung", "Ngưỡng "
INDICATOR, CONFIDENCE, SOURCE, NOTE = "Mã chỉ tiêu xaso", "Độ tin cậy", "Nguồn", "Ghi chú"
HEAD = (NUMBER, NAME, GROUP, CODE, TEXT, TEST, UNIT, COMMON)
TAIL = (INDICATOR, CONFIDENCE, SOURCE, NOTE)
REQUIRED_COLUMNS = (NUMBER, NAME)

# Pack field -> column, for criteria and for requirements.
CRITERION_COLUMNS = {
    "number": NUMBER, "name": NAME, "group": GROUP,
    "confidence": CONFIDENCE, "source": SOURCE, "note": NOTE,
}  # fmt: skip
REQUIREMENT_COLUMNS = {
    "code": CODE, "name": TEXT, "test": TEST, "unit": UNIT, "threshold": COMMON,
    "indicator": INDICATOR, "confidence": CONFIDENCE, "source": SOURCE, "note": NOTE,
}  # fmt: skip

TESTS = {
    "reached": "reached", "đạt": "reached",
    "at_least": "at_least", "≥": "at_least", ">=": "at_least",
    "at_most": "at_most", "≤": "at_most", "<=": "at_most",
    "equals": "equals", "=": "equals", "bằng": "equals",
}  # fmt: skip
TEST_WRITTEN = {"reached": "đạt", "at_least": "≥", "at_most": "≤", "equals": "="}
UNKNOWN = "chưa có ngưỡng"
UNKNOWN_WORDS = (UNKNOWN, "chưa có", "null")

# How pack.py's messages say things in YAML terms, and how a sheet says them.
_SHEET_WORDS = (
    ("khóa «unit»", "cột «Đơn vị»"),
    ("«unit»", "«Đơn vị»"),
    ("hoặc null nếu chưa có ngưỡng", f"hoặc «{UNKNOWN}»"),
    (
        "reached, at_least, at_most, equals.",
        "đạt, ≥, ≤, = (hoặc reached, at_least, at_most, equals).",
    ),
)
UNKNOWN_KEY = "khóa «{}» không có trong định dạng (các khóa: " + ", ".join(PACK_KEYS) + ")."
UNKNOWN_COLUMN = (
    "cột «{}» không có trong định dạng (các cột: " + ", ".join(HEAD) + ", Ngưỡng <mã nhóm>, "
    + ", ".join(TAIL) + ")."
)  # fmt: skip
BAD_YEARS = "viết năm hiệu lực dạng «2021-2025», hoặc «2026-» khi chưa có năm cuối."
BAD_GROUP = "«{}»: mỗi nhóm viết «MÃ=Tên nhóm», các nhóm cách nhau dấu «;»."
_YEARS = re.compile(r"^(\d{4})\s*(?:[-–—]\s*(\d{4})?)?$")
_FIELD_PARTS = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def _fold(text) -> str:
    return nfc(str(text or "")).strip().casefold()


def _where(file: str, sheet: str) -> str:
    return f"{file} (trang {sheet})"


def _refuse(where: str, line: int | None, field: str, message: str):
    raise PackError(message, file=where, line=line, field=field)


# --- reading -------------------------------------------------------------------------------


def read_pack_xlsx(path_or_file, *, file: str = "") -> Pack:
    """The pack in a workbook (a path, an open file or its bytes); PackError when it is not
    one, naming the sheet, the row and the column."""
    data, file = _content(path_or_file, file)
    book = _open(data, file)
    try:
        sheets = {_fold(name): name for name in book.sheetnames}
        rows = {}
        for title in (PACK_SHEET, CRITERIA_SHEET):
            if _fold(title) not in sheets:
                raise PackError(f"không có trang «{title}» (xem trang {GUIDE_SHEET}).", file=file)
            rows[title] = _rows(book[sheets[_fold(title)]], _where(file, title))
    finally:
        book.close()
    pack, lines = _pack_sheet(rows[PACK_SHEET], _where(file, PACK_SHEET))
    criteria = _CriteriaSheet(rows[CRITERIA_SHEET], _where(file, CRITERIA_SHEET))
    pack["criteria"] = criteria.read(lines)
    try:
        return read_pack_data(pack, file=file, lines=lines)
    except PackError as error:
        raise _in_sheet(error, file, criteria.letters) from None


def _content(source, file: str) -> tuple[bytes, str]:
    if isinstance(source, str | Path):
        path = Path(source)
        file = file or path.name
        try:
            if path.stat().st_size > MAX_BYTES:
                raise PackError("tệp lớn quá 5 MB.", file=file)
            data = path.read_bytes()
        except OSError:
            raise PackError("không mở được tệp.", file=file) from None
    elif isinstance(source, bytes):
        data, file = source, file or "bảng tính"
    else:
        file = file or Path(getattr(source, "name", "") or "bảng tính").name
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise PackError("tệp lớn quá 5 MB.", file=file)
    return data, file


def _open(data: bytes, file: str):
    unreadable = "không đọc được: cần một tệp Excel .xlsx."
    try:  # a hostile archive (a zip bomb) is refused before openpyxl opens it
        check_archive(data, broken=unreadable)
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ReadError as error:
        raise PackError(str(error), file=file) from None
    except (InvalidFileException, *ZIP_ERRORS):
        raise PackError(unreadable, file=file) from None


def _rows(sheet, where: str) -> list[tuple[int, list]]:
    """The sheet's non-empty rows as (row number, values); refused past MAX_ROWS."""
    out = []
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        values = [_value(cell) for cell in cells]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if number > MAX_ROWS:
            raise PackError(
                f"trang có dữ liệu quá {format_number(MAX_ROWS)} dòng; một bộ tiêu chí "
                "không dài như vậy: hãy kiểm tra lại tệp.",
                file=where,
                line=number,
            )
        out.append((number, values))
    return out


def _value(cell):
    """A cell's value; a number shown as a percentage ("85%", stored 0.85) as the 85 seen."""
    value = cell.value
    if isinstance(value, float):
        value = Decimal(repr(value))
    shown_as_percent = "%" in (getattr(cell, "number_format", None) or "")
    if shown_as_percent and isinstance(value, int | Decimal) and not isinstance(value, bool):
        value = Decimal(value) * 100
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return nfc(str(value)).strip()


def _number(value):
    """A threshold cell for pack.py: absent (""), unknown (None), or a number it reads."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return format(Decimal(value).normalize(), "f")
    text = _text(value)
    if not text:
        return ""
    if text.casefold() in UNKNOWN_WORDS:
        return None
    try:
        return format(parse_number(text.removesuffix("%").strip()).value.normalize(), "f")
    except NumberError:
        return text  # not a number: pack.py says so, with the place


def _pack_sheet(rows, where: str) -> tuple[dict, dict]:
    data: dict = {"format": FORMAT}
    lines: dict[tuple, int] = {}
    seen: dict[str, int] = {}
    grouping: dict = {}
    sources: list = []
    for number, values in rows:
        key, value = _text(values[0]), values[1] if len(values) > 1 else None
        if not seen and not lines and _fold(key) == "khóa":
            continue  # the header row
        if not key:
            _refuse(where, number, "A", "ô khóa (cột A) để trống.")
        if key not in READ_KEYS:
            _refuse(where, number, key, UNKNOWN_KEY.format(key))
        if key in seen and key != "sources":
            _refuse(where, number, key, f"khóa này có hai dòng ({seen[key]} và {number}).")
        seen[key] = number
        if key == "format":
            text = _text(value)
            data[key] = int(text) if text.isdigit() else text or FORMAT
        elif key == "applies_to":
            kinds = [k.strip() for k in re.split(r"[,;\n]", _text(value)) if k.strip()]
            data[key] = kinds
            lines.update({(key, i): number for i in range(len(kinds))})
        elif key == "years":
            data[key] = _years(value, where, number)
        elif key == "grouping_label":
            grouping["label"] = _text(value)
            lines[("grouping", "label")] = number
        elif key == "groups":
            grouping["groups"] = _groups(value, where, number)
            lines[("grouping", "groups")] = number
        elif key == "sources":
            for text in _text(value).splitlines():
                if text.strip():
                    lines[("sources", len(sources))] = number
                    sources.append(text.strip())
            lines.setdefault(("sources",), number)
        else:
            data[key] = _text(value)
        lines.setdefault(("grouping",) if key in ("grouping_label", "groups") else (key,), number)
    if sources:
        data["sources"] = sources
    if grouping.get("label") or grouping.get("groups"):
        data["grouping"] = {"label": grouping.get("label", ""), "groups": grouping.get("groups")}
    return data, lines


def _years(value, where: str, line: int) -> list:
    found = _YEARS.match(_text(value))
    if not found:
        _refuse(where, line, "years", BAD_YEARS)
    first, last = int(found[1]), found[2]
    if last:
        return [first, int(last)]
    return [first, None if found[0][4:].strip() else first]  # "2026-": open; "2021": one year


def _groups(value, where: str, line: int) -> list[dict]:
    groups = []
    for item in re.split(r"[;\n]", _text(value)):
        if not item.strip():
            continue
        code, equals, name = item.partition("=")
        if not equals:
            _refuse(where, line, "groups", BAD_GROUP.format(item.strip()))
        groups.append({"code": code.strip(), "name": name.strip()})
    return groups


class _CriteriaSheet:
    """The criteria sheet's rows as the pack's `criteria` list, and the row of each part."""

    def __init__(self, rows, where: str):
        self.rows, self.where = rows, where
        self.columns: dict[str, int] = {}  # header -> index
        self.letters: dict[str, str] = {}  # header -> column letter

    def fail(self, line: int, column: str, message: str):
        field = f"{column} (cột {self.letters[column]})" if column in self.letters else column
        raise PackError(message, file=self.where, line=line, field=field)

    def read(self, lines: dict) -> list[dict]:
        if not self.rows:
            raise PackError(
                f"trang trống: cần dòng tiêu đề ({', '.join(HEAD)} …).", file=self.where
            )
        header_line, header = self.rows[0]
        self._header(header_line, header)
        lines[("criteria",)] = header_line
        criteria: list[dict] = []
        for number, values in self.rows[1:]:
            cells = self._cells(number, values)
            given = _text(cells.get(NUMBER))
            current = criteria[-1] if criteria else None
            if current is None or (given and given != current["number"]):
                current = {"number": given, "name": "", "group": "", "requirements": []}
                lines[("criteria", len(criteria))] = number
                criteria.append(current)
            self._row(current, len(criteria) - 1, number, cells, lines)
        return criteria

    def _header(self, line: int, header: list) -> None:
        if len(header) > MAX_COLUMNS:
            raise PackError(f"quá {MAX_COLUMNS} cột.", file=self.where, line=line)
        known = {_fold(name): name for name in (*HEAD, *TAIL)}
        for index, cell in enumerate(header):
            text, letter = _text(cell), get_column_letter(index + 1)
            if not text:
                continue
            name = known.get(_fold(text))
            if name is None and _fold(text).startswith(_fold(GROUP_PREFIX)):
                name = GROUP_PREFIX + text[len(GROUP_PREFIX) :].strip()
            if name is None:
                _refuse(self.where, line, f"cột {letter}", UNKNOWN_COLUMN.format(text))
            if name in self.columns:
                _refuse(self.where, line, f"cột {letter}", f"cột «{name}» có hai lần.")
            self.columns[name], self.letters[name] = index, letter
        for name in REQUIRED_COLUMNS:
            if name not in self.columns:
                _refuse(self.where, line, "", f"dòng đầu phải là dòng tiêu đề, có cột «{name}».")

    def _cells(self, line: int, values: list) -> dict:
        taken = set(self.columns.values())
        for index, value in enumerate(values):
            if index not in taken and _text(value):
                letter = get_column_letter(index + 1)
                _refuse(self.where, line, f"cột {letter}", "ô có dữ liệu ở cột không có tiêu đề.")
        return {name: values[i] if i < len(values) else None for name, i in self.columns.items()}

    def _row(self, criterion: dict, i: int, line: int, cells: dict, lines: dict) -> None:
        for field, column in (("name", NAME), ("group", GROUP)):
            text = _text(cells.get(column))
            if text and criterion[field] and text != criterion[field]:
                first = lines[("criteria", i, field)]
                said = f"{column.lower()} khác ở dòng {first}: «{criterion[field]}»"
                self.fail(line, column, f"tiêu chí số {criterion['number']} đã có {said}.")
            if text and not criterion[field]:
                criterion[field] = text
                lines[("criteria", i, field)] = line
        thresholds = {
            name: value
            for name, value in cells.items()
            if name.startswith(GROUP_PREFIX) and _text(value)
        }
        measured = (CODE, TEXT, TEST, UNIT, INDICATOR)
        if not thresholds and not any(_text(cells.get(c)) for c in measured):
            self._own_row(criterion, i, line, cells, lines)
            return
        lines[("criteria", i, "requirements", len(criterion["requirements"]))] = line
        given = {
            ("all" if name == COMMON else name[len(GROUP_PREFIX) :]): _number(value)
            for name, value in thresholds.items()
        }
        unit = _text(cells.get(UNIT))
        if unit and unit not in UNITS and unit_for_text(unit):
            unit = unit_for_text(unit).code
        test = _text(cells.get(TEST))
        criterion["requirements"].append(
            {
                "code": _text(cells.get(CODE)),
                "name": _text(cells.get(TEXT)),
                "test": TESTS.get(test.casefold(), test or None),
                "unit": unit,
                "threshold": given or None,
                "indicator": _text(cells.get(INDICATOR)),
                "confidence": _text(cells.get(CONFIDENCE)) or None,
                "source": _text(cells.get(SOURCE)),
                "note": _text(cells.get(NOTE)),
            }
        )

    def _own_row(self, criterion: dict, i: int, line: int, cells: dict, lines: dict) -> None:
        if ("criteria", i, "note") in lines:
            first = lines[("criteria", i, "note")]
            said = f"đã có dòng riêng (dòng {first}); các dòng sau cần mã chỉ tiêu"
            self.fail(line, NUMBER, f"tiêu chí số {criterion['number']} {said}.")
        for field in ("confidence", "source", "note"):
            lines[("criteria", i, field)] = line
        criterion["confidence"] = _text(cells.get(CONFIDENCE)) or None
        criterion["source"] = _text(cells.get(SOURCE))
        criterion["note"] = _text(cells.get(NOTE))


def _in_sheet(error: PackError, file: str, letters: dict[str, str]) -> PackError:
    """pack.py's error, said in the sheet's terms: which sheet, which column."""
    parts = [int(n) if n else name for n, name in _FIELD_PARTS.findall(error.field or "")]
    if not parts or parts[0] != "criteria":
        key = parts[0] if parts else ""
        if key == "grouping":
            key = "grouping_label" if parts[1:2] == ["label"] else "groups"
        return PackError(error.message, file=_where(file, PACK_SHEET), line=error.line, field=key)
    column = ""
    if parts[2:3] == ["requirements"] and len(parts) > 4:
        column = REQUIREMENT_COLUMNS.get(parts[4], "")
        if parts[4] == "threshold" and len(parts) > 5 and parts[5] != "all":
            column = f"{GROUP_PREFIX}{parts[5]}"
    elif len(parts) > 2 and parts[2] != "requirements":
        column = CRITERION_COLUMNS.get(parts[2], "")
    if column in letters:
        column = f"{column} (cột {letters[column]})"
    message = error.message
    for yaml_words, sheet_words in _SHEET_WORDS:
        message = message.replace(yaml_words, sheet_words)
    return PackError(message, file=_where(file, CRITERIA_SHEET), line=error.line, field=column)


# --- writing -------------------------------------------------------------------------------
