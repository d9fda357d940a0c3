"""Targets through the 2025 reorganisation (issue 22): a unit asked for a period before it
existed is measured against its predecessors' targets, combined by the same rules as figures;
a target recorded on an old unit stays as recorded. Expected values are worked out here from
the raw values inserted."""

import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import make_indicator, make_unit
from tests.figures.test_lineage_figures import reform  # noqa: F401 (the fixture)
from xaso import cli
from xaso.figures.models import Target
from xaso.figures.selectors import unit_overview
from xaso.figures.services import record_result, set_target
from xaso.org.models import Lineage, OrgUnit, UnitKind
from xaso.periods import parse_period

pytestmark = pytest.mark.django_db
PLAN = "district_plan"


def _percent(value, target) -> Decimal:
    return (Decimal(value) * 100 / Decimal(target)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _setup(units, indicator, results, targets, period="2022"):
    for code, value in results.items():
        record_result(unit=units[code], indicator=indicator, period=period, value=value)
    for code, value in targets.items():
        set_target(unit=units[code], indicator=indicator, period=period, source=PLAN, value=value)


def test_the_new_communes_2022_target_is_its_predecessors_by_their_shares(reform):  # noqa: F811
    revenue = make_indicator("thu-ngan-sach", unit="trieu_dong", rollup="sum")
    _setup(
        reform,
        revenue,
        results={"a": "1000", "b": "600", "c": "400"},
        targets={"a": "2000", "b": "1000", "c": "800"},
    )
    before = list(Target.objects.order_by("pk").values_list("unit__code", "period", "value"))

    [line] = unit_overview(reform["n"], parse_period("2022")).lines
    [item] = line.achievements

    plan = Decimal(2000) + Decimal(1000) + Decimal(800) / 4  # 3.200
    assert item.target.value == plan
    assert item.target.source == PLAN and item.target.period == "2022"
    result = Decimal(1000) + Decimal(600) + Decimal(400) / 4  # 1.700
    assert item.percent == _percent(result, plan)  # 53,1%
    assert item.via.words == "tính từ 3 xã cũ: Hà Linh, Điền Mỹ, Phúc Đồng (một phần 25,0%)"
    # Today's Hương Bình took the other ¾ of Phúc Đồng's plan.
    [other] = unit_overview(reform["m"], parse_period("2022")).lines
    assert other.achievements[0].target.value == Decimal(800) * 3 / 4
    # Nothing saved, nothing changed; the old unit still has its own target as recorded.
    assert (
        list(Target.objects.order_by("pk").values_list("unit__code", "period", "value")) == before
    )
    [old] = unit_overview(reform["a"], parse_period("2022")).lines
    [own] = old.achievements
    assert (own.target.value, own.via, own.percent) == (Decimal(2000), None, _percent(1000, 2000))


def test_a_predecessor_without_the_target_is_named_and_left_out_of_both_sides(reform):  # noqa: F811
    revenue = make_indicator("thu", unit="trieu_dong", rollup="sum")
    # All three reported; only Hà Linh and Điền Mỹ had a district plan.
    _setup(
        reform,
        revenue,
        results={"a": "900", "b": "300", "c": "400"},
        targets={"a": "1000", "b": "500"},
    )
    [line] = unit_overview(reform["n"], parse_period("2022")).lines
    [item] = line.achievements

    assert line.figure.value == Decimal(900 + 300 + 100)  # the figure: all three
    assert item.target.value == Decimal(1500)
    # Measured like with like: the figure of the two that had the plan, 1.200 of 1.500 = 80%,
    # not the three's 1.300 (86,7%).
    assert item.percent == _percent(900 + 300, 1500) == Decimal("80.0")
    assert item.via.words == (
        "tính từ 2 xã cũ: Hà Linh, Điền Mỹ (Phúc Đồng không có kế hoạch này; "
        "mức đạt tính trên số của Hà Linh, Điền Mỹ)"
    )


def test_no_predecessor_with_a_target_gives_no_target(reform):  # noqa: F811
    revenue = make_indicator("thu", unit="trieu_dong", rollup="sum")
    _setup(reform, revenue, results={"a": "900"}, targets={})
    [line] = unit_overview(reform["n"], parse_period("2022")).lines
    assert line.figure.value == Decimal(900) and line.achievements == []


def test_the_units_own_target_stands_and_after_the_reform_nothing_comes_through(reform):  # noqa: F811
    revenue = make_indicator("thu", unit="trieu_dong", rollup="sum")
    _setup(reform, revenue, results={"a": "900"}, targets={"a": "1000", "n": "5000"})
    [line] = unit_overview(reform["n"], parse_period("2022")).lines
    [item] = line.achievements
    assert (item.target.value, item.via) == (Decimal(5000), None)

    _setup(reform, revenue, results={}, targets={"a": "1000"}, period="2026")
    assert unit_overview(reform["n"], parse_period("2026")).lines == []


def test_a_month_is_measured_against_the_predecessors_year_plan(reform):  # noqa: F811
    revenue = make_indicator("thu", unit="trieu_dong", rollup="sum")
    _setup(reform, revenue, results={}, targets={"a": "1200", "b": "600"})
    _setup(reform, revenue, results={"a": "100", "b": "50"}, targets={}, period="2022-06")
    [line] = unit_overview(reform["n"], parse_period("2022-06")).lines
    [item] = line.achievements
    assert (item.target.period, item.target.value) == ("2022", Decimal(1800))
    assert item.percent == _percent(150, 1800)


def test_xaso_show_json_marks_the_target_and_its_sources(capsys, reform):  # noqa: F811
    revenue = make_indicator("thu-ngan-sach", unit="trieu_dong", rollup="sum")
    _setup(reform, revenue, results={"a": "1000", "b": "600"}, targets={"a": "2000"})

    assert cli.main(["show", "n", "--period", "2022", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)["rows"]
    [target] = row["targets"]

    assert (target["value"], target["percent"], target["via_lineage"]) == (2000, 50, True)
    assert target["lineage"] == (
        "tính từ 1 xã cũ: Hà Linh (Điền Mỹ, Phúc Đồng không có kế hoạch này; "
        "mức đạt tính trên số của Hà Linh)"
    )
    assert target["sources"] == [
        {"unit": "Xã Hà Linh", "code": "a", "share": 1, "value": 2000},
        {"unit": "Xã Điền Mỹ", "code": "b", "share": 1, "value": None},
        {"unit": "Xã Phúc Đồng", "code": "c", "share": 0.25, "value": None},
    ]


def test_the_unit_page_shows_the_plan_and_where_it_came_from(admin_client, reform):  # noqa: F811
    revenue = make_indicator("thu-ngan-sach", unit="trieu_dong", rollup="sum")
    _setup(reform, revenue, results={"a": "1000", "b": "600"}, targets={"a": "2000", "b": "2000"})
    page = admin_client.get("/units/n/?period=2022").content.decode()
    assert "4.000" in page and "40,0%" in page  # 1.600 of 4.000
    assert "↳ Tính từ 2 xã cũ: Hà Linh, Điền Mỹ" in page
    assert "/units/n/history/" not in page  # the new unit has no history of its own then


@settings(max_examples=25, deadline=None)
@given(
    plan=st.integers(0, 10**9),
    cuts=st.lists(st.integers(1, 999), min_size=1, max_size=4),
)
def test_a_divided_communes_plan_is_neither_lost_nor_doubled(plan, cuts):
    """A predecessor's target divided among successors by shares adding up to 1: the
    successors' targets, as unit_overview gives them, add up to it (the oracle: plain
    arithmetic)."""
    total = sum(cuts)
    # Stored to six places (Lineage.share), the last taking the rest: exactly 1 in all.
    shares = [(Decimal(cut) / total).quantize(Decimal("0.000001")) for cut in cuts]
    shares[-1] = Decimal(1) - sum(shares[:-1])
    with transaction.atomic():
        province = make_unit("Tỉnh", UnitKind.PROVINCE, code="p")
        old = make_unit("Cũ", UnitKind.COMMUNE, province, code="old")
        OrgUnit.objects.filter(pk=old.pk).update(valid_to=dt.date(2025, 6, 30))
        revenue = make_indicator("thu", unit="trieu_dong", rollup="sum")
        set_target(unit=old, indicator=revenue, period="2022", source=PLAN, value=plan)
        got = []
        for index, share in enumerate(shares):
            new = make_unit(f"Mới {index}", UnitKind.COMMUNE, province, code=f"new{index}")
            OrgUnit.objects.filter(pk=new.pk).update(valid_from=dt.date(2025, 7, 1))
            Lineage.objects.create(
                predecessor=old, successor=new, kind="split", date=dt.date(2025, 7, 1),
                share=share,
            )  # fmt: skip
            new.refresh_from_db()
            [line] = unit_overview(new, parse_period("2022")).lines
            got.append(line.achievements[0].target.value)
        assert abs(sum(got) - Decimal(plan)) <= Decimal("0.000001") * len(shares)
        transaction.set_rollback(True)


def test_a_revised_predecessor_plan_is_combined_as_revised_and_as_first_set(reform):  # noqa: F811
    revenue = make_indicator("thu", unit="trieu_dong", rollup="sum")
    _setup(reform, revenue, results={"a": "1000", "b": "600"}, targets={"a": "2000", "b": "1000"})
    set_target(
        unit=reform["a"], indicator=revenue, period="2022", source=PLAN, value="2500",
        revision=True,
    )  # fmt: skip
    [line] = unit_overview(reform["n"], parse_period("2022")).lines
    [item] = line.achievements

    # As revised: 2.500 + 1.000; as first set: 2.000 + 1.000 (Điền Mỹ's was never revised).
    assert (item.target.value, item.target.original_value) == (Decimal(3500), Decimal(3000))
    assert item.percent == _percent(1600, 3500)
    assert item.original_percent == _percent(1600, 3000)
