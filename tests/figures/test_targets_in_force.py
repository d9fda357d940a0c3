"""A unit's targets in force are found without reading its ended plans (migration 0013,
PostgreSQL): a commune keeps a plan a year, and a page that read every year of them to
keep one would slow down with each year the commune is on xaso."""

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.factories import make_indicator, make_unit
from xaso.figures.services import set_target
from xaso.figures.target_values import target_values_containing
from xaso.periods import parse_period

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the query plan is PostgreSQL's"
)

YEARS = range(2019, 2027)  # eight yearly plans; the one in force for June 2025 is 2025's


def _rows_read(plan: dict) -> int:
    """The most rows any node of the plan got from the targets' table or its indexes, those
    a filter then removed included."""
    touched = plan.get("Relation Name") == "figures_target" or "target" in plan.get(
        "Index Name", ""
    )
    own = plan["Actual Rows"] + plan.get("Rows Removed by Filter", 0) if touched else 0
    return max([own, *(_rows_read(child) for child in plan.get("Plans", []))])


@pytest.fixture
def commune_with_plans(db):
    commune = make_unit("Xã Kỳ Sơn", code="KS")
    indicators = [make_indicator(code) for code in ("duong", "kenh", "nha")]
    for year in YEARS:
        for n, indicator in enumerate(indicators, start=1):
            set_target(unit=commune, indicator=indicator, period=str(year),
                       source="district_plan", value=str(year * 10 + n))  # fmt: skip
    return commune


def test_the_plans_in_force_come_from_the_index_alone_not_every_year_filtered(commune_with_plans):
    june = parse_period("2025-06")
    with CaptureQueriesContext(connection) as captured:
        found = target_values_containing([commune_with_plans], june)
    assert sorted(t.value for ts in found.values() for t in ts) == [20251, 20252, 20253]
    sql = captured.captured_queries[-1]["sql"]

    with transaction.atomic(), connection.cursor() as cursor:
        # A handful of rows: without this PostgreSQL would read the table whole, as it may.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        raw = cursor.fetchone()[0]
    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
    assert _rows_read(plan) == 3, json.dumps(plan, indent=1)


def test_no_index_of_the_targets_is_the_start_of_another(db):
    """An index whose columns open a longer one serves no read the longer cannot, and every
    write of a target pays for it (as the foreign keys' own did before migration 0013)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, indkey::int2[] FROM pg_index "
            "WHERE indrelid = 'figures_target'::regclass"
        )
        indexes = dict(cursor.fetchall())
    led = [
        (short, long)
        for short, columns in indexes.items()
        for long, longer in indexes.items()
        if short != long and len(columns) < len(longer) and longer[: len(columns)] == columns
    ]
    assert "target_in_force_by_unit" in indexes
    assert led == []
