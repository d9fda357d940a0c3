"""The groups routes: lists, a group, its figures (worked out here from the raw values, by each
roll-up rule), who sees what, and writes through the web form's service, all or nothing.

On the conftest world (42 > hk > hl > hl-1..3; p2 > d1 > w1) Hương Khê gets a second commune,
hm (two villages), and two groups: hk's cluster "cum-hk" (hl and hm) and hl's own "thon-hl"
(villages hl-1 and hl-2).
"""

import json
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tests.factories import make_indicator, make_unit
from xaso import cli
from xaso.audit.models import AuditEntry
from xaso.figures.services import record_result, set_target
from xaso.groups.services import group_save
from xaso.org.models import GroupMember, UnitGroup, UnitKind

# Raw values entered at the villages, the same for each indicator.
VALUES = {
    "hl-1": Decimal("10"),
    "hl-2": Decimal("20"),
    "hl-3": Decimal("45"),
    "hm-1": Decimal("7"),
    "hm-2": Decimal("3.5"),
}
RULES = ("sum", "avg", "min", "max")
TARGETS = {"hl": Decimal("100"), "hm": Decimal("10")}  # the year's plan, sum indicator only


def _by_rule(rule: str, values: list[Decimal]) -> Decimal:
    if rule == "sum":
        return sum(values, Decimal(0))
    if rule == "avg":  # over every village value, not an average of the communes' averages
        return sum(values, Decimal(0)) / len(values)
    return min(values) if rule == "min" else max(values)


def _expected(rule: str, communes: list[str]) -> Decimal:
    return _by_rule(rule, [v for code, v in VALUES.items() if code.split("-")[0] in communes])


def _percent(value: Decimal, target: Decimal) -> Decimal:
    return (value * 100 / target).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@pytest.fixture
def groups(world):
    units = world.units
    hm = make_unit("Hương Minh", UnitKind.COMMUNE, units["hk"], code="hm")
    for n in (1, 2):
        units[f"hm-{n}"] = make_unit(str(n), UnitKind.VILLAGE, hm, code=f"hm-{n}")
    units["hm"] = hm
    indicators = {rule: make_indicator(f"g-{rule}", unit="ha", rollup=rule) for rule in RULES}
    for code, value in VALUES.items():
        for indicator in indicators.values():
            record_result(unit=units[code], indicator=indicator, period="2022-06", value=value)
    for code, value in TARGETS.items():
        set_target(unit=units[code], indicator=indicators["sum"], period="2022",
                   source="district_plan", value=value)  # fmt: skip
    cluster = group_save(owner=units["hk"], code="cum-hk", name="Cụm Hương Khê",
                         kind="cluster", members=[units["hm"], units["hl"]])  # fmt: skip
    villages = group_save(owner=units["hl"], code="thon-hl", name="Cụm thôn", kind="other",
                          members=[units["hl-1"], units["hl-2"]])  # fmt: skip
    return {"cluster": cluster, "villages": villages, "indicators": indicators}


def _rows(answer) -> dict:
    return {row["indicator_code"]: row for row in answer["rows"]}


# --- reading --------------------------------------------------------------------------------


def test_a_units_groups_as_the_cli_lists_them(groups, api):
    answer = api("province").get("/api/units/hk/groups")
    assert answer.status_code == 200
    assert answer.json() == {
        "groups": [
            {"code": "cum-hk", "name": "Cụm Hương Khê", "kind": "cluster", "owner": "hk",
             "members": ["Xã Hà Linh", "Xã Hương Minh"], "member_codes": ["hl", "hm"]},
        ]
    }  # fmt: skip
    # hl owns one group and belongs to the other.
    codes = [g["code"] for g in api("commune").get("/api/units/hl/groups").json()["groups"]]
    assert sorted(codes) == ["cum-hk", "thon-hl"]
    assert api("commune").get("/api/units/hk/groups").status_code == 403  # a unit: codes public
    assert api("commune").get("/api/units/nowhere/groups").status_code == 404


def test_the_groups_a_user_sees(groups, api):
    def seen(persona):
        answer = api(persona).get("/api/groups/")
        assert answer.status_code == 200
        return [group["code"] for group in answer.json()["items"]]

    assert seen("province") == ["cum-hk", "thon-hl"]
    assert seen("commune") == ["cum-hk", "thon-hl"]  # reads a member of the cluster
    assert seen("village") == ["cum-hk", "thon-hl"]  # its village lies in a member
    assert seen("other") == []
    kinds = api("province").get("/api/groups/", kind="cluster").json()["items"]
    assert [group["code"] for group in kinds] == ["cum-hk"]
    first = api("province").get("/api/groups/", limit=1).json()
    assert [g["code"] for g in first["items"]] == ["cum-hk"] and first["next"]


def test_one_group_with_its_members(groups, api):
    answer = api("village").get("/api/groups/cum-hk")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["owner"], body["owner_name"], body["kind_label"]) == (
        "hk",
        "Huyện Hương Khê",
        "Cụm",
    )
    assert [(m["code"], m["full_name"], m["kind"]) for m in body["members"]] == [
        ("hl", "Xã Hà Linh", "commune"),
        ("hm", "Xã Hương Minh", "commune"),
    ]


def test_an_outsider_gets_not_found_for_a_group_and_its_figures(groups, api):
    for path in ("/api/groups/cum-hk", "/api/groups/cum-hk/figures?period=2022-06"):
        answer = api("other").get(path)
        assert answer.status_code == 404
        assert answer.json() == {
            "error": {"message": "Không tìm thấy.", "field": None, "code": "not_found"}
        }
        unknown = api("other").get(path.replace("cum-hk", "khong-co"))
        assert (unknown.status_code, unknown.json()) == (404, answer.json())  # tells nothing
    assert api(None).get("/api/groups/cum-hk").status_code == 401


def test_a_groups_figures_are_its_members_by_each_roll_up_rule(groups, api):
    answer = api("province").get("/api/groups/cum-hk/figures", period="tháng 6/2022")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["period"] == {"code": "2022-06", "label": "tháng 6/2022"}
    assert body["members_shown"] == body["members"] == ["Xã Hà Linh", "Xã Hương Minh"]
    rows = _rows(body)
    assert set(rows) == {f"g-{rule}" for rule in RULES}
    for rule in RULES:
        row = rows[f"g-{rule}"]
        assert Decimal(row["result"]) == _expected(rule, ["hl", "hm"]), rule
        assert row["rollup"] == rule
        members = {m["code"]: Decimal(m["result"]) for m in row["members"]}
        assert members == {"hl": _expected(rule, ["hl"]), "hm": _expected(rule, ["hm"])}, rule
    total = _expected("sum", ["hl", "hm"])
    line = rows["g-sum"]
    assert Decimal(line["target"]) == sum(TARGETS.values())
    assert Decimal(line["percent"]) == _percent(total, sum(TARGETS.values()))
    # Ranked by percent of each one's own target: hm (105%) before hl (75%).
    ranks = {m["code"]: (m["rank"], Decimal(m["percent"])) for m in line["members"]}
    assert ranks == {"hl": (2, _percent(Decimal(75), TARGETS["hl"])),
                     "hm": (1, _percent(Decimal("10.5"), TARGETS["hm"]))}  # fmt: skip
    # No target for the others: ranked by value, the largest first.
    assert {m["code"]: m["rank"] for m in rows["g-max"]["members"]} == {"hl": 1, "hm": 2}
    assert rows["g-max"]["target"] is None


def test_the_figures_are_the_rows_of_xaso_show(groups, api, capsys):
    assert cli.main(["show", "cum-hk", "--period", "2022-06", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    body = api("province").get("/api/groups/cum-hk/figures", period="2022-06").json()

    only_compared = {"year_to_date", "last_year", "change", "change_percent"}

    def numbers(value):  # the CLI writes JSON numbers, the API decimals as strings
        if isinstance(value, dict):  # the API's null ytd and comparison fields set aside
            return {
                k: numbers(v) for k, v in value.items() if not (k in only_compared and v is None)
            }
        if isinstance(value, list):
            return [numbers(v) for v in value]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return Decimal(str(value))
        if isinstance(value, str):
            try:
                return Decimal(value)
            except ArithmeticError:
                return value
        return value

    assert numbers(body) == numbers(shown)


def test_a_members_village_head_reads_only_the_members_figures_they_may(groups, api):
    # The village head of hl-1 sees the cluster (its village lies in hl) but reads neither
    # commune's figures: no row, and the members it could not read are not shown.
    cluster = api("village").get("/api/groups/cum-hk/figures", period="2022-06").json()
    assert cluster["members"] == ["Xã Hà Linh", "Xã Hương Minh"]
    assert (cluster["members_shown"], cluster["rows"]) == ([], [])
    # In hl's group of villages it reads its own village only: the total is hl-1's.
    villages = api("village").get("/api/groups/thon-hl/figures", period="2022-06").json()
    assert villages["members_shown"] == ["Thôn 1"]
    for rule in RULES:
        row = _rows(villages)[f"g-{rule}"]
        assert Decimal(row["result"]) == VALUES["hl-1"]
        assert [m["code"] for m in row["members"]] == ["hl-1"]
    # hl's manager reads hl, not hm: the cluster's total is hl's alone.
    commune = api("commune").get("/api/groups/cum-hk/figures", period="2022-06").json()
    assert commune["members_shown"] == ["Xã Hà Linh"]
    for rule in RULES:
        row = _rows(commune)[f"g-{rule}"]
        assert Decimal(row["result"]) == _expected(rule, ["hl"]), rule
        assert [m["code"] for m in row["members"]] == ["hl"]
    assert Decimal(_rows(commune)["g-sum"]["target"]) == TARGETS["hl"]


def test_a_wrong_period_names_the_field(groups, api):
    answer = api("province").get("/api/groups/cum-hk/figures", period="tháng 13")
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "period"


# --- writing --------------------------------------------------------------------------------

NEW = {"owner": "hl", "code": "thon-moi", "name": "Cụm thôn mới", "kind": "cluster",
       "members": ["hl-2", "hl-3"], "first_year": 2022}  # fmt: skip


def _entries():
    return AuditEntry.objects.filter(entity="unit_group").count()


def test_a_manager_creates_a_group_once_whatever_the_repeats(groups, api):
    before = _entries()
    first = api("commune").post("/api/groups", NEW, key="k-1")
    assert first.status_code == 200, first.json()
    assert [m["code"] for m in first.json()["members"]] == ["hl-2", "hl-3"]
    again = api("commune").post("/api/groups", NEW, key="k-1")
    assert (again.status_code, again.json()) == (200, first.json())
    plain = api("commune").post("/api/groups", NEW)  # no key: the same group, unchanged
    assert plain.status_code == 200
    assert UnitGroup.objects.filter(code="thon-moi").count() == 1
    assert GroupMember.objects.filter(group__code="thon-moi").count() == 2
    entry = AuditEntry.objects.filter(entity="unit_group").latest("pk")
    assert _entries() == before + 1 and entry.channel == "api"


def test_a_write_changes_the_members_to_exactly_those_sent(groups, api):
    body = {**NEW, "code": "thon-hl", "name": "Cụm thôn", "members": ["hl-3", "hl-1"]}
    answer = api("commune").post("/api/groups", body)
    assert answer.status_code == 200
    assert [m["code"] for m in answer.json()["members"]] == ["hl-1", "hl-3"]


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"members": ["hl-2", "khong-co"]}, "members", "Không có đơn vị mã ‘khong-co’"),
        ({"members": ["hl-2", "w1"]}, "members", "không thuộc Xã Hà Linh"),
        ({"members": []}, "members", "chưa có đơn vị thành viên"),
        ({"name": "  "}, "name", "Chưa có tên nhóm"),
        ({"first_year": 2024, "last_year": 2022}, "last_year", "trước năm bắt đầu"),
        ({"code": "hl-1"}, "code", "đã là mã của một đơn vị"),
        ({"code": "cum-hk"}, "code", "đã là nhóm của Huyện Hương Khê"),
        ({"owner": "khong-co"}, "owner", "Không có đơn vị mã ‘khong-co’"),
        ({"kind": "village"}, "kind", "không nằm trong các giá trị cho phép"),
    ],
)
def test_a_wrong_group_saves_nothing_and_names_the_field(groups, api, change, field, words):
    """All or nothing: an existing group sent with one wrong thing keeps all it had."""
    body = {**NEW, "code": "thon-hl", "name": "Tên mới", **change}
    before = (list(UnitGroup.objects.values()), list(GroupMember.objects.values()), _entries())
    answer = api("commune").post("/api/groups", body, key=f"k-{field}")
    assert answer.status_code == 422, answer.json()
    error = answer.json()["error"]
    assert (error["field"], error["code"]) == (field, "validation")
    assert words in error["message"]
    after = (list(UnitGroup.objects.values()), list(GroupMember.objects.values()), _entries())
    assert after == before
    # The refused key wrote nothing either: the corrected request runs.
    fixed = api("commune").post("/api/groups", {**NEW, "code": "thon-hl"}, key="k-fixed")
    assert fixed.status_code == 200


def test_only_the_owners_managers_write_a_group(groups, api):
    for persona, owner in (("village", "hl"), ("province", "hk"), ("other", "hl"),
                           ("commune", "hk")):  # fmt: skip
        answer = api(persona).post("/api/groups", {**NEW, "owner": owner})
        assert answer.status_code == 403, persona
        assert answer.json()["error"]["code"] == "forbidden"
    assert not UnitGroup.objects.filter(code="thon-moi").exists()
