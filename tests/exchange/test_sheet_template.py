"""A form's template: downloaded, filled in openpyxl, read back and imported all or nothing."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from tests.factories import make_commune_tree, make_indicator, make_user
from xaso.exchange.sheets import MAX_UPLOAD, SheetError, read_template, write_template
from xaso.exchange.values import import_values
from xaso.figures.models import Result
from xaso.figures.services import record_result
from xaso.org.models import Role, UnitKind
from xaso.periods import parse_period
from xaso.reporting.definitions import define_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    province, district, commune, villages = make_commune_tree()
    road = make_indicator("road", name="Đường bê tông", unit="km")
    homes = make_indicator("homes", name="Hộ chỉnh trang", unit="ho")
    form = define_form(
        code="ntm-thang", name="Báo cáo tháng NTM", reviewer=commune, period_type="month",
        deadline_rule="next-month:5", indicators=[(road, ""), (homes, "")],
        reporter_kind=UnitKind.VILLAGE,
    )  # fmt: skip
    manager = make_user("canbo", unit=commune, role=Role.MANAGER)
    return commune, villages, road, homes, form, manager


def _filled(data: bytes, cells: dict) -> bytes:
    book = load_workbook(io.BytesIO(data))
    for name, value in cells.items():
        book["Biểu"][name] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _stored(indicator, period="2022-11"):
    found = Result.objects.filter(indicator=indicator, period=period)
    return dict(found.values_list("unit__code", "value"))


def test_the_template_has_codes_hidden_units_across_and_last_period_greyed(setup):
    commune, villages, road, homes, form, manager = setup
    record_result(unit=villages[0], indicator=road, period=parse_period("2022-10"), value="3")
    data = write_template(manager, form, commune, parse_period("2022-11"))
    sheet = load_workbook(io.BytesIO(data))["Biểu"]
    # A3 marker, form code, period; D3..F3 the villages' codes; A5/A6 the indicators'.
    assert [c.value for c in sheet[3]][:6] == [
        "#xaso",
        "ntm-thang",
        "2022-11",
        "hl-1",
        "hl-2",
        "hl-3",
    ]
    assert (sheet["A5"].value, sheet["A6"].value) == ("road", "homes")
    assert [sheet.cell(4, c).value for c in (4, 5, 6)] == ["Thôn 1", "Thôn 2", "Thôn 3"]
    assert sheet["G5"].value == 3  # Thôn 1's road in October, the reference block
    assert sheet["G3"].value is None  # never read back
    assert sheet.column_dimensions["A"].hidden and sheet.row_dimensions[3].hidden
    assert sheet.protection.sheet and sheet["B4"].protection.locked
    assert not sheet["D5"].protection.locked
    assert "Hướng dẫn" in load_workbook(io.BytesIO(data)).sheetnames


def test_round_trip_stores_what_was_typed(setup):
    commune, villages, road, homes, form, manager = setup
    data = write_template(manager, form, commune, parse_period("2022-11"))
    filled = _filled(data, {"D5": "1,8 km", "E5": 2.5, "F5": "800 m", "D6": "1.250", "E6": 12})
    rows = read_template(filled, form=form)
    assert [(r.row, r.unit, r.indicator, r.period) for r in rows] == [
        ("D5", "hl-1", "road", "2022-11"), ("E5", "hl-2", "road", "2022-11"),
        ("F5", "hl-3", "road", "2022-11"), ("D6", "hl-1", "homes", "2022-11"),
        ("E6", "hl-2", "homes", "2022-11"),
    ]  # fmt: skip
    dry = import_values(rows, user=manager, dry_run=True)
    assert (dry.ok, dry.stored) == (True, 5) and not Result.objects.exists()
    report = import_values(rows, user=manager)
    assert report.stored == 5
    assert _stored(road) == {"hl-1": Decimal("1.8"), "hl-2": Decimal("2.5"), "hl-3": Decimal("0.8")}
    assert _stored(homes) == {"hl-1": Decimal("1250"), "hl-2": Decimal("12")}


def test_a_wrong_cell_is_named_with_its_field_and_nothing_is_stored(setup):
    commune, villages, road, homes, form, manager = setup
    data = write_template(manager, form, commune, parse_period("2022-11"))
    rows = read_template(_filled(data, {"D5": "1,8", "E6": "2,5"}))
    report = import_values(rows, user=manager)
    assert [(e.row, e.field) for e in report.errors] == [("E6", "value")]
    assert "Hộ chỉnh trang" in report.errors[0].message
    assert not Result.objects.exists()


def test_a_unit_the_user_may_not_report_for_is_named(setup):
    commune, villages, road, homes, form, manager = setup
    reporter = make_user("thon1", unit=villages[0], role=Role.REPORTER)
    data = write_template(manager, form, commune, parse_period("2022-11"))
    rows = read_template(_filled(data, {"D5": "1", "E5": "2"}))
    report = import_values(rows, user=reporter)
    assert [(e.row, e.field) for e in report.errors] == [("E5", "unit")]
    assert "Thôn 2" in report.errors[0].message
    assert not Result.objects.exists()


def test_bad_files_are_refused_in_vietnamese(setup):
    commune, villages, road, homes, form, manager = setup
    with pytest.raises(SheetError, match="không phải bảng tính"):
        read_template(b"ten,gia\n1,2\n")
    with pytest.raises(SheetError, match="không phải bảng tính"):
        read_template(b"x" * MAX_UPLOAD)  # at the limit: read, then refused as not XLSX
    with pytest.raises(SheetError, match="quá lớn"):
        read_template(b"x" * (MAX_UPLOAD + 1))
    plain = io.BytesIO()
    Workbook().save(plain)
    with pytest.raises(SheetError, match="không phải mẫu nhập"):
        read_template(plain.getvalue())
    other = define_form(
        code="khac", name="Biểu khác", reviewer=commune, period_type="month",
        deadline_rule="next-month:5", indicators=[(road, "")], reporter_kind=UnitKind.VILLAGE,
    )  # fmt: skip
    data = write_template(manager, other, commune, parse_period("2022-11"))
    with pytest.raises(
        SheetError, match="mẫu của biểu «khac», không phải biểu «Báo cáo tháng NTM»"
    ):
        read_template(data, form=form)
    assert read_template(data, form=other) == []  # the right form, nothing typed
