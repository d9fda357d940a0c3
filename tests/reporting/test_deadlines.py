"""Deadline rules and deadlines in Vietnam time, across week, month and year ends."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from xaso.periods import parse_period
from xaso.reporting.deadlines import DeadlineError, DeadlineRule, deadline, parse_rule

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("rule", "period", "due"),
    [
        # ISO week 15 of 2022 is Mon 11/4 – Sun 17/4: its Friday is 15/4.
        ("fri@17:00", "2022-W15", datetime(2022, 4, 15, 17, 0, tzinfo=VN)),
        # Week 52 of 2022 ends Sun 1/1/2023; its Friday is 30/12/2022.
        ("fri@17:00", "2022-W52", datetime(2022, 12, 30, 17, 0, tzinfo=VN)),
        # Week 1 of 2021 starts Mon 4/1/2021.
        ("mon@08:30", "2021-W01", datetime(2021, 1, 4, 8, 30, tzinfo=VN)),
        ("next-month:20", "2022-11", datetime(2022, 12, 20, 23, 59, 59, tzinfo=VN)),
        ("next-month:20", "2022-12", datetime(2023, 1, 20, 23, 59, 59, tzinfo=VN)),
        ("next-month:5@17:00", "2022-Q2", datetime(2022, 7, 5, 17, 0, tzinfo=VN)),
        ("after:10d", "2022-H1", datetime(2022, 7, 10, 23, 59, 59, tzinfo=VN)),
        ("after:10d", "2024-02", datetime(2024, 3, 10, 23, 59, 59, tzinfo=VN)),
        ("after:0d@20:00", "2022-04-15..2022-04-15", datetime(2022, 4, 15, 20, 0, tzinfo=VN)),
    ],
)
def test_deadlines(rule, period, due):
    assert deadline(parse_rule(rule), parse_period(period)) == due


def test_a_deadline_is_the_same_instant_whatever_the_server_zone():
    due = deadline(parse_rule("fri@17:00"), parse_period("2022-W15"))
    assert due.astimezone(ZoneInfo("UTC")) == datetime(2022, 4, 15, 10, 0, tzinfo=ZoneInfo("UTC"))


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("fri@17:00", DeadlineRule("weekday", 4, time(17, 0))),
        (" FRI@17:00 ", DeadlineRule("weekday", 4, time(17, 0))),
        ("next-month:1", DeadlineRule("next_month", 1)),
        ("next-month:28", DeadlineRule("next_month", 28)),
        ("after:366d", DeadlineRule("after", 366)),
        ("after:0d@23:59", DeadlineRule("after", 0, time(23, 59))),
    ],
)
def test_rules_read_and_write_back(text, rule):
    assert parse_rule(text) == rule
    assert parse_rule(str(rule)) == rule


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("friday", "Không hiểu hạn nộp ‘friday’"),
        ("next-month:0", "từ 1 đến 28"),
        ("next-month:29", "từ 1 đến 28"),
        ("after:367d", "không quá 366 ngày"),
        ("fri@24:00", "không có thật"),
        ("fri@23:60", "không có thật"),
    ],
)
def test_bad_rules_are_refused_in_vietnamese(text, message):
    with pytest.raises(DeadlineError, match=message):
        parse_rule(text)


def test_labels():
    assert parse_rule("fri@17:00").label == "17:00 thứ Sáu trong tuần của kỳ"
    assert parse_rule("next-month:20").label == "ngày 20 tháng sau kỳ"
    assert parse_rule("after:10d").label == "10 ngày sau khi hết kỳ"
    assert parse_rule("after:0d@20:00").label == "20:00 ngày cuối kỳ"
