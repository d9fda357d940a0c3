"""DHIS2 dataValueSets as JSON: out, back in to an emptied database, mapped codes, wrong rows
named by their place, and the acting user's scope."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import make_commune_tree, make_indicator, make_user
from xaso.exchange import dhis2
from xaso.exchange.codes import CodeError
from xaso.exchange.models import CodeMapping
from xaso.exchange.values import ValueRow, import_values
from xaso.figures.models import Result, Subtotal
from xaso.org.models import Role
from xaso.periods import parse_period

pytestmark = pytest.mark.django_db
NOV = parse_period("2022-11")


@pytest.fixture
def tree():
    province, district, commune, villages = make_commune_tree()
    make_indicator("road", name="Đường bê tông", unit="km")
    make_indicator("homes", name="Hộ chỉnh trang", unit="ho")
    report = import_values(
        [
            ValueRow(1, "hl-1", "road", "2022-11", "1,5"),
            ValueRow(2, "hl-2", "road", "2022-11", "800 m", status="estimated"),
            ValueRow(3, "hl-1", "homes", "2022-11", "12"),
            ValueRow(4, "hl", "homes", "2022-11", "40"),
            ValueRow(5, "hl-1", "road", "2022-10", "9"),  # another period: never exported
        ]
    )
    assert report.ok
    return district, commune, villages


def figures() -> set:
    return set(
        Result.objects.values_list("unit__code", "indicator__code", "period", "value", "status")
    )


EXPECTED = {
    ("hl", "homes", "2022-11", Decimal("40"), "final"),
    ("hl-1", "homes", "2022-11", Decimal("12"), "final"),
    ("hl-1", "road", "2022-11", Decimal("1.5"), "final"),
    ("hl-2", "road", "2022-11", Decimal("0.8"), "estimated"),  # 800 m in km
}


def empty_the_database():
    Subtotal.objects.all().delete()
    Result.objects.all().delete()


def test_the_json_export_lists_the_subtrees_figures_of_the_period(tree):
    district, commune, villages = tree
    written = dhis2.write_json(dhis2.exported_figures(None, commune, NOV))
    assert json.loads(written) == {
        "dataValues": [
            {"dataElement": "homes", "period": "202211", "orgUnit": "hl", "value": "40"},
            {"dataElement": "homes", "period": "202211", "orgUnit": "hl-1", "value": "12"},
            {"dataElement": "road", "period": "202211", "orgUnit": "hl-1", "value": "1.5"},
            {"dataElement": "road", "period": "202211", "orgUnit": "hl-2", "value": "0.8",
             "comment": "ước đạt"},
        ]
    }  # fmt: skip


def test_json_round_trip_into_an_emptied_database_gives_the_same_figures(tree):
    district, commune, villages = tree
    written = dhis2.write_json(dhis2.exported_figures(None, district, NOV))
    nov = {f for f in figures() if f[2] == "2022-11"}
    assert nov == EXPECTED
    empty_the_database()
    report = dhis2.import_json(written)
    assert report.to_json() == {
        "rows": 4, "stored": 4, "unchanged": 0, "errors": [], "dry_run": False,
    }  # fmt: skip
    assert figures() == EXPECTED
    again = dhis2.import_json(written)
    assert (again.stored, again.unchanged) == (0, 4)


def test_mapped_codes_go_out_and_come_back(tree):
    district, commune, villages = tree
    for kind, xaso, other in [("unit", "hl-1", "OUhl1"), ("unit", "hl", "OUhl"),
                              ("indicator", "road", "DEroad")]:  # fmt: skip
        CodeMapping.objects.create(system="dhis2-ht", kind=kind, xaso_code=xaso, other_code=other)
    written = json.loads(dhis2.write_json(dhis2.exported_figures(None, commune, NOV), "dhis2-ht"))
    pairs = [(v["orgUnit"], v["dataElement"]) for v in written["dataValues"]]
    assert pairs == [("OUhl", "homes"), ("OUhl1", "homes"), ("OUhl1", "DEroad"), ("hl-2", "DEroad")]
    empty_the_database()
    assert dhis2.import_json(json.dumps(written), system="dhis2-ht").stored == 4
    assert figures() == EXPECTED
    empty_the_database()  # without the mapping, OUhl and DEroad mean nothing here
    report = dhis2.import_json(json.dumps(written))
    assert {(e.row, e.field) for e in report.errors} == {
        (1, "unit"), (2, "unit"), (3, "unit"), (3, "indicator"), (4, "indicator"),
    }  # fmt: skip
    assert not Result.objects.exists()


def test_top_level_defaults_and_json_numbers_are_read(tree):
    empty_the_database()
    content = json.dumps(
        {"dataSet": "ds1", "period": "202212", "orgUnit": "hl-3",
         "dataValues": [{"dataElement": "road", "value": 2.25},
                        {"dataElement": "homes", "value": 7, "orgUnit": "hl-2"}]}
    )  # fmt: skip
    assert dhis2.import_json(content).stored == 2
    assert figures() == {
        ("hl-3", "road", "2022-12", Decimal("2.25"), "final"),
        ("hl-2", "homes", "2022-12", Decimal("7"), "final"),
    }


def test_each_wrong_row_is_named_by_its_place_and_nothing_is_stored(tree):
    empty_the_database()
    good = {"dataElement": "road", "period": "202211", "orgUnit": "hl-1", "value": "1"}
    values = [
        good,
        {**good, "orgUnit": "NOPE"},
        {**good, "dataElement": "XX"},
        {**good, "period": "2022S3"},
        {**good, "period": "20221105"},
        {**good, "value": "1,5"},  # a comma: not how DHIS2 writes numbers
        {**good, "categoryOptionCombo": "Prlt0C1RF0s"},
        {**good, "orgUnit": ""},
        {**good, "orgUnit": "hl-2", "value": "-3"},
    ]
    report = dhis2.import_json(json.dumps({"dataValues": values}))
    assert [(e.row, e.field) for e in report.errors] == [
        (2, "unit"),
        (3, "indicator"),
        (4, "period"),
        (5, "period"),
        (6, "value"),
        (7, "categoryOptionCombo"),
        (8, "unit"),
        (9, "value"),
    ]
    assert "NOPE" in report.errors[0].message
    assert "ngày" in report.errors[3].message
    assert report.errors[6].message == "Thiếu mã đơn vị (orgUnit)."
    assert (report.rows, report.stored) == (9, 0)
    assert not Result.objects.exists()


def test_a_file_that_is_not_a_data_value_set_is_refused():
    with pytest.raises(dhis2.FileError, match="dataValues"):
        dhis2.read_json('{"values": []}')
    with pytest.raises(dhis2.FileError, match="JSON"):
        dhis2.read_json("{not json")


def test_a_period_dhis2_has_no_code_for_is_refused_on_export(tree):
    district, commune, villages = tree
    import_values([ValueRow(1, "hl-1", "road", "2022-9M", "4")])
    found = dhis2.exported_figures(None, commune, parse_period("2022-9M"))
    assert len(found) == 1
    with pytest.raises(CodeError, match="9 tháng đầu năm 2022"):
        dhis2.write_json(found)


def test_the_unit_and_its_children_only(tree):
    district, commune, villages = tree
    import_values([ValueRow(1, "hk", "road", "2022-11", "30")])
    codes = {f.unit for f in dhis2.exported_figures(None, district, NOV, children_only=True)}
    assert codes == {"hk", "hl"}  # not the villages, two levels down
    deep = {f.unit for f in dhis2.exported_figures(None, district, NOV)}
    assert deep == {"hk", "hl", "hl-1", "hl-2"}


def test_a_village_head_exports_only_what_they_may_read(tree):
    district, commune, villages = tree
    head = make_user("truong-thon-1", unit=villages[0], role=Role.REPORTER)
    assert {f.unit for f in dhis2.exported_figures(head, villages[0], NOV)} == {"hl-1"}
    with pytest.raises(PermissionDenied):
        dhis2.exported_figures(head, villages[1], NOV)
    with pytest.raises(PermissionDenied):
        dhis2.exported_figures(head, commune, NOV)


def test_a_village_head_cannot_import_for_another_village(tree):
    district, commune, villages = tree
    empty_the_database()
    head = make_user("truong-thon-1", unit=villages[0], role=Role.REPORTER)
    content = json.dumps(
        {"period": "202211", "dataValues": [
            {"dataElement": "road", "orgUnit": "hl-1", "value": "1"},
            {"dataElement": "road", "orgUnit": "hl-2", "value": "2"},
        ]}
    )  # fmt: skip
    report = dhis2.import_json(content, user=head)
    assert [(e.row, e.field) for e in report.errors] == [(2, "unit")]
    assert "không có quyền" in report.errors[0].message
    assert not Result.objects.exists()
    mine = json.dumps({"period": "202211", "dataValues": [json.loads(content)["dataValues"][0]]})
    assert dhis2.import_json(mine, user=head).stored == 1


def test_the_export_reads_one_query_however_many_units(tree, django_assert_num_queries):
    district, commune, villages = tree
    with django_assert_num_queries(1):
        assert len(dhis2.exported_figures(None, district, NOV)) == 4
    head = make_user("can-bo-xa", unit=commune, role=Role.VIEWER)
    with django_assert_num_queries(2):  # the user's roles, then the figures
        assert len(dhis2.exported_figures(head, commune, NOV)) == 4
