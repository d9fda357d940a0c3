"""Concurrent writers over overlapping subtrees: the subtotal locks are taken in one order.

A write refreshes its unit's and ancestors' subtotals at the end of its transaction, taking a
PostgreSQL advisory lock per (period, unit, indicator) and holding it to the commit. Two
transactions that take two of the same locks in opposite orders deadlock; PostgreSQL's
detector then aborts one of them ("deadlock detected"). These tests make that happen if the
order is not the same in every transaction, and check the order itself on any database.
"""

import random
import threading
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection, transaction

from tests.factories import make_indicator, make_unit
from xaso.figures import subtotals
from xaso.figures.models import Subtotal
from xaso.figures.services import record_result
from xaso.org.models import UnitKind

WRITERS = 6
ROUNDS = 6
MONTHS = ["2022-01", "2022-02"]


def build_tree(writers: int):
    """A province, two districts of two communes each, and in every commune one village per
    writer: each writer owns its villages' results, and shares every ancestor with the rest."""
    province = make_unit("Tỉnh", UnitKind.PROVINCE, code="p")
    districts = [make_unit(f"Huyện {d}", UnitKind.DISTRICT, province, code=f"d{d}") for d in (1, 2)]
    communes = [
        make_unit(f"Xã {c}", UnitKind.COMMUNE, districts[c // 2], code=f"c{c}") for c in range(4)
    ]
    villages = [
        [
            make_unit(f"Thôn {w}-{c}", UnitKind.VILLAGE, commune, code=f"v{w}-{c}")
            for c, commune in enumerate(communes)
        ]
        for w in range(writers)
    ]
    return province, districts, communes, villages


def expected_totals(units: list, written: dict) -> dict:
    """The children's sums every subtotal row must hold, the slow way: {(period, path,
    indicator id): sum of the children's standings}, a standing being the child's own value if
    it has one, else the sum below it."""

    def standing(path: str, period: str, indicator_id: int, depth: int) -> Decimal | None:
        own = written.get((period, path, indicator_id))
        if own is not None:
            return own
        return below(path, period, indicator_id, depth)

    def below(path: str, period: str, indicator_id: int, depth: int) -> Decimal | None:
        values = [
            standing(unit.path, period, indicator_id, unit.depth)
            for unit in units
            if unit.depth == depth + 1 and unit.path.startswith(path)
        ]
        values = [value for value in values if value is not None]
        return sum(values, Decimal(0)) if values else None

    keys = {(period, indicator_id) for period, _, indicator_id in written}
    expected = {}
    for unit in units:
        for period, indicator_id in keys:
            total = below(unit.path, period, indicator_id, unit.depth)
            if total is not None:
                expected[(period, unit.path, indicator_id)] = total
    return expected


@pytest.mark.django_db(transaction=True)
def test_writers_over_overlapping_subtrees_never_deadlock_and_lose_nothing():
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrent writers need PostgreSQL: SQLite has one writer at a time, so no two "
            "transactions ever hold locks together (the order is checked by the test below)"
        )
    province, districts, communes, villages = build_tree(WRITERS)
    indicators = [make_indicator(f"i{n}", unit="ho") for n in range(3)]
    units = [province, *districts, *communes, *(v for row in villages for v in row)]

    barrier = threading.Barrier(WRITERS, timeout=60)
    stop = threading.Event()
    failures: list[BaseException] = []
    committed: dict[tuple, Decimal] = {}  # (period, path, indicator id): last committed value
    lock = threading.Lock()

    def writes_of(writer: int, number: int) -> list[tuple]:
        """One transaction's writes: the writer's own villages under every commune, all
        indicators, in an order of its own; odd writers in both months; the first four also
        write their commune's own value (one writer per commune row: no shared result rows,
        so only the subtotal locks are shared)."""
        value = Decimal(number * 100 + writer)
        writes = [
            (village, indicator, MONTHS[0], value + c)
            for c, village in enumerate(villages[writer])
            for indicator in indicators
        ]
        if writer % 2:
            writes += [
                (village, indicators[writer % 3], MONTHS[1], value) for village in villages[writer]
            ]
        if writer < len(communes):
            writes.append((communes[writer], indicators[0], MONTHS[writer % 2], value + 50))
        random.Random(writer * 1000 + number).shuffle(writes)
        return writes

    def run(writer: int) -> None:
        try:
            for number in range(1, ROUNDS + 1):
                barrier.wait()  # every round, all transactions start together
                if stop.is_set():
                    return
                writes = writes_of(writer, number)
                with transaction.atomic(), subtotals.deferred():
                    for unit, indicator, period, value in writes:
                        record_result(unit=unit, indicator=indicator, period=period, value=value)
                with lock:
                    for unit, indicator, period, value in writes:
                        committed[(period, unit.path, indicator.pk)] = value
        except threading.BrokenBarrierError:
            pass  # another writer failed and broke the barrier: its error is recorded
        except BaseException as error:
            failures.append(error)
            stop.set()
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == [], [str(error) for error in failures]
    assert len(committed) == WRITERS * 4 * 3 + (WRITERS // 2) * 4 + len(communes)

    rows = defaultdict(dict)
    for row in Subtotal.objects.all():
        rows[(row.period, row.unit_path, row.indicator_id)] = row.total
    assert rows == expected_totals(units, committed)
    # Spot check by hand: the province's first indicator in January holds the four communes'
    # own values (the last round's, 600 + writer + 50 for writers 0 and 2 in January) where
    # they have one, else their villages' sums (writers 1 and 3 wrote their communes in
    # February): communes 0 and 2 own, communes 1 and 3 from the villages (600 + w + c).
    villages_of = {c: sum(Decimal(600 + w + c) for w in range(WRITERS)) for c in (1, 3)}
    by_hand = Decimal(650) + Decimal(652) + villages_of[1] + villages_of[3]
    assert rows[(MONTHS[0], province.path, indicators[0].pk)] == by_hand


@pytest.mark.django_db
def test_the_locks_are_taken_deepest_first_then_by_path_period_and_indicator(monkeypatch):
    """Runs on SQLite too: the order `refresh` asks for the locks in, whatever the order of
    the writes in the transaction."""
    province, districts, communes, villages = build_tree(1)
    i0, i1, i2 = (make_indicator(f"i{n}", unit="ho") for n in range(3))
    taken = []
    original = subtotals._lock

    def recording(path, period, indicator_ids):
        taken.append((period, path, list(indicator_ids)))
        original(path, period, indicator_ids)

    monkeypatch.setattr(subtotals, "_lock", recording)
    v0, v1, _, v3 = villages[0]
    with transaction.atomic(), subtotals.deferred():
        record_result(unit=v3, indicator=i2, period="2022-01", value="1")
        record_result(unit=v0, indicator=i0, period="2022-02", value="2")
        record_result(unit=communes[2], indicator=i2, period="2022-01", value="3")
        record_result(unit=v1, indicator=i1, period="2022-01", value="4")
        record_result(unit=v1, indicator=i0, period="2022-01", value="5")

    c0, c1, c2, c3 = (c.path for c in communes)
    d1, d2 = (d.path for d in districts)
    p = province.path
    ids = [i0.pk, i1.pk, i2.pk]
    assert ids == sorted(ids)
    assert taken == [
        # communes (depth 3) by path, each one's months together (they share its quarter,
        # half-year and year rows, figures.blocks)
        ("2022-02", c0, [i0.pk]),
        ("2022-01", c1, [i0.pk, i1.pk]),
        ("2022-01", c2, [i2.pk]),
        ("2022-01", c3, [i2.pk]),
        # districts
        ("2022-01", d1, [i0.pk, i1.pk]),
        ("2022-02", d1, [i0.pk]),
        ("2022-01", d2, [i2.pk]),
        # the province
        ("2022-01", p, ids),
        ("2022-02", p, [i0.pk]),
    ]
