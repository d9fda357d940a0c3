"""A commune formed in 2025 shows where its predecessors stood on a criteria set (#22)."""

import datetime as dt

import pytest

from tests.criteria.packs import two_regions
from tests.factories import make_unit, make_user
from xaso.criteria.lineage import predecessors_standing
from xaso.criteria.loading import load_pack
from xaso.criteria.models import CriteriaSet, Criterion
from xaso.criteria.services import assess
from xaso.org.models import Lineage, OrgUnit, Role, UnitKind

pytestmark = pytest.mark.django_db
END, BEGIN = dt.date(2025, 6, 30), dt.date(2025, 7, 1)


def test_two_of_three_predecessors_had_reached_the_standard(client):
    load_pack(two_regions())
    criteria_set = CriteriaSet.objects.get(code="thu-nghiem")
    province = make_unit("Hà Tĩnh", UnitKind.PROVINCE, code="42")
    old = [make_unit(n, UnitKind.COMMUNE, province, code=c) for c, n in
           [("a", "Hà Linh"), ("b", "Điền Mỹ"), ("c", "Phúc Đồng")]]  # fmt: skip
    new = make_unit("Hà Linh", UnitKind.COMMUNE, province, code="n")
    OrgUnit.objects.filter(code__in="abc").update(valid_to=END)
    OrgUnit.objects.filter(code="n").update(valid_from=BEGIN)
    criteria = list(Criterion.objects.filter(criteria_set=criteria_set))
    for unit, met in zip(old, [len(criteria), len(criteria), 1], strict=True):
        for criterion in criteria[:met]:
            assess(unit=unit, criterion=criterion, on=dt.date(2024, 12, 1), status="met")
        Lineage.objects.create(predecessor=unit, successor=new, kind="merge", date=BEGIN)
    new.refresh_from_db()

    found = predecessors_standing(new, criteria_set, dt.date(2026, 1, 1))

    assert found.words == "2/3 xã cũ đã đạt chuẩn"
    assert [(s.unit.code, s.achieved, s.on) for s in found.standings] == [
        ("a", len(criteria), END),
        ("b", len(criteria), END),
        ("c", 1, END),
    ]
    assert predecessors_standing(old[0], criteria_set, dt.date(2024, 1, 1)) is None
    client.force_login(make_user("xa", unit=new, role=Role.VIEWER))
    page = client.get("/units/n/criteria/?set=thu-nghiem&date=01/01/2026").content.decode()
    assert "Trước khi hợp nhất: <strong>2/3 xã cũ đã đạt chuẩn</strong>" in page
