"""The synthetic country: deterministic, bulk-loaded (COPY on PostgreSQL), rolled up live."""

from collections import Counter
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum

from xaso.catalog.models import Indicator
from xaso.demo.synth import SynthError, SynthSpec, synth
from xaso.figures.models import Result, Subtotal, Target
from xaso.figures.selectors import rollup
from xaso.figures.services import record_result
from xaso.org.models import OrgUnit
from xaso.periods import parse_period

pytestmark = pytest.mark.django_db(transaction=True)

SPEC = SynthSpec(
    provinces=2,
    communes_per_province=3,
    villages_per_commune=4,
    indicators=5,
    periods="2024-01..2024-03",
    seed=7,
)


def test_it_loads_the_country_it_was_asked_for():
    report = synth(SPEC, progress=lambda line: None)

    assert report.units == OrgUnit.objects.count() == 2 * (1 + 3 * (1 + 4))
    assert report.results == Result.objects.count() == 2 * 3 * 4 * 5 * 3
    assert report.targets == Target.objects.count() == 2 * 3 * 5
    # Subtotals of every province and commune, per indicator and month, built after the load.
    assert report.subtotals == Subtotal.objects.count() == (2 + 2 * 3) * 5 * 3
    assert Indicator.objects.filter(code__startswith="syn-").count() == 5
    village = OrgUnit.objects.get(code="S02.003.04")
    assert village.depth == 3 and village.path.startswith(OrgUnit.objects.get(code="S02").path)
    assert Result.objects.filter(unit=village).first().unit_path == village.path


def test_every_year_of_the_months_has_its_yearly_targets_and_no_other_year_does():
    synth(replace(SPEC, periods="2024-11..2026-02"), progress=lambda line: None)

    by_year = Counter(Target.objects.values_list("period", flat=True))
    assert by_year == {"2024": 2 * 3 * 5, "2025": 2 * 3 * 5, "2026": 2 * 3 * 5}
    commune = OrgUnit.objects.get(code="S01.002")
    assert Target.objects.filter(unit=commune, period="2026", period_kind="year").count() == 5
    plans = Target.objects.filter(unit=commune, indicator__code="syn-001").order_by("period")
    assert [(t.period_start, t.period_end) for t in plans] == [
        (date(y, 1, 1), date(y, 12, 31)) for y in (2024, 2025, 2026)
    ]
    assert len({t.value for t in plans}) == 3  # each year drawn anew, not one plan copied


def test_the_same_seed_gives_the_same_values():
    synth(SPEC, progress=lambda line: None)
    first = list(
        Result.objects.order_by("unit_path", "indicator_id", "period").values_list(
            "value", flat=True
        )
    )
    Result.objects.all().delete()
    Target.objects.all().delete()
    OrgUnit.objects.all().delete()
    synth(SPEC, progress=lambda line: None)
    second = list(
        Result.objects.order_by("unit_path", "indicator_id", "period").values_list(
            "value", flat=True
        )
    )
    assert first == second


def test_a_province_roll_up_equals_the_sum_of_its_villages_and_sees_a_new_value_at_once():
    synth(SPEC, progress=lambda line: None)
    province = OrgUnit.objects.get(code="S01")
    indicator = Indicator.objects.get(code="syn-001")  # a "sum" indicator
    march = parse_period("2024-03")
    expected = Result.objects.filter(
        unit_path__startswith=province.path, indicator=indicator, period="2024-03"
    ).aggregate(total=Sum("value"))["total"]

    assert rollup(province, march, [indicator]).figures[indicator.pk].value == expected

    village = OrgUnit.objects.get(code="S01.002.03")
    before = Result.objects.get(unit=village, indicator=indicator, period="2024-03").value
    record_result(unit=village, indicator=indicator, period=march, value="1.000")

    figure = rollup(province, march, [indicator]).figures[indicator.pk]
    assert figure.value == expected - before + Decimal(1000)


def test_a_second_country_in_the_same_database_is_refused():
    synth(SPEC, progress=lambda line: None)
    with pytest.raises(SynthError):
        synth(SPEC, progress=lambda line: None)
