"""A unit owes reports only for the periods it existed in (the 2025 reorganisation)."""

import datetime as dt

import pytest

from xaso.org.models import OrgUnit
from xaso.periods import parse_period
from xaso.reporting.selectors import existed_during


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "period", "owes"),
    [
        (None, None, "2022-06", True),
        (dt.date(2025, 7, 1), None, "2025-06", False),  # began the day after June
        (dt.date(2025, 7, 1), None, "2025-07", True),
        (dt.date(2025, 7, 15), None, "2025-07", True),  # began during the month
        (None, dt.date(2025, 6, 30), "2025-06", True),
        (None, dt.date(2025, 6, 30), "2025-07", False),  # ended the day before July
        (None, dt.date(2025, 7, 1), "2025-07", True),
        (None, dt.date(2025, 6, 30), "2025", True),  # part of the year
    ],
)
def test_existed_during(valid_from, valid_to, period, owes):
    unit = OrgUnit(name="X", kind="commune", code="x", valid_from=valid_from, valid_to=valid_to)
    assert existed_during(unit, parse_period(period)) is owes
