"""A unit's breakdown holds its own children only, never those of a sibling before or after it
(the children are one range of the results' index: both its ends matter)."""

from decimal import Decimal

import pytest

from tests.factories import make_indicator, make_unit
from xaso.figures.selectors import rollup
from xaso.figures.services import record_result
from xaso.org.models import OrgUnit, UnitKind
from xaso.periods import parse_period

pytestmark = pytest.mark.django_db

NOV = "2022-11"


def test_the_breakdown_of_a_middle_commune_leaves_out_its_siblings_villages():
    district = make_unit("Huyện", UnitKind.DISTRICT, code="h")
    roads = make_indicator("duong", unit="m")
    villages = {}
    for n, name in enumerate(["Trước", "Giữa", "Sau"], start=1):  # paths in this order
        commune = make_unit(name, UnitKind.COMMUNE, district, code=f"x{n}")
        for k in (1, 2):
            village = make_unit(f"{name} {k}", UnitKind.VILLAGE, commune, code=f"x{n}-{k}")
            record_result(unit=village, indicator=roads, period=NOV, value=str(100 * n + k))
            villages.setdefault(name, []).append(village)
    middle = OrgUnit.objects.get(code="x2")

    figures = rollup(middle, parse_period(NOV), [roads])

    by_path = {path: found[roads.pk].value for path, found in figures.child_figures.items()}
    assert by_path == {villages["Giữa"][0].path: Decimal(201), villages["Giữa"][1].path: 202}
    assert figures.figures[roads.pk].value == Decimal(201 + 202)
