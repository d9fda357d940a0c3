"""The campaign ranking's rules (issue 17): capped means, ties by completed goals, then by
the earlier completion, then by name; expected values worked out by hand."""

import datetime as dt
from decimal import Decimal as D

from xaso.campaigns.ranking import GoalProgress, rank, row, score

APRIL_20, MAY_2 = dt.date(2022, 4, 20), dt.date(2022, 5, 2)


def goal(target, done, completed_on=None, name="g"):
    return GoalProgress(name, D(target), D(done), completed_on)


def test_each_goal_is_capped_at_one_hundred_percent():
    # 300% and 0%: (100 + 0) / 2 = 50, not 150.
    assert score([goal(10, 30), goal(10, 0)]) == D("50.0")
    # Two goals at 90% beat one overshoot and one miss.
    assert score([goal(10, 9), goal(10, 9)]) == D("90.0")


def test_both_sides_of_one_hundred_percent():
    assert score([goal(77, 76)]) == D("98.7")  # 76 / 77 = 98,70 %
    assert score([goal(77, 77)]) == D("100.0")
    assert score([goal(77, 78)]) == D("100.0")  # 101,3 % counts as 100
    assert goal(77, 76).completed is False and goal(77, 77).completed is True


def test_a_goal_without_a_share_is_left_out_of_the_mean():
    assert score([goal(0, 5), goal(10, 5)]) == D("50.0")
    assert score([goal(0, 5)]) == D("0")
    assert row("Thôn 1", [goal(0, 5), goal(10, 4, name="Hàng rào xanh")]).lacking == [
        ("Hàng rào xanh", D("6"))
    ]


def test_the_order_by_score_then_completed_then_earlier_completion_then_name():
    rows = [
        row("Thôn C", [goal(10, 10, MAY_2), goal(10, 8)]),  # 90, 1 completed on 2/5
        row("Thôn A", [goal(10, 9), goal(10, 9)]),  # 90, none completed
        row("Thôn B", [goal(10, 10, APRIL_20), goal(10, 8)]),  # 90, 1 completed on 20/4
        row("Thôn D", [goal(10, 10, APRIL_20), goal(10, 10, MAY_2)]),  # 100, both by 2/5
        row("Thôn E", [goal(10, 30), goal(10, 0)]),  # 50: one overshoot does not carry it
    ]
    ranked = rank(rows)
    assert [(r.unit, r.rank) for r in ranked] == [
        ("Thôn D", 1),
        ("Thôn B", 2),
        ("Thôn C", 3),
        ("Thôn A", 4),
        ("Thôn E", 5),
    ]
    assert ranked[0].completed_on == MAY_2  # the later of its two completions
    assert ranked[-1].lacking == [("g", D("10"))]


def test_participants_equal_but_for_the_name_share_a_rank():
    rows = [
        row("Thôn 2", [goal(10, 5)]),
        row("Thôn 1", [goal(10, 5)]),
        row("Thôn 3", [goal(10, 4)]),
    ]
    assert [(r.unit, r.rank) for r in rank(rows)] == [("Thôn 1", 1), ("Thôn 2", 1), ("Thôn 3", 3)]


def test_a_completion_without_its_day_ranks_after_a_dated_one():
    dated = row("Thôn B", [goal(10, 10, APRIL_20)])
    undated = row("Thôn A", [goal(10, 10)])
    assert [r.unit for r in rank([undated, dated])] == ["Thôn B", "Thôn A"]
    assert undated.completed_on is None
