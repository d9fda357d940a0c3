"""Results keyed by their figure (migration 0012, PostgreSQL): the primary key is the
(period, unit_depth, unit_path, indicator_id) index, and no index holds `id`, so no write may
look a result up by it — it would read every row of the partition."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_indicator, make_unit
from xaso.figures.batch import Write, write_results
from xaso.figures.models import Result
from xaso.figures.services import delete_result, record_result
from xaso.org.models import UnitKind
from xaso.periods import parse_period

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the key changes on PostgreSQL only"
)

MAY = parse_period("2025-05")
# A condition on the id column, as Django writes it ("figures_result"."id" = …, IN …) or a
# hand-written statement would (r.id = …, WHERE id = …).
BY_ID = re.compile(r'(?:"figures_result"\."id"|\br\.id|\bWHERE id)\s*(?:=|IN\b)', re.IGNORECASE)


@pytest.fixture
def village(db):
    commune = make_unit("Xã Đông", UnitKind.COMMUNE, code="C")
    return make_unit("Thôn Một", UnitKind.VILLAGE, commune, code="V")


def _writes_to_results(captured) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if "figures_result" in q["sql"] and re.match(r"\s*(UPDATE|DELETE)", q["sql"], re.I)
    ]


def test_the_primary_key_is_the_figures_key_and_no_index_holds_id(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'figures_result'::regclass AND contype = 'p'"
        )
        assert cursor.fetchall() == [
            ("PRIMARY KEY (period, unit_depth, unit_path, indicator_id) INCLUDE (value, status)",)
        ]
        cursor.execute(
            "SELECT count(*) FROM pg_index i JOIN pg_attribute a "
            "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
            "WHERE i.indrelid = 'figures_result'::regclass AND a.attname = 'id'"
        )
        assert cursor.fetchone()[0] == 0


def test_the_pattern_catches_a_lookup_by_id(db):
    # The check below is only as good as its pattern: Django's own delete by id matches it.
    assert BY_ID.search('DELETE FROM "figures_result" WHERE "figures_result"."id" IN (7)')
    assert not BY_ID.search('DELETE FROM "figures_result" WHERE "figures_result"."unit_id" = 7')


def test_changing_and_removing_a_figure_go_by_its_key(village):
    people = make_indicator("dan-so", name="Dân số")
    record_result(unit=village, indicator=people, period=MAY, value=Decimal("120"))
    with CaptureQueriesContext(connection) as changed:
        record_result(unit=village, indicator=people, period=MAY, value=Decimal("125"))
        write_results([Write(village, people, MAY, Decimal("130"), "final")])
    with CaptureQueriesContext(connection) as removed:
        assert delete_result(unit=village, indicator=people, period=MAY)

    updates, deletes = _writes_to_results(changed), _writes_to_results(removed)
    assert len(updates) == 2 and all(sql.lstrip().startswith("UPDATE") for sql in updates)
    assert len(deletes) == 1 and deletes[0].lstrip().startswith("DELETE")
    assert [sql for sql in updates + deletes if BY_ID.search(sql)] == []
    assert not Result.objects.filter(unit=village).exists()
