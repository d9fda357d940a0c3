"""Looking units up by what officers type: codes exactly, names nearest the form's unit first
(its subtree, then its ancestors' subtrees outward, then the country)."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from tests.factories import make_commune_tree, make_unit
from xaso.formkit import NearUnitMixin, UnitsField
from xaso.org.models import UnitKind
from xaso.org.selectors import find_units, resolve_unit_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """Hà Tĩnh > Hương Khê > Hà Linh (villages 1, 2, 3) and Hà Bình (village 1, Cẩm Trang);
    Quảng Trị > Hà Bình (another commune of that name, village 7)."""
    province, district, ha_linh, villages = make_commune_tree()
    ha_binh = make_unit("Hà Bình", UnitKind.COMMUNE, district, code="hb")
    hb_1 = make_unit("1", UnitKind.VILLAGE, ha_binh, code="hb-1")
    cam_trang = make_unit("Cẩm Trang", UnitKind.VILLAGE, ha_binh, code="hb-ct")
    far = make_unit("Quảng Trị", UnitKind.PROVINCE, code="45")
    far_ha_binh = make_unit("Hà Bình", UnitKind.COMMUNE, far, code="qt-hb")
    qt_7 = make_unit("7", UnitKind.VILLAGE, far_ha_binh, code="qt-hb-7")
    return {
        "district": district,
        "hl": ha_linh,
        "hl-1": villages[0],
        "hl-2": villages[1],
        "hb": ha_binh,
        "hb-1": hb_1,
        "hb-ct": cam_trang,
        "qt-hb": far_ha_binh,
        "qt-hb-7": qt_7,
    }


def codes(units) -> list[str]:
    return [unit.code for unit in units]


def test_without_a_context_unit_a_shared_name_matches_every_unit_of_that_name(tree):
    assert codes(find_units("Thôn 1")) == ["hl-1", "hb-1"]
    assert codes(find_units("Hà Bình")) == ["hb", "qt-hb"]


def test_a_name_is_looked_up_inside_the_context_unit_first(tree):
    assert codes(find_units("Thôn 1", near=tree["hl"])) == ["hl-1"]
    assert codes(find_units("thon 1", near=tree["hb"])) == ["hb-1"]


def test_then_inside_each_ancestor_outward(tree):
    # From village 2 of Hà Linh: not below it, so in Hà Linh: its sibling village 1.
    assert codes(find_units("Thôn 1", near=tree["hl-2"])) == ["hl-1"]
    # From Hà Linh: not in Hà Linh, so in the district: the neighbouring Hà Bình, not the
    # Hà Bình of another province; and a village of that neighbour by its name.
    assert codes(find_units("Xã Hà Bình", near=tree["hl"])) == ["hb"]
    assert codes(find_units("Thôn Cẩm Trang", near=tree["hl"])) == ["hb-ct"]


def test_then_the_whole_country(tree):
    assert codes(find_units("Thôn 7", near=tree["hl"])) == ["qt-hb-7"]
    assert find_units("Thôn 99", near=tree["hl"]) == []


def test_at_the_nearest_level_with_a_match_a_shared_name_is_still_ambiguous(tree):
    assert codes(find_units("Thôn 1", near=tree["district"])) == ["hl-1", "hb-1"]


def test_codes_stay_exact_wherever_the_unit_is(tree):
    assert codes(find_units("hb-1", near=tree["hl"])) == ["hb-1"]
    assert codes(find_units("QT-HB", near=tree["hl"])) == ["qt-hb"]


def test_resolve_unit_list_reads_each_name_near_the_context_unit(tree):
    units, errors = resolve_unit_list("Thôn 1; Thôn 2\nhb-1", near=tree["hl"])

    assert (codes(units), errors) == (["hl-1", "hl-2", "hb-1"], [])
    units, errors = resolve_unit_list("Thôn 1")
    assert units == []
    assert errors == ["‘Thôn 1’ khớp với 2 đơn vị, hãy ghi mã (hl-1, hb-1)."]


class PlaceForm(NearUnitMixin, forms.Form):
    places = UnitsField()
    host = UnitsField(single=True, required=False)


def test_a_form_given_near_looks_every_units_field_up_from_there(tree):
    near_hb = PlaceForm({"places": "Thôn 1", "host": "Thôn 1"}, near=tree["hb"])
    anywhere = PlaceForm({"places": "Thôn 1", "host": "Thôn 1"})

    assert near_hb.is_valid(), near_hb.errors
    assert codes(near_hb.cleaned_data["places"]) == ["hb-1"]
    assert near_hb.cleaned_data["host"] == tree["hb-1"]
    assert not anywhere.is_valid()
    assert "khớp với 2 đơn vị" in anywhere.errors["places"][0]
    assert "khớp với 2 đơn vị" in anywhere.errors["host"][0]


def test_a_units_field_may_be_given_its_context_unit_directly(tree):
    field = UnitsField(single=True, near=tree["hl"])

    assert field.clean("Thôn 1") == tree["hl-1"]
    with pytest.raises(ValidationError):
        UnitsField(single=True).clean("Thôn 1")
