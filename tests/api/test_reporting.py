"""Reports through the API: saved and sent by the sheet's own services."""

from tests.api.sweep_world import populate
from xaso.figures.models import Result
from xaso.reporting.models import Submission


def _report(**extra):
    return {"form": "thang-hl", "unit": "hl-2", "period": "2022-12",
            "values": [{"indicator": "road", "value": "1.250"}]} | extra  # fmt: skip


def test_a_report_is_saved_then_sent(world, api):
    populate(world)
    commune = api("commune")
    saved = commune.post("/api/reports", _report())
    assert saved.status_code == 200
    assert (saved.json()["status"], saved.json()["version"]) == ("draft", 1)
    assert Result.objects.get(unit__code="hl-2", period="2022-12").value == 1250
    # 1.250 m is more than 3 times November's 200 m: a warning to confirm first
    asked = commune.post("/api/reports", _report(submit=True, version=1))
    assert (asked.status_code, asked.json()["error"]["field"]) == (422, "confirm")
    assert asked.json()["error"]["message"] == (
        "Có số liệu bất thường, cần xác nhận trước khi gửi. Đường giao thông: 1.250 m, gấp hơn "
        "3 lần mức cao nhất 6 kỳ trước (200). Kiểm tra lại số này."
    )
    assert Submission.objects.get(period="2022-12").status == "draft"
    sent = commune.post("/api/reports", _report(submit=True, version=1, confirm=True))
    assert (sent.status_code, sent.json()["status"], sent.json()["version"]) == (
        200,
        "submitted",
        2,
    )
    listed = api("province").get("/api/submissions/", unit="hl-2").json()["items"]
    assert [(s["period"], s["status"]) for s in listed] == [("2022-12", "submitted")]


def test_a_report_changed_since_its_version_is_a_conflict(world, api):
    populate(world)
    api("commune").post("/api/reports", _report())  # version 1
    stale = api("commune").post("/api/reports", _report(version=0, values=[]))
    assert (stale.status_code, stale.json()["error"]["field"]) == (409, "version")


def test_a_sent_report_is_not_edited(world, api):
    populate(world)
    sent = api("village").post("/api/reports", _report(unit="hl-1", period="2022-11"))
    assert sent.status_code == 422
    assert sent.json()["error"]["field"] == "status"
    assert Submission.objects.get(unit__code="hl-1").version == 1


def test_an_unknown_form_and_indicator_are_named(world, api):
    populate(world)
    form = api("commune").post("/api/reports", _report(form="khong-co"))
    assert form.json()["error"] == {
        "message": "Không có biểu mẫu mã «khong-co».", "field": "form", "code": "validation",
    }  # fmt: skip
    values = [{"indicator": "nothing", "value": "1"}]
    indicator = api("commune").post("/api/reports", _report(values=values))
    assert indicator.json()["error"]["message"] == "Không có chỉ tiêu mã «nothing»."
    assert Submission.objects.filter(period="2022-12").count() == 0


def test_a_unit_that_does_not_report_on_the_form_is_refused(world, api):
    populate(world)
    response = api("commune").post("/api/reports", _report(unit="hl"))
    assert (response.status_code, response.json()["error"]["field"]) == (422, "unit")


def test_a_sent_report_is_approved_or_returned_by_the_reviewer(world, api):
    ids = populate(world)
    path = f"/api/submissions/{ids['SUB-HL-1']}/review"
    refused = api("village").post(path, {"action": "approve"})
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == (
        "Chỉ người quản lý Xã Hà Linh hoặc đơn vị cấp trên mới được duyệt báo cáo."
    )
    no_reason = api("commune").post(path, {"action": "return", "reason": "  "})
    assert (no_reason.status_code, no_reason.json()["error"]["field"]) == (422, "reason")
    approved = api("commune").post(path, {"action": "approve", "version": 1}).json()
    assert (approved["status"], approved["version"]) == ("approved", 2)
    assert Result.objects.get(unit__code="hl-1", period="2022-11").approved is True
    stale = api("commune").post(path, {"action": "return", "reason": "Sai số", "version": 1})
    assert (stale.status_code, stale.json()["error"]["code"]) == (409, "conflict")
    back = api("commune").post(path, {"action": "return", "reason": "Sai số", "version": 2})
    assert (back.json()["status"], back.json()["return_reason"]) == ("returned", "Sai số")
    assert Result.objects.get(unit__code="hl-1", period="2022-11").approved is False
