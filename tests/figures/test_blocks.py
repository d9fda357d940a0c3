"""Quarter, half-year and year subtotals (`figures.blocks`, issue 20): the blocks the
PostgreSQL triggers keep equal the monthly subtotals pooled per block, after any writes,
deletes, a rebuild and concurrent writers; and months pooled through them give the figures
the definition gives."""

import re
import threading
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import make_indicator, make_unit
from tests.figures.test_subtotals import apply, build_tree, standing_entries
from xaso.figures.batch import Write, write_results
from xaso.figures.blocks import cover
from xaso.figures.models import BlockSubtotal, Result, ResultStatus, Subtotal
from xaso.figures.selectors import rollup
from xaso.figures.services import delete_result, record_result
from xaso.figures.subtotals import rebuild
from xaso.org.models import UnitKind
from xaso.periods import parse_period

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="blocks are kept by PostgreSQL triggers"
)


def _months(year: int, first: int, last: int) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(first, last + 1)]


# ---- which blocks pool which months -----------------------------------------------------


@pytest.mark.parametrize(
    ("months", "blocks", "left"),
    [
        (["2024-01"], [], ["2024-01"]),
        (["2024-02", "2024-01"], [], ["2024-01", "2024-02"]),
        (_months(2024, 1, 3), ["2024-Q1"], []),
        (_months(2024, 1, 5), ["2024-Q1"], ["2024-04", "2024-05"]),
        (_months(2024, 1, 6), ["2024-H1"], []),
        (_months(2024, 1, 9), ["2024-H1", "2024-Q3"], []),
        (_months(2024, 1, 11), ["2024-H1", "2024-Q3"], ["2024-10", "2024-11"]),
        (_months(2024, 1, 12), ["2024"], []),
        # Quarters not aligned on a half: April–September is Q2 and Q3, not a half.
        (_months(2024, 4, 9), ["2024-Q2", "2024-Q3"], []),
        (_months(2024, 2, 11), ["2024-Q2", "2024-Q3"],
         ["2024-02", "2024-03", "2024-10", "2024-11"]),
        (_months(2024, 7, 12), ["2024-H2"], []),
        # Across years: each year's blocks, the years in order.
        (_months(2024, 11, 12) + _months(2025, 1, 3), ["2025-Q1"], ["2024-11", "2024-12"]),
        ([m for y in range(2021, 2026) for m in _months(y, 1, 12)],
         ["2021", "2022", "2023", "2024", "2025"], []),
    ],
)  # fmt: skip
def test_the_blocks_and_months_that_pool_a_set_of_months(months, blocks, left):
    assert cover(months) == (blocks, left)


@pytest.mark.parametrize(
    "months",
    [
        ["2024", "2024-01"],
        ["2024-H1"],
        ["2024-Q2", "2024-06"],
        ["2024-W05"],
        ["2024-01", "2024-01"],
    ],
)
def test_anything_but_distinct_months_is_left_to_the_monthly_rows(months):
    assert cover(months) is None


# ---- the oracle: monthly subtotal rows pooled in Python -----------------------------------


def _blocks_of(year: str, month: int) -> list[str]:
    return [year, f"{year}-H{1 if month <= 6 else 2}", f"{year}-Q{(month - 1) // 3 + 1}"]


def _blocks_oracle() -> dict:
    """(block, path, indicator) → (total, reporting, estimated, own months, months, lowest,
    highest): the block's months' subtotal rows, as standings, summed — and their least and
    greatest taken."""
    kept: dict[tuple, list] = defaultdict(lambda: [Decimal(0), 0, 0, 0, 0, None, None])
    for row in Subtotal.objects.all():
        month = re.fullmatch(r"(\d{4})-(\d{2})", row.period)
        if not month:
            continue
        own = row.own_value is not None
        parts = (
            row.own_value if own else row.total,
            1 if own else row.reporting,
            int(row.own_estimated) if own else row.estimated,
            int(own),
            1,
        )
        low, high = (row.own_value, row.own_value) if own else (row.low, row.high)
        for block in _blocks_of(month[1], int(month[2])):
            sums = kept[(block, row.unit_path, row.indicator_id)]
            for index, part in enumerate(parts):
                sums[index] += part
            sums[5] = low if sums[5] is None else min(sums[5], low)
            sums[6] = high if sums[6] is None else max(sums[6], high)
    return {
        key: (v[0].normalize(), *v[1:5], v[5].normalize(), v[6].normalize())
        for key, v in kept.items()
    }


def _block_rows() -> dict:
    rows = {}
    for row in BlockSubtotal.objects.all():
        sums = (row.total.normalize(), row.reporting, row.estimated, row.own_periods, row.periods)
        if row.periods == 0:  # every month of it lost its standing: all zero, not shown
            assert sums == (Decimal(0), 0, 0, 0, 0), row
            continue
        key = (row.period, row.unit_path, row.indicator_id)
        rows[key] = (*sums, row.low.normalize(), row.high.normalize())
    return rows


# ---- kept right by every write --------------------------------------------------------------

MONTHS = ["2022-01", "2022-03", "2022-04", "2022-07", "2023-01"]
WINDOWS = [
    ["2022-03", "2022-04"],  # months only
    _months(2022, 1, 3),  # a quarter
    _months(2022, 1, 4),  # a quarter and a month
    [*_months(2022, 1, 12), "2023-01"],  # a year and a month of the next
    _months(2022, 4, 9),  # two quarters, not a half
]
RULES = ["sum", "avg", "min", "max"]

operation = st.tuples(
    st.integers(0, 7),  # unit (build_tree: province, district, two communes, villages, group)
    st.integers(0, len(RULES) - 1),  # indicator
    st.integers(0, len(MONTHS) - 1),  # month
    st.one_of(st.none(), st.integers(0, 40).map(lambda n: Decimal(n) / 2)),  # None: delete
    st.booleans(),  # estimated
)


def _pooled_expected(unit, units, own_by_month: list[dict], rule: str) -> tuple | None:
    """(value, estimated, reporting) of the months pooled, by the definition: the entries of
    every month's standing together (sum, average, min, max over them); reporting is 1 when
    the unit's own value stands in every month that has a standing."""
    entries, own_months, months = [], 0, 0
    for own in own_by_month:
        found = standing_entries(unit, units, own)
        if found:
            months += 1
            own_months += unit.path in own
            entries += found
    if not entries:
        return None
    values = [value for value, _ in entries]
    combined = {
        "sum": sum(values),
        "avg": sum(values) / len(values),
        "min": min(values),
        "max": max(values),
    }[rule]
    reporting = 1 if own_months == months else len(entries)
    return (combined, any(estimated for _, estimated in entries), reporting)


@on_postgresql
@pytest.mark.django_db
def test_blocks_equal_their_months_pooled_and_pooled_figures_the_definition():
    units = build_tree()
    indicators = [make_indicator(f"r-{rule}", unit="m", rollup=rule) for rule in RULES]

    @settings(max_examples=20, deadline=None)
    @given(st.lists(operation, min_size=1, max_size=25))
    def check(operations):
        with transaction.atomic():
            apply(operations, units, indicators, [parse_period(code) for code in MONTHS])
            assert _block_rows() == _blocks_oracle()
            for window in WINDOWS:
                for indicator in indicators:
                    own_by_month = [
                        {
                            r.unit_path: (r.value, r.status == ResultStatus.ESTIMATED)
                            for r in Result.objects.filter(period=code, indicator=indicator)
                        }
                        for code in window
                    ]
                    months = [parse_period(code) for code in window]
                    for unit in units:
                        figure = rollup(unit, months[-1], [indicator], months=months)
                        got = figure.figures.get(indicator.pk)
                        got = got and (got.value, got.estimated, got.reporting)
                        expected = _pooled_expected(unit, units, own_by_month, indicator.rollup)
                        assert got == expected, (unit, indicator.rollup, window)
            rebuild()
            assert _block_rows() == _blocks_oracle()
            transaction.set_rollback(True)

    check()


@on_postgresql
@pytest.mark.django_db
def test_a_year_pooled_is_the_years_block():
    province = make_unit("Tỉnh", UnitKind.PROVINCE, code="P")
    commune = make_unit("Xã", UnitKind.COMMUNE, province, code="C")
    village = make_unit("Thôn", UnitKind.VILLAGE, commune, code="V")
    road = make_indicator("road", unit="km")
    for month in range(1, 13):
        record_result(
            unit=village, indicator=road, period=parse_period(f"2024-{month:02d}"), value=2
        )
    year = [parse_period(f"2024-{month:02d}") for month in range(1, 13)]

    found = rollup(province, year[-1], [road], months=year)

    assert (found.figures[road.pk].value, found.figures[road.pk].reporting) == (24, 12)
    row = BlockSubtotal.objects.get(unit_path=province.path, period="2024", indicator=road)
    assert (row.total, row.reporting, row.periods) == (24, 12, 12)
    # Deleting June takes it away from the second quarter, the first half and the year.
    delete_result(unit=village, indicator=road, period=parse_period("2024-06"))
    totals = dict(
        BlockSubtotal.objects.filter(unit_path=province.path).values_list("period", "total")
    )
    assert totals == {
        "2024": 22, "2024-H1": 10, "2024-H2": 12,
        "2024-Q1": 6, "2024-Q2": 4, "2024-Q3": 6, "2024-Q4": 6,
    }  # fmt: skip


@on_postgresql
@pytest.mark.parametrize(
    ("values", "gone", "low", "high", "total"),
    [
        ((10, 50, 30), "2024-02", 10, 30, 40),  # the month that held the maximum
        ((50, 10, 30), "2024-02", 30, 50, 80),  # the one that held the minimum
        ((10, 50, 30), "2024-03", 10, 50, 60),  # neither
    ],
)
def test_a_month_taken_away_narrows_its_blocks_to_the_months_left(
    db, values, gone, low, high, total
):
    """The province's Q1 row after one month's only result is deleted: its subtotal row goes,
    and the block's least and greatest are those of the two months left."""
    province = make_unit("Tỉnh", UnitKind.PROVINCE, code="P")
    commune = make_unit("Xã", UnitKind.COMMUNE, province, code="C")
    village = make_unit("Thôn", UnitKind.VILLAGE, commune, code="V")
    road = make_indicator("road", unit="km")
    for month, value in enumerate(values, start=1):
        record_result(
            unit=village, indicator=road, period=parse_period(f"2024-{month:02d}"), value=value
        )
    delete_result(unit=village, indicator=road, period=parse_period(gone))

    row = BlockSubtotal.objects.get(unit_path=province.path, period="2024-Q1", indicator=road)
    assert (row.low, row.high, row.periods, row.total) == (low, high, 2, total)
    assert _block_rows() == _blocks_oracle()


# ---- concurrent writers of different months -------------------------------------------------


@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_batches_of_different_months_and_units_in_opposite_orders_all_save():
    """Two batches at once (two imports, say), each writing villages of two communes in two
    months, in opposite orders: they meet on the communes' and the province's blocks (both
    months are in one quarter). Every flush refreshes unit by unit, and every statement
    locks block rows in one order,
    so both save (no deadlock) and the rows add up. (A transaction that flushes more than
    once — writes not gathered in one `deferred()` — may deadlock; every write service
    gathers its writes: see figures.blocks.)"""
    province = make_unit("Tỉnh", UnitKind.PROVINCE, code="P")
    villages = []
    for c in range(2):
        commune = make_unit(f"Xã {c}", UnitKind.COMMUNE, province, code=f"C{c}")
        villages.append(make_unit(f"Thôn {c}", UnitKind.VILLAGE, commune, code=f"V{c}"))
    road = make_indicator("road", unit="km")
    jan, feb = parse_period("2024-01"), parse_period("2024-02")
    plans = [[(villages[0], jan), (villages[1], feb)], [(villages[1], jan), (villages[0], feb)]]
    barrier, errors = threading.Barrier(2), []

    def write(plan, rounds=15):
        try:
            for n in range(rounds):
                barrier.wait(timeout=30)
                value = Decimal(n + 1)
                write_results(
                    [Write(v, road, month, value, "final", str(value)) for v, month in plan]
                )
        except Exception as error:
            errors.append(error)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(plan,)) for plan in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert _block_rows() == _blocks_oracle()
    quarter = BlockSubtotal.objects.get(unit_path=province.path, period="2024-Q1")
    assert (quarter.total, quarter.reporting, quarter.periods) == (60, 4, 2)
