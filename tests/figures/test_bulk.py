"""Bulk loading: a bad row anywhere undoes the whole load, and the table keeps its indexes."""

import pytest
from django.db import IntegrityError, connection, transaction

from tests.factories import make_indicator, make_unit
from xaso.catalog.models import Indicator
from xaso.figures.bulk import COPY_LINES, indexes_built_after, result_batch
from xaso.figures.models import Result
from xaso.figures.services import record_result
from xaso.figures.subtotals import rebuild
from xaso.org.models import UnitKind
from xaso.periods import parse_period

pytestmark = pytest.mark.django_db(transaction=True)


def _index_names() -> set[str]:
    with connection.cursor() as cursor:
        return {
            info.get("name") or name
            for name, info in connection.introspection.get_constraints(
                cursor, Result._meta.db_table
            ).items()
            if info["unique"] or info["primary_key"]
        }


def _load(rows) -> None:
    """As `xaso synth` loads: one transaction, indexes built after the rows."""
    with transaction.atomic(), indexes_built_after(), result_batch() as batch:
        for unit, indicator, month, value in rows:
            batch.add(unit.pk, unit.path, indicator.pk, month, value)


def test_a_negative_value_after_thousands_of_good_rows_rolls_the_whole_load_back():
    commune = make_unit("Xã Bình An", kind=UnitKind.COMMUNE)
    village = make_unit("Thôn Đông", kind=UnitKind.VILLAGE, parent=commune)
    indicators = [
        make_indicator(f"chi-tieu-{number}", name=f"Chỉ tiêu {number}") for number in range(4)
    ]
    months = [
        parse_period(f"{year}-{month:02}") for year in range(1900, 2100) for month in range(1, 13)
    ]
    keys = [
        (unit, indicator, month)
        for month in months
        for unit in (commune, village)
        for indicator in indicators
    ]
    indexes = _index_names()
    # Several chunks go to the database (on PostgreSQL, through the writer thread) before
    # the bad row; every good row is distinct, so only the bad one can fail.
    rows = [(*key, number % 7) for number, key in enumerate(keys[: 3 * COPY_LINES])]
    with pytest.raises(IntegrityError):
        _load([*rows, (*keys[-1], -1)])

    assert Result.objects.count() == 0
    assert _index_names() == indexes


@pytest.mark.skipif(connection.vendor != "postgresql", reason="foreign-key triggers: PostgreSQL")
def test_after_a_rebuild_the_rest_of_the_transaction_is_checked_for_foreign_keys_again():
    commune = make_unit("Xã Bình An", kind=UnitKind.COMMUNE)
    village = make_unit("Thôn Đông", kind=UnitKind.VILLAGE, parent=commune)
    indicator = make_indicator("so-ho-nghe")
    _load([(village, indicator, parse_period("2024-03"), 12)])

    with pytest.raises(IntegrityError), transaction.atomic():
        assert rebuild() == 1
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # An indicator that was never saved: its row must fail the foreign-key check.
        ghost = Indicator(pk=indicator.pk + 1_000, code="khong-co", unit="m", rollup="sum")
        record_result(unit=village, indicator=ghost, period="2024-04", value="3")
