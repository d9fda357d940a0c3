"""Figures through the 2025 reorganisation (issue 22): a unit asked for a period before it
existed answers from its predecessors; nothing recorded on an old unit changes."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import make_indicator, make_unit
from xaso import cli
from xaso.figures.lineage import combine
from xaso.figures.models import Result
from xaso.figures.partials import Figure
from xaso.figures.selectors import unit_overview
from xaso.figures.services import record_result
from xaso.org.models import Lineage, OrgUnit, UnitKind
from xaso.periods import parse_period

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 7, 1)


@pytest.fixture
def reform():
    return build_reform()


def build_reform() -> dict:
    """Old Hà Linh (A) and Điền Mỹ (B) merge into today's Hà Linh (N); old C is divided,
    a quarter to N and three quarters to today's M. The units by code."""
    province = make_unit("Hà Tĩnh", UnitKind.PROVINCE, code="42")
    district = make_unit("Hương Khê", UnitKind.DISTRICT, province, code="hk")
    old = {
        code: make_unit(name, UnitKind.COMMUNE, district, code=code)
        for code, name in [("a", "Hà Linh"), ("b", "Điền Mỹ"), ("c", "Phúc Đồng")]
    }
    new = {
        code: make_unit(name, UnitKind.COMMUNE, province, code=code)
        for code, name in [("n", "Hà Linh"), ("m", "Hương Bình")]
    }
    OrgUnit.objects.filter(code__in=["hk", "a", "b", "c"]).update(valid_to=dt.date(2025, 6, 30))
    OrgUnit.objects.filter(code__in=["n", "m"]).update(valid_from=DAY)
    links = [("a", "n", "merge", "1"), ("b", "n", "merge", "1"), ("c", "n", "split", "0.25"),
             ("c", "m", "split", "0.75")]  # fmt: skip
    for old_code, new_code, kind, share in links:
        Lineage.objects.create(
            predecessor=old[old_code], successor=new[new_code], kind=kind, date=DAY,
            share=Decimal(share),
        )  # fmt: skip
    units = {**old, **new}
    return {code: OrgUnit.objects.get(code=code) for code in units}


def _enter(units, indicator, values, period="2022"):
    for code, value in values.items():
        record_result(unit=units[code], indicator=indicator, period=period, value=value)


def test_a_sum_indicator_adds_the_predecessors_by_their_shares(reform):
    revenue = make_indicator("thu-ngan-sach", unit="trieu_dong", rollup="sum")
    _enter(reform, revenue, {"a": "1000", "b": "600", "c": "400"})
    before = list(Result.objects.order_by("pk").values_list("unit__code", "period", "value"))

    overview = unit_overview(reform["n"], parse_period("2022"))
    [line] = overview.lines

    assert line.figure.value == Decimal(1700)  # 1.000 + 600 + ¼ × 400
    assert line.via.words == "tính từ 3 xã cũ: Hà Linh, Điền Mỹ, Phúc Đồng (một phần 25,0%)"
    [other] = unit_overview(reform["m"], parse_period("2022")).lines
    assert other.figure.value == Decimal(300)  # ¾ × 400: nothing of C lost or doubled
    # Nothing recorded changed; the old unit still shows its own figure.
    assert (
        list(Result.objects.order_by("pk").values_list("unit__code", "period", "value")) == before
    )
    [old_line] = unit_overview(reform["a"], parse_period("2022")).lines
    assert old_line.figure.value == Decimal(1000) and old_line.via is None


def test_after_the_reform_the_new_units_own_figures_stand(reform):
    revenue = make_indicator("thu", unit="trieu_dong", rollup="sum")
    _enter(reform, revenue, {"a": "1000"}, period="2022")
    _enter(reform, revenue, {"n": "77"}, period="2026")
    [line] = unit_overview(reform["n"], parse_period("2026")).lines
    assert (line.figure.value, line.via) == (Decimal(77), None)


def test_an_average_weighs_by_share_and_values_and_min_ignores_shares(reform):
    rate = make_indicator("ty-le", unit="percent", rollup="avg")
    low = make_indicator("thap-nhat", unit="percent", rollup="min")
    _enter(reform, rate, {"a": "10", "b": "20", "c": "40"})
    _enter(reform, low, {"a": "10", "b": "20", "c": "5"})
    lines = {
        line.indicator.code: line for line in unit_overview(reform["n"], parse_period("2022")).lines
    }
    # (10 × 1 + 20 × 1 + 40 × 0,25) / (1 + 1 + 0,25) = 40 / 2,25
    assert (
        lines["ty-le"].figure.value
        == (Decimal(40) / Decimal("2.25")).quantize(Decimal("0.000001")).normalize()
    )
    assert lines["thap-nhat"].figure.value == Decimal(5)


def test_xaso_show_marks_the_rows_computed_through_lineage(capsys, reform):
    revenue = make_indicator("thu-ngan-sach", unit="trieu_dong", rollup="sum")
    _enter(reform, revenue, {"a": "1000", "b": "600"})

    assert cli.main(["show", "n", "--period", "2022", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)["rows"]

    assert (row["result"], row["via_lineage"]) == (1600, True)
    assert row["sources"] == [
        {"unit": "Xã Hà Linh", "code": "a", "share": 1, "result": 1000},
        {"unit": "Xã Điền Mỹ", "code": "b", "share": 1, "result": 600},
        {"unit": "Xã Phúc Đồng", "code": "c", "share": 0.25, "result": None},
    ]


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.integers(0, 10**9), min_size=1, max_size=5),
    cuts=st.lists(st.integers(1, 999), min_size=1, max_size=4),
)
def test_a_split_neither_loses_nor_doubles_a_value(values, cuts):
    """One predecessor divided among successors by shares adding up to 1: the successors'
    sums add up to the predecessor's value (the oracle: plain arithmetic)."""
    total = sum(cuts)
    shares = [Decimal(cut) / total for cut in cuts]
    shares[-1] = Decimal(1) - sum(shares[:-1])
    for value in values:
        figure = Figure(Decimal(value), False, True, 1)
        parts = [combine([(figure, share)], "sum").value for share in shares]
        assert abs(sum(parts) - Decimal(value)) <= Decimal("0.000001") * len(shares)


def test_a_role_on_the_new_commune_reads_its_predecessors_and_nothing_else(client, reform):
    from tests.factories import make_user
    from xaso.org import policy
    from xaso.org.models import Role

    other = make_unit("Khác", UnitKind.COMMUNE, OrgUnit.objects.get(code="hk"), code="d")
    village = make_unit("Thôn 1", UnitKind.VILLAGE, reform["b"], code="b-1")
    village.valid_to = dt.date(2025, 6, 30)  # it ended with its commune
    village.save()
    officer = make_user("xa-moi", unit=reform["n"], role=Role.VIEWER)
    neighbour = make_user("xa-ben", unit=reform["m"], role=Role.VIEWER)

    assert policy.can_read(officer, reform["a"]) and policy.can_read(officer, reform["b"])
    assert policy.can_read(officer, village)  # an ended unit below a predecessor
    assert policy.can_read(officer, reform["c"])  # a part of C went into N
    assert not policy.can_read(officer, other) and not policy.can_read(officer, reform["m"])
    assert not policy.can_read(neighbour, reform["a"])
    client.force_login(officer)
    assert client.get("/units/b/").status_code == 200
    assert client.get("/units/d/").status_code in (403, 404)
