"""Reporting periods: codes, labels, dates, containment and expansion."""

from datetime import date, datetime

import pytest

from xaso.periods import (
    PeriodError,
    PeriodKind,
    expand_periods,
    parse_period,
    period_for_date,
)

EVERY_KIND = [
    ("2022", "2022", PeriodKind.YEAR, date(2022, 1, 1), date(2022, 12, 31), "năm 2022"),
    (
        "2020-H1",
        "2020-H1",
        PeriodKind.HALF,
        date(2020, 1, 1),
        date(2020, 6, 30),
        "6 tháng đầu năm 2020",
    ),
    (
        "2020-H2",
        "2020-H2",
        PeriodKind.HALF,
        date(2020, 7, 1),
        date(2020, 12, 31),
        "6 tháng cuối năm 2020",
    ),
    (
        "2022-9M",
        "2022-9M",
        PeriodKind.NINE_MONTHS,
        date(2022, 1, 1),
        date(2022, 9, 30),
        "9 tháng đầu năm 2022",
    ),
    ("2022-Q2", "2022-Q2", PeriodKind.QUARTER, date(2022, 4, 1), date(2022, 6, 30), "quý II/2022"),
    (
        "2022-Q4",
        "2022-Q4",
        PeriodKind.QUARTER,
        date(2022, 10, 1),
        date(2022, 12, 31),
        "quý IV/2022",
    ),
    (
        "2022-11",
        "2022-11",
        PeriodKind.MONTH,
        date(2022, 11, 1),
        date(2022, 11, 30),
        "tháng 11/2022",
    ),
    ("2024-02", "2024-02", PeriodKind.MONTH, date(2024, 2, 1), date(2024, 2, 29), "tháng 2/2024"),
    ("2022-W15", "2022-W15", PeriodKind.WEEK, date(2022, 4, 11), date(2022, 4, 17), "tuần 15/2022"),
    (
        "2020..2025",
        "2020..2025",
        PeriodKind.TERM,
        date(2020, 1, 1),
        date(2025, 12, 31),
        "nhiệm kỳ 2020–2025",
    ),
    (
        "2022-04-15..2022-05-30",
        "2022-04-15..2022-05-30",
        PeriodKind.SPAN,
        date(2022, 4, 15),
        date(2022, 5, 30),
        "từ 15/04/2022 đến 30/05/2022",
    ),
]


@pytest.mark.parametrize(("text", "code", "kind", "start", "end", "label"), EVERY_KIND)
def test_every_kind_of_code_parses_to_its_dates_and_label(text, code, kind, start, end, label):
    period = parse_period(text)
    assert (period.code, period.kind, period.start, period.end) == (code, kind, start, end)
    assert period.label == label
    assert str(period) == code
    assert parse_period(period.code) == period


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (" 2022 ", "2022"),
        ("2022-h1", "2022-H1"),
        ("2022-9m", "2022-9M"),
        ("2022-q2", "2022-Q2"),
        ("2022-w15", "2022-W15"),
        ("2022-W5", "2022-W05"),
        ("2022-1", "2022-01"),
        ("2020 .. 2025", "2020..2025"),
        ("2020–2025", "2020..2025"),
        ("2022-4-15..2022-5-30", "2022-04-15..2022-05-30"),
    ],
)
def test_loose_spellings_become_the_canonical_code(text, code):
    assert parse_period(text).code == code


def test_iso_weeks_run_monday_to_sunday_and_may_cross_the_new_year():
    week = parse_period("2026-W01")
    assert (week.start, week.end) == (date(2025, 12, 29), date(2026, 1, 4))
    assert week.start.weekday() == 0
    assert week.label == "tuần 1/2026"
    assert week.year == 2026
    assert parse_period("2020-W53").end == date(2021, 1, 3)


def test_the_year_of_a_period_is_the_year_it_starts_in():
    assert parse_period("2022-11").year == 2022
    assert parse_period("2020..2025").year == 2020


def test_periods_are_hashable_and_equal_by_code():
    assert parse_period("2022-q2") == parse_period("2022-Q2")
    assert len({parse_period("2022-1"), parse_period("2022-01"), parse_period("2022")}) == 2
    assert parse_period("2022") != "2022"


@pytest.mark.parametrize(
    ("outer", "inner"),
    [
        ("2020", "2020-H1"),
        ("2020", "2020-Q4"),
        ("2020..2025", "2022-11"),
        ("2022-04", "2022-W15"),
        ("2022-04-01..2022-06-30", "2022-04-15..2022-05-30"),
        ("2022-04-15..2022-05-31", "2022-05"),
        ("2022-9M", "2022-Q3"),
        ("2022", "2022"),
    ],
)
def test_containment(outer, inner):
    assert parse_period(outer).contains(parse_period(inner))


@pytest.mark.parametrize(
    ("outer", "inner"),
    [
        ("2020-H1", "2020"),
        ("2022-9M", "2022-Q4"),
        ("2022-04-15..2022-05-30", "2022-04"),
        ("2020..2025", "2026-01"),
        ("2021", "2020-W53"),
    ],
)
def test_non_containment(outer, inner):
    assert not parse_period(outer).contains(parse_period(inner))


@pytest.mark.parametrize(
    ("code", "count"),
    [
        ("2022", 12),
        ("2022-H1", 6),
        ("2022-9M", 9),
        ("2022-Q2", 3),
        ("2022-11", 1),
        ("2022-W15", 0),
        ("2020..2025", 72),
        ("2022-04-15..2022-05-30", 0),
        ("2022-04-15..2022-07-31", 3),
    ],
)
def test_months_lists_the_calendar_months_wholly_inside(code, count):
    months = parse_period(code).months()
    assert len(months) == count
    assert all(month.kind is PeriodKind.MONTH for month in months)


def test_months_are_in_order():
    assert [str(m) for m in parse_period("2022-H2").months()] == [
        "2022-07",
        "2022-08",
        "2022-09",
        "2022-10",
        "2022-11",
        "2022-12",
    ]


def test_expand_a_year_into_its_twelve_months():
    months = expand_periods("2024")
    assert [str(m) for m in months] == [f"2024-{m:02d}" for m in range(1, 13)]


def test_expand_a_month_range():
    assert [str(m) for m in expand_periods("2024-01..2024-06")] == [
        "2024-01",
        "2024-02",
        "2024-03",
        "2024-04",
        "2024-05",
        "2024-06",
    ]
    assert len(expand_periods("2023-11..2024-02")) == 4


def test_expand_a_half_and_a_single_month():
    assert expand_periods("2024-H1") == expand_periods("2024-01..2024-06")
    assert expand_periods("2024-3") == [parse_period("2024-03")]


@pytest.mark.parametrize("spec", ["2024-06..2024-01", "2022-W15", "nonsense", "2024-01..2024-13"])
def test_expand_rejects_backwards_ranges_and_periods_without_a_whole_month(spec):
    with pytest.raises(PeriodError):
        expand_periods(spec)


@pytest.mark.parametrize(
    ("kind", "day", "code"),
    [
        (PeriodKind.MONTH, date(2022, 11, 30), "2022-11"),
        (PeriodKind.YEAR, date(2022, 11, 30), "2022"),
        (PeriodKind.HALF, date(2022, 6, 30), "2022-H1"),
        (PeriodKind.HALF, date(2022, 7, 1), "2022-H2"),
        (PeriodKind.NINE_MONTHS, date(2022, 9, 30), "2022-9M"),
        (PeriodKind.QUARTER, date(2022, 5, 1), "2022-Q2"),
        (PeriodKind.WEEK, date(2022, 4, 13), "2022-W15"),
        (PeriodKind.WEEK, date(2026, 1, 1), "2026-W01"),
        (PeriodKind.WEEK, date(2021, 1, 1), "2020-W53"),
        ("month", datetime(2022, 11, 30, 23, 59), "2022-11"),  # noqa: DTZ001
    ],
)
def test_period_for_date(kind, day, code):
    period = period_for_date(kind, day)
    assert period.code == code
    assert period.start <= (day.date() if isinstance(day, datetime) else day) <= period.end


@pytest.mark.parametrize(
    ("kind", "day"),
    [
        (PeriodKind.NINE_MONTHS, date(2022, 10, 1)),
        (PeriodKind.TERM, date(2022, 1, 1)),
        (PeriodKind.SPAN, date(2022, 1, 1)),
    ],
)
def test_period_for_date_refuses_kinds_that_do_not_hold_the_day(kind, day):
    with pytest.raises(PeriodError):
        period_for_date(kind, day)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "2022-13",
            "‘2022-13’ không phải là mã kỳ hợp lệ (ví dụ: 2022, 2022-H1, 2022-11, "
            "2022-W15, 2020..2025).",
        ),
        ("", "Chưa nhập mã kỳ."),
        ("2021-W53", "Năm 2021 không có tuần 53."),
        ("2020..2031", "Nhiệm kỳ ‘2020..2031’ dài quá 10 năm."),
        ("2025..2020", "Nhiệm kỳ ‘2025..2020’ phải có năm kết thúc sau năm bắt đầu."),
        (
            "2022-05-30..2022-04-15",
            "Trong ‘2022-05-30..2022-04-15’, ngày kết thúc đứng trước ngày bắt đầu.",
        ),
        ("2022-02-30..2022-03-01", "‘2022-02-30..2022-03-01’ có ngày không tồn tại."),
    ],
)
def test_rejections_say_what_is_wrong_in_vietnamese(code, message):
    with pytest.raises(PeriodError) as caught:
        parse_period(code)
    assert caught.value.message == message
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "code",
    [
        "2022-00",
        "2022-Q0",
        "2022-Q5",
        "2022-H3",
        "2022-W00",
        "2022-W54",
        "0000",
        "22",
        "2022-11-01",
        "2022/11",
        "năm 2022",
        "2020..2020",
        "٢٠٢٢",
    ],
)
def test_bad_codes_are_rejected(code):
    with pytest.raises(PeriodError):
        parse_period(code)


def test_a_caller_catching_value_error_gets_the_vietnamese_message():
    # Form fields catch ValueError: a bad period must reach them with its message.
    with pytest.raises(ValueError) as caught:
        parse_period("2022-13")
    assert "2022-13" in str(caught.value)


def test_a_period_is_immutable():
    period = parse_period("2022")
    with pytest.raises(AttributeError):
        period.code = "2023"
    assert period.code == "2022" and period == parse_period("2022")
