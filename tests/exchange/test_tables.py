"""A unit's figures table for a period as XLSX and CSV: the page's numbers, read-scoped."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from tests.factories import make_commune_tree, make_indicator, make_unit, make_user
from xaso.exchange.tables import write_csv, write_xlsx
from xaso.figures.services import record_result
from xaso.org.models import Role, UnitKind
from xaso.periods import parse_period

pytestmark = pytest.mark.django_db
NOV = parse_period("2022-11")


@pytest.fixture
def figures():
    province, district, commune, villages = make_commune_tree()
    road = make_indicator("road", name="Đường bê tông", unit="km", position=2)
    homes = make_indicator("homes", name="Hộ chỉnh trang", unit="ho", position=1)
    record_result(unit=villages[0], indicator=road, period=NOV, value="1,5")
    record_result(unit=villages[1], indicator=road, period=NOV, value="3.750,5")
    record_result(unit=villages[0], indicator=homes, period=NOV, value="12")
    viewer = make_user("xem", unit=commune, role=Role.VIEWER)
    return province, commune, viewer


def test_csv_has_a_bom_and_the_page_numbers_written_plainly(figures):
    province, commune, viewer = figures
    text = write_csv(viewer, commune, NOV)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[1] == [
        "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Xã Hà Linh", "Thôn 1", "Thôn 2", "Thôn 3",
    ]  # fmt: skip
    # homes (position 1) first: 12 at Thôn 1 only; road: 1,5 + 3.750,5 = 3.752 at the commune
    assert [r[:2] + r[3:] for r in rows[2:]] == [
        ["homes", "Hộ chỉnh trang", "12", "12", "", ""],
        ["road", "Đường bê tông", "3752", "1.5", "3750.5", ""],
    ]


def test_xlsx_holds_the_same_numbers_as_numbers(figures):
    province, commune, viewer = figures
    sheet = load_workbook(io.BytesIO(write_xlsx(viewer, commune, NOV))).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [v[:1] + v[3:] for v in values] == [
        ["homes", 12, 12, None, None],
        ["road", 3752, 1.5, 3750.5, None],
    ]
    assert Decimal(str(values[1][3])) == Decimal("3752")


def test_a_user_of_another_commune_cannot_export(figures):
    province, commune, viewer = figures
    other = make_unit("Hà Bắc", UnitKind.COMMUNE, province, code="hb")
    stranger = make_user("khac", unit=other, role=Role.MANAGER)
    with pytest.raises(PermissionDenied):
        write_csv(stranger, commune, NOV)
    with pytest.raises(PermissionDenied):
        write_xlsx(stranger, commune, NOV)
