"""A commune formed in the 2025 reorganisation carries on its predecessors' open tasks (#22)."""

import datetime as dt

import pytest

from tests.factories import make_unit, make_user
from xaso.meetings.services import DirectiveInput, meeting_record
from xaso.org.models import Lineage, OrgUnit, Role, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    province = make_unit("Hà Tĩnh", UnitKind.PROVINCE, code="42")
    district = make_unit("Hương Khê", UnitKind.DISTRICT, province, code="hk")
    old = make_unit("Điền Mỹ", UnitKind.COMMUNE, district, code="dm")
    new = make_unit("Hà Linh", UnitKind.COMMUNE, province, code="hl")
    other = make_unit("Hương Bình", UnitKind.COMMUNE, province, code="hb")
    OrgUnit.objects.filter(code__in=["hk", "dm"]).update(valid_to=dt.date(2025, 6, 30))
    OrgUnit.objects.filter(code__in=["hl", "hb"]).update(valid_from=dt.date(2025, 7, 1))
    old.refresh_from_db()
    Lineage.objects.create(predecessor=old, successor=new, kind="merge", date=dt.date(2025, 7, 1))
    meeting = meeting_record(
        host=old,
        kind="other",
        title="Họp xã Điền Mỹ",
        date=dt.date(2025, 3, 5),
        directives=[
            DirectiveInput(text="Hoàn thành kênh mương thôn 3 (việc cũ).", assigned_to=[old])
        ],
    )
    return {"new": new, "other": other, "directive": meeting.directives.get()}


def test_the_new_communes_task_board_lists_its_predecessors_open_tasks(client, world):
    client.force_login(make_user("xa-moi", unit=world["new"], role=Role.VIEWER))

    page = client.get("/units/hl/tasks/").content.decode()

    assert "Việc chưa xong của Xã Điền Mỹ (đơn vị cũ, đến 30/06/2025)" in page
    assert "Hoàn thành kênh mương thôn 3 (việc cũ)." in page
    assert client.get(f"/tasks/{world['directive'].pk}/").status_code == 200


def test_a_neighbour_reads_neither_the_old_task_nor_the_old_commune(client, world):
    client.force_login(make_user("xa-ben", unit=world["other"], role=Role.VIEWER))
    assert "việc cũ" not in client.get("/units/hb/tasks/").content.decode()
    assert client.get(f"/tasks/{world['directive'].pk}/").status_code == 404
    assert client.get("/units/dm/").status_code in (403, 404)
