"""A commune formed in the 2025 reorganisation lists its predecessors' meetings, marked as held
by the old unit, and readable by its people (#22)."""

import datetime as dt
import json

import pytest

from tests.factories import make_unit, make_user
from xaso import cli
from xaso.meetings.services import meeting_record
from xaso.org.models import Lineage, OrgUnit, Role, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Old Điền Mỹ merged into today's Hà Linh; old Phúc Đồng divided between Hà Linh and
    Hương Bình. Each old commune held a meeting, and today's Hà Linh one of its own."""
    province = make_unit("Hà Tĩnh", UnitKind.PROVINCE, code="42")
    district = make_unit("Hương Khê", UnitKind.DISTRICT, province, code="hk")
    dm = make_unit("Điền Mỹ", UnitKind.COMMUNE, district, code="dm")
    pd = make_unit("Phúc Đồng", UnitKind.COMMUNE, district, code="pd")
    far = make_unit("Lộc Yên", UnitKind.COMMUNE, district, code="ly")
    new = make_unit("Hà Linh", UnitKind.COMMUNE, province, code="hl")
    other = make_unit("Hương Bình", UnitKind.COMMUNE, province, code="hb")
    OrgUnit.objects.filter(code__in=["hk", "dm", "pd", "ly"]).update(valid_to=dt.date(2025, 6, 30))
    OrgUnit.objects.filter(code__in=["hl", "hb"]).update(valid_from=dt.date(2025, 7, 1))
    day = dt.date(2025, 7, 1)
    Lineage.objects.create(predecessor=dm, successor=new, kind="merge", date=day)
    for successor, share in [(new, "0.4"), (other, "0.6")]:
        Lineage.objects.create(
            predecessor=pd, successor=successor, kind="split", date=day, share=share
        )
    held = {}
    for host, title, date in [
        (dm, "Sơ kết 6 tháng xã Điền Mỹ 2022", dt.date(2022, 7, 5)),
        (pd, "Giao ban xã Phúc Đồng", dt.date(2023, 3, 1)),
        (far, "Họp xã Lộc Yên", dt.date(2022, 8, 1)),
        (new, "Giao ban xã Hà Linh mới", dt.date(2025, 8, 1)),
    ]:
        held[title] = meeting_record(host=host, kind="other", title=title, date=date)
    return {"new": new, "other": other, "held": held}


def test_the_new_communes_list_has_its_predecessors_meetings_marked_as_old(client, world):
    client.force_login(make_user("xa-moi", unit=world["new"], role=Role.VIEWER))

    page = client.get("/units/hl/meetings/").content.decode()

    for title in ["Giao ban xã Hà Linh mới", "Sơ kết 6 tháng xã Điền Mỹ 2022",
                  "Giao ban xã Phúc Đồng"]:  # fmt: skip
        assert title in page
    assert "Họp xã Lộc Yên" not in page  # not a predecessor
    assert "Xã Điền Mỹ" in page and "đơn vị cũ, đến 30/06/2025" in page
    # Newest first, the old ones after today's.
    assert page.index("Hà Linh mới") < page.index("Phúc Đồng") < page.index("Điền Mỹ 2022")
    # Each is readable by the new commune's people (the inherited-read rule).
    for title in ["Sơ kết 6 tháng xã Điền Mỹ 2022", "Giao ban xã Phúc Đồng"]:
        assert client.get(f"/meetings/{world['held'][title].pk}/").status_code == 200


def test_a_neighbour_sees_only_its_own_predecessors_meetings(client, world):
    client.force_login(make_user("xa-ben", unit=world["other"], role=Role.VIEWER))

    page = client.get("/units/hb/meetings/").content.decode()

    assert "Giao ban xã Phúc Đồng" in page  # a part of Phúc Đồng went into Hương Bình
    assert "Điền Mỹ" not in page and "Hà Linh mới" not in page
    meeting = world["held"]["Sơ kết 6 tháng xã Điền Mỹ 2022"]
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 404
    assert client.get("/units/hl/meetings/").status_code in (403, 404)


def test_xaso_meetings_json_says_which_were_held_by_an_old_unit(capsys, world):
    assert cli.main(["meetings", "hl", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["meetings"]

    assert [(r["title"], r["host_code"], r["host_valid_to"]) for r in rows] == [
        ("Giao ban xã Hà Linh mới", "hl", None),
        ("Giao ban xã Phúc Đồng", "pd", "2025-06-30"),
        ("Sơ kết 6 tháng xã Điền Mỹ 2022", "dm", "2025-06-30"),
    ]
    assert cli.main(["meetings", "hl"]) == 0
    assert "tổ chức: Xã Điền Mỹ (đơn vị cũ, đến 30/06/2025)" in capsys.readouterr().out
