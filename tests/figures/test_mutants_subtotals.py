"""Subtotal rows and standings worked out by hand on a small tree (mutants of
xaso.figures.subtotals): each column of each row, pooled and not, own values and estimates."""

from decimal import Decimal

import pytest
from django.db import transaction

from tests.factories import make_indicator, make_unit
from xaso.figures.models import ResultStatus, Subtotal
from xaso.figures.partials import Partial, Standing
from xaso.figures.services import delete_result, record_result
from xaso.figures.subtotals import (
    children_of,
    deferred,
    depth_of,
    rebuild,
    refresh,
    standings,
    unit_at,
)
from xaso.org.models import UnitKind

JAN, FEB = "2022-01", "2022-02"
EST = ResultStatus.ESTIMATED


@pytest.fixture
def tree():
    """p ─ d ─ c1 ─ v1 ─ g1, c1 ─ v2; p ─ c2 ─ v3 (as in test_subtotals.py)."""
    p = make_unit("Tỉnh", UnitKind.PROVINCE, code="p")
    d = make_unit("Huyện", UnitKind.DISTRICT, p, code="d")
    c1 = make_unit("Xã Một", UnitKind.COMMUNE, d, code="c1")
    c2 = make_unit("Xã Hai", UnitKind.COMMUNE, p, code="c2")
    v1 = make_unit("Thôn 1", UnitKind.VILLAGE, c1, code="v1")
    v2 = make_unit("Thôn 2", UnitKind.VILLAGE, c1, code="v2")
    v3 = make_unit("Thôn 3", UnitKind.VILLAGE, c2, code="v3")
    g1 = make_unit("Tổ 1", UnitKind.HOUSEHOLD_GROUP, v1, code="g1")
    return {u.code: u for u in (p, d, c1, c2, v1, v2, v3, g1)}


def rows(indicator) -> dict:
    """{(period, unit path): (total, reporting, low, high, estimated, own, own estimated)}"""
    found = {}
    for row in Subtotal.objects.filter(indicator=indicator):
        own = None if row.own_value is None else row.own_value.normalize()
        found[(row.period, row.unit_path)] = (
            row.total.normalize(),
            row.reporting,
            row.low.normalize(),
            row.high.normalize(),
            row.estimated,
            own,
            row.own_estimated,
        )
        assert row.unit_depth == depth_of(row.unit_path)
    return found


def by_code(found: dict, tree: dict) -> dict:
    code_of = {unit.path: code for code, unit in tree.items()}
    return {(period, code_of[path]): value for (period, path), value in found.items()}


def fill(tree, indicator):
    record_result(unit=tree["g1"], indicator=indicator, period=JAN, value="2")
    record_result(unit=tree["v2"], indicator=indicator, period=JAN, value="3", status=EST)
    record_result(unit=tree["v3"], indicator=indicator, period=JAN, value="5")
    record_result(unit=tree["c1"], indicator=indicator, period=JAN, value="40")
    record_result(unit=tree["v3"], indicator=indicator, period=FEB, value="7", status=EST)


D = Decimal
EXPECTED = {
    # (total, reporting, low, high, estimated, own value, own estimated)
    (JAN, "v1"): (D(2), 1, D(2), D(2), 0, None, False),
    (JAN, "c1"): (D(5), 2, D(2), D(3), 1, D(40), False),  # its own 40 stands above it
    (JAN, "d"): (D(40), 1, D(40), D(40), 0, None, False),
    (JAN, "c2"): (D(5), 1, D(5), D(5), 0, None, False),
    (JAN, "p"): (D(45), 2, D(5), D(40), 0, None, False),
    (FEB, "c2"): (D(7), 1, D(7), D(7), 1, None, False),
    (FEB, "p"): (D(7), 1, D(7), D(7), 1, None, False),
}


@pytest.mark.django_db
def test_every_write_keeps_each_column_of_each_row(tree):
    trees = make_indicator("cay", unit="cay")
    fill(tree, trees)
    assert by_code(rows(trees), tree) == EXPECTED


@pytest.mark.django_db
def test_a_rebuild_makes_the_same_rows_and_counts_them(tree):
    trees = make_indicator("cay", unit="cay")
    fill(tree, trees)
    Subtotal.objects.all().delete()
    assert rebuild() == len(EXPECTED)
    assert by_code(rows(trees), tree) == EXPECTED


@pytest.mark.django_db
def test_a_rebuild_of_nothing_is_nothing():
    assert rebuild() == 0


@pytest.mark.django_db
def test_an_own_value_that_goes_uncovers_the_subtotal_below(tree):
    trees = make_indicator("cay", unit="cay")
    fill(tree, trees)
    delete_result(unit=tree["c1"], indicator=trees, period=JAN)
    got = by_code(rows(trees), tree)
    assert got[(JAN, "c1")] == (D(5), 2, D(2), D(3), 1, None, False)
    assert got[(JAN, "d")] == (D(5), 2, D(2), D(3), 1, None, False)
    assert got[(JAN, "p")] == (D(10), 3, D(2), D(5), 1, None, False)


@pytest.mark.django_db
def test_an_estimated_own_value_is_counted_as_estimated_above(tree):
    trees = make_indicator("cay", unit="cay")
    record_result(unit=tree["v3"], indicator=trees, period=JAN, value="5")
    record_result(unit=tree["c2"], indicator=trees, period=JAN, value="9", status=EST)
    got = by_code(rows(trees), tree)
    assert got[(JAN, "c2")] == (D(5), 1, D(5), D(5), 0, D(9), True)
    assert got[(JAN, "p")] == (D(9), 1, D(9), D(9), 1, None, False)


@pytest.mark.django_db
def test_other_indicators_and_periods_are_left_alone(tree):
    trees, houses = make_indicator("cay", unit="cay"), make_indicator("nha", unit="nha")
    fill(tree, trees)
    record_result(unit=tree["v3"], indicator=houses, period=JAN, value="1")
    assert by_code(rows(trees), tree) == EXPECTED
    assert by_code(rows(houses), tree) == {
        (JAN, "c2"): (D(1), 1, D(1), D(1), 0, None, False),
        (JAN, "p"): (D(1), 1, D(1), D(1), 0, None, False),
    }


@pytest.mark.django_db
def test_a_refresh_of_one_unit_remakes_only_its_rows(tree):
    trees = make_indicator("cay", unit="cay")
    fill(tree, trees)
    Subtotal.objects.filter(period=JAN, unit_path__in=[tree["c1"].path, tree["p"].path]).delete()
    refresh(tree["c1"].path, JAN, [trees.pk])
    got = by_code(rows(trees), tree)
    assert got[(JAN, "c1")] == EXPECTED[(JAN, "c1")]
    assert (JAN, "p") not in got
    refresh(tree["p"].path, JAN, [trees.pk])
    assert by_code(rows(trees), tree) == EXPECTED


@pytest.mark.django_db
def test_writes_inside_deferred_refresh_once_at_the_end(tree):
    trees = make_indicator("cay", unit="cay")
    with transaction.atomic(), deferred() as pending:
        with deferred() as inner:
            assert inner is pending
            record_result(unit=tree["v3"], indicator=trees, period=JAN, value="5")
        assert not Subtotal.objects.exists()  # not yet: at the end of the outer one
    got = by_code(rows(trees), tree)
    assert got == {
        (JAN, "c2"): (D(5), 1, D(5), D(5), 0, None, False),
        (JAN, "p"): (D(5), 1, D(5), D(5), 0, None, False),
    }


@pytest.mark.django_db
def test_pending_units_are_the_ancestors_and_the_unit_unless_a_leaf(tree):
    trees = make_indicator("cay", unit="cay")
    with transaction.atomic(), deferred() as pending:
        pending.add(tree["v1"].path, JAN, [trees.pk])
        pending.add(tree["v3"].path, JAN, [trees.pk], leaf=True)
        keys = dict(pending.keys)
        pending.keys.clear()
    paths = {path for _, path in keys}
    assert paths == {tree[c].path for c in ("v1", "c1", "d", "p", "c2")}
    assert all(ids == {trees.pk} for ids in keys.values())


@pytest.mark.django_db
def test_standings_of_one_period(tree):
    trees = make_indicator("cay", unit="cay")
    fill(tree, trees)
    got = standings([unit_at(tree["p"].path)], [JAN], [trees.pk])
    assert got == {(tree["p"].path, trees.pk): Standing(Partial(D(45), 2, D(5), D(40), 0), 1, 0)}
    # A unit's own value stands for it.
    got = standings([unit_at(tree["c1"].path)], [JAN], [trees.pk])
    assert got == {(tree["c1"].path, trees.pk): Standing(Partial(D(40), 1, D(40), D(40), 0), 1, 1)}
    # A unit with no subtotal row: its own result.
    got = standings([unit_at(tree["v2"].path)], [JAN], [trees.pk])
    assert got == {(tree["v2"].path, trees.pk): Standing(Partial(D(3), 1, D(3), D(3), 1), 1, 1)}


@pytest.mark.django_db
def test_standings_of_the_children_and_of_several_scopes(tree):
    trees = make_indicator("cay", unit="cay")
    fill(tree, trees)
    got = standings([children_of(tree["c1"].path)], [JAN], [trees.pk])
    assert got == {
        (tree["v1"].path, trees.pk): Standing(Partial(D(2), 1, D(2), D(2), 0), 1, 0),
        (tree["v2"].path, trees.pk): Standing(Partial(D(3), 1, D(3), D(3), 1), 1, 1),
    }
    got = standings([unit_at(tree["c1"].path), children_of(tree["c1"].path)], [JAN], [trees.pk])
    assert set(got) == {(tree[c].path, trees.pk) for c in ("c1", "v1", "v2")}
    # Children of p: d (depth 2) and c2 (depth 2), not c1 (depth 3).
    got = standings([children_of(tree["p"].path)], [JAN], [trees.pk])
    assert set(got) == {(tree[c].path, trees.pk) for c in ("d", "c2")}


@pytest.mark.django_db
def test_standings_pooled_over_periods(tree):
    trees = make_indicator("cay", unit="cay")
    fill(tree, trees)
    got = standings([unit_at(tree["p"].path)], [JAN, FEB], [trees.pk])
    assert got == {(tree["p"].path, trees.pk): Standing(Partial(D(52), 3, D(5), D(40), 1), 2, 0)}
    got = standings([unit_at(tree["v3"].path)], [JAN, FEB], [trees.pk])
    assert got == {(tree["v3"].path, trees.pk): Standing(Partial(D(12), 2, D(5), D(7), 1), 2, 2)}
    got = standings([unit_at(tree["c1"].path)], [JAN, FEB], [trees.pk])
    assert got == {(tree["c1"].path, trees.pk): Standing(Partial(D(40), 1, D(40), D(40), 0), 1, 1)}


@pytest.mark.django_db
def test_standings_of_no_indicator_or_period_are_empty(tree):
    trees = make_indicator("cay", unit="cay")
    fill(tree, trees)
    assert standings([unit_at(tree["p"].path)], [JAN], []) == {}
    assert standings([unit_at(tree["p"].path)], ["2023-01"], [trees.pk]) == {}


@pytest.mark.django_db
def test_decimals_come_back_to_six_places(tree):
    length = make_indicator("duong", unit="m")
    record_result(unit=tree["v3"], indicator=length, period=JAN, value="0,1")
    record_result(unit=tree["v2"], indicator=length, period=JAN, value="0,2")
    got = standings([unit_at(tree["p"].path)], [JAN], [length.pk])
    (standing,) = got.values()
    assert standing.partial.total == D("0.3")
    assert standing.partial.total.as_tuple().exponent >= -6
    assert (standing.partial.low, standing.partial.high) == (D("0.1"), D("0.2"))


@pytest.mark.django_db
def test_standings_of_a_unit_whose_own_value_is_estimated(tree):
    trees = make_indicator("cay", unit="cay")
    record_result(unit=tree["v3"], indicator=trees, period=JAN, value="5")
    record_result(unit=tree["c2"], indicator=trees, period=JAN, value="9", status=EST)
    got = standings([unit_at(tree["c2"].path)], [JAN], [trees.pk])
    assert got == {(tree["c2"].path, trees.pk): Standing(Partial(D(9), 1, D(9), D(9), 1), 1, 1)}
    got = standings([unit_at(tree["c2"].path)], [JAN, FEB], [trees.pk])
    assert got == {(tree["c2"].path, trees.pk): Standing(Partial(D(9), 1, D(9), D(9), 1), 1, 1)}
    # Not estimated below an own final value.
    record_result(unit=tree["v3"], indicator=trees, period=FEB, value="4", status=EST)
    record_result(unit=tree["c2"], indicator=trees, period=FEB, value="6")
    got = standings([unit_at(tree["c2"].path)], [FEB], [trees.pk])
    assert got == {(tree["c2"].path, trees.pk): Standing(Partial(D(6), 1, D(6), D(6), 0), 1, 1)}


@pytest.mark.django_db
def test_an_own_result_stands_in_a_period_where_its_unit_has_no_subtotal(tree):
    trees, houses = make_indicator("cay", unit="cay"), make_indicator("nha", unit="nha")
    record_result(unit=tree["v1"], indicator=trees, period=JAN, value="8")
    record_result(unit=tree["g1"], indicator=trees, period=FEB, value="3")  # a v1 row in Feb
    record_result(unit=tree["g1"], indicator=houses, period=JAN, value="2")  # …and for houses
    v1 = tree["v1"].path
    got = standings([unit_at(v1)], [JAN], [trees.pk])
    assert got == {(v1, trees.pk): Standing(Partial(D(8), 1, D(8), D(8), 0), 1, 1)}
    # Pooled: the own result of January and the subtotal of February, added.
    got = standings([unit_at(v1)], [JAN, FEB], [trees.pk])
    assert got == {(v1, trees.pk): Standing(Partial(D(11), 2, D(3), D(8), 0), 2, 1)}
