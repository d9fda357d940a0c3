"""Unit groups (#21): totals by roll-up rule, exclusive group sets, ranking, access, import."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import make_indicator, make_unit, make_user
from tests.groups.conftest import VALUES, enter_values
from xaso.audit.models import AuditEntry
from xaso.figures.services import record_result, set_target
from xaso.groups.figures import group_figures
from xaso.groups.selectors import groups_of, partition
from xaso.groups.services import GroupRow, group_save, group_set_save, groups_import
from xaso.org.groups import can_see, visible_groups
from xaso.org.models import GroupMember, Role, UnitGroup, UnitKind
from xaso.periods import parse_period

pytestmark = pytest.mark.django_db


def _cluster(district, communes, members=("xd", "tt", "np")):
    return group_save(
        owner=district,
        code="cum-tt",
        name="Cụm trung tâm",
        kind="cluster",
        members=[communes[code] for code in members],
    )


def test_group_totals_follow_each_roll_up_rule_over_the_members_values(district, indicators):
    district_unit, communes, villages = district
    enter_values(villages, indicators)
    group = _cluster(district_unit, communes)
    admin = make_user("admin", is_superuser=True)

    figures = group_figures(group, parse_period("2022-06"), admin)

    inside = [v for code in ("xd", "tt", "np") for v in VALUES[code]]  # Luận Thành left out
    expected = {
        "sum": sum(inside),
        "avg": sum(inside) / len(inside),  # every village's value, not the communes' means
        "min": min(inside),
        "max": max(inside),
    }
    for rule, value in expected.items():
        line = figures.line(f"i-{rule}")
        assert line.total.value == value, rule
        assert line.total.reporting == len(inside)
        by_unit = {cell.unit.code: cell.figure.value for cell in line.cells}
        assert set(by_unit) == {"xd", "tt", "np"}
    assert figures.line("i-sum").cells[0].figure.value == Decimal(42)  # Xuân Dương 12 + 30


def test_a_member_inside_another_member_is_counted_once(district, indicators):
    district_unit, communes, villages = district
    enter_values(villages, {"sum": indicators["sum"]})
    group = group_save(
        owner=district_unit,
        code="g",
        name="Nhóm",
        kind="other",
        members=[communes["xd"], villages["xd-1"], communes["tt"]],
    )
    admin = make_user("admin", is_superuser=True)

    line = group_figures(group, parse_period("2022-06"), admin).line("i-sum")

    assert line.total.value == Decimal("49.5")  # 42 + 7,5: village xd-1 is inside Xuân Dương


def test_achievement_against_the_members_targets_and_the_ranking(district, indicators):
    district_unit, communes, villages = district
    enter_values(villages, {"sum": indicators["sum"]})
    for code, target in [("xd", "84"), ("tt", "7,5"), ("np", "100")]:
        set_target(
            unit=communes[code],
            indicator=indicators["sum"],
            period="2022",
            source="district_plan",
            value=target,
        )
    group = _cluster(district_unit, communes)
    admin = make_user("admin", is_superuser=True)

    line = group_figures(group, parse_period("2022-06"), admin).line("i-sum")

    assert line.target == Decimal("191.5")
    assert line.percent == Decimal("52.5")  # 100,5 / 191,5 = 52,48 %
    # Thọ Thanh 7,5/7,5 = 100 %, Ngọc Phụng 51/100 = 51 %, Xuân Dương 42/84 = 50 %.
    assert [(p.position, p.cell.unit.code, p.score) for p in line.ranking] == [
        (1, "tt", Decimal("100.0")),
        (2, "np", Decimal("51.0")),
        (3, "xd", Decimal("50.0")),
    ]


def test_ranking_by_value_shares_places_and_respects_lower_is_better(district):
    district_unit, communes, _villages = district
    poor = make_indicator("ho-ngheo", unit="ho", rollup="sum", direction="down")
    for code, value in [("xd", "4"), ("tt", "9"), ("np", "4")]:
        record_result(unit=communes[code], indicator=poor, period="2022", value=value)
    group = _cluster(district_unit, communes)
    admin = make_user("admin", is_superuser=True)

    line = group_figures(group, parse_period("2022"), admin).line("ho-ngheo")

    assert [(p.position, p.cell.unit.code) for p in line.ranking] == [
        (1, "xd"),
        (1, "np"),
        (3, "tt"),
    ]
    assert line.target is None and line.percent is None


def test_a_group_set_names_who_is_missing_and_who_is_doubled(district):
    district_unit, communes, _villages = district
    blocs = group_set_save(
        owner=district_unit, code="khoi", name="Khối thi đua", member_kinds=["commune"]
    )
    one = group_save(
        owner=district_unit,
        code="k1",
        name="Khối 1",
        kind="emulation_bloc",
        members=[communes["xd"], communes["tt"]],
        group_set=blocs,
    )
    group_save(
        owner=district_unit,
        code="k2",
        name="Khối 2",
        kind="emulation_bloc",
        members=[communes["tt"], communes["np"]],
        group_set=blocs,
    )

    check = partition(blocs)

    assert not check.exclusive and check.units == 4
    assert [unit.code for unit in check.missing] == ["lc"]
    assert [(u.code, [g.code for g in gs]) for u, gs in check.doubled] == [("tt", ["k1", "k2"])]

    group_save(
        owner=district_unit,
        code="k1",
        name="Khối 1",
        kind="emulation_bloc",
        members=[communes["xd"], communes["lc"]],
        group_set=blocs,
    )
    assert partition(blocs).exclusive
    assert one.pk == UnitGroup.objects.get(code="k1").pk


def test_a_groups_years_decide_whether_it_counts_in_a_partition(district):
    district_unit, communes, _villages = district
    blocs = group_set_save(owner=district_unit, code="khoi", name="Khối", member_kinds=["commune"])
    group_save(
        owner=district_unit,
        code="k-old",
        name="Khối cũ",
        kind="emulation_bloc",
        members=list(communes.values()),
        group_set=blocs,
        last_year=2023,
    )
    assert partition(blocs, 2023).exclusive
    assert len(partition(blocs, 2024).missing) == 4


def test_members_must_lie_inside_the_owner_and_only_its_managers_change_it(district):
    district_unit, communes, _villages = district
    elsewhere = make_unit("Khác", UnitKind.DISTRICT, code="khac")
    stranger = make_unit("Xa", UnitKind.COMMUNE, elsewhere, code="xa")

    with pytest.raises(ValidationError) as refused:
        group_save(owner=district_unit, code="g", name="Nhóm", kind="cluster", members=[stranger])
    assert refused.value.message_dict == {"members": ["Xã Xa không thuộc Huyện Thường Xuân."]}

    reporter = make_user("rep", unit=district_unit, role=Role.REPORTER)
    with pytest.raises(PermissionDenied):
        _cluster_for(district_unit, communes, reporter)
    manager = make_user("man", unit=district_unit, role=Role.MANAGER)
    group = _cluster_for(district_unit, communes, manager)
    entry = AuditEntry.objects.get(entity="unit_group", object_id=group.pk)
    assert entry.new["members"] == ["np", "tt", "xd"] and entry.old is None
    _cluster_for(district_unit, communes, manager)  # the same again: nothing new to audit
    assert AuditEntry.objects.filter(entity="unit_group").count() == 1


def _cluster_for(district_unit, communes, user):
    return group_save(
        owner=district_unit,
        code="cum-tt",
        name="Cụm trung tâm",
        kind="cluster",
        members=[communes["xd"], communes["tt"], communes["np"]],
        user=user,
    )


def test_a_members_village_head_sees_the_group_with_only_the_figures_they_may_read(
    district, indicators
):
    district_unit, communes, villages = district
    enter_values(villages, {"sum": indicators["sum"]})
    group = _cluster(district_unit, communes)
    head = make_user("truongthon", unit=villages["xd-1"], role=Role.REPORTER)
    commune_officer = make_user("canbo", unit=communes["tt"], role=Role.VIEWER)
    outsider = make_user("ngoai", unit=communes["lc"], role=Role.MANAGER)

    assert can_see(head, group) and can_see(commune_officer, group)
    assert not can_see(outsider, group)
    assert list(visible_groups(outsider)) == []
    assert [g.code for g in groups_of(communes["xd"], head)] == ["cum-tt"]

    # The village head reads no member commune as a whole: no figure, no total.
    head_view = group_figures(group, parse_period("2022-06"), head)
    assert head_view.shown == [] and head_view.lines == [] and head_view.partial
    officer_view = group_figures(group, parse_period("2022-06"), commune_officer)
    assert [unit.code for unit in officer_view.shown] == ["tt"]
    assert officer_view.line("i-sum").total.value == Decimal("7.5")


def test_a_spreadsheet_of_groups_is_all_or_nothing_with_a_row_by_row_report(district):
    district_unit, communes, _villages = district
    rows = [
        GroupRow(2, "k1", "xd", name="Khối 1", kind="Khối thi đua"),
        GroupRow(3, "k1", "tt"),
        GroupRow(4, "k2", "np", name="Khối 2", kind="khối thi đua"),
        GroupRow(5, "k2", "zz"),
        GroupRow(6, "k3", "lc"),
    ]

    report = groups_import(rows, owner=district_unit)

    assert report.errors == [
        {
            "row": 5,
            "field": "mã đơn vị",
            "message": "Không có đơn vị mã ‘zz’ trong Huyện Thường Xuân.",
        },
        {
            "row": 6,
            "field": "tên nhóm",
            "message": "Nhóm mới ‘k3’ cần tên và loại (ghi ở một dòng của nhóm).",
        },
    ]
    assert UnitGroup.objects.count() == GroupMember.objects.count() == 0

    fixed = [*rows[:3], GroupRow(5, "k2", "lc")]
    assert groups_import(fixed, owner=district_unit, dry_run=True).ok
    assert UnitGroup.objects.count() == 0
    report = groups_import(fixed, owner=district_unit)
    assert (report.groups, report.members, report.errors) == (2, 4, [])
    k2 = UnitGroup.objects.get(code="k2")
    assert (k2.name, k2.kind) == ("Khối 2", "emulation_bloc")
    assert sorted(k2.members.values_list("code", flat=True)) == ["lc", "np"]


def test_a_group_meeting_gives_an_unassigned_directive_to_every_member(district):
    import datetime as dt

    from xaso.meetings.services import DirectiveInput, meeting_record

    district_unit, communes, _villages = district
    group = _cluster(district_unit, communes)
    meeting = meeting_record(
        host=district_unit,
        group=group,
        kind="interim_review",
        title="Sơ kết 6 tháng cụm trung tâm",
        date=dt.date(2022, 6, 21),
        period="2022-H1",
        directives=[
            DirectiveInput(text="Đẩy nhanh giải ngân vốn NTM."),
            DirectiveInput(text="Xuân Dương hoàn thiện hồ sơ.", assigned_to=[communes["xd"]]),
        ],
    )

    assert meeting.group == group
    assert {u.code for u in meeting.units.all()} == {"xd", "tt", "np"}
    first, second = meeting.directives.order_by("number")
    assert {u.code for u in first.assigned_to.all()} == {"xd", "tt", "np"}
    assert [u.code for u in second.assigned_to.all()] == ["xd"]

    with pytest.raises(ValidationError) as refused:
        meeting_record(
            host=communes["lc"],
            group=group,
            kind="other",
            title="Họp",
            date=dt.date(2022, 6, 22),
        )
    assert refused.value.message_dict == {
        "host": ["Xã Luận Thành không lập và không thuộc Cụm trung tâm."]
    }
