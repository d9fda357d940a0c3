"""GET /api/units/{code}/figures for a period before the unit existed (issue 22): the figures
computed from its predecessors, each marked `via_lineage` with its sources — the shape `xaso
show --json` gives — read by a role on the new commune, refused to others as any unit is."""

import json
from decimal import Decimal

import pytest

from tests.api.conftest import Api
from tests.factories import make_indicator, make_user
from tests.figures.test_lineage_figures import build_reform
from xaso import cli
from xaso.api.tokens import create_token
from xaso.figures.models import Result
from xaso.figures.services import record_result
from xaso.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def reform():
    """Old Hà Linh (a) and Điền Mỹ (b) merged into today's Hà Linh (n), which also took a
    quarter of old Phúc Đồng (c); today's Hương Bình (m) took the rest of it."""
    units = build_reform()
    revenue = make_indicator("thu", name="Thu ngân sách", unit="trieu_dong", rollup="sum")
    road = make_indicator("road", name="Đường giao thông", unit="m", rollup="sum")
    for code, value in {"a": "1000", "b": "600", "c": "400"}.items():
        record_result(unit=units[code], indicator=revenue, period="2022", value=value)
    record_result(unit=units["b"], indicator=road, period="2022", value="1.135")
    return units


def _api(unit, role=Role.VIEWER, name="xem"):
    _, secret = create_token(user=make_user(name, unit=unit, role=role), name="khóa")
    return Api(secret)


def test_the_new_commune_reads_its_2022_figures_from_its_predecessors(reform):
    before = list(Result.objects.order_by("pk").values_list("unit__code", "period", "value"))

    response = _api(reform["n"]).get("/api/units/n/figures", period="2022")

    assert response.status_code == 200
    body = response.json()
    assert (body["unit"], body["period"], body["children"]) == ("n", "2022", [])
    assert body["figures"] == [
        {
            "indicator": "road", "value": "1135", "estimated": False, "own": False,
            "reporting": 1, "via_lineage": True,
            "lineage": "tính từ 1 xã cũ: Điền Mỹ",
            "sources": [
                {"unit": "Xã Hà Linh", "code": "a", "share": "1", "result": None},
                {"unit": "Xã Điền Mỹ", "code": "b", "share": "1", "result": "1135"},
                {"unit": "Xã Phúc Đồng", "code": "c", "share": "0.25", "result": None},
            ],
        },
        {
            "indicator": "thu", "value": "1700", "estimated": False, "own": False,  # 1000+600+400/4
            "reporting": 3, "via_lineage": True,
            "lineage": "tính từ 3 xã cũ: Hà Linh, Điền Mỹ, Phúc Đồng (một phần 25,0%)",
            "sources": [
                {"unit": "Xã Hà Linh", "code": "a", "share": "1", "result": "1000"},
                {"unit": "Xã Điền Mỹ", "code": "b", "share": "1", "result": "600"},
                {"unit": "Xã Phúc Đồng", "code": "c", "share": "0.25", "result": "400"},
            ],
        },
    ]  # fmt: skip
    # The other part of Phúc Đồng: ¾ × 400.
    other = _api(reform["m"], name="xem-m").get("/api/units/m/figures", period="2022").json()
    assert [(f["indicator"], f["value"]) for f in other["figures"]] == [("thu", "300")]
    # Nothing stored.
    assert (
        list(Result.objects.order_by("pk").values_list("unit__code", "period", "value")) == before
    )


def test_the_api_and_xaso_show_give_the_same_lineage(reform, capsys):
    body = _api(reform["n"]).get("/api/units/n/figures", period="2022").json()
    assert cli.main(["show", "n", "--period", "2022", "--json"]) == 0
    rows = {row["indicator_code"]: row for row in json.loads(capsys.readouterr().out)["rows"]}

    assert [figure["indicator"] for figure in body["figures"]] == ["road", "thu"]
    for figure in body["figures"]:
        row = rows[figure["indicator"]]
        assert (figure["via_lineage"], figure["lineage"]) == (row["via_lineage"], row["lineage"])
        # The same sources; numbers as each interface writes them (strings in the API).
        assert [
            {**s, "share": Decimal(s["share"]), "result": s["result"] and Decimal(s["result"])}
            for s in figure["sources"]
        ] == [
            {**s, "share": Decimal(str(s["share"])),
             "result": s["result"] and Decimal(str(s["result"]))}
            for s in row["sources"]
        ]  # fmt: skip


def test_a_period_the_unit_existed_in_has_its_own_figures_unmarked(reform):
    from xaso.catalog.models import Indicator

    record_result(unit=reform["n"], indicator=Indicator.objects.get(code="thu"), period="2025",
                  value="2500")  # fmt: skip
    api = _api(reform["n"])

    [own] = api.get("/api/units/n/figures", period="2025").json()["figures"]
    # Not marked: the keys of lineage are on a figure through lineage only (as in xaso show).
    assert own == {
        "indicator": "thu", "value": "2500", "estimated": False, "own": True, "reporting": 1,
    }  # fmt: skip
    # An old commune read for 2022 answers with its own figures, not through lineage.
    old = api.get("/api/units/a/figures", period="2022").json()["figures"]
    assert old == [
        {"indicator": "thu", "value": "1000", "estimated": False, "own": True, "reporting": 1}
    ]


def test_a_reader_of_another_commune_is_refused_as_for_any_unit_it_cannot_see(reform):
    neighbour = _api(reform["m"], name="xem-m")

    refused = neighbour.get("/api/units/n/figures", period="2022")
    other_old = neighbour.get("/api/units/a/figures", period="2022")  # not its predecessor
    unknown = neighbour.get("/api/units/khong-co/figures", period="2022")

    # A unit's code is public: a unit one may not read answers 403, an unknown code 404.
    assert (refused.status_code, other_old.status_code, unknown.status_code) == (403, 403, 404)
    assert refused.json()["error"]["code"] == "forbidden"
    assert "1700" not in refused.content.decode()
