"""A groups spreadsheet (.xlsx or .csv), one row per member: nhóm (the group's code), tên nhóm,
loại (Cụm, Khối thi đua, Cụm thi đua), mã đơn vị. The name and kind may be written on one row
of each group only. Headers are matched without case or diacritics."""

import csv
import io

from openpyxl import Workbook, load_workbook

from xaso.groups.services import GroupRow
from xaso.vn.text import fold, nfc

COLUMNS = {  # folded header → field
    "nhom": "group",
    "ma nhom": "group",
    "ten nhom": "name",
    "loai": "kind",
    "loai nhom": "kind",
    "ma don vi": "member",
    "don vi": "member",
}
HEADERS = ["nhóm", "tên nhóm", "loại", "mã đơn vị"]


def _table(data: bytes, filename: str) -> list[list[str]]:
    if filename.lower().endswith(".xlsx") or data[:2] == b"PK":
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise ValueError(f"{filename}: không đọc được tệp Excel ({error}).") from None
        return [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{filename}: tệp CSV phải ở mã UTF-8.") from None
    return list(csv.reader(io.StringIO(text)))


def read_group_rows(data: bytes, filename: str) -> list[GroupRow]:
    """The member rows of a sheet; ValueError (Vietnamese) when a needed column is missing."""
    table = _table(data, filename)
    if not table:
        raise ValueError(f"{filename}: tệp trống.")
    fields = [COLUMNS.get(fold(cell).strip()) for cell in table[0]]
    missing = [h for h, f in (("nhóm", "group"), ("mã đơn vị", "member")) if f not in fields]
    if missing:
        raise ValueError(f"{filename}: thiếu cột {', '.join(missing)} (cần: {', '.join(HEADERS)}).")
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {f: nfc(c).strip() for f, c in zip(fields, cells, strict=False) if f}
        if not any(values.values()):
            continue  # a blank line
        rows.append(
            GroupRow(
                row=number,
                group=values.get("group", ""),
                member=values.get("member", ""),
                name=values.get("name", ""),
                kind=values.get("kind", ""),
            )
        )
    return rows


def groups_template(groups) -> bytes:
    """The sheet of these groups as they are: to edit and import back."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Nhóm đơn vị"
    sheet.append(HEADERS)
    for group in groups:
        for index, unit in enumerate(group.members.order_by("path")):
            first = index == 0
            kind = group.get_kind_display() if first else ""
            sheet.append([group.code, group.name if first else "", kind, unit.code])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
