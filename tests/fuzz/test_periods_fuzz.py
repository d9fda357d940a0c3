"""Fuzzing xaso.periods: any code gives a period or a PeriodError, never a crash of the
calendar (year 0, year 9999, week 53 of a year without one, huge numbers)."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xaso.periods import (
    MAX_YEAR,
    MIN_YEAR,
    PeriodError,
    PeriodKind,
    expand_periods,
    parse_period,
    period_for_date,
)

FAST = settings(max_examples=200, deadline=500)

YEARS = st.one_of(st.integers(0, 9999), st.integers(MIN_YEAR - 2, MAX_YEAR + 2))
SMALL = st.integers(0, 99)
CODES = st.one_of(
    st.builds("{:04d}".format, YEARS),
    st.builds("{:04d}-H{}".format, YEARS, SMALL),
    st.builds("{:04d}-9M".format, YEARS),
    st.builds("{:04d}-Q{}".format, YEARS, st.integers(0, 9)),
    st.builds("{:04d}-{:02d}".format, YEARS, SMALL),
    st.builds("{:04d}-W{:02d}".format, YEARS, SMALL),
    st.builds("{:04d}..{:04d}".format, YEARS, YEARS),
    st.builds("{:04d}-{:02d}..{:04d}-{:02d}".format, YEARS, SMALL, YEARS, SMALL),
    st.builds(
        "{:04d}-{:02d}-{:02d}..{:04d}-{:02d}-{:02d}".format,
        YEARS,
        SMALL,
        SMALL,
        YEARS,
        SMALL,
        SMALL,
    ),
    st.text(alphabet="0123456789-.HQWM ", max_size=24),
    st.text(max_size=30),
)


def _inside(period) -> None:
    assert period.start <= period.end
    assert period.start.year >= MIN_YEAR - 1 and period.end.year <= MAX_YEAR + 1
    assert period.label


@FAST
@given(CODES)
def test_parse_period_gives_a_period_or_a_period_error(code):
    try:
        period = parse_period(code)
    except PeriodError as error:
        assert error.message.strip()
        return
    _inside(period)
    assert parse_period(period.code) == period


@FAST
@given(CODES)
def test_expand_periods_gives_months_or_a_period_error(code):
    try:
        months = expand_periods(code)
    except PeriodError as error:
        assert error.message.strip()
        return
    assert months and all(month.kind is PeriodKind.MONTH for month in months)
    for month in months:
        _inside(month)


@FAST
@given(st.sampled_from(list(PeriodKind)), st.dates(date(1, 1, 1), date(9999, 12, 31)))
def test_period_for_date_gives_a_period_or_a_period_error(kind, day):
    try:
        period = period_for_date(kind, day)
    except PeriodError as error:
        assert error.message.strip()
        return
    assert period.start <= day <= period.end


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9999", "Năm 9999 nằm ngoài khoảng năm được hỗ trợ (1900–2199)."),
        ("9999-12", "Năm 9999 nằm ngoài khoảng năm được hỗ trợ (1900–2199)."),
        ("9999-W52", "Năm 9999 nằm ngoài khoảng năm được hỗ trợ (1900–2199)."),
        ("2020..9999", "Năm 9999 nằm ngoài khoảng năm được hỗ trợ (1900–2199)."),
        ("0001-01..2022-01", "Năm 1 nằm ngoài khoảng năm được hỗ trợ (1900–2199)."),
        ("2021-W53", "Năm 2021 không có tuần 53."),
    ],
)
def test_years_beyond_the_calendar_are_period_errors(code, message):
    with pytest.raises(PeriodError) as caught:
        expand_periods(code)
    assert caught.value.message == message


def test_a_day_beyond_the_supported_years():
    with pytest.raises(PeriodError, match="Năm 9999 nằm ngoài"):
        period_for_date(PeriodKind.MONTH, date(9999, 12, 31))
    with pytest.raises(PeriodError, match="Không có loại kỳ"):
        period_for_date("decade", date(2022, 1, 1))
