"""`targets_containing` loads targets without the ORM's per-object work (figures.loaded): the
objects must be the ones the ORM would give — every field, the document, the order."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_commune_tree, make_indicator
from xaso.figures.models import DocumentKind, PlanDocument, Target, TargetSource
from xaso.figures.selectors import targets_containing
from xaso.figures.services import set_target
from xaso.periods import parse_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans():
    _, _, commune, villages = make_commune_tree()
    revenue = make_indicator("thu-ngan-sach", unit="trieu_dong")
    decision = PlanDocument.objects.create(
        unit=commune, kind=DocumentKind.DECISION, number="15/QĐ-UBND", issued_on=date(2020, 1, 10)
    )
    # Set in the opposite of the order expected back: the term first, the council before
    # the district.
    for period, source, value in (
        ("2020..2025", TargetSource.CONGRESS_RESOLUTION, "80.000"),
        ("2020", TargetSource.COUNCIL_RESOLUTION, "16.477"),
        ("2020", TargetSource.DISTRICT_PLAN, "15.511"),
    ):
        set_target(
            unit=commune, indicator=revenue, period=period, source=source, value=value,
            document=decision if source == TargetSource.DISTRICT_PLAN else None,
            note="ghi chú " + period,
        )  # fmt: skip
    set_target(
        unit=villages[0], indicator=revenue, period="2020", source=TargetSource.DISTRICT_PLAN,
        value="1.200",
    )  # fmt: skip
    set_target(  # a target of another year: not containing 2020-06
        unit=villages[1], indicator=revenue, period="2021", source=TargetSource.DISTRICT_PLAN,
        value="1.300",
    )  # fmt: skip
    return commune, villages, revenue, decision


def test_the_targets_containing_a_month_come_narrowest_first_then_by_source(plans):
    commune, villages, revenue, decision = plans

    found = targets_containing([commune, *villages], parse_period("2020-06"))

    assert set(found) == {(commune.pk, revenue.pk), (villages[0].pk, revenue.pk)}
    mine = found[(commune.pk, revenue.pk)]
    assert [(t.period, t.source, t.value) for t in mine] == [
        ("2020", TargetSource.DISTRICT_PLAN, Decimal("15511")),
        ("2020", TargetSource.COUNCIL_RESOLUTION, Decimal("16477")),
        ("2020..2025", TargetSource.CONGRESS_RESOLUTION, Decimal("80000")),
    ]
    assert [t.period_start for t in mine] == [date(2020, 1, 1), date(2020, 1, 1), date(2020, 1, 1)]
    assert [t.period_end for t in mine] == [date(2020, 12, 31)] * 2 + [date(2025, 12, 31)]


def test_loaded_targets_equal_the_orms_field_by_field(plans):
    commune, villages, revenue, decision = plans

    found = targets_containing([commune, *villages], parse_period("2020-06"))

    for loaded in (t for several in found.values() for t in several):
        fresh = Target.objects.get(pk=loaded.pk)
        assert loaded == fresh
        for field in Target._meta.concrete_fields:  # set_at and set_by load when asked
            name = field.attname
            assert getattr(loaded, name) == getattr(fresh, name), name
        assert loaded.document == fresh.document
    district_plan = found[(commune.pk, revenue.pk)][0]
    assert district_plan.document.number == "15/QĐ-UBND"
    assert found[(villages[0].pk, revenue.pk)][0].document is None


def test_a_loaded_target_saves_like_any_other(plans):
    commune, villages, revenue, decision = plans
    [target] = targets_containing([villages[0]], parse_period("2020"))[(villages[0].pk, revenue.pk)]

    target.note = "đã sửa"
    target.save(update_fields=["note"])

    assert Target.objects.get(pk=target.pk).note == "đã sửa"
    assert Target.objects.filter(unit=villages[0]).count() == 1  # updated, not inserted
