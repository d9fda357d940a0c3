"""GET /api/units/{code}/targets?period= for a period before the unit existed (issue 22): its
predecessors' targets of that period and source combined by their shares, marked
`via_lineage` with the sources and `id` null (nothing stored); the unit's own targets and
periods it existed in answer as before."""

from decimal import Decimal

import pytest

from tests.api.test_figures_lineage import _api, reform  # noqa: F401 (the fixture)
from xaso.figures.models import Target
from xaso.figures.services import set_target

pytestmark = pytest.mark.django_db


def _plan(units, code, indicator, value, period="2022", source="district_plan"):
    from xaso.catalog.models import Indicator

    set_target(
        unit=units[code], indicator=Indicator.objects.get(code=indicator), period=period,
        source=source, value=value,
    )  # fmt: skip


def test_the_new_commune_s_2022_plan_is_its_predecessors_by_their_shares(reform):  # noqa: F811
    _plan(reform, "a", "thu", "2000")
    _plan(reform, "c", "thu", "800")  # a quarter of it went to today's Hà Linh
    stored = Target.objects.count()

    response = _api(reform["n"]).get("/api/units/n/targets", period="2022")

    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "id": None,
                "unit": "n",
                "indicator": "thu",
                "period": "2022",
                "source": "district_plan",
                "value": "2200",
                "original_value": None,
                "note": "",
                "via_lineage": True,
                "lineage": (
                    "tính từ 2 xã cũ: Hà Linh, Phúc Đồng (một phần 25,0%) (Điền Mỹ không có "
                    "kế hoạch này; mức đạt tính trên số của Hà Linh, Phúc Đồng)"
                ),
                "sources": [
                    {"unit": "Xã Hà Linh", "code": "a", "share": "1", "value": "2000"},
                    {"unit": "Xã Điền Mỹ", "code": "b", "share": "1", "value": None},
                    {"unit": "Xã Phúc Đồng", "code": "c", "share": "0.25", "value": "800"},
                ],
            }
        ],
        "next": None,
    }
    assert Target.objects.count() == stored  # nothing saved


def test_the_unit_s_own_target_stands_and_a_later_period_is_its_own(reform):  # noqa: F811
    _plan(reform, "a", "thu", "2000")
    _plan(reform, "n", "thu", "5000")
    _plan(reform, "n", "road", "900", period="2026")
    api = _api(reform["n"])

    items = api.get("/api/units/n/targets", period="2022").json()["items"]
    later = api.get("/api/units/n/targets", period="2026").json()["items"]

    assert [(t["indicator"], t["value"], "via_lineage" in t) for t in items] == [
        ("thu", "5000", False)
    ]
    assert [(t["indicator"], t["value"], "via_lineage" in t) for t in later] == [
        ("road", "900", False)
    ]
    assert isinstance(items[0]["id"], int)


def test_another_commune_is_refused(reform):  # noqa: F811
    _plan(reform, "a", "thu", "2000")

    response = _api(reform["m"]).get("/api/units/n/targets", period="2022")

    assert response.status_code == 403
    assert Decimal(2000) == Target.objects.get(unit__code="a").value
