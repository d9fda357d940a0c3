"""The import core: every row checked first, all or nothing, a row-by-row report."""

from decimal import Decimal

import pytest

from tests.factories import make_commune_tree, make_indicator, make_user
from xaso.exchange.values import MAX_ROWS, ValueRow, import_values
from xaso.figures.models import Result, ResultChange, Subtotal
from xaso.figures.services import record_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    province, district, commune, villages = make_commune_tree()
    road = make_indicator("road", name="Đường bê tông", unit="km")
    homes = make_indicator("homes", name="Hộ chỉnh trang", unit="ho")
    return commune, villages, road, homes


def _values(commune, indicator, period="2022-11"):
    return dict(
        Result.objects.filter(indicator=indicator, period=period).values_list("unit__code", "value")
    )


def test_rows_are_stored_in_the_indicators_unit_with_the_commune_total(tree):
    commune, villages, road, homes = tree
    rows = [
        ValueRow(2, "hl-1", "road", "2022-11", "1,5"),
        ValueRow(3, "hl-2", "road", "2022-11", "800 m"),
        ValueRow(4, "hl-1", "homes", "2022-11", "12"),
    ]
    report = import_values(rows, user=None)
    assert report.to_json() == {
        "rows": 3, "stored": 3, "unchanged": 0, "errors": [], "dry_run": False,
    }  # fmt: skip
    assert _values(commune, road) == {"hl-1": Decimal("1.5"), "hl-2": Decimal("0.8")}
    subtotal = Subtotal.objects.get(unit_path=commune.path, indicator=road, period="2022-11")
    assert (subtotal.total, subtotal.reporting) == (Decimal("2.3"), 2)  # 1,5 km + 800 m
    assert ResultChange.objects.filter(channel="import").count() == 3


def test_the_same_file_twice_stores_once(tree):
    commune, villages, road, homes = tree
    rows = [
        ValueRow(2, "hl-1", "road", "2022-11", "1,5"),
        ValueRow(3, "hl-2", "road", "2022-11", "2"),
    ]
    import_values(rows)
    again = import_values(rows)
    assert (again.stored, again.unchanged) == (0, 2)
    assert ResultChange.objects.count() == 2


def test_one_wrong_row_stores_nothing_and_every_wrong_row_is_named(tree):
    commune, villages, road, homes = tree
    rows = [
        ValueRow(2, "hl-1", "road", "2022-11", "1,5"),
        ValueRow(3, "hl-9", "road", "2022-11", "2"),
        ValueRow(4, "hl-2", "nope", "2022-11", "2"),
        ValueRow(5, "hl-2", "road", "2022-13", "2"),
        ValueRow(6, "hl-2", "homes", "2022-11", "2,5"),
        ValueRow(7, "hl-3", "road", "2022-11", "5 hộ"),
        ValueRow(8, "hl-3", "homes", "2022-11", ""),
    ]
    report = import_values(rows)
    assert [(e.row, e.field) for e in report.errors] == [
        (3, "unit"), (4, "indicator"), (5, "period"), (6, "value"), (7, "value"), (8, "value"),
    ]  # fmt: skip
    assert "hl-9" in report.errors[0].message
    assert "nguyên" in report.errors[3].message  # 2,5 households
    assert report.stored == 0
    assert not Result.objects.exists()


def test_a_figure_given_twice_with_two_values_is_refused_once_with_one_value_is_fine(tree):
    commune, villages, road, homes = tree
    same = [
        ValueRow(2, "hl-1", "road", "2022-11", "1,5"),
        ValueRow(9, "hl-1", "road", "2022-11", "1500 m"),
    ]
    report = import_values(same)
    assert (report.stored, report.unchanged, report.errors) == (1, 1, [])
    clash = [
        ValueRow(2, "hl-2", "road", "2022-11", "1"),
        ValueRow(9, "hl-2", "road", "2022-11", "2"),
    ]
    report = import_values(clash)
    assert [(e.row, e.field) for e in report.errors] == [(9, "value")]
    assert "dòng 2" in report.errors[0].message
    assert _values(commune, road) == {"hl-1": Decimal("1.5")}


def test_a_user_records_only_for_units_under_their_role(tree):
    commune, villages, road, homes = tree
    head = make_user("head", unit=villages[0])
    rows = [
        ValueRow(2, "hl-1", "road", "2022-11", "1"),
        ValueRow(3, "hl-2", "road", "2022-11", "2"),
    ]
    report = import_values(rows, user=head)
    assert [(e.row, e.field) for e in report.errors] == [(3, "unit")]
    assert "không có quyền" in report.errors[0].message
    assert not Result.objects.exists()
    assert import_values(rows[:1], user=head).stored == 1


def test_a_dry_run_reports_and_stores_nothing(tree):
    commune, villages, road, homes = tree
    record_result(unit=villages[0], indicator=road, period="2022-11", value="1")
    rows = [
        ValueRow(2, "hl-1", "road", "2022-11", "1"),
        ValueRow(3, "hl-2", "road", "2022-11", "2"),
    ]
    report = import_values(rows, dry_run=True)
    assert (report.stored, report.unchanged, report.dry_run) == (1, 1, True)
    assert _values(commune, road) == {"hl-1": Decimal("1")}


def test_an_approved_figure_needs_a_reason(tree):
    commune, villages, road, homes = tree
    result = record_result(unit=villages[0], indicator=road, period="2022-11", value="1")
    Result.objects.filter(pk=result.pk).update(approved=True)
    rows = [
        ValueRow(2, "hl-2", "road", "2022-11", "3"),
        ValueRow(3, "hl-1", "road", "2022-11", "2"),
    ]
    report = import_values(rows)
    assert [(e.row, e.field) for e in report.errors] == [(3, "value")]
    assert "lý do" in report.errors[0].message
    assert _values(commune, road) == {"hl-1": Decimal("1")}  # hl-2 rolled back too
    assert import_values(rows, correction="Sai số liệu thôn").stored == 2


def test_too_many_rows_are_refused_before_reading_them(tree):
    row = ValueRow(2, "hl-1", "road", "2022-11", "1")
    assert import_values([row] * MAX_ROWS).errors == []
    report = import_values([row] * (MAX_ROWS + 1))
    assert [(e.row, e.field) for e in report.errors] == [(0, "file")]
    assert "200.000" in report.errors[0].message
