"""The edges of reading where units stand: other units', other sets' and older rows stay out;
the latest row wins whatever order it was written in; the matrix keeps to its level."""

import datetime as dt

import pytest

from tests.criteria.packs import TWO_REGIONS, two_regions
from tests.factories import make_unit, make_user
from xaso.catalog.models import Indicator
from xaso.criteria import selectors
from xaso.criteria.loading import load_pack
from xaso.criteria.models import Criterion
from xaso.criteria.pack import read_pack_text
from xaso.criteria.selectors import history, keeping, matrix, standing
from xaso.criteria.services import assess, recognise
from xaso.figures.services import record_result
from xaso.org.models import UnitKind

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 12, 31)


@pytest.fixture
def world():
    first = load_pack(two_regions()).criteria_set
    # A second set for communes and villages alike, with the same numbers.
    text = TWO_REGIONS.replace("code: thu-nghiem", "code: thu-hai").replace(
        "applies_to: [commune]", "applies_to: [commune, village]"
    )
    second = load_pack(
        read_pack_text(
            text.replace("thu-", "hai-").replace("code: hai-hai", "code: thu-hai"), file="hai.yaml"
        )
    ).criteria_set
    p1 = make_unit("Một", UnitKind.PROVINCE, code="p1")
    a = make_unit("A", UnitKind.COMMUNE, p1, code="a")
    b = make_unit("B", UnitKind.COMMUNE, p1, code="b")
    a1 = make_unit("A1", UnitKind.VILLAGE, a, code="a1")
    b1 = make_unit("B1", UnitKind.VILLAGE, b, code="b1")
    p2 = make_unit("Hai", UnitKind.PROVINCE, code="p2")
    c = make_unit("C", UnitKind.COMMUNE, p2, code="c")
    root = make_user("root", is_superuser=True)
    return first, second, dict(p1=p1, a=a, b=b, a1=a1, b1=b1, p2=p2, c=c), root


def crit(s, number):
    return Criterion.objects.get(criteria_set=s, number=number)


def test_an_ungrouped_unit_has_no_group_and_the_rows_name_their_requirement(world):
    first, _, u, _ = world
    record_result(
        unit=u["a"],
        indicator=Indicator.objects.get(code="thu-nuoc-sach"),
        period="2024",
        value="86",
    )
    result = standing(u["a"], first, DAY)
    assert result.group == ""
    assert (result.criteria_set, result.on, result.unit) == (first, DAY, u["a"])
    water = result.rows[0].requirements[0]
    assert (water.requirement.code, water.threshold, water.verdict) == ("1.1", 85, "met")


def test_the_latest_assessment_wins_whatever_order_they_were_written_in(world):
    first, _, u, _ = world
    assess(unit=u["a"], criterion=crit(first, "4"), on=dt.date(2024, 9, 1), status="not_met")
    assess(unit=u["a"], criterion=crit(first, "4"), on=dt.date(2024, 3, 1), status="met")
    assert standing(u["a"], first, DAY).rows[3].recorded.status == "not_met"
    assert standing(u["a"], first, dt.date(2024, 6, 1)).rows[3].recorded.status == "met"
    assert standing(u["a"], first, dt.date(2024, 2, 1)).rows[3].recorded is None


def test_of_two_figures_ending_the_same_day_the_longer_period_counts(world):
    first, _, u, _ = world
    water = Indicator.objects.get(code="thu-nuoc-sach")
    record_result(unit=u["a"], indicator=water, period="2024", value="90")
    record_result(unit=u["a"], indicator=water, period="2024-12", value="80")
    row = standing(u["a"], first, DAY).rows[0].requirements[0]
    assert (row.value, row.period) == (90, "2024")


def test_a_figure_older_than_the_window_says_nothing(world):
    first, _, u, _ = world
    water = Indicator.objects.get(code="thu-nuoc-sach")
    record_result(unit=u["a"], indicator=water, period="2020", value="90")
    assert standing(u["a"], first, DAY).rows[0].requirements[0].verdict == "no_data"
    assert standing(u["a"], first, dt.date(2022, 12, 31)).rows[0].requirements[0].value == 90


def test_the_matrix_keeps_to_the_parents_subtree_and_to_the_nearest_level(world):
    first, second, u, root = world
    grid = matrix(u["p1"], second, DAY, root)
    assert [s.unit.code for s in grid.standings] == ["a", "b"]  # not a1, b1; not c
    assert (grid.parent, grid.criteria_set, grid.on, grid.truncated) == (
        u["p1"],
        second,
        DAY,
        False,
    )
    assert [c.number for c in grid.criteria] == ["1", "2", "3", "4"]
    assert [s.unit.code for s in matrix(u["a"], second, DAY, root).standings] == ["a1"]
    assert matrix(u["a"], first, DAY, root).standings == []  # not the commune itself


def test_the_matrix_says_when_it_shows_only_the_first_units(world, monkeypatch):
    _, second, u, root = world
    monkeypatch.setattr(selectors, "MATRIX_LIMIT", 1)
    grid = matrix(u["p1"], second, DAY, root)
    assert [s.unit.code for s in grid.standings] == ["a"] and grid.truncated


def test_history_and_keeping_read_only_this_unit_and_this_set(world):
    first, second, u, _ = world
    day = dt.date(2023, 1, 5)
    recognise(unit=u["a"], criteria_set=first, on=day)
    assess(unit=u["a"], criterion=crit(first, "1"), on=day, status="met")
    # Other units and the other set lose criteria; "a" under the first set does not.
    recognise(unit=u["b"], criteria_set=first, on=day)
    assess(unit=u["b"], criterion=crit(first, "1"), on=dt.date(2023, 5, 1), status="not_met")
    assess(unit=u["a"], criterion=crit(second, "2"), on=dt.date(2023, 5, 1), status="not_met")
    assess(unit=u["a"], criterion=crit(second, "3"), on=dt.date(2023, 6, 1), status="met")
    assert [(c.on, c.achieved) for c in history(u["a"], first)] == [(day, 1)]
    assert keeping(u["a"], first, DAY).kept
    assert keeping(u["a"], second, DAY).recognition is None  # recognised under the first only
    assert keeping(u["c"], first, DAY).losses == []
    assert keeping(u["c"], first, DAY).recognition is None  # a's and b's are theirs


def test_losses_are_listed_in_the_order_they_happened(world):
    first, _, u, _ = world
    recognise(unit=u["a"], criteria_set=first, on=dt.date(2022, 1, 1))
    assess(unit=u["a"], criterion=crit(first, "3"), on=dt.date(2022, 3, 1), status="not_met")
    assess(unit=u["a"], criterion=crit(first, "1"), on=dt.date(2022, 5, 1), status="not_met")
    assess(unit=u["a"], criterion=crit(first, "3"), on=dt.date(2022, 7, 1), status="met")
    assess(unit=u["a"], criterion=crit(first, "2"), on=dt.date(2022, 5, 1), status="not_met")
    found = keeping(u["a"], first, DAY)
    assert [(x.criterion.number, x.lost_on, x.regained_on) for x in found.losses] == [
        ("3", dt.date(2022, 3, 1), dt.date(2022, 7, 1)),
        ("1", dt.date(2022, 5, 1), None),
        ("2", dt.date(2022, 5, 1), None),
    ]
    # A second recognition starts the count again, from its own day.
    recognise(unit=u["a"], criteria_set=first, on=dt.date(2023, 1, 1))
    assert keeping(u["a"], first, DAY).kept
    before = keeping(u["a"], first, dt.date(2022, 12, 31))
    assert before.recognition.decided_on == dt.date(2022, 1, 1) and not before.kept
