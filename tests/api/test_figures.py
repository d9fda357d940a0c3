"""The figures routes: the same services and answers as the web, worked out by hand."""

from decimal import Decimal

from xaso.figures.models import Result, ResultChange, Target
from xaso.figures.services import record_result


def _figure(world, code, value, period="2022-11", indicator="road"):
    from xaso.catalog.models import Indicator

    record_result(
        unit=world.units[code],
        indicator=Indicator.objects.get(code=indicator),
        period=period,
        value=value,
    )


def test_a_result_written_through_the_api_is_converted_audited_and_rolled_up(world, api):
    village = api("village")
    one = village.post(
        "/api/results",
        {"unit": "hl-1", "indicator": "road", "period": "2022-11", "value": "1,5 km"},
    )
    assert one.status_code == 200
    assert one.json() == {
        "unit": "hl-1", "indicator": "road", "period": "2022-11", "value": "1500",
        "status": "final",
    }  # fmt: skip
    _figure(world, "hl-2", "1.200")
    change = ResultChange.objects.get(unit__code="hl-1")
    assert (change.channel, change.changed_by, change.written_as) == (
        "api",
        world.users["village"],
        "1,5 km",
    )

    figures = api("commune").get("/api/units/hl/figures", period="tháng 11/2022").json()
    assert figures["period"] == "2022-11" and figures["period_label"] == "tháng 11/2022"
    assert figures["figures"] == [
        {"indicator": "road", "value": "2700", "estimated": False, "own": False,
         "reporting": 2},
    ]  # fmt: skip
    assert [(c["unit"], c["figures"][0]["value"]) for c in figures["children"]] == [
        ("hl-1", "1500"),
        ("hl-2", "1200"),
    ]


def test_the_same_result_sent_again_changes_nothing(world, api):
    body = {"unit": "hl-1", "indicator": "road", "period": "2022-11", "value": "700"}
    assert api("village").post("/api/results", body).status_code == 200
    assert api("village").post("/api/results", body).status_code == 200
    assert ResultChange.objects.count() == 1


def test_a_result_changed_since_it_was_seen_is_a_conflict(world, api):
    _figure(world, "hl-1", "700")
    body = {"unit": "hl-1", "indicator": "road", "period": "2022-11", "value": "800", "seen": "600"}
    response = api("village").post("/api/results", body)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert Result.objects.get().value == Decimal(700)


def test_a_result_for_a_unit_one_may_not_record_for_is_refused(world, api):
    body = {"unit": "hl-2", "indicator": "road", "period": "2022-11", "value": "5"}
    response = api("village").post("/api/results", body)  # a reporter of hl-1 only
    assert response.status_code == 403
    assert response.json()["error"]["message"] == ("Bạn không có quyền ghi số liệu cho Thôn 2.")
    assert api("province").post("/api/results", body).status_code == 403  # a viewer
    assert Result.objects.count() == 0


def test_a_wrong_number_names_the_field(world, api):
    body = {"unit": "hl-1", "indicator": "households", "period": "2022-11", "value": "2,5"}
    response = api("village").post("/api/results", body)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "value"
    assert Result.objects.count() == 0


def test_a_batch_is_stored_all_or_nothing_with_a_report(world, api):
    rows = [
        {"unit": "hl-1", "indicator": "households", "period": "2022-11", "value": "120"},
        {"unit": "hl-2", "indicator": "households", "period": "2022-11", "value": "80"},
    ]
    wrong = [*rows, {"unit": "hl-3", "indicator": "nothing", "period": "2022-11", "value": "1"}]
    refused = api("commune").post("/api/results/batch", {"rows": wrong})
    assert refused.status_code == 200
    assert refused.json() == {
        "rows": 3, "stored": 0, "unchanged": 0, "dry_run": False,
        "errors": [{"row": 3, "field": "indicator", "message": "Không có chỉ tiêu mã «nothing»."}],
    }  # fmt: skip
    assert Result.objects.count() == 0

    dry = api("commune").post("/api/results/batch", {"rows": rows, "dry_run": True}).json()
    assert (dry["stored"], dry["dry_run"], Result.objects.count()) == (2, True, 0)

    done = api("commune").post("/api/results/batch", {"rows": rows}).json()
    assert (done["rows"], done["stored"], done["unchanged"], done["errors"]) == (2, 2, 0, [])
    again = api("commune").post("/api/results/batch", {"rows": rows}).json()
    assert (again["stored"], again["unchanged"]) == (0, 2)
    figures = api("commune").get("/api/units/hl/figures", period="2022-11").json()
    assert figures["figures"][0]["value"] == "200"


def test_a_batch_row_outside_ones_units_is_named(world, api):
    rows = [{"unit": "hl-2", "indicator": "road", "period": "2022-11", "value": "3"}]
    report = api("village").post("/api/results/batch", {"rows": rows}).json()
    assert report["errors"] == [
        {"row": 1, "field": "unit", "message": "Bạn không có quyền ghi số liệu cho Thôn 2."}
    ]


def test_targets_are_set_by_managers_only_and_listed(world, api):
    body = {"unit": "hl", "indicator": "road", "period": "2022", "source": "district_plan",
            "value": "3.000"}  # fmt: skip
    assert api("village").post("/api/targets", body).status_code == 403  # hl is above hl-1
    refused = api("province").post("/api/targets", body)  # reads hl, manages nothing
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == (
        "Chỉ người quản lý Xã Hà Linh hoặc đơn vị cấp trên mới được đặt chỉ tiêu."
    )
    assert Target.objects.count() == 0
    made = api("commune").post("/api/targets", body)
    assert made.status_code == 200
    assert (made.json()["value"], made.json()["source"]) == ("3000", "district_plan")

    listed = api("province").get("/api/units/hl/targets").json()
    assert [(t["indicator"], t["period"], t["value"]) for t in listed["items"]] == [
        ("road", "2022", "3000")
    ]
    assert api("province").get("/api/units/hl/targets", period="2023").json()["items"] == []


def test_a_target_changed_since_it_was_seen_is_a_conflict(world, api):
    body = {"unit": "hl", "indicator": "road", "period": "2022", "source": "district_plan",
            "value": "3000"}  # fmt: skip
    api("commune").post("/api/targets", body)
    stale = api("commune").post("/api/targets", body | {"value": "4000", "seen": None})
    assert stale.status_code == 409
    assert stale.json()["error"]["message"] == "Chỉ tiêu này đã có: 3.000."


def test_periods_are_read_with_their_parts(world, api):
    read = api("village").get
    assert read("/api/periods/2022").json() == {
        "code": "2022", "kind": "year", "label": "năm 2022", "start": "2022-01-01",
        "end": "2022-12-31", "parts": ["2022-H1", "2022-H2"],
    }  # fmt: skip
    assert read("/api/periods/2022-H2").json()["parts"] == ["2022-Q3", "2022-Q4"]
    assert read("/api/periods/2022-9M").json()["parts"] == ["2022-Q1", "2022-Q2", "2022-Q3"]
    assert read("/api/periods/2022-Q2").json()["parts"] == ["2022-04", "2022-05", "2022-06"]
    assert read("/api/periods/2020..2025").json()["parts"] == [str(y) for y in range(2020, 2026)]
    month = read("/api/periods/tháng 11 năm 2022").json()
    assert (month["code"], month["end"], month["parts"]) == ("2022-11", "2022-11-30", [])
    wrong = read("/api/periods/2022-13")
    assert (wrong.status_code, wrong.json()["error"]["field"]) == (422, "code")


def test_indicators_are_listed_by_code(world, api):
    listed = api("village").get("/api/indicators/", limit=1).json()
    assert [i["code"] for i in listed["items"]] == ["households"]
    assert listed["items"][0]["unit_name"] == "hộ"
    assert api("village").get("/api/indicators/road").json()["name"] == "Đường giao thông"


def test_units_are_found_without_diacritics_within_what_one_reads(world, api):
    found = api("province").get("/api/units/", q="ha linh").json()["items"]
    assert [u["code"] for u in found] == ["hl"]
    assert found[0]["parent"] == "hk" and found[0]["full_name"] == "Xã Hà Linh"
    assert api("other").get("/api/units/", q="ha linh").json()["items"] == []


def test_children_and_subtree_to_a_depth(world, api):
    province = api("province")
    assert [u["code"] for u in province.get("/api/units/hl/children").json()["items"]] == [
        "hl-1", "hl-2", "hl-3",
    ]  # fmt: skip
    one = province.get("/api/units/42/subtree", depth=1).json()["items"]
    assert [u["code"] for u in one] == ["42", "hk"]
    three = province.get("/api/units/42/subtree", depth=3).json()["items"]
    assert [u["code"] for u in three] == ["42", "hk", "hl", "hl-1", "hl-2", "hl-3"]
    for depth, status in ((0, 422), (5, 200), (6, 422)):
        assert province.get("/api/units/42/subtree", depth=depth).status_code == status
