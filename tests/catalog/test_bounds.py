"""An indicator's bounds: a rate lies between 0 and 100 unless the indicator says otherwise,
and min_value/max_value limit any value, result or target, on every path that reads one."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.factories import make_commune_tree, make_indicator, make_user
from xaso.catalog.models import Indicator
from xaso.catalog.services import indicator_upsert
from xaso.figures.models import Result, Target
from xaso.figures.services import record_result, set_target, to_indicator_unit
from xaso.org.models import Role

pytestmark = pytest.mark.django_db

NOV = "2022-11"


def refusal(indicator, value) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        to_indicator_unit(indicator, value)
    return refused.value.message_dict["value"]


def test_a_new_indicator_has_no_bounds_of_its_own():
    rate = make_indicator("ho-ngheo", unit="percent")

    rate.refresh_from_db()
    assert (rate.min_value, rate.max_value) == (None, None)
    assert rate.bounds == (None, Decimal(100))
    assert make_indicator("rao", unit="m").bounds == (None, None)


@pytest.mark.parametrize("typed", ["0", "100", "100%", "99,99", "0,5%"])
def test_a_rate_from_0_to_100_is_accepted(typed):
    rate = make_indicator("ho-ngheo", unit="percent")

    assert Decimal(0) <= to_indicator_unit(rate, typed) <= Decimal(100)


@pytest.mark.parametrize("typed", ["100,01", "150", "150%", Decimal("100.000001")])
def test_a_rate_above_100_is_refused_naming_the_limit(typed):
    rate = make_indicator("ho-ngheo", unit="percent")

    assert refusal(rate, typed) == ["Không được lớn hơn 100% (giới hạn của chỉ tiêu này)."]


def test_a_refused_rate_is_neither_recorded_nor_set_as_a_target():
    _, _, commune, villages = make_commune_tree()
    rate = make_indicator("ho-ngheo", unit="percent", rollup="avg")

    with pytest.raises(ValidationError):
        record_result(unit=villages[0], indicator=rate, period=NOV, value="150")
    with pytest.raises(ValidationError):
        set_target(unit=commune, indicator=rate, period="2022", source="annual_plan", value="101")

    assert Result.objects.count() == Target.objects.count() == 0


def test_a_rate_may_exceed_100_when_the_indicator_says_so():
    growth = make_indicator("tang-truong", unit="percent", max_value=Decimal(200))

    assert to_indicator_unit(growth, "150") == Decimal(150)
    assert to_indicator_unit(growth, "200") == Decimal(200)
    assert refusal(growth, "200,5") == ["Không được lớn hơn 200% (giới hạn của chỉ tiêu này)."]


def test_bounds_of_other_units_are_named_with_their_unit():
    households = make_indicator("ho", unit="ho", min_value=Decimal(5), max_value=Decimal(1200))

    assert to_indicator_unit(households, "5") == Decimal(5)
    assert to_indicator_unit(households, "1.200") == Decimal(1200)
    assert refusal(households, "4") == ["Không được nhỏ hơn 5 hộ (giới hạn của chỉ tiêu này)."]
    assert refusal(households, "1.201") == [
        "Không được lớn hơn 1.200 hộ (giới hạn của chỉ tiêu này)."
    ]


def test_a_bound_is_checked_in_the_indicators_unit_after_conversion():
    road = make_indicator("duong", unit="km", max_value=Decimal("2.5"))

    assert to_indicator_unit(road, "2.500 m") == Decimal("2.5")
    assert refusal(road, "2.600 m") == ["Không được lớn hơn 2,5 km (giới hạn của chỉ tiêu này)."]


def test_bounds_must_make_sense():
    with pytest.raises(ValidationError) as upside_down:
        make_indicator("x", unit="m", min_value=Decimal(10), max_value=Decimal(5))
    with pytest.raises(ValidationError) as negative:
        make_indicator("y", unit="m", min_value=Decimal(-1))

    assert list(upside_down.value.message_dict) == ["max_value"]
    assert list(negative.value.message_dict) == ["min_value"]
    assert Indicator.objects.count() == 0


def test_reloading_the_catalog_keeps_bounds_set_since():
    make_indicator("tang-truong", unit="percent", max_value=Decimal(300))

    again = indicator_upsert(code="tang-truong", name="Tăng trưởng", unit="percent")

    assert again.max_value == Decimal(300)


def test_the_entry_sheet_refuses_a_150_percent_poverty_rate():
    _, _, commune, villages = make_commune_tree()
    make_indicator("ho-ngheo", name="Tỷ lệ hộ nghèo", unit="percent", rollup="avg")
    client = Client()
    client.force_login(make_user("officer", unit=commune, role=Role.REPORTER))
    sheet = f"/units/{villages[0].code}/entry/?period={NOV}"

    refused = client.post(sheet, {"period": NOV, "v_ho-ngheo": "150", "s_ho-ngheo": "final"})
    accepted = client.post(sheet, {"period": NOV, "v_ho-ngheo": "100", "s_ho-ngheo": "final"})

    assert refused.status_code == 400
    assert "Không được lớn hơn 100% (giới hạn của chỉ tiêu này)." in refused.content.decode()
    assert accepted.status_code == 302
    assert Result.objects.get().value == Decimal(100)
