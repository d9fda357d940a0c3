"""The roll-up's own-results query runs without parallel workers, and the setting it needs
for that stays inside the read (figures.subtotals._fetched_serially)."""

import pytest
from django.db import connection, transaction

from tests.factories import make_indicator, make_unit
from xaso.figures.selectors import rollup
from xaso.figures.services import record_result
from xaso.figures.subtotals import _fetched_serially
from xaso.org.models import UnitKind
from xaso.periods import parse_period

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting"),
]
SETTING = "max_parallel_workers_per_gather"
ASKED = f"SELECT current_setting('{SETTING}')"


def _workers() -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {SETTING}")
        return cursor.fetchone()[0]


def test_a_query_read_serially_sees_no_workers_and_the_setting_comes_back():
    before = _workers()
    with connection.cursor() as cursor:
        assert _fetched_serially(cursor, ASKED, []) == [("0",)]
    assert _workers() == before != "0"


def test_inside_a_callers_transaction_the_setting_is_put_back_before_it_goes_on():
    with transaction.atomic():
        before = _workers()
        with connection.cursor() as cursor:
            assert _fetched_serially(cursor, ASKED, []) == [("0",)]
        assert _workers() == before != "0"


def test_the_roll_ups_own_results_are_read_serially():
    commune = make_unit("Xã", UnitKind.COMMUNE, code="c")
    village = make_unit("Thôn", UnitKind.VILLAGE, commune, code="v")
    indicator = make_indicator(code="rice")
    months = [parse_period("2022-01"), parse_period("2022-02")]
    for month in months:
        record_result(unit=village, indicator=indicator, period=month, value=5)
    sent = []

    def spy(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        found = rollup(commune, months[-1], [indicator], months=months)
    assert found.of_child(village, indicator.pk).value == 10
    own_results = [sql for sql in sent if "figures_result" in sql and "EXISTS" in sql]
    assert len(own_results) == 1
    assert f"set_config('{SETTING}', '0', true)" in own_results[0]
