"""A figure obtained through lineage says so in the unit's XLSX and CSV too (#22)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.factories import make_indicator
from tests.figures.test_lineage_figures import reform  # noqa: F401 (the fixture)
from xaso.exchange.tables import write_csv, write_xlsx
from xaso.figures.services import record_result
from xaso.periods import parse_period

pytestmark = pytest.mark.django_db
YEAR = parse_period("2022")


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("admin", "a@example.org", "x")


def _enter(units, indicator, values):
    for code, value in values.items():
        record_result(unit=units[code], indicator=indicator, period=YEAR, value=value)


def test_the_new_communes_export_says_where_its_2022_figures_came_from(admin, reform):  # noqa: F811
    revenue = make_indicator("thu", name="Thu ngân sách", unit="trieu_dong", position=1)
    homes = make_indicator("ho", name="Hộ chỉnh trang", unit="ho", position=2)
    _enter(reform, revenue, {"a": "1000", "b": "600", "c": "400"})
    _enter(reform, homes, {"b": "12"})

    rows = list(csv.reader(io.StringIO(write_csv(admin, reform["n"], YEAR)[1:])))

    assert rows[1] == ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Xã Hà Linh", "Ghi chú"]
    assert [r[:1] + r[3:] for r in rows[2:]] == [
        ["thu", "1700", "Tính từ 3 xã cũ: Hà Linh, Điền Mỹ, Phúc Đồng (một phần 25,0%)"],
        ["ho", "12", "Tính từ 1 xã cũ: Điền Mỹ"],
    ]  # 1.000 + 600 + ¼ × 400; only Điền Mỹ had homes
    sheet = load_workbook(io.BytesIO(write_xlsx(admin, reform["n"], YEAR))).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert values[0][-1] == "Ghi chú"
    assert [v[:1] + v[3:] for v in values[1:]] == [
        ["thu", 1700, "Tính từ 3 xã cũ: Hà Linh, Điền Mỹ, Phúc Đồng (một phần 25,0%)"],
        ["ho", 12, "Tính từ 1 xã cũ: Điền Mỹ"],
    ]


def test_an_old_units_own_figures_carry_no_note(admin, reform):  # noqa: F811
    revenue = make_indicator("thu", name="Thu ngân sách", unit="trieu_dong")
    _enter(reform, revenue, {"a": "1000"})
    rows = list(csv.reader(io.StringIO(write_csv(admin, reform["a"], YEAR)[1:])))
    assert rows[1] == ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Xã Hà Linh"]
    assert rows[2][3:] == ["1000"]
