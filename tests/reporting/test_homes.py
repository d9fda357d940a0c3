"""The home page of a reporter (reports due, returned with the reason, drafts, reminders) and
of a reviewer (waiting for approval, completeness of the current period, late and missing),
in a fixed number of queries.

The week: 2022-W15, the campaign's first, due Friday 15/4/2022 17:00. Cẩm Trang sent on
time and was returned, Đông Giang sent late and waits, Tây Giang has a draft only. "Now" is
Saturday 16/4 10:00.
"""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_indicator, make_unit, make_user
from xaso.org.models import Role, UnitKind
from xaso.periods import parse_period
from xaso.reporting.definitions import define_form
from xaso.reporting.models import ReportForm
from xaso.reporting.reminders import remind
from xaso.reporting.selectors import completeness
from xaso.reporting.services import return_report, save_report, submit_report
from xaso.web.homes import home_of

VN = ZoneInfo("Asia/Ho_Chi_Minh")
WEEK = parse_period("2022-W15")
NOW = datetime(2022, 4, 16, 10, 0, tzinfo=VN)


def at(day, hour, minute=0):
    return datetime(2022, 4, day, hour, minute, tzinfo=VN)


def send(form, unit, indicator, when, monkeypatch, period=WEEK):
    submission, _ = save_report(
        form=form, unit=unit, period=period, entries={indicator: ("5", "final")}
    )
    monkeypatch.setattr(timezone, "now", lambda: when)
    sent = submit_report(submission=submission, version=submission.version)
    monkeypatch.undo()
    return sent


@pytest.fixture
def week(cycle, monkeypatch):
    # The campaign's weeks (seed 002: from 15/4/2022): no week before W15 is due.
    ReportForm.objects.filter(pk=cycle.form.pk).update(
        span_start=date(2022, 4, 11), span_end=date(2022, 5, 29)
    )
    cycle.form.refresh_from_db()
    remind(now=at(15, 9))  # before the deadline: all three
    first = send(cycle.form, cycle.villages[0], cycle.fences, at(15, 16, 59), monkeypatch)
    return_report(submission=first, reason="Thiếu số hộ của thôn", version=first.version)
    cycle.waiting = send(cycle.form, cycle.villages[1], cycle.fences, at(16, 8), monkeypatch)
    save_report(form=cycle.form, unit=cycle.villages[2], period=WEEK, entries={})
    cycle.third = make_user("taygiang", unit=cycle.villages[2], role=Role.REPORTER)
    remind(now=at(16, 9))  # overdue: Tây Giang only
    return cycle


def open_home(user, monkeypatch) -> str:
    client = Client()
    client.force_login(user)
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    response = client.get("/")
    monkeypatch.undo()
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_returned_report_is_due_with_its_reason(week, monkeypatch):
    home = home_of(week.reporter, NOW)
    assert [(d.unit.code, d.period.code, d.status, d.overdue) for d in home.due] == [
        ("tg-1", "2022-W15", "Bị trả lại", False)
    ]
    assert home.due[0].submission.return_reason == "Thiếu số hộ của thôn"
    assert (home.returned, home.drafts, home.reminders, home.progress) == ([], [], [], [])

    html = open_home(week.reporter, monkeypatch)
    assert '<a href="/units/tg-1/reports/ntm-tuan/2022-W15/">Báo cáo tuần NTM</a>' in html
    page = text(html)
    assert "tuần 15/2022 15/04/2022 17:00 Bị trả lại Lý do: Thiếu số hộ của thôn" in page
    assert "Chờ duyệt" not in page


def test_a_draft_past_its_deadline_is_overdue_and_reminded(week, monkeypatch):
    home = home_of(week.third, NOW)
    assert [(d.unit.code, d.status, d.overdue) for d in home.due] == [("tg-3", "Đang soạn", True)]
    assert [(r.unit.code, r.period, r.kind) for r in home.reminders] == [
        ("tg-3", "2022-W15", "overdue"),
        ("tg-3", "2022-W15", "before"),
    ]
    page = text(open_home(week.third, monkeypatch))
    assert (
        "Quá hạn Thôn Tây Giang chưa gửi Báo cáo tuần NTM kỳ 2022-W15 — hạn 15/04/2022 17:00"
        in (page)
    )
    assert "15/04/2022 17:00 quá hạn Đang soạn" in page


def test_reminders_go_once_the_report_is_sent(week, monkeypatch):
    # Đông Giang was reminded before the deadline, then sent: nothing left to remind of.
    assert week.form.reminders.filter(unit=week.villages[1]).count() == 1
    home = home_of(week.stranger_reporter, NOW)
    assert home.reminders == []
    assert [(d.status, d.overdue) for d in home.due] == [("Đã gửi, chờ duyệt", False)]


def test_the_reviewer_sees_waiting_late_and_missing(week, monkeypatch):
    home = home_of(week.reviewer, NOW)
    assert [s.pk for s in home.waiting] == [week.waiting.pk]
    [progress] = home.progress
    found = progress.found
    assert (found.period.code, found.submitted, len(found.expected)) == ("2022-W15", 2, 3)
    assert [s.unit.code for s in found.on_time] == ["tg-1"]
    assert [s.unit.code for s in found.late] == ["tg-2"]
    assert [u.code for u in found.missing] == ["tg-3"]
    assert home.due == []

    html = open_home(week.reviewer, monkeypatch)
    assert f'href="/reports/submissions/{week.waiting.pk}/"' in html
    assert 'href="/units/tg/reports/ntm-tuan/completeness/?period=2022-W15"' in html
    page = text(html)
    assert "Chờ duyệt (1)" in page
    assert "Thôn Đông Giang · Báo cáo tuần NTM · kỳ 2022-W15 gửi 16/04/2022 08:00" in page
    assert (
        "Hạn nộp 15/04/2022 17:00 · đã gửi 2/3 đơn vị (66,7%) · đúng hạn 1 · muộn 1 · chưa gửi 1"
        in page
    )
    assert "Gửi muộn: Thôn Đông Giang" in page
    assert "Chưa báo cáo: Thôn Tây Giang" in page


def test_the_reviewers_counts_are_the_selectors_counts(week):
    [progress] = home_of(week.reviewer, NOW).progress
    expected = completeness(week.form, WEEK)
    assert [u.pk for u in progress.found.expected] == [u.pk for u in expected.expected]
    assert [s.pk for s in progress.found.on_time] == [s.pk for s in expected.on_time]
    assert [s.pk for s in progress.found.late] == [s.pk for s in expected.late]
    assert [u.pk for u in progress.found.missing] == [u.pk for u in expected.missing]
    assert [s.pk for s in progress.found.drafts] == [s.pk for s in expected.drafts]


def test_before_the_deadline_nothing_is_overdue(week):
    home = home_of(week.third, at(15, 9))
    assert [(d.period.code, d.overdue) for d in home.due] == [("2022-W15", False)]


def test_an_older_overdue_period_stays_until_it_is_sent(week, monkeypatch):
    # Monday 18/4: W16 is current; W15, missing for Tây Giang, is 3 days overdue.
    home = home_of(week.third, at(18, 8))
    assert [(d.period.code, d.status, d.overdue) for d in home.due] == [
        ("2022-W15", "Đang soạn", True),
        ("2022-W16", "Chưa nhập", False),
    ]
    # Cẩm Trang's W15 was sent (then returned): the W15 line is gone; the return is listed.
    home = home_of(week.reporter, at(18, 8))
    assert [d.period.code for d in home.due] == ["2022-W16"]
    assert [(s.period, s.return_reason) for s in home.returned] == [
        ("2022-W15", "Thiếu số hộ của thôn")
    ]


def test_an_officer_without_forms_goes_to_their_unit_as_before(cycle):
    viewer = make_user("xem", unit=cycle.other_commune, role=Role.VIEWER)
    client = Client()
    client.force_login(viewer)
    response = client.get("/")
    assert (response.status_code, response.url) == (302, "/units/hl/")


def grow(cycle, monkeypatch):
    """Three more forms, six more villages, a submission for each."""
    for n in range(4, 10):
        village = make_unit(f"Thôn {n}", UnitKind.VILLAGE, cycle.commune, code=f"tg-{n}")
        send(cycle.form, village, cycle.fences, at(15, 10), monkeypatch)
    for n in range(3):
        indicator = make_indicator(f"them-{n}", unit="cay", name=f"Cây {n}")
        form = define_form(
            code=f"them-{n}",
            name=f"Biểu thêm {n}",
            reviewer=cycle.commune,
            period_type="week",
            deadline_rule="fri@17:00",
            indicators=[(indicator, "")],
            reporter_kind=UnitKind.VILLAGE,
        )
        for village in cycle.villages:
            send(form, village, indicator, at(15, 11), monkeypatch)


@pytest.mark.parametrize("who", ["reviewer", "reporter"])
def test_the_home_costs_a_fixed_number_of_queries(
    week, monkeypatch, who, django_assert_max_num_queries
):
    user = getattr(week, who)
    client = Client()
    client.force_login(user)
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/").status_code == 200
    monkeypatch.undo()
    grow(week, monkeypatch)
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    with django_assert_max_num_queries(10):
        response = client.get("/")
    with CaptureQueriesContext(connection) as large:
        client.get("/")
    assert len(large.captured_queries) == len(small.captured_queries)
    page = text(response.content.decode())
    if who == "reviewer":
        assert "đã gửi 8/9 đơn vị" in page  # the weekly form: six more villages, on time
        assert "Chờ duyệt (16)" in page  # 7 weekly, 3 × 3 of the other forms
        assert page.count("Biểu thêm") == 9 + 3  # waiting, and each form's completeness
    else:
        assert page.count("Biểu thêm") == 3
    assert len(response.content) < 100_000
