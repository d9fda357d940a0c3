"""Periods: each limit from both sides, each label and boundary, with hand-computed values.

Written against the mutants `make mutants` found alive in xaso.periods (docs/testing.md,
"Mutation testing"): a limit moved by one, a bound dropped, a label's word swapped.
"""

from datetime import UTC, date, datetime

import pytest

from xaso.periods import (
    MAX_MONTHS,
    MAX_TERM_YEARS,
    MAX_YEAR,
    MIN_YEAR,
    Period,
    PeriodError,
    PeriodKind,
    expand_periods,
    parse_period,
    period_for_date,
)


def error_of(code: str) -> str:
    with pytest.raises(PeriodError) as caught:
        parse_period(code)
    assert caught.value.message == str(caught.value)
    return caught.value.message


def test_the_limits_are_the_documented_ones():
    assert (MAX_TERM_YEARS, MIN_YEAR, MAX_YEAR, MAX_MONTHS) == (10, 1900, 2199, 240)


# ---- terms: ten years at most, the end after the start ----------------------------------


def test_a_term_of_exactly_ten_years_is_accepted():
    term = parse_period("2020..2030")
    assert (term.code, term.kind) == ("2020..2030", PeriodKind.TERM)
    assert (term.start, term.end) == (date(2020, 1, 1), date(2030, 12, 31))
    assert term.label == "nhiệm kỳ 2020–2030"


def test_a_term_of_eleven_years_is_refused():
    assert error_of("2020..2031") == "Nhiệm kỳ ‘2020..2031’ dài quá 10 năm."


def test_a_term_of_one_year_is_accepted_and_one_of_none_refused():
    assert parse_period("2024-2025").code == "2024..2025"
    assert parse_period("2024 – 2025").code == "2024..2025"
    assert error_of("2025..2025") == ("Nhiệm kỳ ‘2025..2025’ phải có năm kết thúc sau năm bắt đầu.")
    assert "phải có năm kết thúc sau" in error_of("2025..2024")


def test_a_term_year_zero_or_outside_the_years_is_refused():
    assert error_of("0000..2005").startswith("‘0000..2005’ không phải là mã kỳ hợp lệ")
    assert error_of("1899..1905") == "Năm 1899 nằm ngoài khoảng năm được hỗ trợ (1900–2199)."
    assert error_of("2195..2200") == "Năm 2200 nằm ngoài khoảng năm được hỗ trợ (1900–2199)."
    assert parse_period("1900..1901").start == date(1900, 1, 1)
    assert parse_period("2198..2199").end == date(2199, 12, 31)


# ---- years ------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [1900, 2199])
def test_the_first_and_last_supported_years(year):
    period = parse_period(str(year))
    assert (period.kind, period.start, period.end) == (
        PeriodKind.YEAR,
        date(year, 1, 1),
        date(year, 12, 31),
    )
    assert period.label == f"năm {year}"


@pytest.mark.parametrize("year", [1899, 2200])
def test_a_year_just_outside_is_refused(year):
    assert error_of(str(year)) == (f"Năm {year} nằm ngoài khoảng năm được hỗ trợ (1900–2199).")
    assert error_of(f"{year}-05").startswith(f"Năm {year} nằm ngoài")
    with pytest.raises(PeriodError):
        period_for_date(PeriodKind.YEAR, date(year, 6, 1))


def test_year_zero_is_not_a_period():
    assert error_of("0000") == (
        "‘0000’ không phải là mã kỳ hợp lệ (ví dụ: 2022, 2022-H1, 2022-11, 2022-W15, 2020..2025)."
    )


def test_empty_codes():
    assert error_of("") == "Chưa nhập mã kỳ."
    assert error_of("   ") == "Chưa nhập mã kỳ."
    assert error_of(None) == "Chưa nhập mã kỳ."


# ---- halves, nine months, quarters, months ----------------------------------------------


def test_halves():
    first, second = parse_period("2022-h1"), parse_period("2022-H2")
    assert (first.code, first.start, first.end) == ("2022-H1", date(2022, 1, 1), date(2022, 6, 30))
    assert (second.start, second.end) == (date(2022, 7, 1), date(2022, 12, 31))
    assert first.label == "6 tháng đầu năm 2022"
    assert second.label == "6 tháng cuối năm 2022"
    assert error_of("2022-H3").startswith("‘2022-H3’ không phải")


def test_nine_months():
    nine = parse_period("2022-9m")
    assert (nine.code, nine.kind) == ("2022-9M", PeriodKind.NINE_MONTHS)
    assert (nine.start, nine.end) == (date(2022, 1, 1), date(2022, 9, 30))
    assert nine.label == "9 tháng đầu năm 2022"


@pytest.mark.parametrize(
    ("code", "start", "end", "label"),
    [
        ("2022-Q1", date(2022, 1, 1), date(2022, 3, 31), "quý I/2022"),
        ("2022-Q2", date(2022, 4, 1), date(2022, 6, 30), "quý II/2022"),
        ("2022-Q3", date(2022, 7, 1), date(2022, 9, 30), "quý III/2022"),
        ("2022-Q4", date(2022, 10, 1), date(2022, 12, 31), "quý IV/2022"),
    ],
)
def test_quarters(code, start, end, label):
    quarter = parse_period(code)
    assert (quarter.start, quarter.end, quarter.label) == (start, end, label)
    assert quarter.kind is PeriodKind.QUARTER


@pytest.mark.parametrize("code", ["2022-Q0", "2022-Q5", "2022-13", "2022-00", "2022-W54"])
def test_parts_out_of_range_are_invalid(code):
    assert error_of(code).startswith(f"‘{code}’ không phải là mã kỳ hợp lệ")


def test_months_and_their_ends():
    assert parse_period("2022-3").code == "2022-03"
    december = parse_period("2022-12")
    assert (december.start, december.end) == (date(2022, 12, 1), date(2022, 12, 31))
    assert parse_period("2024-02").end == date(2024, 2, 29)
    assert parse_period("2023-02").end == date(2023, 2, 28)
    assert parse_period("2022-11").label == "tháng 11/2022"


# ---- weeks ------------------------------------------------------------------------------


def test_weeks():
    week = parse_period("2020-w53")
    assert (week.code, week.start, week.end) == ("2020-W53", date(2020, 12, 28), date(2021, 1, 3))
    assert week.year == 2020
    assert week.label == "tuần 53/2020"
    first = parse_period("2022-W1")
    assert (first.code, first.start) == ("2022-W01", date(2022, 1, 3))
    assert error_of("2021-W53") == "Năm 2021 không có tuần 53."
    assert error_of("2022-W00").startswith("‘2022-W00’ không phải")
    assert error_of("2200-W01").startswith("Năm 2200 nằm ngoài")
    assert error_of("0000-W01").startswith("‘0000-W01’ không phải")


# ---- spans ------------------------------------------------------------------------------


def test_spans():
    span = parse_period("2022-4-15 .. 2022-05-30")
    assert (span.code, span.kind) == ("2022-04-15..2022-05-30", PeriodKind.SPAN)
    assert span.label == "từ 15/04/2022 đến 30/05/2022"
    assert parse_period("2022-05-30..2022-05-30").start == date(2022, 5, 30)
    assert error_of("2022-05-31..2022-05-30") == (
        "Trong ‘2022-05-31..2022-05-30’, ngày kết thúc đứng trước ngày bắt đầu."
    )
    assert error_of("2022-02-30..2022-03-01") == "‘2022-02-30..2022-03-01’ có ngày không tồn tại."
    assert error_of("2022-01-01..2200-01-01").startswith("Năm 2200 nằm ngoài")
    assert error_of("1899-12-31..2022-01-01").startswith("Năm 1899 nằm ngoài")


# ---- comparing, containing, months inside ------------------------------------------------


def test_periods_are_equal_by_code():
    assert parse_period("2022-3") == parse_period("2022-03")
    assert hash(parse_period("2022-3")) == hash(parse_period("2022-03"))
    assert parse_period("2022-03") != parse_period("2022-04")
    assert parse_period("2022-03") != "2022-03"
    assert str(parse_period("2022-q2")) == "2022-Q2"


def test_contains_includes_both_ends():
    quarter = parse_period("2022-Q2")
    assert quarter.contains(parse_period("2022-04"))
    assert quarter.contains(parse_period("2022-06"))
    assert quarter.contains(quarter)
    assert not quarter.contains(parse_period("2022-03"))
    assert not quarter.contains(parse_period("2022-07"))
    assert not quarter.contains(parse_period("2022-03-31..2022-04-30"))
    assert not quarter.contains(parse_period("2022-06-01..2022-07-01"))


def test_months_inside_a_period():
    assert [m.code for m in parse_period("2022-Q2").months()] == ["2022-04", "2022-05", "2022-06"]
    assert [m.code for m in parse_period("2022-01-15..2022-03-31").months()] == [
        "2022-02",
        "2022-03",
    ]
    assert [m.code for m in parse_period("2021-11-01..2022-02-27").months()] == [
        "2021-11",
        "2021-12",
        "2022-01",
    ]
    assert parse_period("2022-W15").months() == []


# ---- expand_periods: at most 240 months ------------------------------------------------


def test_expand_a_range_of_exactly_240_months():
    months = expand_periods("2000-01..2019-12")
    assert len(months) == 240
    assert (months[0].code, months[-1].code) == ("2000-01", "2019-12")


def test_expand_a_range_of_241_months_is_refused():
    with pytest.raises(PeriodError) as caught:
        expand_periods("2000-01..2020-01")
    assert caught.value.message == "‘2000-01..2020-01’ dài quá 240 tháng."


def test_expand_a_single_month_range_and_a_backwards_one():
    assert [m.code for m in expand_periods(" 2024-3 .. 2024-03 ")] == ["2024-03"]
    with pytest.raises(PeriodError) as caught:
        expand_periods("2024-06..2024-01")
    assert (
        caught.value.message == "Trong ‘2024-06..2024-01’, tháng kết thúc đứng trước tháng bắt đầu."
    )


def test_expand_named_periods():
    assert [m.code for m in expand_periods("2024-H2")] == [f"2024-{m:02d}" for m in range(7, 13)]
    assert len(expand_periods("2024")) == 12
    assert len(expand_periods("2020..2030")) == 132
    with pytest.raises(PeriodError) as caught:
        expand_periods("2024-W10")
    assert caught.value.message == "Kỳ ‘2024-W10’ không chứa trọn một tháng nào."
    with pytest.raises(PeriodError):
        expand_periods("2020..2031")  # the term limit holds here too


# ---- the period of a day ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "day", "code"),
    [
        (PeriodKind.HALF, date(2022, 6, 30), "2022-H1"),
        (PeriodKind.HALF, date(2022, 7, 1), "2022-H2"),
        ("nine_months", date(2022, 9, 30), "2022-9M"),
        (PeriodKind.QUARTER, date(2022, 3, 31), "2022-Q1"),
        (PeriodKind.QUARTER, date(2022, 4, 1), "2022-Q2"),
        (PeriodKind.QUARTER, date(2022, 12, 31), "2022-Q4"),
        (PeriodKind.MONTH, datetime(2022, 11, 30, 23, 59, tzinfo=UTC), "2022-11"),
        (PeriodKind.WEEK, date(2021, 1, 1), "2020-W53"),
        (PeriodKind.YEAR, date(2199, 12, 31), "2199"),
    ],
)
def test_period_for_date(kind, day, code):
    assert period_for_date(kind, day).code == code


def test_period_for_date_refusals():
    with pytest.raises(PeriodError) as caught:
        period_for_date(PeriodKind.NINE_MONTHS, date(2022, 10, 1))
    assert caught.value.message == (
        "Không xác định được kỳ loại ‘nine_months’ cho ngày 01/10/2022."
    )
    with pytest.raises(PeriodError) as caught:
        period_for_date("decade", date(2022, 1, 1))
    assert caught.value.message == "Không có loại kỳ ‘decade’."
    with pytest.raises(PeriodError):
        period_for_date(PeriodKind.TERM, date(2022, 1, 1))
    with pytest.raises(PeriodError) as caught:
        period_for_date(PeriodKind.WEEK, date(2199, 12, 30))  # ISO week 2200-W01
    assert caught.value.message.startswith("Năm 2200 nằm ngoài")


def test_a_period_made_directly_keeps_its_fields():
    period = Period("x", PeriodKind.SPAN, date(2022, 1, 1), date(2022, 1, 2))
    assert period.year == 2022


def test_expand_nothing():
    for nothing in (None, "", "  "):
        with pytest.raises(PeriodError) as caught:
            expand_periods(nothing)
        assert caught.value.message == "Chưa nhập mã kỳ."


# ---- year 1 and year 0: outside the years, or not a date at all -----------------------------


@pytest.mark.parametrize(
    "code", ["0001", "0001-W01", "0001..0005", "0001-01-01..2022-01-01", "2022-01-01..0001-01-01"]
)
def test_year_one_is_outside_the_supported_years(code):
    assert error_of(code) == "Năm 1 nằm ngoài khoảng năm được hỗ trợ (1900–2199)."


@pytest.mark.parametrize("code", ["0000-01-01..2022-01-01", "2022-01-01..0000-01-01"])
def test_a_span_with_year_zero_has_a_day_that_does_not_exist(code):
    assert error_of(code) == f"‘{code}’ có ngày không tồn tại."
