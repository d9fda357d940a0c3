"""Where units stand: thresholds by group, computed beside recorded, derived counts,
"giữ vững" over a history, the count over time and a parent's matrix."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.criteria.packs import two_regions
from tests.factories import make_unit, make_user
from xaso.audit.models import AuditEntry
from xaso.catalog.models import Indicator
from xaso.criteria.loading import load_pack
from xaso.criteria.models import Assessment, Criterion, RecognitionKind
from xaso.criteria.selectors import history, keeping, matrix, standing
from xaso.criteria.services import (
    NOTHING,
    StaleAssessment,
    assess,
    recognise,
    set_grouping,
)
from xaso.figures.services import record_result
from xaso.org.models import OrgUnit, Role, UnitKind

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 12, 31)


@pytest.fixture
def world():
    s = load_pack(two_regions()).criteria_set
    province = make_unit("Tỉnh Thử", UnitKind.PROVINCE, code="t")
    north = make_unit("Bắc", UnitKind.COMMUNE, province, code="xb")
    south = make_unit("Nam", UnitKind.COMMUNE, province, code="xn")
    village = make_unit("Một", UnitKind.VILLAGE, north, code="xb-1")
    set_grouping(unit=province, criteria_set=s, group="BAC")
    set_grouping(unit=south, criteria_set=s, group="NAM")  # the commune's own, over the province's
    return s, province, north, south, village


def ind(code):
    return Indicator.objects.get(code=code)


def criterion(number):
    return Criterion.objects.get(number=number)


def status(standing, number):
    return next(row for row in standing.rows if row.criterion.number == number)


def test_a_threshold_is_read_for_the_units_group_inherited_or_its_own(world):
    s, _, north, south, _ = world
    for unit in (north, south):
        record_result(unit=unit, indicator=ind("thu-nuoc-sach"), period="2024", value="88")
    north_water = status(standing(north, s, DAY), "1")
    south_water = status(standing(south, s, DAY), "1")
    assert standing(north, s, DAY).group == "BAC"
    assert standing(south, s, DAY).group == "NAM"
    assert (north_water.requirements[0].threshold, north_water.computed) == (85, "met")
    assert (south_water.requirements[0].threshold, south_water.computed) == (90.5, "not_met")


def test_an_unknown_threshold_is_said_so_and_decides_nothing(world):
    s, _, north, south, _ = world
    record_result(unit=north, indicator=ind("thu-ho-ngheo"), period="2024", value="3")
    record_result(unit=south, indicator=ind("thu-ho-ngheo"), period="2024", value="3")
    north_row = status(standing(north, s, DAY), "2")
    assert north_row.requirements[0].verdict == "no_threshold"  # BAC: chưa có ngưỡng
    assert north_row.computed is None
    assert status(standing(south, s, DAY), "2").computed == "met"  # NAM takes the 5% for all


def test_the_latest_figure_up_to_the_date_is_the_one_compared(world):
    s, _, north, _, _ = world
    record_result(unit=north, indicator=ind("thu-nuoc-sach"), period="2023", value="80")
    record_result(unit=north, indicator=ind("thu-nuoc-sach"), period="2024", value="86")
    assert status(standing(north, s, DAY), "1").computed == "met"
    assert status(standing(north, s, dt.date(2024, 6, 30)), "1").computed == "not_met"
    row = status(standing(north, s, dt.date(2024, 6, 30)), "1")
    assert (row.requirements[0].value, row.requirements[0].period) == (80, "2023")


def test_counts_are_derived_from_recorded_then_computed_and_disagreements_are_flagged(world):
    s, _, north, _, _ = world
    record_result(unit=north, indicator=ind("thu-nuoc-sach"), period="2024", value="70")  # not met
    record_result(unit=north, indicator=ind("thu-ho-ngheo"), period="2024", value="2")
    record_result(unit=north, indicator=ind("thu-cho"), period="2024", value="1")  # reached
    day = dt.date(2024, 6, 1)
    assess(unit=north, criterion=criterion("1"), on=day, status="met")  # the figures disagree
    assess(unit=north, criterion=criterion("4"), on=day, status="met")
    result = standing(north, s, DAY)
    assert (result.achieved, result.total) == (3, 4)  # 1 (recorded), 3 (computed), 4 (recorded)
    assert [row.criterion.number for row in result.missing] == ["2"]  # BAC: no threshold
    assert [row.criterion.number for row in result.flags] == ["1"]
    water = status(result, "1")
    assert (water.status, water.computed, water.counted_from) == ("met", "not_met", "recorded")
    assert status(result, "3").counted_from == "computed"
    assert not result.reached


def test_giu_vung_over_a_history_with_a_criterion_lost_and_regained(world):
    s, _, north, _, _ = world
    recognise(unit=north, criteria_set=s, on=dt.date(2022, 1, 10), decision="QĐ 1/QĐ-UBND")
    for number in "1234":
        assess(unit=north, criterion=criterion(number), on=dt.date(2022, 1, 10), status="met")
    assert keeping(north, s, dt.date(2022, 12, 31)).kept
    assess(unit=north, criterion=criterion("2"), on=dt.date(2023, 3, 1), status="not_met")
    mid = keeping(north, s, dt.date(2023, 6, 30))
    assert not mid.kept and not mid.holds_now
    assert [(x.criterion.number, x.lost_on, x.regained_on) for x in mid.losses] == [
        ("2", dt.date(2023, 3, 1), None)
    ]
    assess(unit=north, criterion=criterion("2"), on=dt.date(2023, 9, 1), status="met")
    later = keeping(north, s, dt.date(2023, 12, 31))
    assert not later.kept and later.holds_now
    assert later.losses[0].regained_on == dt.date(2023, 9, 1)
    # Before the loss it was still kept; a revocation ends the recognition.
    assert keeping(north, s, dt.date(2023, 2, 28)).kept
    recognise(unit=north, criteria_set=s, on=dt.date(2024, 1, 5), kind=RecognitionKind.REVOKED)
    assert keeping(north, s, DAY).recognition is None
    assert keeping(make_unit("Chưa", UnitKind.COMMUNE), s, DAY).recognition is None


def test_history_lists_the_recorded_count_each_time_it_changed(world):
    s, _, north, _, _ = world
    assess(unit=north, criterion=criterion("1"), on=dt.date(2020, 6, 30), status="met")
    assess(unit=north, criterion=criterion("2"), on=dt.date(2020, 6, 30), status="met")
    assess(unit=north, criterion=criterion("3"), on=dt.date(2020, 9, 30), status="under_review")
    assess(unit=north, criterion=criterion("3"), on=dt.date(2020, 12, 31), status="met")
    assess(unit=north, criterion=criterion("4"), on=dt.date(2020, 12, 31), status="met")
    counts = [(c.on, c.achieved, c.total) for c in history(north, s)]
    assert counts == [(dt.date(2020, 6, 30), 2, 4), (dt.date(2020, 12, 31), 4, 4)]


def test_the_matrix_lists_the_nearest_units_the_reader_may_see_and_the_share_reached(world):
    s, province, north, south, _ = world
    for number in "1234":
        assess(unit=south, criterion=criterion(number), on=dt.date(2024, 1, 1), status="met")
    admin = make_user("root", is_superuser=True)
    grid = matrix(province, s, DAY, admin)
    assert [st.unit.code for st in grid.standings] == ["xb", "xn"]  # not the village
    assert [(st.achieved, st.total) for st in grid.standings] == [(0, 4), (4, 4)]
    assert (grid.reached, str(grid.share)) == (1, "50.0")
    viewer = make_user("xem", unit=north, role=Role.VIEWER)
    assert [st.unit.code for st in matrix(province, s, DAY, viewer).standings] == ["xb"]


def test_the_same_assessment_twice_is_stored_once_and_a_change_needs_what_was_seen(world):
    s, _, north, _, _ = world
    day = dt.date(2024, 3, 1)
    first = assess(unit=north, criterion=criterion("4"), on=day, status="met", seen=NOTHING)
    again = assess(unit=north, criterion=criterion("4"), on=day, status="met", seen=NOTHING)
    assert first.pk == again.pk and Assessment.objects.count() == 1
    with pytest.raises(StaleAssessment):  # someone saw no assessment, but there is one now
        assess(unit=north, criterion=criterion("4"), on=day, status="not_met", seen=NOTHING)
    assert Assessment.objects.get().status == "met"
    changed = assess(unit=north, criterion=criterion("4"), on=day, status="not_met", seen="met")
    assert changed.status == "not_met"
    entries = AuditEntry.objects.filter(entity="assessment").order_by("pk")
    assert [(e.action, (e.old or {}).get("status"), e.new["status"]) for e in entries] == [
        ("create", None, "met"),
        ("update", "met", "not_met"),
    ]


def test_an_assessment_is_refused_for_a_unit_the_set_does_not_apply_to_or_a_future_day(world):
    s, _, _, _, village = world
    with pytest.raises(ValidationError) as caught:
        assess(unit=village, criterion=criterion("1"), on=DAY, status="met")
    assert "không áp dụng cho Thôn Một" in str(caught.value)
    north = OrgUnit.objects.get(code="xb")
    with pytest.raises(ValidationError):
        assess(unit=north, criterion=criterion("1"), on=dt.date(2999, 1, 1), status="met")
    with pytest.raises(ValidationError):
        assess(unit=north, criterion=criterion("1"), on=DAY, status="dat")
    assert not Assessment.objects.exists()


def test_only_managers_of_the_unit_or_above_assess_it(world):
    from django.core.exceptions import PermissionDenied

    s, province, north, south, _ = world
    reporter = make_user("bao", unit=north, role=Role.REPORTER)
    manager = make_user("ql", unit=province, role=Role.MANAGER)
    neighbour = make_user("bên", unit=south, role=Role.MANAGER)
    for user in (reporter, neighbour):
        with pytest.raises(PermissionDenied):
            assess(unit=north, criterion=criterion("4"), on=DAY, status="met", user=user)
    assess(unit=north, criterion=criterion("4"), on=DAY, status="met", user=manager)
    assert Assessment.objects.get().assessed_by == manager


def test_a_group_not_in_the_set_is_refused(world):
    s, province, *_ = world
    with pytest.raises(ValidationError) as caught:
        set_grouping(unit=province, criteria_set=s, group="TAY")
    assert "BAC, NAM" in str(caught.value)
