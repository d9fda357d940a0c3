"""figures.shapes: a roll-up's SQL is compiled once per shape of question and sent again
with each question's own values. Each answer is checked against plain SQL over the results,
so that a value of an earlier question left in place, or put in the wrong place, shows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Q

from tests.factories import make_indicator, make_unit
from xaso.figures import shapes
from xaso.figures.models import Result
from xaso.figures.selectors import rollup
from xaso.figures.services import record_result
from xaso.figures.subtotals import standing_rows
from xaso.org.models import UnitKind
from xaso.periods import parse_period

pytestmark = pytest.mark.django_db

MONTHS = ["2022-10", "2022-11"]


@pytest.fixture
def country():
    """Two communes under two districts, their villages reporting different values each
    month; one commune records its own value for one indicator in November."""
    province = make_unit("Hà Tĩnh", UnitKind.PROVINCE, code="42")
    indicators = [make_indicator(code, rollup=rule) for code, rule in (("a", "sum"), ("b", "max"))]
    communes = []
    for n in range(2):
        district = make_unit(f"Huyện {n}", UnitKind.DISTRICT, province, code=f"d{n}")
        commune = make_unit(f"Xã {n}", UnitKind.COMMUNE, district, code=f"c{n}")
        for v in range(3):
            village = make_unit(f"Thôn {v}", UnitKind.VILLAGE, commune, code=f"c{n}-{v}")
            for m, month in enumerate(MONTHS):
                for i, indicator in enumerate(indicators):
                    value = 100 * n + 10 * v + 3 * m + i + 1
                    record_result(unit=village, indicator=indicator, period=month, value=value)
        communes.append(commune)
    record_result(unit=communes[1], indicator=indicators[0], period="2022-11", value="999")
    return communes, indicators


def _plain_sql(commune, indicator, month) -> Decimal:
    """The oracle: the commune's own value, else its villages' values by the rule."""
    rule = "SUM" if indicator.rollup == "sum" else "MAX"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {rule}(value), COUNT(*) FROM figures_result WHERE indicator_id = %s "  # noqa: S608
            "AND period = %s AND unit_path LIKE %s AND unit_depth IN (%s, %s) "
            "GROUP BY unit_depth ORDER BY unit_depth",
            [indicator.pk, month, commune.path + "%", commune.depth, commune.depth + 1],
        )
        own_or_below = cursor.fetchall()
    return Decimal(str(own_or_below[0][0])).normalize()


def test_questions_of_one_shape_share_the_sql_and_each_gets_its_own_answer(country, monkeypatch):
    communes, indicators = country
    shapes._compiled.clear()
    compiled = []
    templates = shapes._templates
    monkeypatch.setattr(shapes, "_templates", lambda *args: compiled.append(1) or templates(*args))

    for month in MONTHS:
        for commune in communes:
            found = rollup(commune, parse_period(month), indicators)
            for indicator in indicators:
                expected = _plain_sql(commune, indicator, month)
                assert found.figures[indicator.pk].value.normalize() == expected, (
                    commune.code, indicator.code, month,
                )  # fmt: skip

    assert len(compiled) == 1  # four questions of one shape: compiled once
    [templates] = shapes._compiled.values()
    assert templates is not None


def test_a_shape_of_other_lengths_is_compiled_again(country):
    communes, indicators = country
    shapes._compiled.clear()

    one = rollup(communes[0], parse_period("2022-11"), indicators[:1])
    both = rollup(communes[0], parse_period("2022-11"), indicators)

    assert len(shapes._compiled) == 2
    assert set(one.figures) == {indicators[0].pk}
    assert set(both.figures) == {indicator.pk for indicator in indicators}


def test_a_value_django_rewrites_is_not_cached_but_compiled_each_time(country):
    communes, _ = country
    shapes._compiled.clear()
    slots = shapes.Slots()
    # startswith: the placeholder comes out escaped, with a "%" after it
    condition = slots.q(Q(unit_path__startswith=communes[0].path))

    found = shapes.compiled("test", slots, lambda: [(Result.objects.filter(condition), None)])

    assert found is None
    assert list(shapes._compiled.values()) == [None]


def test_an_empty_list_leaves_its_query_out(country):
    slots = shapes.Slots()
    ids = slots.many([])

    found = shapes.compiled("empty", slots, lambda: [(Result.objects.filter(pk__in=ids), "x")])

    assert found == []


def test_a_value_django_turns_into_another_type_is_not_cached(country):
    shapes._compiled.clear()
    slots = shapes.Slots()
    condition = slots.q(Q(period=202211))  # an int for a text column: sent as "20000"

    found = shapes.compiled("test", slots, lambda: [(Result.objects.filter(condition), None)])

    assert found is None


def test_a_set_of_ids_makes_no_shape_and_the_roll_up_still_answers(country):
    communes, indicators = country
    shapes._compiled.clear()
    scope = Q(unit_depth=communes[0].depth, unit_path=communes[0].path)
    november = ["2022-11"]

    with pytest.raises(shapes.Unshaped):
        shapes.Slots().q(scope & Q(indicator_id__in={indicators[0].pk}))
    rows = standing_rows(
        [scope & Q(indicator_id__in={indicators[0].pk})], november, [indicators[0].pk]
    )

    assert [(row[0], row[1], row[2]) for row in rows] == [
        (communes[0].path, indicators[0].pk, _plain_sql(communes[0], indicators[0], "2022-11"))
    ]
    assert shapes._compiled == {}
