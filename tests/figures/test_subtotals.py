"""Subtotals kept by every write equal a rebuild from the results, and roll-ups read right."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import make_indicator, make_unit
from xaso.figures.models import Result, ResultStatus, Subtotal
from xaso.figures.selectors import rollup
from xaso.figures.services import delete_result, enter_unit_figures, record_result
from xaso.figures.subtotals import rebuild
from xaso.org.models import OrgUnit, UnitKind
from xaso.periods import parse_period

MONTHS = [parse_period("2022-01"), parse_period("2022-02")]
RULES = ["sum", "avg", "min", "max", "none"]


def build_tree() -> list[OrgUnit]:
    """A province with a district (the old shape) and a commune directly under it (the new),
    villages, and a household group under one village: five depths."""
    province = make_unit("Tỉnh", UnitKind.PROVINCE, code="p")
    district = make_unit("Huyện", UnitKind.DISTRICT, province, code="d")
    first = make_unit("Xã Một", UnitKind.COMMUNE, district, code="c1")
    second = make_unit("Xã Hai", UnitKind.COMMUNE, province, code="c2")
    villages = [
        make_unit("Thôn 1", UnitKind.VILLAGE, first, code="v1"),
        make_unit("Thôn 2", UnitKind.VILLAGE, first, code="v2"),
        make_unit("Thôn 3", UnitKind.VILLAGE, second, code="v3"),
    ]
    group = make_unit("Tổ 1", UnitKind.HOUSEHOLD_GROUP, villages[0], code="g1")
    return [province, district, first, second, *villages, group]


def snapshot() -> set[tuple]:
    return {
        (
            row.period,
            row.unit_path,
            row.indicator_id,
            row.total.normalize(),
            row.reporting,
            row.low.normalize(),
            row.high.normalize(),
            row.estimated,
            None if row.own_value is None else row.own_value.normalize(),
            row.own_estimated,
        )
        for row in Subtotal.objects.all()
    }


def standing_entries(unit: OrgUnit, units: list[OrgUnit], own: dict) -> list[tuple]:
    """The definition, computed the slow way with plain lists: the (value, estimated) entries
    a unit's standing stands on — its own if it has one, else its children's, recursively."""
    if unit.path in own:
        return [own[unit.path]]
    entries = []
    for child in units:
        if child.depth == unit.depth + 1 and child.path.startswith(unit.path):
            entries += standing_entries(child, units, own)
    return entries


def expected_figure(unit, units, own, rule) -> tuple | None:
    """(value, estimated, reporting) by plain sum/min/max/len over the entries, or None."""
    if unit.path in own:  # an own value stands as it is, whatever the rule
        value, estimated = own[unit.path]
        return (value, estimated, 1)
    entries = standing_entries(unit, units, own)
    if rule == "none" or not entries:  # never aggregated; or nothing below
        return None
    values = [value for value, _ in entries]
    combined = {
        "sum": sum(values),
        "avg": sum(values) / len(values),
        "min": min(values),
        "max": max(values),
    }[rule]
    return (combined, any(estimated for _, estimated in entries), len(entries))


operation = st.tuples(
    st.integers(0, 7),  # unit
    st.integers(0, len(RULES) - 1),  # indicator
    st.integers(0, 1),  # month
    st.one_of(st.none(), st.integers(0, 40).map(lambda n: Decimal(n) / 2)),  # None: delete
    st.booleans(),  # estimated
)


def apply(operations, units, indicators, months) -> None:
    """Each (unit, indicator, month, value or None to delete, estimated) written."""
    for unit_index, indicator_index, month_index, value, estimated in operations:
        unit, indicator = units[unit_index], indicators[indicator_index]
        month = months[month_index]
        if value is None:
            delete_result(unit=unit, indicator=indicator, period=month)
            continue
        status = ResultStatus.ESTIMATED if estimated else ResultStatus.FINAL
        record_result(unit=unit, indicator=indicator, period=month, value=value, status=status)


@pytest.mark.django_db
def test_subtotals_equal_a_rebuild_and_roll_ups_follow_the_definition_after_any_writes():
    units = build_tree()
    # Metres, not households: the values come in halves, and a count must be whole.
    indicators = [make_indicator(f"x-{rule}", unit="m", rollup=rule) for rule in RULES]

    @settings(max_examples=40, deadline=None)
    @given(st.lists(operation, min_size=1, max_size=25))
    def check(operations):
        with transaction.atomic():
            apply(operations, units, indicators, MONTHS)
            kept = snapshot()
            rebuild()
            assert snapshot() == kept
            for month in MONTHS:
                own = {
                    (r.unit_path, r.indicator_id): (r.value, r.status == ResultStatus.ESTIMATED)
                    for r in Result.objects.filter(period=month.code)
                }
                for indicator in indicators:
                    mine = {path: v for (path, i), v in own.items() if i == indicator.pk}
                    for unit in units:
                        figure = rollup(unit, month, [indicator]).figures.get(indicator.pk)
                        expected = expected_figure(unit, units, mine, indicator.rollup)
                        got = figure and (figure.value, figure.estimated, figure.reporting)
                        assert got == expected, (unit, indicator)
            transaction.set_rollback(True)

    check()


@pytest.mark.django_db
def test_a_sheet_refreshes_each_level_once(django_assert_max_num_queries):
    units = build_tree()
    group = units[-1]
    indicators = [make_indicator(f"i{n}", unit="ho") for n in range(8)]
    entries = {indicator: ("5", ResultStatus.FINAL) for indicator in indicators}

    # Per value: lock, write, audit (+ savepoints); per level above (5 levels, group to
    # province): children's standings (2), own results, delete, insert — not per value.
    with django_assert_max_num_queries(8 * 6 + 5 * 5 + 2):
        enter_unit_figures(unit=group, period=MONTHS[0], entries=entries)

    province_rows = Subtotal.objects.filter(unit_path=units[0].path, period="2022-01")
    assert sorted(row.total for row in province_rows) == [Decimal(5)] * 8


@pytest.mark.django_db
def test_an_own_figure_is_copied_into_its_units_subtotal_and_removed_with_it():
    units = build_tree()
    province, district, first = units[0], units[1], units[2]
    trees = make_indicator("cay", unit="cay")
    record_result(unit=units[4], indicator=trees, period=MONTHS[0], value="3")
    record_result(unit=first, indicator=trees, period=MONTHS[0], value="40")

    row = Subtotal.objects.get(unit_path=first.path, indicator=trees)
    assert (row.total, row.own_value) == (Decimal(3), Decimal(40))
    assert Subtotal.objects.get(unit_path=district.path, indicator=trees).total == Decimal(40)

    delete_result(unit=first, indicator=trees, period=MONTHS[0])
    assert Subtotal.objects.get(unit_path=first.path, indicator=trees).own_value is None
    assert Subtotal.objects.get(unit_path=province.path, indicator=trees).total == Decimal(3)

    delete_result(unit=units[4], indicator=trees, period=MONTHS[0])
    assert not Subtotal.objects.exists()  # nothing below anything: no rows left


@pytest.mark.django_db(transaction=True)
def test_concurrent_sheets_under_one_province_lose_no_update_and_do_not_deadlock():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite has one writer at a time)")
    province = make_unit("Tỉnh", UnitKind.PROVINCE, code="p")
    communes = [make_unit(f"Xã {n}", UnitKind.COMMUNE, province, code=f"c{n}") for n in (1, 2)]
    villages = [
        make_unit(f"Thôn {n}", UnitKind.VILLAGE, communes[n % 2], code=f"v{n}") for n in range(6)
    ]
    indicators = [make_indicator(f"i{n}", unit="ho") for n in range(4)]
    rounds, start = 8, threading.Barrier(len(villages))
    failures: list[BaseException] = []

    def enter(number: int, village: OrgUnit) -> None:
        # Half the writers list the indicators backwards: the refresh order must not care.
        order = indicators if number % 2 else list(reversed(indicators))
        try:
            start.wait()
            for value in range(1, rounds + 1):
                entries = {indicator: (str(value), ResultStatus.FINAL) for indicator in order}
                enter_unit_figures(unit=village, period="2022-01", entries=entries)
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=enter, args=(n, village)) for n, village in enumerate(villages)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    figures = rollup(province, MONTHS[0], indicators)
    for indicator in indicators:
        assert figures.figures[indicator.pk].value == Decimal(rounds * len(villages))
    kept = snapshot()
    rebuild()
    assert snapshot() == kept
