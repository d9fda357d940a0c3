"""A commune's own spreadsheet: names matched without diacritics, the mapping saved, reused."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from tests.factories import make_commune_tree, make_indicator, make_user
from xaso.exchange.sheet_mapping import (
    UNIT_ROWS,
    find_mapping,
    layout_of,
    read_mapped,
    save_mapping,
    suggest,
)
from xaso.exchange.sheets import _open
from xaso.exchange.values import import_values
from xaso.figures.models import Result
from xaso.org.models import Role

pytestmark = pytest.mark.django_db


def _book(rows, title="Tháng 11") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def setup():
    province, district, commune, villages = make_commune_tree()
    make_indicator("road", name="Đường bê tông", unit="km")
    make_indicator("homes", name="Hộ chỉnh trang", unit="ho")
    return commune, make_user("canbo", unit=commune, role=Role.MANAGER)


KEPT = [
    ["Báo cáo của xã"],
    ["Thôn", "duong be tong", "HỘ CHỈNH TRANG", "Ghi chú"],
    ["Thon 1", "1,5", 12, "tốt"],
    ["thôn 2", 2, None, None],
    ["Tổng", 3.5, 12, None],
]


def test_names_are_matched_without_diacritics_and_the_mapping_is_reused(setup):
    commune, manager = setup
    data = _book(KEPT)
    headings, labels = layout_of(_open(data)["Tháng 11"], 2)
    columns, rows = suggest(commune, headings, labels, UNIT_ROWS)
    assert columns == {"duong be tong": "road", "HỘ CHỈNH TRANG": "homes", "Ghi chú": ""}
    assert rows == {"Thon 1": "hl-1", "thôn 2": "hl-2", "Tổng": ""}
    assert find_mapping(commune, data) is None
    save_mapping(
        manager, commune, data, name="Bảng xã", sheet="Tháng 11", header_row=2,
        layout=UNIT_ROWS, columns=columns, rows=rows, period="2022-11",
    )  # fmt: skip
    # Next month's file: same headings and labels, other numbers.
    again = _book([KEPT[0], KEPT[1], ["Thon 1", "3", 20, ""], ["thôn 2", "4", 5], ["Tổng"]])
    mapping = find_mapping(commune, again)
    assert mapping is not None and mapping.name == "Bảng xã"
    found = read_mapped(again, mapping, "2022-12")
    assert [(r.row, r.unit, r.indicator, r.period) for r in found] == [
        ("B3", "hl-1", "road", "2022-12"), ("C3", "hl-1", "homes", "2022-12"),
        ("B4", "hl-2", "road", "2022-12"), ("C4", "hl-2", "homes", "2022-12"),
    ]  # fmt: skip
    assert import_values(found, user=manager).ok
    values = dict(Result.objects.filter(indicator__code="road").values_list("unit__code", "value"))
    assert values == {"hl-1": Decimal("3"), "hl-2": Decimal("4")}


def test_other_headings_are_not_taken_for_a_saved_mapping(setup):
    commune, manager = setup
    data = _book(KEPT)
    save_mapping(
        manager, commune, data, name="Bảng xã", sheet="Tháng 11", header_row=2,
        layout=UNIT_ROWS, columns={"duong be tong": "road"}, rows={"Thon 1": "hl-1"},
    )  # fmt: skip
    other = [KEPT[0], ["Thôn", "Điện", "HỘ CHỈNH TRANG", "Ghi chú"], *KEPT[2:]]
    assert find_mapping(commune, _book(other)) is None
