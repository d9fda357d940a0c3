"""Deadline rules of report forms, and the deadline of a period under a rule.

A rule is written short, so that it fits a form's definition file and the CLI:

  fri@17:00          the Friday of the period's (last) week, at 17:00 ("thứ 6 hàng tuần")
  next-month:20      the 20th of the month after the period ends, end of that day
  next-month:20@17:00
  after:10d          10 days after the period's last day, end of that day
  after:0d@20:00     the period's last day at 20:00 (a daily campaign report)

Deadlines are in Vietnam time (Asia/Ho_Chi_Minh). Pure standard library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from xaso.periods import Period

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
END_OF_DAY = time(23, 59, 59)
MAX_DAYS_AFTER = 366

WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_WEEKDAY_NAMES = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]
_RULE = re.compile(
    r"(?:(?P<weekday>mon|tue|wed|thu|fri|sat|sun)"
    r"|next-month:(?P<day>\d{1,2})"
    r"|after:(?P<days>\d{1,3})d)"
    r"(?:@(?P<hour>\d{1,2}):(?P<minute>\d{2}))?"
)
EXAMPLES = "ví dụ: fri@17:00, next-month:20, after:10d"


class DeadlineError(ValueError):
    """A rule that cannot be read; the message is Vietnamese."""


@dataclass(frozen=True)
class DeadlineRule:
    kind: str  # "weekday", "next_month" or "after"
    number: int  # the weekday (0 = Monday), the day of the month, or the days after
    at: time = END_OF_DAY

    def __str__(self) -> str:
        at = "" if self.at == END_OF_DAY else f"@{self.at:%H:%M}"
        match self.kind:
            case "weekday":
                return f"{list(WEEKDAYS)[self.number]}{at}"
            case "next_month":
                return f"next-month:{self.number}{at}"
        return f"after:{self.number}d{at}"

    @property
    def label(self) -> str:
        """In Vietnamese: "17:00 thứ Sáu trong tuần", "ngày 20 tháng sau", …"""
        at = "" if self.at == END_OF_DAY else f"{self.at:%H:%M} "
        match self.kind:
            case "weekday":
                return f"{at}{_WEEKDAY_NAMES[self.number]} trong tuần của kỳ"
            case "next_month":
                return f"{at}ngày {self.number} tháng sau kỳ".strip()
        if self.number == 0:
            return f"{at}ngày cuối kỳ".strip()
        return f"{at}{self.number} ngày sau khi hết kỳ".strip()


def parse_rule(text: str) -> DeadlineRule:
    found = _RULE.fullmatch(text.strip().lower())
    if found is None:
        raise DeadlineError(f"Không hiểu hạn nộp ‘{text}’ ({EXAMPLES}).")
    at = END_OF_DAY
    if found["hour"] is not None:
        hour, minute = int(found["hour"]), int(found["minute"])
        if hour > 23 or minute > 59:
            raise DeadlineError(f"Giờ ‘{hour}:{minute:02d}’ trong hạn nộp không có thật.")
        at = time(hour, minute)
    if found["weekday"]:
        return DeadlineRule("weekday", WEEKDAYS[found["weekday"]], at)
    if found["day"] is not None:
        day = int(found["day"])
        if not 1 <= day <= 28:
            raise DeadlineError("Ngày trong tháng của hạn nộp phải từ 1 đến 28 (có ở mọi tháng).")
        return DeadlineRule("next_month", day, at)
    days = int(found["days"])
    if days > MAX_DAYS_AFTER:
        raise DeadlineError(f"Hạn nộp không quá {MAX_DAYS_AFTER} ngày sau khi hết kỳ.")
    return DeadlineRule("after", days, at)


def deadline(rule: DeadlineRule, period: Period) -> datetime:
    """The moment reports of `period` are due, in Vietnam time."""
    last = period.end
    match rule.kind:
        case "weekday":  # the weekday of the ISO week the period ends in
            day = last - timedelta(days=last.weekday()) + timedelta(days=rule.number)
        case "next_month":
            year, month = (last.year + 1, 1) if last.month == 12 else (last.year, last.month + 1)
            day = date(year, month, rule.number)
        case _:
            day = last + timedelta(days=rule.number)
    return datetime.combine(day, rule.at, tzinfo=VIETNAM)
