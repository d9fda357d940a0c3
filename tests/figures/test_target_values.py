"""`target_values_containing`: the targets of `targets_containing` as plain values, checked
against a plain SQL query of the target table and against `targets_containing` itself."""

from decimal import Decimal

import pytest
from django.db import connection

from tests.factories import make_commune_tree, make_indicator
from xaso.figures.models import TargetSource
from xaso.figures.selectors import targets_containing
from xaso.figures.services import set_target
from xaso.figures.target_values import TargetValue, target_values_containing
from xaso.periods import PeriodKind, parse_period

pytestmark = pytest.mark.django_db

SOURCES = list(TargetSource.values)


@pytest.fixture
def plans():
    _, _, commune, villages = make_commune_tree()
    revenue = make_indicator("thu-ngan-sach", unit="trieu_dong")
    births = make_indicator("sinh", unit="nguoi")
    # Set in the opposite of the order expected back: the term first, the council before
    # the district; a revision keeps the plan as first set.
    for unit, indicator, period, source, value in (
        (commune, revenue, "2020..2025", TargetSource.CONGRESS_RESOLUTION, "80000"),
        (commune, revenue, "2020", TargetSource.COUNCIL_RESOLUTION, "16477.5"),
        (commune, revenue, "2020", TargetSource.DISTRICT_PLAN, "15511"),
        (commune, revenue, "2020-H1", TargetSource.DISTRICT_PLAN, "7000"),
        (commune, revenue, "2020-Q2", TargetSource.DISTRICT_PLAN, "3600"),
        (commune, births, "2020", TargetSource.DISTRICT_PLAN, "31"),
        (villages[0], revenue, "2020", TargetSource.DISTRICT_PLAN, "1200"),
        (villages[1], revenue, "2021", TargetSource.DISTRICT_PLAN, "1300"),  # not 2020-06
        (villages[2], births, "2020-07", TargetSource.DISTRICT_PLAN, "3"),  # not 2020-06
    ):
        set_target(unit=unit, indicator=indicator, period=period, source=source, value=value)
    set_target(
        unit=villages[0], indicator=revenue, period="2020", source=TargetSource.DISTRICT_PLAN,
        value="1250", revision=True,
    )  # fmt: skip
    return commune, villages, revenue, births


def _plain_sql(unit_ids, period, indicator_ids=None) -> dict:
    """The oracle: the targets containing `period`, ordered by the rule written in SQL."""
    order = " ".join(f"WHEN '{source}' THEN {i}" for i, source in enumerate(SOURCES))
    sql = (
        "SELECT unit_id, indicator_id, value, original_value, source, period "  # noqa: S608
        "FROM figures_target WHERE period_start <= %s AND period_end >= %s "
        f"ORDER BY unit_id, indicator_id, period_start DESC, period_end, CASE source {order} END"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [period.start, period.end])
        rows = cursor.fetchall()
    found: dict = {}
    for unit_id, indicator_id, value, original, source, code in rows:
        if unit_id in unit_ids and (indicator_ids is None or indicator_id in indicator_ids):
            original = None if original is None else Decimal(str(original))
            found.setdefault((unit_id, indicator_id), []).append(
                (Decimal(str(value)), original, source, code)
            )
    return found


def test_the_values_are_the_targets_plain_sql_finds_in_its_order(plans):
    commune, villages, revenue, births = plans
    june = parse_period("2020-06")

    found = target_values_containing([commune, *villages], june)

    expected = _plain_sql({commune.pk, *(v.pk for v in villages)}, june)
    assert {key: [tuple(t) for t in several] for key, several in found.items()} == expected
    assert [tuple(t) for t in found[(commune.pk, revenue.pk)]] == [
        (Decimal("3600"), None, TargetSource.DISTRICT_PLAN, "2020-Q2"),
        (Decimal("7000"), None, TargetSource.DISTRICT_PLAN, "2020-H1"),
        (Decimal("15511"), None, TargetSource.DISTRICT_PLAN, "2020"),
        (Decimal("16477.5"), None, TargetSource.COUNCIL_RESOLUTION, "2020"),
        (Decimal("80000"), None, TargetSource.CONGRESS_RESOLUTION, "2020..2025"),
    ]
    [revised] = found[(villages[0].pk, revenue.pk)]
    assert (revised.value, revised.original_value, revised.revised) == (
        Decimal("1250"), Decimal("1200"), True,
    )  # fmt: skip
    assert found[(commune.pk, revenue.pk)][-1].period_kind == PeriodKind.TERM


def test_they_match_targets_containing_for_the_indicators_asked(plans):
    commune, villages, revenue, births = plans
    units = [commune, *villages]

    for period in ("2020-06", "2020-07", "2020", "2021-03"):
        for indicators in (None, [births], [revenue, births], []):
            span = parse_period(period)
            found = target_values_containing(units, span, indicators=indicators)
            models = targets_containing(units, span, indicators=indicators)
            assert {key: list(several) for key, several in found.items()} == {
                key: [TargetValue(t.value, t.original_value, t.source, t.period) for t in several]
                for key, several in models.items()
            }, (period, indicators)


def test_no_units_no_targets(plans):
    assert target_values_containing([], parse_period("2020-06")) == {}
