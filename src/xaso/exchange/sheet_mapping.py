"""The spreadsheets communes already keep: read through a saved `SheetMapping`.

A sheet has one heading row (`header_row`); column A below it holds the row labels, the cells
right of it the headings. With layout "unit_rows" the rows are units and the columns
indicators; with "indicator_rows" the reverse. `suggest` prefills each heading and label with
the code whose name (or code) matches it without regard to diacritics or case ("Thon 1" is
"Thôn 1"); the officer corrects it and `save_mapping` stores it under the owner unit with a
`signature` — a hash of the sheet's normalised headings and labels — so the next upload of a
sheet with the same headings is recognised (`find_mapping`) and goes straight to the check.
"""

import hashlib

from xaso.catalog.models import Indicator
from xaso.exchange.models import SheetMapping
from xaso.exchange.sheets import SheetError, _open, _value
from xaso.exchange.values import ValueRow
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.vn.text import fold

UNIT_ROWS, INDICATOR_ROWS = "unit_rows", "indicator_rows"


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def layout_of(sheet, header_row: int) -> tuple[list[str], list[str]]:
    """The column headings (B onward on the heading row) and the row labels (A below it)."""
    headings = [_text(c.value) for c in sheet[header_row][1:]]
    labels = [_text(sheet.cell(r, 1).value) for r in range(header_row + 1, sheet.max_row + 1)]
    return headings, labels


def signature(headings: list[str], labels: list[str]) -> str:
    key = "\x1f".join(fold(h) for h in headings) + "\x1e" + "\x1f".join(fold(x) for x in labels)
    return hashlib.sha256(key.encode()).hexdigest()


def _choices(owner: OrgUnit) -> tuple[dict, dict]:
    units = {}
    for unit in OrgUnit.objects.filter(path__startswith=owner.path):
        for name in (unit.name, unit.full_name, unit.code):
            units.setdefault(fold(name), unit.code)
    indicators = {}
    for indicator in Indicator.objects.filter(active=True):
        for name in (indicator.name, indicator.code):
            indicators.setdefault(fold(name), indicator.code)
    return units, indicators


def suggest(owner: OrgUnit, headings, labels, layout: str) -> tuple[dict, dict]:
    """(heading -> code, label -> code), "" where no name matches."""
    units, indicators = _choices(owner)
    across, down = (indicators, units) if layout == UNIT_ROWS else (units, indicators)
    columns = {h: across.get(fold(h), "") for h in headings if h}
    rows = {x: down.get(fold(x), "") for x in labels if x}
    return columns, rows


def _sheet(book, name: str):
    if name and name not in book.sheetnames:
        raise SheetError(f"Tệp không có trang tính «{name}».")
    return book[name] if name else book.worksheets[0]


def find_mapping(owner: OrgUnit, data: bytes) -> SheetMapping | None:
    """The owner's saved mapping whose headings the file's sheet has, if any."""
    book = _open(data)
    for mapping in SheetMapping.objects.filter(owner=owner):
        if mapping.sheet and mapping.sheet not in book.sheetnames:
            continue
        sheet = _sheet(book, mapping.sheet)
        if signature(*layout_of(sheet, mapping.header_row)) == mapping.signature:
            return mapping
    return None


def save_mapping(user, owner: OrgUnit, data: bytes, **fields) -> SheetMapping:
    """Store (or replace) how the sheet is read; fields: name, sheet, header_row, layout,
    columns, rows, period."""
    policy.require_record(user, owner, what="nhập số liệu từ bảng tính")
    book = _open(data)
    sheet = _sheet(book, fields.get("sheet", ""))
    sig = signature(*layout_of(sheet, fields.get("header_row", 1)))
    mapping, _ = SheetMapping.objects.update_or_create(
        owner=owner, signature=sig, defaults=fields | {"created_by": user}
    )
    return mapping


def read_mapped(data: bytes, mapping: SheetMapping, period: str = "") -> list[ValueRow]:
    """The sheet's filled cells as `ValueRow`s through the mapping; unmapped ones are skipped."""
    book = _open(data)
    sheet = _sheet(book, mapping.sheet)
    headings, labels = layout_of(sheet, mapping.header_row)
    rows = []
    for offset, label in enumerate(labels):
        down = mapping.rows.get(label, "")
        if not down:
            continue
        row = mapping.header_row + 1 + offset
        for column, heading in enumerate(headings, start=2):
            across = mapping.columns.get(heading, "")
            value = _value(sheet.cell(row, column).value)
            if not across or value is None:
                continue
            unit, indicator = (down, across) if mapping.layout == UNIT_ROWS else (across, down)
            name = sheet.cell(row, column).coordinate
            rows.append(ValueRow(name, unit, indicator, period or mapping.period, value))
    return rows


__all__ = ["find_mapping", "read_mapped", "save_mapping", "signature", "suggest"]
