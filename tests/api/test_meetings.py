"""Meetings, tasks and documents through the API: what the web shows, in JSON."""

import datetime as dt

from django.utils import timezone

from tests.api.sweep_world import populate
from xaso.meetings.models import Directive, FollowUp


def test_a_meeting_is_read_with_its_tasks(world, api):
    ids = populate(world)
    meeting = api("commune").get(f"/api/meetings/{ids['M-HL']}").json()
    assert (meeting["host"], meeting["title"], meeting["date"]) == ("hl", "Họp M-HL", "2022-11-30")
    assert [(t["number"], t["text"], t["assigned_to"], t["status"]) for t in meeting["tasks"]] == [
        (1, "Việc T-SHARED", ["hl-1", "hl-2"], "open"),
        (2, "Việc T-HL1", ["hl-1"], "open"),
    ]


def test_meetings_of_a_unit_newest_first(world, api):
    ids = populate(world)
    listed = api("commune").get("/api/meetings/", unit="hl").json()["items"]
    assert [m["id"] for m in listed] == [ids["M-JOINT"], ids["M-HL"]]
    assert listed[0]["units"] == ["d1"]
    other = api("other").get("/api/meetings/", unit="d1").json()["items"]
    assert [m["id"] for m in other] == [ids["M-JOINT"], ids["M-D1"]]  # d1 took part in M-JOINT


def test_tasks_given_to_a_unit_and_by_status(world, api):
    ids = populate(world)
    mine = api("village").get("/api/tasks/", unit="hl-1").json()["items"]
    assert [t["id"] for t in mine] == [ids["T-HL1"], ids["T-SHARED"]]
    assert api("village").get("/api/tasks/", unit="hl-1", status="done").json()["items"] == []


def test_progress_moves_a_tasks_status_through_the_service(world, api):
    ids = populate(world)
    body = {"status": "in_progress", "note": "Đã làm 2/3 tuyến", "seen_status": "open"}
    response = api("village").post(f"/api/tasks/{ids['T-HL1']}/progress", body)
    assert response.status_code == 200
    assert response.json() == {
        "task": ids["T-HL1"], "date": timezone.localdate().isoformat(), "status": "in_progress",
        "note": "Đã làm 2/3 tuyến", "task_status": "in_progress",
    }  # fmt: skip
    follow_up = FollowUp.objects.get()
    assert (follow_up.by, follow_up.status) == (world.users["village"], "in_progress")


def test_a_status_moved_since_it_was_seen_is_a_conflict(world, api):
    ids = populate(world)
    Directive.objects.filter(pk=ids["T-HL1"]).update(status="done")
    body = {"status": "in_progress", "note": "Còn làm", "seen_status": "open"}
    response = api("village").post(f"/api/tasks/{ids['T-HL1']}/progress", body)
    assert response.status_code == 409
    assert response.json()["error"]["field"] == "seen_status"
    assert FollowUp.objects.count() == 0


def test_a_shared_tasks_status_is_moved_by_the_issuing_unit_only(world, api):
    ids = populate(world)
    path = f"/api/tasks/{ids['T-SHARED']}/progress"
    refused = api("village").post(path, {"status": "done", "note": "Xong"})
    assert refused.status_code == 403
    assert refused.json()["error"]["message"].startswith("Nhiệm vụ này giao cho nhiều đơn vị")
    kept = api("village").post(path, {"status": "open", "note": "Thôn 1 đã xong phần mình"})
    assert kept.status_code == 200
    assert api("commune").post(path, {"status": "done", "note": "Xong"}).status_code == 200


def test_progress_dated_tomorrow_names_the_date(world, api):
    ids = populate(world)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    body = {"status": "open", "note": "Trước", "date": tomorrow.isoformat()}
    response = api("village").post(f"/api/tasks/{ids['T-HL1']}/progress", body)
    assert (response.status_code, response.json()["error"]["field"]) == (422, "date")
    today = {"status": "open", "note": "Hôm nay", "date": timezone.localdate().isoformat()}
    assert api("village").post(f"/api/tasks/{ids['T-HL1']}/progress", today).status_code == 200


def test_a_document_is_read_by_its_uploader_and_its_units_managers(world, api):
    ids = populate(world)
    own = api("village").get(f"/api/documents/{ids['DOC-HL1']}").json()
    assert (own["filename"], own["unit"]) == ("DOC-HL1.txt", "hl-1")
    assert own["text"] == "Báo cáo kết quả tháng 11 năm 2022. Trồng 215 cây bóng mát."
    listed = api("commune").get("/api/documents/").json()["items"]
    assert [d["filename"] for d in listed] == ["DOC-HL.txt", "DOC-HL1.txt"]
    assert "text" not in listed[0]


def test_a_meeting_is_recorded_with_its_tasks(world, api):
    body = {
        "host": "hl", "kind": "executive_extended", "title": "Hội nghị BCH mở rộng tháng 12",
        "date": "2022-12-05", "units": ["hl-1"], "conclusions": "Tập trung làm đường.",
        "tasks": [{"text": "Hoàn thành 2 km đường", "assigned_to": ["hl-1", "hl-2"],
                   "due_date": "2022-12-31"}],
    }  # fmt: skip
    response = api("commune").post("/api/meetings", body)
    assert response.status_code == 200
    made = response.json()
    assert (made["host"], made["units"], made["date"]) == ("hl", ["hl-1"], "2022-12-05")
    assert [(t["number"], t["assigned_to"], t["due_date"]) for t in made["tasks"]] == [
        (1, ["hl-1", "hl-2"], "2022-12-31")
    ]
    assert api("village").get(f"/api/tasks/{made['tasks'][0]['id']}").status_code == 200


def test_a_meeting_naming_an_unknown_unit_stores_nothing(world, api):
    body = {"host": "hl", "kind": "briefing", "title": "Giao ban", "date": "2022-12-05",
            "tasks": [{"text": "Việc", "assigned_to": ["khong-co"]}]}  # fmt: skip
    response = api("commune").post("/api/meetings", body)
    assert response.json() == {
        "error": {"message": "Không có đơn vị mã «khong-co».", "field": "tasks",
                  "code": "validation"},
    }  # fmt: skip
    assert api("commune").get("/api/meetings/").json()["items"] == []


def test_a_meeting_sent_twice_with_one_key_is_recorded_once(world, api):
    body = {"host": "hl", "kind": "briefing", "title": "Giao ban", "date": "2022-12-05"}
    first = api("commune").post("/api/meetings", body, key="m-1").json()
    again = api("commune").post("/api/meetings", body, key="m-1").json()
    assert first == again
    assert len(api("commune").get("/api/meetings/").json()["items"]) == 1
