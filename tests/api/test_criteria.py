"""A unit's criteria through the API: recorded assessments and what figures compute."""

from tests.api.sweep_world import populate


def test_a_communes_standing_on_its_criteria_set(world, api):
    populate(world)
    (standing,) = api("province").get("/api/units/hl/criteria", on="2022-12-31").json()
    assert (standing["set"], standing["on"], standing["total"], standing["achieved"]) == (
        "thu-nghiem", "2022-12-31", 4, 1,
    )  # fmt: skip
    assert standing["reached"] is False
    assert [(c["number"], c["status"], c["counted_from"]) for c in standing["criteria"]] == [
        ("1", None, ""), ("2", None, ""), ("3", None, ""), ("4", "met", "recorded"),
    ]  # fmt: skip


def test_before_the_assessment_nothing_is_met(world, api):
    populate(world)  # assessed on 30/11/2022
    (standing,) = api("commune").get("/api/units/hl/criteria", on="2022-11-29").json()
    assert standing["achieved"] == 0


def test_a_village_has_no_commune_set_and_an_unknown_set_is_404(world, api):
    populate(world)
    assert api("commune").get("/api/units/hl-1/criteria").json() == []
    missing = api("commune").get("/api/units/hl/criteria", criteria_set="khong-co")
    assert missing.status_code == 404
