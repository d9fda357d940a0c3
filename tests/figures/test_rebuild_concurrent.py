"""A write made while `rebuild()` runs succeeds and waits only a moment; a large flush is
set-based and gives the same subtotals as the unit-by-unit one (issue 20).

The oracle is a plain GROUP BY over the results, written here on its own: with figures only
on villages, a unit's subtotal is the sum, count, minimum and maximum of every result below
it (a standing of a child is its own subtotal, so the count is of results, not children).
"""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction

from tests.factories import make_indicator, make_unit
from tests.figures.test_blocks import _block_rows, _blocks_oracle
from xaso.figures import subtotals
from xaso.figures.models import BlockSubtotal, Subtotal
from xaso.figures.services import record_result
from xaso.org.models import UnitKind

MONTHS = ["2022-01", "2022-02"]

ORACLE = """
    SELECT r.period, u.path, r.indicator_id, SUM(r.value), COUNT(*), MIN(r.value),
           MAX(r.value), SUM(CASE WHEN r.status = 'estimated' THEN 1 ELSE 0 END)
    FROM figures_result r
    JOIN org_orgunit u ON substr(r.unit_path, 1, length(u.path)) = u.path
        AND r.unit_depth > u.depth
    GROUP BY r.period, u.path, r.indicator_id
"""


def _number(value) -> Decimal:
    return Decimal(str(value)).normalize()


def plain_group_by() -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(ORACLE)
        return {
            (period, path, indicator, _number(total), count, _number(low), _number(high), est)
            for period, path, indicator, total, count, low, high, est in cursor.fetchall()
        }


def kept_subtotals() -> set[tuple]:
    assert not Subtotal.objects.filter(own_value__isnull=False).exists()
    return {
        (
            row.period,
            row.unit_path,
            row.indicator_id,
            _number(row.total),
            row.reporting,
            _number(row.low),
            _number(row.high),
            row.estimated,
        )
        for row in Subtotal.objects.all()
    }


def all_rows() -> set[tuple]:
    return {
        (r.period, r.unit_path, r.indicator_id, _number(r.total), r.reporting, r.estimated, own)
        for r in Subtotal.objects.all()
        for own in [None if r.own_value is None else _number(r.own_value)]
    }


def build_tree(districts: int = 3, communes: int = 2, villages: int = 2):
    """A province, its districts, their communes and villages: one chunk per district."""
    province = make_unit("Tỉnh", UnitKind.PROVINCE, code="p")
    leaves, middle = [], []
    for d in range(districts):
        district = make_unit(f"Huyện {d}", UnitKind.DISTRICT, province, code=f"d{d}")
        middle.append(district)
        for c in range(communes):
            commune = make_unit(f"Xã {d}-{c}", UnitKind.COMMUNE, district, code=f"c{d}-{c}")
            middle.append(commune)
            leaves += [
                make_unit(f"Thôn {d}-{c}-{v}", UnitKind.VILLAGE, commune, code=f"v{d}-{c}-{v}")
                for v in range(villages)
            ]
    return province, middle, leaves


def write_villages(villages, indicators, base: int = 1) -> None:
    with transaction.atomic(), subtotals.deferred():
        for n, village in enumerate(villages):
            for i, indicator in enumerate(indicators):
                for m, month in enumerate(MONTHS):
                    value = Decimal(base + n * 10 + i * 3 + m) / 4
                    record_result(unit=village, indicator=indicator, period=month, value=value)


@pytest.mark.django_db(transaction=True)
def test_a_write_during_a_rebuild_succeeds_at_once_and_the_rebuild_equals_a_group_by(
    monkeypatch,
):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (SQLite: one writer at a time)")
    province, _, villages = build_tree()
    indicators = [make_indicator(f"i{n}") for n in range(2)]
    write_villages(villages, indicators)
    with connection.cursor() as cursor:  # results changed behind the subtotals' back
        cursor.execute("UPDATE figures_result SET value = value + 100")
    assert kept_subtotals() != plain_group_by()

    # One district a rebuild transaction, each held a while: the write lands inside one.
    monkeypatch.setattr(subtotals, "REBUILD_UNITS", 5)
    inside = threading.Event()
    slow_parts = []
    original = subtotals._replace_level

    def slow(cursor, *args, **kwargs):
        original(cursor, *args, **kwargs)
        slow_parts.append(args[0])
        inside.set()
        time.sleep(0.3)

    monkeypatch.setattr(subtotals, "_replace_level", slow)
    failures: list[BaseException] = []
    waited: list[float] = []

    def rebuild() -> None:
        try:
            subtotals.rebuild()
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    def write() -> None:
        try:
            assert inside.wait(30)
            started = time.perf_counter()
            with transaction.atomic():
                # The village of the district being rebuilt now, and of a later one.
                for village in (villages[0], villages[-1]):
                    record_result(
                        unit=village, indicator=indicators[0], period=MONTHS[0], value="7000"
                    )
            waited.append(time.perf_counter() - started)
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=rebuild), threading.Thread(target=write)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == [], [repr(error) for error in failures]
    # The whole rebuild sleeps 0.3 s after each of its 8 levels (3 districts × 2 levels and
    # the province's level, 2 months): the write waited for one part, not for all of them.
    assert len(slow_parts) == 2 * (3 * 2 + 1)
    assert waited[0] < 1.2
    oracle = plain_group_by()
    assert kept_subtotals() == oracle
    # By hand: the province in January, indicator 0: the two written villages hold 7000,
    # the other ten (n * 10 + 1) / 4 + 100.
    others = sum(Decimal(1 + n * 10) / 4 + 100 for n in range(1, len(villages) - 1))
    row = Subtotal.objects.get(period=MONTHS[0], unit_path=province.path, indicator=indicators[0])
    assert row.total == 14000 + others
    assert row.reporting == len(villages)
    # The blocks (figures.blocks), made again after the subtotals, hold the write.
    assert _block_rows() == _blocks_oracle()
    year = BlockSubtotal.objects.get(
        period=MONTHS[0][:4], unit_path=province.path, indicator=indicators[0]
    )
    assert year.total == sum(
        Subtotal.objects.filter(unit_path=province.path, indicator=indicators[0]).values_list(
            "total", flat=True
        )
    )


@pytest.mark.django_db(transaction=True)
def test_a_write_taking_its_chunks_in_two_flushes_does_not_deadlock_with_a_rebuild(
    monkeypatch,
):
    """A transaction of two writes without a common `deferred()` flushes twice: its second
    chunk (district 0) comes after its first (district 1), against the global order. The
    rebuild, whose one group holds all three districts, must not hold district 0 while it
    waits for district 1."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (SQLite: one writer at a time)")
    _, _, villages = build_tree()
    indicators = [make_indicator(f"i{n}") for n in range(2)]
    write_villages(villages, indicators)
    monkeypatch.setattr(subtotals, "REBUILD_UNITS", 100)
    holding, failures = threading.Event(), []

    def write() -> None:
        try:
            with transaction.atomic():
                record_result(unit=villages[4], indicator=indicators[0], period=MONTHS[0], value=5)
                holding.set()
                time.sleep(0.5)  # the rebuild is now after district 1's lock
                record_result(unit=villages[0], indicator=indicators[0], period=MONTHS[0], value=6)
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    def rebuild() -> None:
        try:
            assert holding.wait(30)
            subtotals.rebuild()
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write), threading.Thread(target=rebuild)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [], [repr(error) for error in failures]
    assert kept_subtotals() == plain_group_by()


@pytest.mark.django_db
def test_rebuild_makes_every_subtotal_a_group_by_again_and_removes_stale_ones():
    """Runs on both databases, in the test's transaction (the groups are savepoints)."""
    _, _, villages = build_tree()
    indicators = [make_indicator(f"i{n}") for n in range(2)]
    write_villages(villages, indicators)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE figures_result SET value = value * 2")
        cursor.execute("DELETE FROM figures_result WHERE period = %s", [MONTHS[1]])
    assert subtotals.rebuild() == len(plain_group_by())
    assert kept_subtotals() == plain_group_by()
    assert not Subtotal.objects.filter(period=MONTHS[1]).exists()
    if connection.vendor == "postgresql":  # the blocks made again from them
        assert BlockSubtotal.objects.exists()
        assert _block_rows() == _blocks_oracle()


def pending_flush(pairs) -> list[str]:
    """Flush the (village, indicator, month) results' subtotals in one `deferred()`; which
    path ran: 'by level' (set-based) or 'by unit'."""
    ran = []
    by_level, by_unit = subtotals._refresh_by_level, subtotals._refresh

    def spy_level(keys):
        ran.append("by level")
        by_level(keys)

    def spy_unit(*args):
        ran.append("by unit")
        by_unit(*args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(subtotals, "_refresh_by_level", spy_level)
        patch.setattr(subtotals, "_refresh", spy_unit)
        with transaction.atomic(), subtotals.deferred() as pending:
            for village, indicator, month in pairs:
                pending.add(village.path, month, [indicator.pk], leaf=True)
    return sorted(set(ran))


@pytest.mark.django_db
def test_a_flush_of_many_units_is_set_based_and_equals_the_unit_by_unit_one(monkeypatch):
    province, middle, villages = build_tree()
    indicators = [make_indicator(f"i{n}") for n in range(3)]
    write_villages(villages, indicators[:2])
    # A commune's own value: its standing overrides its villages' in the district's row.
    record_result(unit=middle[1], indicator=indicators[0], period=MONTHS[0], value="9.5")
    record_result(unit=villages[3], indicator=indicators[2], period=MONTHS[1], value="2")
    expected = all_rows()
    pairs = [(v, i, m) for v in villages for i in indicators for m in MONTHS]
    # Pending units: 1 province + 3 districts + 6 communes, 2 months: 20 (period, unit).
    for threshold, path in ((20, ["by level"]), (21, ["by unit"])):
        monkeypatch.setattr(subtotals, "BULK_UNITS", threshold)
        Subtotal.objects.all().delete()
        assert pending_flush(pairs) == path
        assert all_rows() == expected, path
    district = Subtotal.objects.get(
        period=MONTHS[0], unit_path=middle[0].path, indicator=indicators[0]
    )
    # Commune 0-0's own 9.5 (its villages n = 0, 1 left out) and commune 0-1's villages.
    assert district.total == Decimal("9.5") + sum(Decimal(1 + n * 10) / 4 for n in (2, 3))
    assert district.reporting == 3


@pytest.mark.django_db
def test_a_set_based_flush_of_a_whole_province_equals_a_group_by(monkeypatch):
    _, _, villages = build_tree(districts=4, communes=3, villages=2)
    indicators = [make_indicator(f"i{n}") for n in range(2)]
    monkeypatch.setattr(subtotals, "BULK_UNITS", 1_000_000)
    write_villages(villages, indicators)  # unit by unit
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE figures_result SET value = value + 3 WHERE indicator_id = %s",
            [indicators[1].pk],
        )
    monkeypatch.setattr(subtotals, "BULK_UNITS", 2)
    monkeypatch.setattr(subtotals, "CHUNK_LOCKS", 1)  # 4 districts: each month's own lock
    pairs = [(v, indicators[1], m) for v in villages for m in MONTHS]
    assert pending_flush(pairs) == ["by level"]
    assert kept_subtotals() == plain_group_by()


def test_a_large_flush_locks_a_whole_period_past_the_chunk_lock_limit(monkeypatch):
    """Chunks at depth 2 (paths of two 4-character steps); the empty chunk is the period's
    own lock, which every flush takes."""
    monkeypatch.setattr(subtotals, "CHUNK_LOCKS", 2)
    two = {("2022-01", "0001" + "0001" + "0003"), ("2022-01", "0001" + "0002"), ("2022-02", "0001")}
    assert subtotals._flush_chunks(two, bulk=True) == {
        ("2022-01", ""),
        ("2022-01", "00010001"),
        ("2022-01", "00010002"),
        ("2022-02", ""),
        ("2022-02", "0001"),
    }
    three = {*two, ("2022-01", "0001" + "0003" + "0001")}
    assert subtotals._flush_chunks(three, bulk=True) == {
        ("2022-01", ""),
        ("2022-02", ""),
        ("2022-02", "0001"),
    }
    assert len(subtotals._flush_chunks(three, bulk=False)) == 6  # shared: never the period's


@pytest.mark.django_db
def test_a_chunk_the_rebuild_did_not_list_is_left_to_its_writers(monkeypatch):
    """A district made after the rebuild listed the chunks (here: left out of the list) lies
    inside the range of its group: its rows are neither deleted nor made again, the listed
    districts' are."""
    province, middle, villages = build_tree()
    indicators = [make_indicator("i0")]
    write_villages(villages, indicators)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE figures_result SET value = value + 100")
    d0, d1, d2 = middle[0], middle[3], middle[6]
    before = {row for row in all_rows() if row[1].startswith(d1.path)}
    monkeypatch.setattr(subtotals, "_chunk_groups", lambda: [[d0.path, d2.path]])
    subtotals.rebuild()
    oracle = plain_group_by()
    under = {row for row in kept_subtotals() if row[1].startswith((d0.path, d2.path))}
    assert under == {row for row in oracle if row[1].startswith((d0.path, d2.path))}
    assert len(under) == 2 * 3 * 2  # 2 months × (district + 2 communes), listed districts
    assert {row for row in all_rows() if row[1].startswith(d1.path)} == before
    assert before.isdisjoint({(*row[:5], row[7], None) for row in oracle})  # still stale
