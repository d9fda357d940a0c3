"""A new commune's meetings and tasks lists include its predecessors' (#22) where the web
pages already did: the API's /meetings/?unit= and /tasks/?unit=, and `xaso tasks`."""

import datetime as dt
import json

import pytest

from tests.api.conftest import Api
from tests.factories import make_unit, make_user
from xaso.api.tokens import create_token
from xaso.meetings.models import Directive
from xaso.meetings.services import DirectiveInput, meeting_record
from xaso.org.models import Lineage, OrgUnit, Role, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    """The old Điền Mỹ (dm, with village dm-3), ended 30/06/2025, merged into today's Hà Linh
    (hl); an unrelated new commune Hương Bình (hb). A meeting of each commune, with tasks."""
    province = make_unit("Hà Tĩnh", UnitKind.PROVINCE, code="42")
    district = make_unit("Hương Khê", UnitKind.DISTRICT, province, code="hk")
    old = make_unit("Điền Mỹ", UnitKind.COMMUNE, district, code="dm")
    village = make_unit("3", UnitKind.VILLAGE, old, code="dm-3")
    new = make_unit("Hà Linh", UnitKind.COMMUNE, province, code="hl")
    other = make_unit("Hương Bình", UnitKind.COMMUNE, province, code="hb")
    OrgUnit.objects.filter(code__in=["hk", "dm", "dm-3"]).update(valid_to=dt.date(2025, 6, 30))
    OrgUnit.objects.filter(code__in=["hl", "hb"]).update(valid_from=dt.date(2025, 7, 1))
    old.refresh_from_db()
    new.refresh_from_db()
    Lineage.objects.create(predecessor=old, successor=new, kind="merge", date=dt.date(2025, 7, 1))
    meeting_record(
        host=old, kind="other", title="Họp xã Điền Mỹ", date=dt.date(2025, 3, 5),
        directives=[
            DirectiveInput(text="Nạo vét kênh mương thôn 3.", assigned_to=[village],
                           due_date=dt.date(2025, 5, 31)),
            DirectiveInput(text="Hoàn thiện hồ sơ đất đai.", assigned_to=[old],
                           due_date=dt.date(2034, 12, 31)),
            DirectiveInput(text="Tổng kết phong trào.", assigned_to=[old]),
        ],
    )  # fmt: skip
    Directive.objects.filter(text__startswith="Tổng kết").update(status="done")
    meeting_record(
        host=new, kind="other", title="Giao ban xã Hà Linh", date=dt.date(2025, 8, 4),
        directives=[DirectiveInput(text="Rà soát hộ nghèo.", assigned_to=[new],
                                   due_date=dt.date(2034, 9, 30))],
    )  # fmt: skip
    meeting_record(
        host=other, kind="other", title="Giao ban xã Hương Bình", date=dt.date(2025, 8, 5),
        directives=[DirectiveInput(text="Việc của Hương Bình.", assigned_to=[other])],
    )  # fmt: skip
    return {"dm": old, "hl": new, "hb": other}


def _api(unit) -> Api:
    _, secret = create_token(user=make_user("xa-moi", unit=unit, role=Role.VIEWER), name="t")
    return Api(secret)


def test_the_api_meetings_of_the_new_commune_include_its_predecessors(units):
    api = _api(units["hl"])

    items = api.get("/api/meetings/", unit="hl").json()["items"]

    assert [(m["host"], m["title"]) for m in items] == [
        ("hl", "Giao ban xã Hà Linh"),
        ("dm", "Họp xã Điền Mỹ"),
    ]
    old = api.get("/api/meetings/", unit="dm").json()["items"]
    assert [m["title"] for m in old] == ["Họp xã Điền Mỹ"]  # the old unit: its own only


def test_the_api_tasks_of_the_new_commune_include_those_given_to_its_predecessors(units):
    api = _api(units["hl"])

    items = api.get("/api/tasks/", unit="hl").json()["items"]

    assert [(t["text"], t["assigned_to"]) for t in items] == [
        ("Rà soát hộ nghèo.", ["hl"]),
        ("Tổng kết phong trào.", ["dm"]),
        ("Hoàn thiện hồ sơ đất đai.", ["dm"]),
    ]
    done = api.get("/api/tasks/", unit="hl", status="done").json()["items"]
    assert [t["text"] for t in done] == ["Tổng kết phong trào."]


def test_a_commune_without_predecessors_lists_its_own_only(units):
    api = _api(units["hb"])

    meetings = api.get("/api/meetings/", unit="hb").json()["items"]
    tasks = api.get("/api/tasks/", unit="hb").json()["items"]

    assert [m["title"] for m in meetings] == ["Giao ban xã Hương Bình"]
    assert [t["text"] for t in tasks] == ["Việc của Hương Bình."]


def test_xaso_tasks_carries_on_the_predecessors_open_tasks(units, capsys):
    from xaso.cli import main

    assert main(["tasks", "hl"]) == 0
    out = capsys.readouterr().out

    assert out.startswith("Nhiệm vụ của Xã Hà Linh: 1\n")
    carried = out.split("Việc chưa xong của Xã Điền Mỹ (đơn vị cũ, đến 30/06/2025): 2\n")[1]
    assert "Nạo vét kênh mương thôn 3." in carried and "Hoàn thiện hồ sơ đất đai." in carried
    assert "giao: Thôn 3 · họp 05/03/2025" in carried
    assert "Tổng kết phong trào." not in out  # done: not carried on

    assert main(["tasks", "hl", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [t["text"] for t in data["tasks"]] == ["Rà soát hộ nghèo."]
    assert [(p["code"], p["valid_to"], len(p["tasks"])) for p in data["predecessors"]] == [
        ("dm", "2025-06-30", 2)
    ]


def test_xaso_tasks_of_a_unit_without_predecessors_has_no_such_section(units, capsys):
    from xaso.cli import main

    assert main(["tasks", "hb", "--json"]) == 0

    assert json.loads(capsys.readouterr().out)["predecessors"] == []


def test_a_commune_merged_in_2020_carries_on_too(units, client):
    """Phú Mỹ (pm), to 31/12/2019, merged into Điền Mỹ on 01/01/2020: two steps back."""
    older = make_unit("Phú Mỹ", UnitKind.COMMUNE, OrgUnit.objects.get(code="hk"), code="pm")
    OrgUnit.objects.filter(code="pm").update(valid_to=dt.date(2019, 12, 31))
    OrgUnit.objects.filter(code="dm").update(valid_from=dt.date(2020, 1, 1))
    older.refresh_from_db()
    Lineage.objects.create(
        predecessor=older, successor=units["dm"], kind="merge", date=dt.date(2020, 1, 1)
    )
    meeting_record(
        host=older, kind="other", title="Họp xã Phú Mỹ", date=dt.date(2019, 10, 2),
        directives=[DirectiveInput(text="Làm đường liên thôn.", assigned_to=[older])],
    )  # fmt: skip
    api = _api(units["hl"])

    titles = [m["title"] for m in api.get("/api/meetings/", unit="hl").json()["items"]]
    tasks = [t["text"] for t in api.get("/api/tasks/", unit="hl").json()["items"]]

    assert titles == ["Họp xã Phú Mỹ", "Giao ban xã Hà Linh", "Họp xã Điền Mỹ"]  # newest id first
    assert "Làm đường liên thôn." in tasks
    client.force_login(make_user("xem-web", unit=units["hl"], role=Role.VIEWER))
    board = client.get("/units/hl/tasks/").content.decode()
    assert "Việc chưa xong của Xã Phú Mỹ (đơn vị cũ, đến 31/12/2019)" in board
    meetings = client.get("/units/hl/meetings/").content.decode()
    assert "Họp xã Phú Mỹ" in meetings
