"""A divided commune's part in each successor (issue 22): by the villages that moved, when they
are in xaso and cover it; else by the share the province set for the indicator; else by the
link's share (area). Expected values are worked out here from the raw values entered."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import make_indicator, make_unit
from xaso.figures import over_time
from xaso.figures.lineage import through_lineage
from xaso.figures.selectors import unit_overview
from xaso.figures.services import record_result, set_target
from xaso.org.lineage_shares import set_indicator_shares
from xaso.org.models import Lineage, OrgUnit, UnitKind
from xaso.periods import parse_period

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 7, 1)
ENDED = dt.date(2025, 6, 30)
Y2022 = parse_period("2022")


@pytest.fixture
def reform():
    """Old Hà Linh (a) merges whole into today's Hà Linh (n); old Phúc Đồng (c), with villages
    c1, c2, c3, is divided: a quarter to n and three quarters to today's Hương Bình (m), by
    area. Village c1 moved to n, c2 and c3 to m."""
    province = make_unit("Hà Tĩnh", UnitKind.PROVINCE, code="42")
    district = make_unit("Hương Khê", UnitKind.DISTRICT, province, code="hk")
    a = make_unit("Hà Linh", UnitKind.COMMUNE, district, code="a")
    c = make_unit("Phúc Đồng", UnitKind.COMMUNE, district, code="c")
    villages = {
        f"c{i}": make_unit(f"Phúc {i}", UnitKind.VILLAGE, c, code=f"c{i}") for i in (1, 2, 3)
    }
    n = make_unit("Hà Linh", UnitKind.COMMUNE, province, code="n")
    m = make_unit("Hương Bình", UnitKind.COMMUNE, province, code="m")
    OrgUnit.objects.filter(code__in=["hk", "a", "c", "c1", "c2", "c3"]).update(valid_to=ENDED)
    OrgUnit.objects.filter(code__in=["n", "m"]).update(valid_from=DAY)
    for old, new, kind, share in [(a, n, "merge", "1"), (c, n, "split", "0.25"),
                                  (c, m, "split", "0.75")]:  # fmt: skip
        Lineage.objects.create(
            predecessor=old, successor=new, kind=kind, date=DAY, share=Decimal(share)
        )
    units = {"a": a, "c": c, "n": n, "m": m, **villages}
    return {code: OrgUnit.objects.get(pk=unit.pk) for code, unit in units.items()}


def _move(units, village, to):
    Lineage.objects.create(predecessor=units[village], successor=units[to], kind="move", date=DAY)


def _enter(units, indicator, values, period="2022"):
    for code, value in values.items():
        record_result(unit=units[code], indicator=indicator, period=period, value=value)


def _lines(unit):
    return {line.indicator.code: line for line in unit_overview(unit, Y2022).lines}


def test_the_share_the_province_set_for_an_indicator_is_preferred_to_the_area(reform):
    revenue = make_indicator("thu", unit="trieu_dong")
    households = make_indicator("ho", unit="ho")
    _enter(reform, revenue, {"a": "1000", "c": "400"})
    _enter(reform, households, {"a": "300", "c": "200"})
    set_target(unit=reform["c"], indicator=revenue, period="2022", source="district_plan",
               value="800")  # fmt: skip
    set_indicator_shares(
        predecessor=reform["c"], indicator=revenue, shares={reform["n"]: "0.6", reform["m"]: "0.4"}
    )

    n, m = _lines(reform["n"]), _lines(reform["m"])

    assert n["thu"].figure.value == Decimal(1240)  # 1.000 + 60% × 400
    assert m["thu"].figure.value == Decimal(160)  # 40% × 400
    assert n["thu"].via.words == (
        "tính từ 2 xã cũ: Hà Linh, Phúc Đồng (một phần 60,0%, theo phần tỉnh đặt cho chỉ tiêu này)"
    )
    # The target of the same indicator is divided by the same share: 60% × 800.
    [plan] = n["thu"].achievements
    assert plan.target.value == Decimal(480)
    assert plan.via.words == (
        "tính từ 1 xã cũ: Phúc Đồng (một phần 60,0%, theo phần tỉnh đặt cho chỉ tiêu này) "
        "(Hà Linh không có kế hoạch này; mức đạt tính trên số của Phúc Đồng)"
    )
    assert plan.percent == Decimal("50.0")  # 60% × 400 against 60% × 800
    # Another indicator keeps the area: 300 + 25% × 200.
    assert n["ho"].figure.value == Decimal(350)
    assert n["ho"].via.words == "tính từ 2 xã cũ: Hà Linh, Phúc Đồng (một phần 25,0%)"


def test_a_sum_is_divided_exactly_by_the_villages_that_moved(reform):
    revenue = make_indicator("thu", unit="trieu_dong")
    for village, to in [("c1", "n"), ("c2", "m"), ("c3", "m")]:
        _move(reform, village, to)
    _enter(reform, revenue, {"a": "1000", "c1": "70", "c2": "130", "c3": "200"})
    # A share set for the indicator gives way to the villages' own figures.
    set_indicator_shares(
        predecessor=reform["c"], indicator=revenue, shares={reform["n"]: "0.5", reform["m"]: "0.5"}
    )

    n, m = _lines(reform["n"])["thu"], _lines(reform["m"])["thu"]

    assert n.figure.value == Decimal(1070)  # 1.000 + c1's 70 (by area it would be 1.100)
    assert m.figure.value == Decimal(330)  # c2's 130 + c3's 200
    assert n.via.words == (
        "tính từ 2 xã cũ: Hà Linh, Phúc Đồng (một phần, theo các thôn đã chuyển: Thôn Phúc 1)"
    )
    assert m.via.words == (
        "tính từ 1 xã cũ: Phúc Đồng (một phần, theo các thôn đã chuyển: Thôn Phúc 2, Thôn Phúc 3)"
    )
    assert n.figure.value + m.figure.value == Decimal(1000 + 70 + 130 + 200)


def test_xaso_lineage_move_records_where_the_villages_went_all_or_nothing(reform, capsys):
    from tests.factories import make_user
    from xaso import cli
    from xaso.org.models import Role

    revenue = make_indicator("thu", unit="trieu_dong")
    _enter(reform, revenue, {"c1": "70", "c2": "130", "c3": "200"})
    make_user("xa-n", unit=reform["n"], role=Role.MANAGER)
    moves = ["--village", "c1=n", "--village", "c2=m", "--village", "c3=m"]

    assert cli.main(["lineage-move", "c", *moves, "--as", "xa-n"]) == 2  # not Hương Bình's
    assert "Chỉ người quản lý Xã Hương Bình" in capsys.readouterr().err
    assert cli.main(["lineage-move", "c", *moves[:4], "--village", "a=m"]) == 2
    assert capsys.readouterr().err.strip() == "Xã Hà Linh không thuộc Xã Phúc Đồng."
    assert not Lineage.objects.filter(kind="move").exists()  # nothing half-recorded

    assert cli.main(["lineage-move", "c", *moves]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Đã ghi các thôn của Xã Phúc Đồng chuyển về:",
        "  Thôn Phúc 1 → Xã Hà Linh, 01/07/2025",
        "  Thôn Phúc 2 → Xã Hương Bình, 01/07/2025",
        "  Thôn Phúc 3 → Xã Hương Bình, 01/07/2025",
    ]
    assert _lines(reform["n"])["thu"].figure.value == Decimal(70)
    # Recorded again with c3 going to n instead: moved, not doubled.
    assert cli.main(["lineage-move", "c", "--village", "c3=n"]) == 0
    assert Lineage.objects.filter(kind="move").count() == 3
    assert _lines(reform["n"])["thu"].figure.value == Decimal(270)  # 70 + 200
    assert _lines(reform["m"])["thu"].figure.value == Decimal(130)


@pytest.mark.parametrize("gap", ["unmoved village", "commune's own figure differs", "average"])
def test_villages_that_do_not_cover_the_commune_fall_back_to_the_share(reform, gap):
    rule = "avg" if gap == "average" else "sum"
    indicator = make_indicator("x", unit="trieu_dong", rollup=rule)
    _move(reform, "c1", "n")
    _move(reform, "c2", "m")
    if gap != "unmoved village":
        _move(reform, "c3", "m")
    _enter(reform, indicator, {"c1": "70", "c2": "130", "c3": "200"})
    if gap == "commune's own figure differs":
        _enter(reform, indicator, {"c": "500"})

    [line] = unit_overview(reform["m"], Y2022).lines

    if gap == "average":  # the villages' mean, 400 / 3, one predecessor: the share weighs alone
        assert line.figure.value == (Decimal(400) / 3).quantize(Decimal("0.000001"))
    else:
        whole = Decimal(500 if gap == "commune's own figure differs" else 400)
        assert line.figure.value == whole * 3 / 4
    assert line.via.words == "tính từ 1 xã cũ: Phúc Đồng (một phần 75,0%)"


@pytest.mark.django_db
def test_a_split_neither_loses_nor_doubles_a_value_whichever_way_it_is_divided():
    """Old X divided among 2–4 successors, by area shares, maybe shares set for the indicator,
    maybe villages with figures that moved (all, or not all). The successors' parts add up to
    X's figure: exactly by villages, within the rounding of a share (a millionth each)
    otherwise; and each part is what the oracle below works out from the raw values."""
    province = make_unit("Tỉnh", UnitKind.PROVINCE, code="p")
    district = make_unit("Huyện", UnitKind.DISTRICT, province, code="d")
    revenue = make_indicator("thu", unit="trieu_dong")
    window = over_time.single(Y2022)

    @settings(max_examples=40, deadline=None)
    @given(
        cuts=st.lists(st.integers(1, 999), min_size=2, max_size=4),
        own_cuts=st.one_of(st.none(), st.lists(st.integers(0, 999), min_size=4, max_size=4)),
        villages=st.lists(
            st.tuples(st.integers(0, 10**7), st.one_of(st.none(), st.integers(0, 3))),
            max_size=4,
        ),
        own=st.one_of(st.none(), st.integers(0, 10**9)),
    )
    def check(cuts, own_cuts, villages, own):
        with transaction.atomic():
            old = make_unit("X", UnitKind.COMMUNE, district, code="x")
            news = [make_unit(f"Mới {i}", UnitKind.COMMUNE, province, code=f"n{i}")
                    for i in range(len(cuts))]  # fmt: skip
            OrgUnit.objects.filter(pk__in=[u.pk for u in news]).update(valid_from=DAY)
            shares = _shares(cuts)
            for new, share in zip(news, shares, strict=True):
                Lineage.objects.create(
                    predecessor=old, successor=new, kind="split", date=DAY, share=share
                )
            chosen = None
            if own_cuts is not None and sum(own_cuts[: len(cuts)]):
                chosen = _shares(own_cuts[: len(cuts)])
                set_indicator_shares(
                    predecessor=old, indicator=revenue, shares=dict(zip(news, chosen, strict=True))
                )
            moved_to: dict[int, int] = {}
            for i, (value, to) in enumerate(villages):
                village = make_unit(f"T{i}", UnitKind.VILLAGE, old, code=f"x{i}")
                record_result(unit=village, indicator=revenue, period="2022", value=value)
                if to is not None and to < len(news):
                    Lineage.objects.create(
                        predecessor=village, successor=news[to], kind="move", date=DAY
                    )
                    moved_to[i] = to
            if own is not None:
                record_result(unit=old, indicator=revenue, period="2022", value=own)
            whole = own if own is not None else sum(v for v, _ in villages) if villages else None
            parts = []
            for new in news:
                via = through_lineage(OrgUnit.objects.get(pk=new.pk), window, [revenue])
                parts.append(via[revenue.pk].figure.value if via else None)

            # The oracle: plain arithmetic on the values entered.
            if whole is None:
                assert parts == [None] * len(news)
            elif (
                villages and len(moved_to) == len(villages) and whole == sum(v for v, _ in villages)
            ):
                expected = [
                    sum(v for i, (v, _) in enumerate(villages) if moved_to[i] == k)
                    for k in range(len(news))
                ]
                assert parts == expected
                assert sum(parts) == whole
            else:
                used = chosen or shares
                expected = [(Decimal(whole) * s).quantize(Decimal("0.000001")) for s in used]
                assert parts == expected
                assert abs(sum(parts) - whole) <= Decimal("0.000001") * len(news)
            transaction.set_rollback(True)

    check()


def _shares(cuts: list[int]) -> list[Decimal]:
    """Cuts as shares of six places adding up to exactly 1, the rounding's rest given to the
    largest (given to the last, it made a share of -0,000001 from cuts 1, 1, 4, 0)."""
    total = sum(cuts)
    shares = [(Decimal(cut) / total).quantize(Decimal("0.000001")) for cut in cuts]
    largest = shares.index(max(shares))
    shares[largest] += Decimal(1) - sum(shares)
    return shares
