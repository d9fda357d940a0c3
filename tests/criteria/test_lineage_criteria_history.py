"""A commune formed in 2025 shows each predecessor's criteria history (#22): when it was
recognised and by which decision, and its counts over the assessments up to its end."""

import datetime as dt

import pytest

from tests.criteria.packs import two_regions
from tests.factories import make_unit, make_user
from xaso.criteria.loading import load_pack
from xaso.criteria.models import CriteriaSet, Criterion
from xaso.criteria.services import assess, recognise
from xaso.org.models import Lineage, OrgUnit, Role, UnitKind

pytestmark = pytest.mark.django_db
END, BEGIN = dt.date(2025, 6, 30), dt.date(2025, 7, 1)


@pytest.fixture
def page(client):
    load_pack(two_regions())  # four criteria
    criteria_set = CriteriaSet.objects.get(code="thu-nghiem")
    criteria = list(Criterion.objects.filter(criteria_set=criteria_set).order_by("number"))
    province = make_unit("Hà Tĩnh", UnitKind.PROVINCE, code="42")
    old = {c: make_unit(n, UnitKind.COMMUNE, province, code=c) for c, n in
           [("a", "Hà Linh"), ("b", "Điền Mỹ"), ("c", "Phúc Đồng")]}  # fmt: skip
    new = make_unit("Hà Linh", UnitKind.COMMUNE, province, code="n")
    OrgUnit.objects.filter(code__in="abc").update(valid_to=END)
    OrgUnit.objects.filter(code="n").update(valid_from=BEGIN)
    # Hà Linh: 2 of 4 in March 2021, all 4 in December, recognised on the 20th.
    for criterion in criteria[:2]:
        assess(unit=old["a"], criterion=criterion, on=dt.date(2021, 3, 1), status="met")
    for criterion in criteria[2:]:
        assess(unit=old["a"], criterion=criterion, on=dt.date(2021, 12, 1), status="met")
    recognise(unit=old["a"], criteria_set=criteria_set, on=dt.date(2021, 12, 20),
              decision="Quyết định số 99/QĐ-UBND")  # fmt: skip
    # Điền Mỹ: one criterion, late 2024; Phúc Đồng: never assessed.
    assess(unit=old["b"], criterion=criteria[0], on=dt.date(2024, 12, 1), status="met")
    for unit in old.values():
        Lineage.objects.create(predecessor=unit, successor=new, kind="merge", date=BEGIN)
    client.force_login(make_user("xa", unit=new, role=Role.VIEWER))
    return client.get("/units/n/criteria/?set=thu-nghiem&date=01/01/2026").content.decode()


def test_the_new_commune_shows_each_predecessors_criteria_history(page):
    assert "Trước khi hợp nhất: <strong>1/3 xã cũ đã đạt chuẩn</strong>" in page
    assert (
        "<li>Xã Hà Linh: công nhận đạt chuẩn ngày 20/12/2021 (Quyết định số 99/QĐ-UBND); "
        "qua các lần đánh giá 2/4 (01/03/2021) → 4/4 (01/12/2021).</li>"
    ) in page
    assert "<li>Xã Điền Mỹ: qua các lần đánh giá 1/4 (01/12/2024).</li>" in page
    assert "<li>Xã Phúc Đồng: chưa có lần đánh giá nào.</li>" in page


def test_an_old_commune_has_no_predecessors_history(client, page):
    client.force_login(make_user("tinh", unit=OrgUnit.objects.get(code="42"), role=Role.VIEWER))
    old = client.get("/units/a/criteria/?set=thu-nghiem&date=01/01/2025").content.decode()

    assert "Trước khi hợp nhất" not in old and "lineage-history" not in old
