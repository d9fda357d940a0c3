"""Results partitioned by the year of their period (migration 0009, figures.partitions;
PostgreSQL only): each year's codes in its year's partition, any other code in the default
partition and still read back, the unique key and the set-based write path unchanged."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from tests.factories import make_indicator, make_unit
from tests.figures.test_batch import MAY, _country, _oracle, _subtotals, _writes
from xaso.figures import batch
from xaso.figures.batch import write_results
from xaso.figures.models import Result
from xaso.figures.partitions import (
    DEFAULT,
    ensure_partitions,
    partition_name,
    statistics_refreshed,
)
from xaso.figures.selectors import rollup
from xaso.figures.services import record_result
from xaso.org.models import UnitKind
from xaso.periods import parse_period

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="results are partitioned on PostgreSQL only (a no-op migration on SQLite)",
)


# The partition's copy of result_one_per_unit_period refuses it, under its own name.
KEY = r"unique constraint .*\n.*Key \(period, unit_depth, unit_path, indicator_id\)"


def _partition_of(unit, indicator, period: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM figures_result "
            "WHERE unit_id = %s AND indicator_id = %s AND period = %s",
            [unit.pk, indicator.pk, period],
        )
        return cursor.fetchone()[0]


def _partitions() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT inhrelid::regclass::text FROM pg_inherits "
            "WHERE inhparent = 'figures_result'::regclass"
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def village(db):
    commune = make_unit("Xã Đông", UnitKind.COMMUNE, code="C")
    return commune, make_unit("Thôn Một", UnitKind.VILLAGE, commune, code="V")


def test_every_kind_of_code_lands_in_the_partition_of_its_year(village):
    _, unit = village
    road = make_indicator("road", name="Đường bê tông", unit="km")
    codes = {
        "2024": "2024", "2024-H2": "2024", "2024-9M": "2024", "2024-Q1": "2024",
        "2024-12": "2024", "2024-W05": "2024", "2024..2029": "2024",
        "2024-04-15..2024-05-30": "2024", "2025-01": "2025", "2020-W53": "2020",
        "2015-01": "2015", "2035-12": "2035",
    }  # fmt: skip
    ensure_partitions({int(year) for year in codes.values()})
    for code in codes:
        record_result(unit=unit, indicator=road, period=code, value="1")
    for code, year in codes.items():
        assert _partition_of(unit, road, code) == partition_name(int(year)), code


def test_a_code_outside_the_years_made_goes_to_default_and_still_rolls_up(village):
    commune, unit = village
    road = make_indicator("road", name="Đường bê tông", unit="km")
    assert partition_name(2099) not in _partitions()
    record_result(unit=unit, indicator=road, period="2099-05", value="12.5")
    record_result(unit=unit, indicator=road, period="2024-05", value="3")
    assert _partition_of(unit, road, "2099-05") == DEFAULT
    figures = rollup(commune, parse_period("2099-05"), [road])
    assert figures.figures[road.pk].value == Decimal("12.5")
    assert figures.child_figures[unit.path][road.pk].value == Decimal("12.5")
    assert rollup(commune, parse_period("2024-05"), [road]).figures[road.pk].value == 3


def test_the_unique_key_still_refuses_a_second_row_for_a_unit_indicator_and_period(village):
    _, unit = village
    road = make_indicator("road", name="Đường bê tông", unit="km")
    first = record_result(unit=unit, indicator=road, period="2024-05", value="1")
    duplicate = Result(
        unit=unit, indicator=road, value=Decimal(2), unit_path=unit.path,
        unit_depth=unit.depth, period=first.period, period_kind=first.period_kind,
        period_start=first.period_start, period_end=first.period_end,
    )  # fmt: skip
    with pytest.raises(IntegrityError, match=KEY), transaction.atomic():
        duplicate.save()
    duplicate.period, duplicate.period_kind = "2099-05", "month"
    duplicate.save()  # in the default partition: the same key is refused there too
    duplicate.pk = None
    with pytest.raises(IntegrityError, match=KEY), transaction.atomic():
        duplicate.save()
    assert Result.objects.filter(unit=unit, indicator=road).count() == 2


def test_a_row_is_still_found_changed_and_deleted_by_its_id_alone(village):
    # Correct, not fast: no index holds `id` since migration 0012 (every partition is read),
    # so no code of xaso's looks a result up this way (tests/figures/test_result_key.py).
    _, unit = village
    road = make_indicator("road", name="Đường bê tông", unit="km")
    one = record_result(unit=unit, indicator=road, period="2024-05", value="1")
    other = record_result(unit=unit, indicator=road, period="2031-05", value="2")
    assert other.pk > one.pk  # the identity keeps numbering across partitions
    Result.objects.filter(pk=one.pk).update(value=Decimal(7))
    assert Result.objects.get(pk=one.pk).value == 7
    Result.objects.filter(pk=other.pk).delete()
    assert list(Result.objects.values_list("pk", flat=True)) == [one.pk]


def test_a_batch_inserts_then_its_repeat_changes_nothing_and_subtotals_equal_sql(db):
    province, villages = _country()
    road = make_indicator("road", name="Đường bê tông", unit="km")
    homes = make_indicator("homes", name="Hộ chỉnh trang", unit="ho")
    ensure_partitions([2024, 2025])
    for period in (MAY, "2025-05", "2099-05"):
        writes = _writes(villages, [road, homes], lambda n, i: n + i.pk, period=period)
        first = write_results(writes)
        assert (first.saved, first.unchanged) == (len(villages) * 2, 0)
        again = write_results(writes)
        assert (again.saved, again.unchanged) == (0, len(villages) * 2)
        assert _subtotals(period) == _oracle(period)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text, COUNT(*) FROM figures_result GROUP BY 1 ORDER BY 1"
        )
        assert cursor.fetchall() == [
            (DEFAULT, len(villages) * 2),
            (partition_name(2024), len(villages) * 2),
            (partition_name(2025), len(villages) * 2),
        ]


def test_ensure_partitions_makes_the_missing_years_once_and_moves_their_rows_out_of_default(
    village,
):
    _, unit = village
    road = make_indicator("road", name="Đường bê tông", unit="km")
    ensure_partitions([2024])
    stray = record_result(unit=unit, indicator=road, period="2040-Q3", value="4")
    record_result(unit=unit, indicator=road, period="2041-01", value="5")
    assert _partition_of(unit, road, "2040-Q3") == DEFAULT
    before = _partitions()

    assert ensure_partitions([2024, 2040, 2042, 2040]) == [2040, 2042]
    assert _partitions() == before | {partition_name(2040), partition_name(2042)}
    assert _partition_of(unit, road, "2040-Q3") == partition_name(2040)
    assert _partition_of(unit, road, "2041-01") == DEFAULT
    assert Result.objects.get(pk=stray.pk).value == 4

    assert ensure_partitions([2024, 2040, 2042]) == []
    assert _partitions() == before | {partition_name(2040), partition_name(2042)}
    record_result(unit=unit, indicator=road, period="2042-W10", value="6")
    assert _partition_of(unit, road, "2042-W10") == partition_name(2042)


def _rows_counted(name: str) -> float:
    """PostgreSQL's count of a partition's rows as its last ANALYZE left it. ANALYZE writes it
    in place, outside the transaction: a test starts by analysing the partition it reads."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [name])
        return cursor.fetchone()[0]


def _analysed(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'ANALYZE "{name}"')


def test_a_large_batch_analyses_the_partition_it_filled_and_a_smaller_one_does_not(db, monkeypatch):
    monkeypatch.setattr(batch, "_ANALYSED_FROM", 256)  # the second batch's size
    _, villages = _country()  # 128 villages
    road = make_indicator("road", name="Đường bê tông", unit="km")
    homes = make_indicator("homes", name="Hộ chỉnh trang", unit="ho")
    name = partition_name(2031)
    ensure_partitions([2031])
    _analysed(name)
    assert _rows_counted(name) == 0
    write_results(_writes(villages, [road], lambda n, i: n + 1, period="2031-05"))  # 128 rows
    assert _rows_counted(name) == 0
    write_results(_writes(villages, [road, homes], lambda n, i: n + 2, period="2031-06"))
    assert _rows_counted(name) == 128 + 256  # counted with the batch's own rows


def test_statistics_are_refreshed_from_a_tenth_more_rows_and_default_holds_unmade_years(db):
    _, villages = _country(communes=26, villages=5)  # 130 villages: a tenth is 13 rows
    road = make_indicator("road", name="Đường bê tông", unit="km")
    name = partition_name(2032)
    ensure_partitions([2032])
    _analysed(name)
    write_results(_writes(villages, [road], lambda n, i: n + 1, period="2032-05"))
    with connection.cursor() as cursor:
        assert statistics_refreshed(cursor, {2032: 130}) == [name]  # counted empty: grown
        assert _rows_counted(name) == 130
        assert statistics_refreshed(cursor, {2032: 12}) == []
        assert statistics_refreshed(cursor, {2032: 13}) == [name]
        # A year with no partition of its own is the default partition's.
        _analysed(DEFAULT)
        assert statistics_refreshed(cursor, {2032: 6, 2099: 1}) == [DEFAULT]


def test_migrations_leave_no_empty_year_and_0011_drops_only_the_empty_ones(village):
    from importlib import import_module

    _, unit = village
    road = make_indicator("road", name="Đường bê tông", unit="km")
    # 0009 made 2015–2035 ahead; on this database, empty when migrated, 0011 dropped them.
    assert not {partition_name(2015), partition_name(2024), partition_name(2035)} & _partitions()
    ensure_partitions([2040, 2041, 2042])
    record_result(unit=unit, indicator=road, period="2041-03", value="8")

    migration = import_module("xaso.figures.migrations.0011_partitions_of_years_with_results")
    migration.drop_empty_years(None, type("Editor", (), {"connection": connection})())

    assert partition_name(2041) in _partitions()
    assert not {partition_name(2040), partition_name(2042)} & _partitions()
    assert DEFAULT in _partitions()
    assert _partition_of(unit, road, "2041-03") == partition_name(2041)


def test_a_write_of_a_year_without_partition_makes_it_once_committed(
    village, django_capture_on_commit_callbacks
):
    commune, unit = village
    road = make_indicator("road", name="Đường bê tông", unit="km")
    assert partition_name(2043) not in _partitions()

    with django_capture_on_commit_callbacks(execute=False) as pending:
        record_result(unit=unit, indicator=road, period="2043-02", value="5")
    assert _partition_of(unit, road, "2043-02") == DEFAULT  # stored before the partition
    assert len(pending) == 1
    pending[0]()  # the commit

    assert partition_name(2043) in _partitions()
    assert _partition_of(unit, road, "2043-02") == partition_name(2043)
    assert rollup(commune, parse_period("2043-02"), [road]).figures[road.pk].value == 5
    with django_capture_on_commit_callbacks(execute=False) as pending:
        record_result(unit=unit, indicator=road, period="2043-03", value="6")
    assert pending == []  # the year has its partition: nothing more to make
    assert _partition_of(unit, road, "2043-03") == partition_name(2043)


@pytest.mark.django_db(transaction=True)
def test_a_writer_in_no_transaction_has_the_years_partition_made_before_its_rows():
    commune = make_unit("Xã Tây", UnitKind.COMMUNE, code="CT")
    unit = make_unit("Thôn Hai", UnitKind.VILLAGE, commune, code="CT2")
    road = make_indicator("road", name="Đường bê tông", unit="km")
    assert partition_name(2044) not in _partitions()

    record_result(unit=unit, indicator=road, period="2044-07", value="9")

    assert _partition_of(unit, road, "2044-07") == partition_name(2044)
