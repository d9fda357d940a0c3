"""The honest baselines of the scale bench answer as a page does: a unit's own value
overrides what its children add up to, month by month, before the months are summed."""

from decimal import Decimal

from bench.__main__ import stamped
from bench.scale import ratio
from bench.scale_baselines import _standings

D = Decimal


def test_own_value_overrides_the_sum_below_per_month():
    rows = [
        (1, "PA", "2024-01", None, D(10)),  # no own value: its villages' sum
        (1, "PA", "2024-02", D(7), D(30)),  # its own value, not the 30 below
        (1, "PB", "2024-01", None, None),  # nothing reported
        (1, "PB", "2024-02", None, D(5)),
    ]
    answer = _standings(rows, "P")
    assert answer["children"] == {"PA": {1: D(17)}, "PB": {1: D(5)}}
    assert answer["parent"] == {1: D(10) + D(7) + D(5)}


def test_parent_own_value_overrides_its_children_in_that_month_only():
    rows = [
        (1, "PA", "2024-01", None, D(10)),
        (1, "PA", "2024-02", D(7), None),
        (1, "PB", "2024-02", None, D(5)),
        (1, "P", "2024-02", D(100), None),  # the parent's own February
        (1, "P", "2024-03", D(4), None),  # a month only the parent reported
    ]
    answer = _standings(rows, "P")
    assert answer["parent"] == {1: D(10) + D(100) + D(4)}
    assert "P" not in answer["children"]


def test_ratio_says_which_side_is_faster():
    assert ratio(2.0, 5.0) == "2.5× faster"
    assert ratio(5.0, 2.0) == "2.5× slower"
    assert ratio(3.0, 3.0) == "1.0× faster"


def test_a_section_says_when_and_on_what_machine_under_its_heading():
    section = "## Scale\n\nWhat it measured.\n\n| a |\n|---|"
    assert stamped(section, "06/12/2026 12:06 UTC", "AMD EPYC, 2 cores") == (
        "## Scale\n\nMeasured 06/12/2026 12:06 UTC on AMD EPYC, 2 cores.\n\n"
        "What it measured.\n\n| a |\n|---|"
    )
