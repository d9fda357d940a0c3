"""The set-based write path (`figures.batch.write_results`, issue 20): what `record_result`
guarantees, for thousands of values in a few statements — one audit entry per changed value
and none for an unchanged one, subtotals equal to a plain GROUP BY over the results, all or
nothing with errors naming the row, and no double row nor silent overwrite when batches
meet (PostgreSQL)."""

import itertools
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Sum

from tests.factories import make_indicator, make_unit
from xaso.exchange.values import RowError, ValueRow, import_values
from xaso.figures import batch
from xaso.figures.batch import Write, write_results
from xaso.figures.models import Result, ResultChange, Subtotal
from xaso.figures.services import Seen, StaleWrite, delete_result
from xaso.figures.subtotals import BULK_UNITS
from xaso.org.models import UnitKind
from xaso.periods import parse_period

MAY = "2024-05"


def _country(communes: int = 64, villages: int = 2):
    """Province > 2 districts > `communes` communes > `villages` villages each: enough
    units above the villages for a batch's subtotals to be refreshed set-based."""
    province = make_unit("Tỉnh", UnitKind.PROVINCE, code="P")
    leaves = []
    for d in range(2):
        district = make_unit(f"Huyện {d}", UnitKind.DISTRICT, province, code=f"D{d}")
        for c in range(communes // 2):
            commune = make_unit(f"Xã {d}-{c}", UnitKind.COMMUNE, district, code=f"C{d}-{c}")
            for v in range(villages):
                code = f"V{d}-{c}-{v}"
                leaves.append(make_unit(f"Thôn {code}", UnitKind.VILLAGE, commune, code=code))
    return province, leaves


@pytest.fixture
def country(db):
    province, villages = _country()
    road = make_indicator("road", name="Đường bê tông", unit="km")
    homes = make_indicator("homes", name="Hộ chỉnh trang", unit="ho")
    return province, villages, road, homes


def _writes(villages, indicators, value_of, period=MAY, seen=None) -> list[Write]:
    period = parse_period(period)
    return [
        Write(v, i, period, Decimal(value_of(n, i)), "final", str(value_of(n, i)), seen)
        for n, v in enumerate(villages)
        for i in indicators
    ]


def _oracle(period: str) -> dict:
    """Every ancestor's sum and count of the villages' results below it, by plain SQL:
    one GROUP BY per level over the results themselves, no subtotal read."""
    sums = {}
    with connection.cursor() as cursor:
        for depth in (1, 2, 3):
            cursor.execute(
                "SELECT substr(unit_path, 1, %s), indicator_id, SUM(value), COUNT(*) "
                "FROM figures_result WHERE period = %s AND unit_depth = 4 GROUP BY 1, 2",
                [4 * depth, period],
            )
            for path, indicator_id, total, count in cursor.fetchall():
                sums[(path, indicator_id)] = (Decimal(str(total)).normalize(), count)
    return sums


def _subtotals(period: str) -> dict:
    return {
        (s.unit_path, s.indicator_id): (s.total.normalize(), s.reporting)
        for s in Subtotal.objects.filter(period=period)
    }


# `large`: PostgreSQL's path for big batches (arrays bound on the server, audit by COPY).
@pytest.mark.parametrize("large", [False, True])
def test_one_audit_entry_per_changed_value_none_for_unchanged_and_subtotals_equal_sql(
    country, large, monkeypatch
):
    monkeypatch.setattr(batch, "_LARGE", 1 if large else 10**9)
    province, villages, road, homes = country
    assert len(villages) // 2 + 3 >= BULK_UNITS  # the set-based refresh is the one tested

    first = write_results(_writes(villages, [road, homes], lambda n, i: n + i.pk))
    assert (first.saved, first.unchanged) == (len(villages) * 2, 0)
    assert ResultChange.objects.count() == len(villages) * 2
    assert ResultChange.objects.filter(old_value__isnull=True).count() == len(villages) * 2

    # Every third village's road changes; everything else is sent again as it is.
    def again(n, i):
        return n + i.pk + (100 if i == road and n % 3 == 0 else 0)

    changed = {v.pk for n, v in enumerate(villages) if n % 3 == 0}
    second = write_results(_writes(villages, [road, homes], again), correction="")
    assert (second.saved, second.unchanged) == (len(changed), len(villages) * 2 - len(changed))
    new = ResultChange.objects.filter(old_value__isnull=False)
    assert sorted(new.values_list("unit_id", flat=True)) == sorted(changed)
    assert all(c.new_value == c.old_value + 100 and c.indicator_id == road.pk for c in new)
    assert Result.objects.filter(period=MAY).count() == len(villages) * 2
    assert _subtotals(MAY) == _oracle(MAY)
    sent = sum(again(n, road) for n in range(len(villages)))
    assert Subtotal.objects.get(unit_path=province.path, indicator=road).total == sent

    repeated = write_results(_writes(villages, [road, homes], again))
    assert (repeated.saved, repeated.unchanged) == (0, len(villages) * 2)
    assert ResultChange.objects.count() == len(villages) * 2 + len(changed)
    assert _subtotals(MAY) == _oracle(MAY)


def _rows(villages, value_of, period=MAY, first_row=2) -> list[ValueRow]:
    return [
        ValueRow(first_row + n, v.code, "road", period, value_of(n)) for n, v in enumerate(villages)
    ]


def test_an_import_is_all_or_nothing_and_names_the_wrong_rows_in_vietnamese(country):
    province, villages, road, homes = country
    rows = _rows(villages, lambda n: f"{n},5")
    rows[40] = ValueRow(42, villages[40].code, "road", MAY, "-3")
    rows[57] = ValueRow(59, villages[57].code, "road", MAY, "20/19")

    report = import_values(rows)

    assert report.stored == 0
    assert [(e.row, e.field) for e in report.errors] == [(42, "value"), (59, "value")]
    assert report.errors[0].message == "Đường bê tông: Không được nhập số âm."
    assert "chỉ nhận một số" in report.errors[1].message
    assert Result.objects.count() == ResultChange.objects.count() == Subtotal.objects.count() == 0


def test_an_approved_figure_in_a_batch_stops_the_whole_batch_unless_corrected(country):
    province, villages, road, homes = country
    assert import_values(_rows(villages[:5], lambda n: str(n + 1))).stored == 5
    Result.objects.filter(unit=villages[3]).update(approved=True)
    before = (Result.objects.count(), ResultChange.objects.count(), _subtotals(MAY))

    refused = import_values(_rows(villages, lambda n: str(n + 10)))

    assert refused.errors == [
        RowError(5, "value", "Đường bê tông tháng 5/2024 đã được duyệt: "
                             "muốn sửa phải ghi lý do điều chỉnh.")
    ]  # fmt: skip
    assert (Result.objects.count(), ResultChange.objects.count(), _subtotals(MAY)) == before
    corrected = import_values(_rows(villages, lambda n: str(n + 10)), correction="Sai số")
    assert corrected.stored == len(villages)
    assert ResultChange.objects.get(unit=villages[3], old_value=4).reason == "Sai số"
    assert _subtotals(MAY) == _oracle(MAY)


def test_a_batch_with_what_its_writer_saw_refuses_a_value_changed_since(country):
    province, villages, road, homes = country
    write_results(_writes(villages[:4], [road], lambda n, i: n))
    shown = [Seen(Decimal(n), "final") for n in range(4)]
    write_results(_writes(villages[1:2], [road], lambda n, i: 50))  # someone else, since
    period = parse_period(MAY)
    mine = [Write(v, road, period, Decimal(n + 7), "final", "", shown[n]) for n, v in
            enumerate(villages[:4])]  # fmt: skip

    with pytest.raises(StaleWrite) as raised:
        write_results(mine)

    assert [c.current.value for c in raised.value.clashes] == [Decimal(50)]
    assert sorted(Result.objects.values_list("value", flat=True)) == [0, 2, 3, 50]
    delete_result(unit=villages[2], indicator=road, period=MAY)  # someone removed it since
    with pytest.raises(StaleWrite) as removed:
        write_results([mine[0], mine[2]])
    assert [(c.indicator, c.current) for c in removed.value.clashes] == [(road, None)]
    assert sorted(Result.objects.values_list("value", flat=True)) == [0, 3, 50]


# --- at the same moment (PostgreSQL: SQLite has one writer at a time) ------------------------


def _together(batches: list[list[Write]]) -> list[str]:
    barrier = threading.Barrier(len(batches))
    answers = [""] * len(batches)

    def run(index: int) -> None:
        try:
            barrier.wait()
            write_results(batches[index])
            answers[index] = "saved"
        except StaleWrite:
            answers[index] = "clash"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(batches))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def _audit_chains_end_in_the_stored_values() -> None:
    """Each figure's audit entries, in order, go from nothing to the stored value, each
    starting from the one before: no write was lost without a trace."""
    stored = {(r.unit_id, r.indicator_id): r.value for r in Result.objects.all()}
    chains: dict = {}
    for change in ResultChange.objects.order_by("id"):
        chains.setdefault((change.unit_id, change.indicator_id), []).append(change)
    assert set(chains) == set(stored)
    for key, chain in chains.items():
        assert chain[0].old_value is None
        assert all(b.old_value == a.new_value for a, b in itertools.pairwise(chain))
        assert chain[-1].new_value == stored[key]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
@pytest.mark.parametrize("large", [False, True])
def test_overlapping_batches_at_once_never_double_a_row_nor_lose_a_value_silently(
    large, monkeypatch
):
    monkeypatch.setattr(batch, "_LARGE", 1 if large else 10**9)
    province, villages = _country()
    road = make_indicator("road", unit="km")
    homes = make_indicator("homes", unit="ho")
    # Three batches over overlapping villages, different values where they overlap; no
    # `seen` (an import): the last to commit wins, and the audit says from what.
    batches = [
        _writes(villages[start : start + 40], [road, homes], lambda n, i, s=start: n + s * 10)
        for start in (0, 20, 10)
    ]

    assert _together(batches) == ["saved"] * 3

    counts = Result.objects.values("unit", "indicator").annotate(n=Count("id"))
    assert {c["n"] for c in counts} == {1}
    assert len(counts) == 60 * 2
    _audit_chains_end_in_the_stored_values()
    assert _subtotals(MAY) == _oracle(MAY)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
def test_two_sheets_of_new_values_at_once_one_saved_the_other_shown_the_clash():
    province, villages = _country(communes=2, villages=3)
    indicators = [make_indicator(f"i{n}", unit="ho") for n in range(10)]
    period = parse_period(MAY)
    sheets = [
        [Write(villages[0], i, period, Decimal(value), "final", "", Seen(None)) for i in indicators]
        for value in (5, 6)
    ]

    answers = _together(sheets)

    assert sorted(answers) == ["clash", "saved"]
    winner = (5, 6)[answers.index("saved")]
    assert list(Result.objects.values_list("value", flat=True).distinct()) == [winner]
    assert Result.objects.count() == ResultChange.objects.count() == 10
    totals = Subtotal.objects.filter(unit_path=province.path).aggregate(total=Sum("total"))
    assert totals["total"] == winner * 10


def test_a_batch_refuses_an_unknown_status_and_saves_nothing(country):
    province, villages, road, homes = country
    writes = _writes(villages[:3], [road], lambda n, i: n + 1)
    writes[1] = Write(villages[1], road, parse_period(MAY), Decimal(2), "xong", "2", label="7")

    with pytest.raises(ValidationError) as raised:
        write_results(writes)

    assert raised.value.message_dict == {"7": ["Tình trạng ‘xong’ không hợp lệ."]}
    assert Result.objects.count() == ResultChange.objects.count() == 0
