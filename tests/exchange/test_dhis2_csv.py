"""DHIS2 dataValueSets as CSV: DHIS2's documented columns, out and back in."""

from decimal import Decimal

import pytest

from tests.exchange.test_dhis2 import EXPECTED, NOV, empty_the_database, figures, tree  # noqa: F401
from xaso.exchange import dhis2
from xaso.figures.models import Result

pytestmark = pytest.mark.django_db

HEADER = ",".join(
    ["dataelement", "period", "orgunit", "catoptcombo", "attroptcombo", "value", "storedby",
     "lastupdated", "comment", "followup"]
)  # fmt: skip


def test_the_csv_export_has_dhis2s_columns_and_one_line_per_figure(tree):  # noqa: F811
    district, commune, villages = tree
    written = dhis2.write_csv(dhis2.exported_figures(None, commune, NOV))
    assert written.splitlines() == [
        HEADER,
        "homes,202211,hl,,,40,,,,",
        "homes,202211,hl-1,,,12,,,,",
        "road,202211,hl-1,,,1.5,,,,",
        "road,202211,hl-2,,,0.8,,,ước đạt,",
    ]


def test_csv_round_trip_into_an_emptied_database_gives_the_same_figures(tree):  # noqa: F811
    district, commune, villages = tree
    written = dhis2.write_csv(dhis2.exported_figures(None, district, NOV))
    empty_the_database()
    report = dhis2.import_csv(written.encode("utf-8"))
    assert (report.rows, report.stored, report.errors) == (4, 4, [])
    assert figures() == EXPECTED


def test_a_csv_without_header_and_with_only_the_first_six_columns_is_read(tree):  # noqa: F811
    empty_the_database()
    report = dhis2.import_csv("road,202212,hl-3,,,2.5\nhomes,2022Q4,hl-3,HllvX50cXC0,,3\n")
    assert report.stored == 2
    assert figures() == {
        ("hl-3", "road", "2022-12", Decimal("2.5"), "final"),
        ("hl-3", "homes", "2022-Q4", Decimal("3"), "final"),
    }


def test_csv_errors_are_named_by_their_line(tree):  # noqa: F811
    empty_the_database()
    content = "\n".join(
        [
            HEADER,
            "road,202211,hl-1,,,1,,,,",
            "road,202211,hl-9,,,1,,,,",  # line 3: no such unit
            "road,2022-11-01,hl-2,,,1,,,,",  # line 4: not a DHIS2 period
            "road,202211,hl-3,,xyz,1,,,,",  # line 5: an attribute combo
            "road,202211,hl-3,,,abc,,,,",  # line 6: not a number
        ]
    )
    report = dhis2.import_csv(content)
    assert [(e.row, e.field) for e in report.errors] == [
        (3, "unit"),
        (4, "period"),
        (5, "attributeOptionCombo"),
        (6, "value"),
    ]
    assert not Result.objects.exists()


def test_a_csv_not_in_utf8_is_refused():
    with pytest.raises(dhis2.FileError, match="UTF-8"):
        dhis2.read_csv("road,202211,hà,,,1".encode("cp1258"))
