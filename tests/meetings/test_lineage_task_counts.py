"""The new commune's task board counts the open tasks it carries on from its predecessors
(#22), says which are overdue and to whom each was given."""

import datetime as dt

import pytest

from tests.factories import make_unit, make_user
from xaso.meetings.models import Directive
from xaso.meetings.services import DirectiveInput, meeting_record
from xaso.org.models import Lineage, OrgUnit, Role, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(client):
    province = make_unit("Hà Tĩnh", UnitKind.PROVINCE, code="42")
    district = make_unit("Hương Khê", UnitKind.DISTRICT, province, code="hk")
    old = make_unit("Điền Mỹ", UnitKind.COMMUNE, district, code="dm")
    village = make_unit("3", UnitKind.VILLAGE, old, code="dm-3")
    new = make_unit("Hà Linh", UnitKind.COMMUNE, province, code="hl")
    OrgUnit.objects.filter(code__in=["hk", "dm", "dm-3"]).update(valid_to=dt.date(2025, 6, 30))
    OrgUnit.objects.filter(code="hl").update(valid_from=dt.date(2025, 7, 1))
    old.refresh_from_db()
    Lineage.objects.create(predecessor=old, successor=new, kind="merge", date=dt.date(2025, 7, 1))
    meeting_record(
        host=old,
        kind="other",
        title="Họp xã Điền Mỹ",
        date=dt.date(2025, 3, 5),
        directives=[
            DirectiveInput(text="Nạo vét kênh mương thôn 3.", assigned_to=[village],
                           due_date=dt.date(2025, 5, 31)),  # overdue today
            DirectiveInput(text="Hoàn thiện hồ sơ đất đai.", assigned_to=[old],
                           due_date=dt.date(2034, 12, 31)),
            DirectiveInput(text="Tổng kết phong trào (đã xong).", assigned_to=[old]),
        ],
    )  # fmt: skip
    Directive.objects.filter(text__startswith="Tổng kết").update(status="done")
    client.force_login(make_user("xa-moi", unit=new, role=Role.VIEWER))
    return client.get("/units/hl/tasks/").content.decode()


def test_the_head_counts_the_predecessors_open_tasks_and_the_overdue_one(board):
    assert "<strong>0 nhiệm vụ chưa hoàn thành</strong>" in board
    assert (
        '<a href="#viec-don-vi-cu">và 2 việc chưa xong của 1 đơn vị cũ</a> '
        '<span class="tag overdue">1 quá hạn</span>'
    ) in board
    assert "Không có nhiệm vụ nào giao riêng cho đơn vị đang mở." in board


def test_each_inherited_task_says_to_whom_it_was_given(board):
    section = board.split('id="viec-don-vi-cu"')[1]
    assert "Việc chưa xong của Xã Điền Mỹ (đơn vị cũ, đến 30/06/2025)" in section
    assert "Giao: Thôn 3 · hạn 31/05/2025 · giao tại hội nghị ngày 05/03/2025" in section
    assert "Giao: Xã Điền Mỹ · hạn 31/12/2034" in section
    assert "đã xong" not in section


def test_a_unit_without_predecessors_has_no_such_count(client, board):
    other = make_unit("Hương Bình", UnitKind.COMMUNE, OrgUnit.objects.get(code="42"), code="hb")
    client.force_login(make_user("xa-ben", unit=other, role=Role.VIEWER))
    page = client.get("/units/hb/tasks/").content.decode()

    assert "đơn vị cũ" not in page
    assert "Không có nhiệm vụ nào đang mở." in page
