"""The groups tests' set-up: a district of four communes with villages, and indicators of
each roll-up rule."""

from decimal import Decimal

import pytest

from tests.factories import make_indicator, make_unit
from xaso.figures.services import record_result
from xaso.org.models import UnitKind

# Village values per commune: three communes of a cluster and one outside it.
VALUES = {
    "xd": [Decimal("12"), Decimal("30")],
    "tt": [Decimal("7.5")],
    "np": [Decimal("40"), Decimal("2"), Decimal("9")],
    "lc": [Decimal("1000")],
}


@pytest.fixture
def district():
    province = make_unit("Thanh Hóa", UnitKind.PROVINCE, code="38")
    district = make_unit("Thường Xuân", UnitKind.DISTRICT, province, code="tx")
    communes = {
        code: make_unit(name, UnitKind.COMMUNE, district, code=code)
        for code, name in [("xd", "Xuân Dương"), ("tt", "Thọ Thanh"), ("np", "Ngọc Phụng")]
    }
    communes["lc"] = make_unit("Luận Thành", UnitKind.COMMUNE, district, code="lc")
    villages = {}
    for code, values in VALUES.items():
        for number, _ in enumerate(values, start=1):
            village = make_unit(
                str(number), UnitKind.VILLAGE, communes[code], code=f"{code}-{number}"
            )
            villages[village.code] = village
    return district, communes, villages


@pytest.fixture
def indicators():
    return {
        rule: make_indicator(f"i-{rule}", unit="ha", rollup=rule)
        for rule in ("sum", "avg", "min", "max")
    }


def enter_values(villages, indicators, period="2022-06"):
    for code, values in VALUES.items():
        for number, value in enumerate(values, start=1):
            for indicator in indicators.values():
                record_result(
                    unit=villages[f"{code}-{number}"],
                    indicator=indicator,
                    period=period,
                    value=value,
                )
