"""Reminders of report deadlines, sent through a real SMTP server (aiosmtpd on a free local
port) and read back as they arrived: before the deadline, once; none for units that sent;
none before the window; the overdue one after the deadline; a mail server down and back."""

import socket
import threading
from datetime import date, datetime, timedelta
from email import message_from_bytes
from email import policy as email_policy
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from tests.factories import make_user
from xaso.org.models import Role, UnitKind
from xaso.periods import parse_period
from xaso.reporting.definitions import define_form
from xaso.reporting.models import Reminder
from xaso.reporting.reminders import current_period, due_reminders, remind, send_reminders
from xaso.reporting.services import save_report, submit_report

VN = ZoneInfo("Asia/Ho_Chi_Minh")
WEEK = parse_period("2022-W15")  # 11–17/4/2022, due Friday 15/4/2022 17:00


def at(day: int, hour: int, minute: int = 0, month: int = 4) -> datetime:
    return datetime(2022, month, day, hour, minute, tzinfo=VN)


class Inbox:
    """What arrived at the SMTP server: (envelope recipients, parsed message)."""

    def __init__(self):
        self.arrived = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content, policy=email_policy.default)
        self.arrived.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def take(self) -> list:
        taken, self.arrived = self.arrived, []
        return taken

    def recipients(self) -> list[str]:
        return sorted(r for rcpt, _ in self.take() for r in rcpt)


def subject(message) -> str:
    # Django folds a long encoded subject onto the next line; a reader drops that space.
    return message["Subject"].strip()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def point_mail_at(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "xã số <xaso@xa.example.vn>"
    settings.SITE_URL = "https://xaso.example.vn"
    settings.REMINDER_BEFORE_HOURS = 24
    settings.REMINDER_OVERDUE_DAYS = 7


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    point_mail_at(settings, port)
    yield inbox
    controller.stop()


@pytest.fixture
def campaign(cycle):
    """The weekly form within the campaign's days (from Monday 11/4/2022), so that only its
    weeks are due; an address for each reporter, and people who must not be mailed."""
    define_form(
        code="ntm-tuan",
        name="Báo cáo tuần NTM",
        reviewer=cycle.commune,
        period_type="week",
        deadline_rule="fri@17:00",
        indicators=[(cycle.fences, "Cảnh quan")],
        reporter_kind=UnitKind.VILLAGE,
        span=(date(2022, 4, 11), date(2022, 5, 29)),
    )
    cycle.form.refresh_from_db()
    for user, address in ((cycle.reporter, "camtrang"), (cycle.stranger_reporter, "donggiang")):
        user.email = f"{address}@xa.example.vn"
        user.save()
    third = cycle.villages[2]
    make_user("taygiang", unit=third, role=Role.MANAGER, email="taygiang@xa.example.vn")
    make_user("taygiang-pho", unit=third, role=Role.REPORTER, email="")  # no address
    make_user("taygiang-xem", unit=third, role=Role.VIEWER, email="xem@xa.example.vn")
    make_user(
        "taygiang-cu", unit=third, role=Role.REPORTER, email="cu@xa.example.vn", is_active=False
    )
    cycle.reviewer.email = "ntm@xa.example.vn"  # the commune's manager: a role above only
    cycle.reviewer.save()
    return cycle


def send(cycle, village, when, monkeypatch):
    submission, _ = save_report(
        form=cycle.form, unit=village, period=WEEK, entries={cycle.fences: ("5", "final")}
    )
    monkeypatch.setattr(timezone, "now", lambda: when)
    sent = submit_report(submission=submission, version=submission.version)
    monkeypatch.undo()
    return sent


def test_before_the_deadline_once_to_each_unit_that_has_not_sent(campaign, smtp, monkeypatch):
    send(campaign, campaign.villages[0], at(13, 9), monkeypatch)

    remind(now=at(14, 16, 59))  # 24 h 01 min before the deadline: not yet
    assert smtp.take() == []
    assert Reminder.objects.count() == 0

    outcomes = remind(now=at(14, 17, 0))  # 24 h before: Đông Giang and Tây Giang
    arrived = smtp.take()
    assert sorted(r for rcpt, _ in arrived for r in rcpt) == [
        "donggiang@xa.example.vn",
        "taygiang@xa.example.vn",
    ]
    assert [(o.due.unit.code, o.status, o.emails) for o in outcomes] == [
        ("tg-2", "sent", ["donggiang@xa.example.vn"]),
        ("tg-3", "sent", ["taygiang@xa.example.vn"]),
    ]
    rcpt, message = next(m for m in arrived if m[0] == ["donggiang@xa.example.vn"])
    assert subject(message) == "Nhắc báo cáo: Báo cáo tuần NTM tuần 15/2022 — Thôn Đông Giang"
    assert message["To"] == "donggiang <donggiang@xa.example.vn>"
    assert message["From"] == "xã số <xaso@xa.example.vn>"
    body = message.get_content()
    assert "Kính gửi donggiang," in body
    assert "Thôn Đông Giang chưa gửi Báo cáo tuần NTM tuần 15/2022." in body
    assert "Hạn nộp: 15/04/2022 17:00." in body
    assert "https://xaso.example.vn/units/tg-2/reports/ntm-tuan/2022-W15/" in body

    # Every few minutes until the deadline: nothing more.
    for minutes in (5, 10, 60 * 23):
        assert remind(now=at(14, 17) + timedelta(minutes=minutes)) == []
    assert smtp.take() == []
    assert Reminder.objects.filter(kind="before", sent_at__isnull=False).count() == 2


def test_after_the_deadline_once_to_the_units_still_missing(campaign, smtp, monkeypatch):
    remind(now=at(15, 9))  # before: all three villages
    assert smtp.recipients() == [
        "camtrang@xa.example.vn",
        "donggiang@xa.example.vn",
        "taygiang@xa.example.vn",
    ]
    send(campaign, campaign.villages[0], at(15, 16, 59), monkeypatch)  # on time
    send(campaign, campaign.villages[1], at(15, 18, 0), monkeypatch)  # late, but sent

    remind(now=at(15, 17, 0))  # the deadline itself: not yet overdue
    assert smtp.take() == []

    remind(now=at(15, 17, 1))
    arrived = smtp.take()
    assert [rcpt for rcpt, _ in arrived] == [["taygiang@xa.example.vn"]]
    message = arrived[0][1]
    assert subject(message) == "Quá hạn báo cáo: Báo cáo tuần NTM tuần 15/2022 — Thôn Tây Giang"
    assert "Đã quá hạn nộp." in message.get_content()

    remind(now=at(16, 8))
    remind(now=at(22, 17))  # a week on: W15 is not reminded again
    assert [r for r, m in smtp.take() if "tuần 15/2022" in subject(m)] == []
    assert sorted(Reminder.objects.filter(period="2022-W15").values_list("unit__code", "kind")) == [
        ("tg-1", "before"),
        ("tg-2", "before"),
        ("tg-3", "before"),
        ("tg-3", "overdue"),
    ]


def test_no_overdue_reminder_past_the_window(campaign, smtp):
    # A first run 7 days and 1 minute after W15's deadline (Friday 15/4 17:00): W15 is not
    # reminded any more; W16, whose deadline passed a minute ago, is.
    remind(now=at(22, 17, 1))
    assert {subject(m).split(" — ")[0] for _, m in smtp.take()} == {
        "Quá hạn báo cáo: Báo cáo tuần NTM tuần 16/2022"
    }
    assert not Reminder.objects.filter(period="2022-W15").exists()


def test_the_overdue_window_ends_7_days_after_the_deadline(campaign, smtp):
    remind(now=at(22, 17, 0))  # exactly 7 days after W15's, and W16's deadline itself
    assert sorted(Reminder.objects.values_list("period", "kind").distinct()) == [
        ("2022-W15", "overdue"),
        ("2022-W16", "before"),
    ]


def test_units_without_an_address_get_the_reminder_on_their_home_only(campaign, smtp):
    campaign.stranger_reporter.email = ""
    campaign.stranger_reporter.save()
    outcomes = remind(now=at(15, 9))
    assert {o.due.unit.code: o.emails for o in outcomes}["tg-2"] == []
    reminder = Reminder.objects.get(unit__code="tg-2")
    assert reminder.sent_at == at(15, 9)
    assert reminder.recipients == ""


def test_a_run_planned_before_another_one_sent_sends_nothing(campaign, smtp):
    """Two overlapping runs: the second computed what was due before the first sent it; the
    unique constraint decides and the second sends nothing."""
    now = at(15, 9)
    late_run = due_reminders(now)
    remind(now=now)
    assert len(smtp.take()) == 3
    outcomes = send_reminders(late_run, now=now)
    assert [o.status for o in outcomes] == ["taken"] * 3
    assert smtp.take() == []
    assert Reminder.objects.count() == 3


def test_a_mail_server_down_leaves_the_reminders_for_the_next_run(campaign, settings):
    point_mail_at(settings, free_port())  # nothing listens there
    outcomes = remind(now=at(15, 9))
    assert [o.status for o in outcomes] == ["failed", "not_tried", "not_tried"]
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 0
    assert "camtrang@xa.example.vn" in Reminder.objects.get().error

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        point_mail_at(settings, controller.port)
        outcomes = remind(now=at(15, 9, 5))
        assert [o.status for o in outcomes] == ["sent"] * 3
        assert inbox.recipients() == [
            "camtrang@xa.example.vn",
            "donggiang@xa.example.vn",
            "taygiang@xa.example.vn",
        ]
        assert Reminder.objects.get(unit__code="tg-1").attempts == 2
        assert remind(now=at(15, 9, 10)) == []
        assert inbox.take() == []
    finally:
        controller.stop()


def test_the_current_period_is_the_oldest_still_open_else_the_newest(cycle):
    monthly = define_form(
        code="thang",
        name="Báo cáo tháng",
        reviewer=cycle.commune,
        period_type="month",
        deadline_rule="next-month:20",
        indicators=[(cycle.fences, "")],
        reporter_kind=UnitKind.VILLAGE,
    )
    assert current_period(monthly, at(5, 8, month=5))[0].code == "2022-04"
    assert current_period(monthly, at(21, 8, month=5))[0].code == "2022-05"
    # Weekly, Friday 17:00: Saturday still looks at the week that just ended.
    assert current_period(cycle.form, at(16, 8))[0].code == "2022-W15"
    assert current_period(cycle.form, at(18, 8))[0].code == "2022-W16"


# ---- concurrent runs (PostgreSQL: real concurrent sessions) --------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent runs: PostgreSQL")
def test_four_runs_at_once_send_each_reminder_once(campaign, smtp):
    barrier = threading.Barrier(4)
    errors = []

    def run():
        try:
            barrier.wait()
            remind(now=at(15, 9))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert smtp.recipients() == [
        "camtrang@xa.example.vn",
        "donggiang@xa.example.vn",
        "taygiang@xa.example.vn",
    ]
    assert Reminder.objects.count() == 3
