"""Targets set at the same moment by two managers (PostgreSQL: real concurrent sessions)."""

import threading

import pytest
from django.db import connection

from tests.factories import make_indicator, make_unit
from xaso.audit.models import AuditEntry, Entity
from xaso.figures.allocation import allocate
from xaso.figures.models import Allocation, Target, TargetSource
from xaso.figures.services import Seen, StaleTarget, set_target
from xaso.org.models import UnitKind

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL"),
]


def race(count: int, job) -> list:
    barrier = threading.Barrier(count)
    answers: list = [None] * count

    def run(index):
        try:
            barrier.wait()
            answers[index] = job(index)
        except StaleTarget:
            answers[index] = "clash"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.mark.parametrize(("values", "clashes"), [(["40"] * 4, 0), (["40", "41"], 1)])
def test_a_new_target_added_twice_at_once_is_stored_once(values, clashes):
    unit = make_unit("Hà Linh", UnitKind.COMMUNE, code="hl")
    toilets = make_indicator("nha-tieu", unit="ho")

    def add(index):
        set_target(
            unit=unit,
            indicator=toilets,
            period="2022",
            source=TargetSource.DISTRICT_PLAN,
            value=values[index],
            seen=Seen(None),
        )
        return "saved"

    answers = race(len(values), add)

    assert sorted(answers) == ["clash"] * clashes + ["saved"] * (len(values) - clashes)
    [target] = Target.objects.all()
    assert target.value == int(values[answers.index("saved")])
    assert AuditEntry.objects.filter(entity=Entity.TARGET).count() == 1


def test_one_allocation_sent_by_two_managers_at_once_is_written_once():
    commune = make_unit("Hà Linh", UnitKind.COMMUNE, code="hl")
    for n in (1, 2, 3):
        make_unit(f"{n}", UnitKind.VILLAGE, commune, code=f"hl-{n}")
    toilets = make_indicator("nha-tieu", unit="ho")
    target = set_target(
        unit=commune, indicator=toilets, period="2022", source=TargetSource.CAMPAIGN, value="40"
    )

    answers = race(4, lambda _: allocate(target=target, method="equal").total)

    assert answers == [40] * 4
    shares = sorted(t.value for t in Target.objects.filter(allocated_from=target))
    assert shares == [13, 13, 14]
    assert Allocation.objects.count() == 1
    assert AuditEntry.objects.filter(entity=Entity.ALLOCATION).count() == 1
    assert AuditEntry.objects.filter(entity=Entity.TARGET).count() == 1 + 3
