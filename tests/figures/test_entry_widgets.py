"""The entry sheet's widgets write their HTML directly (issue 20): the same markup as Django's
widget templates, every value escaped."""

import re

from django import forms

from xaso.figures.forms import HiddenBox, StatusSelect, TextBox
from xaso.figures.models import ResultStatus


def _same(html: str) -> str:
    return re.sub(r"\s*\n\s*", "", html)


def test_boxes_write_what_the_templates_write():
    attrs = {"inputmode": "decimal", "autocomplete": "off"}
    for value in ("", None, "1.234,5", "<b>\"x\" & 'y'</b>", 3750):
        extra = {"id": "id_v_a", "maxlength": "60", "aria-invalid": "true", "required": False}
        assert TextBox(attrs).render("v_a", value, dict(extra)) == forms.TextInput(attrs).render(
            "v_a", value, dict(extra)
        )
        assert HiddenBox().render("was_a", value, {"id": "x"}) == forms.HiddenInput().render(
            "was_a", value, {"id": "x"}
        )
    for value in ("final", "estimated", "", "<x>"):
        ours = StatusSelect(choices=ResultStatus.choices).render("s_a", value, {"id": "id_s_a"})
        django = forms.Select(choices=ResultStatus.choices).render("s_a", value, {"id": "id_s_a"})
        assert _same(ours) == _same(django)


def test_a_typed_value_is_escaped():
    html = TextBox().render("v_a", '"><script>', {})
    assert 'value="&quot;&gt;&lt;script&gt;"' in html
    assert "<script>" not in html


def test_each_sheet_has_fields_of_its_own(db):
    from tests.factories import make_indicator
    from xaso.figures.forms import EntryForm

    road, homes = make_indicator("road", unit="km"), make_indicator("homes", unit="ho")
    one = EntryForm(indicators=[road, homes], current={})
    other = EntryForm(indicators=[road], current={})
    one.fields["v_road"].widget.attrs["class"] = "x"
    one.fields["v_road"].error_messages["required"] = "x"
    assert "class" not in other.fields["v_road"].widget.attrs
    assert other.fields["v_road"].error_messages["required"] != "x"
    assert one.fields["v_homes"].label == homes.name
    assert other.fields["v_road"].label == road.name
    assert other.fields["s_road"].initial == "final"
