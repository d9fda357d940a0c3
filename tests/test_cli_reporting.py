"""`xaso forms`, `xaso completeness` and `xaso remind`: the JSON contracts, --as, errors."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.factories import make_indicator
from tests.reporting.conftest import cycle  # noqa: F401 — the fixture
from xaso import cli
from xaso.org.models import UnitKind
from xaso.periods import parse_period
from xaso.reporting.definitions import define_form
from xaso.reporting.models import Reminder
from xaso.reporting.services import save_report, submit_report

VN = ZoneInfo("Asia/Ho_Chi_Minh")
WEEK = parse_period("2022-W15")  # due Friday 15/4/2022 17:00


def run(capsys, *args):
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def send(cycle, village, when, monkeypatch):  # noqa: F811
    submission, _ = save_report(
        form=cycle.form, unit=village, period=WEEK, entries={cycle.fences: ("5", "final")}
    )
    monkeypatch.setattr(timezone, "now", lambda: when)
    submit_report(submission=submission, version=submission.version)
    monkeypatch.undo()


@pytest.fixture
def week(cycle, monkeypatch):  # noqa: F811
    """W15: Cẩm Trang on time, Đông Giang late, Tây Giang a draft only."""
    send(cycle, cycle.villages[0], datetime(2022, 4, 15, 16, 59, tzinfo=VN), monkeypatch)
    send(cycle, cycle.villages[1], datetime(2022, 4, 16, 8, 0, tzinfo=VN), monkeypatch)
    save_report(form=cycle.form, unit=cycle.villages[2], period=WEEK, entries={})
    return cycle


@pytest.fixture
def province_form(cycle):  # noqa: F811
    return define_form(
        code="ntm-thang-tinh",
        name="Báo cáo tháng NTM của xã",
        reviewer=cycle.province,
        period_type="month",
        deadline_rule="next-month:5",
        indicators=[(make_indicator("ho-ntm", unit="ho", name="Hộ đạt chuẩn"), "")],
        reporter_kind=UnitKind.COMMUNE,
    )


NTM_WEEK = {
    "code": "ntm-tuan",
    "name": "Báo cáo tuần NTM",
    "period_type": "week",
    "deadline_rule": "fri@17:00",
}
PROVINCE_MONTH = {
    "code": "ntm-thang-tinh",
    "name": "Báo cáo tháng NTM của xã",
    "period_type": "month",
    "deadline_rule": "next-month:5",
}


def test_forms_json_contract(capsys, cycle, province_form):  # noqa: F811
    # The commune reports to the province and reviews its villages' weekly form.
    assert json.loads(run(capsys, "forms", "tg", "--json")[1]) == {
        "forms": [PROVINCE_MONTH, NTM_WEEK]
    }
    assert json.loads(run(capsys, "forms", "tg-1", "--json")[1]) == {"forms": [NTM_WEEK]}
    assert json.loads(run(capsys, "forms", "ht", "--json")[1]) == {"forms": [PROVINCE_MONTH]}
    assert json.loads(run(capsys, "forms", "hl-1", "--json")[1]) == {"forms": []}


def test_forms_as_text(capsys, cycle):  # noqa: F811
    code, out, err = run(capsys, "forms", "tg-1")
    assert (code, err) == (0, "")
    assert out == (
        "Biểu mẫu báo cáo của Thôn Cẩm Trang\n\n"
        "ntm-tuan\tBáo cáo tuần NTM — hằng tuần, hạn 17:00 thứ Sáu trong tuần của kỳ; "
        "báo cáo (đơn vị nhận: Xã Trang Giang)\n"
    )


def test_completeness_json_contract(capsys, week):
    code, out, err = run(
        capsys, "completeness", "tg", "--form", "ntm-tuan", "--period", "2022-W15", "--json"
    )
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "expected": 3,
        "submitted": 2,
        "on_time": 1,
        "late": 1,
        "missing": ["Thôn Tây Giang"],
    }
    # From a village: its own report only.
    out = run(
        capsys, "completeness", "tg-2", "--form", "ntm-tuan", "--period", "2022-W15", "--json"
    )[1]
    assert json.loads(out) == {
        "expected": 1,
        "submitted": 1,
        "on_time": 0,
        "late": 1,
        "missing": [],
    }
    # From the province above the reviewer: all three.
    out = run(capsys, "completeness", "ht", "--form", "ntm-tuan", "--period", "2022-W16", "--json")[
        1
    ]
    assert json.loads(out) == {
        "expected": 3,
        "submitted": 0,
        "on_time": 0,
        "late": 0,
        "missing": ["Thôn Cẩm Trang", "Thôn Đông Giang", "Thôn Tây Giang"],
    }


def test_completeness_as_text(capsys, week):
    code, out, _ = run(capsys, "completeness", "tg", "--form", "ntm-tuan", "--period", "2022-W15")
    assert code == 0
    assert out == (
        "Báo cáo tuần NTM — tuần 15/2022 (2022-W15), hạn 15/04/2022 17:00\n"
        "Đơn vị: Xã Trang Giang\n\n"
        "Phải báo cáo: 3\n"
        "Đã gửi: 2 (đúng hạn 1, muộn 1)\n"
        "    muộn: Thôn Đông Giang, gửi 16/04/2022 08:00\n"
        "Chưa gửi: 1\n"
        "    Thôn Tây Giang\n"
    )


def test_as_obeys_the_access_policy(capsys, week):
    args = ("--form", "ntm-tuan", "--period", "2022-W15", "--json")
    # Đông Giang's head reads their own village, not the commune nor a neighbour.
    code, out, _ = run(capsys, "completeness", "tg-2", *args, "--as", "donggiang")
    assert (code, json.loads(out)["late"]) == (0, 1)
    for unit in ("tg", "tg-1"):
        code, out, err = run(capsys, "completeness", unit, *args, "--as", "donggiang")
        assert (code, out) == (2, "")
        assert "Người dùng donggiang không có quyền xem" in err
    code, out, err = run(capsys, "forms", "tg", "--json", "--as", "donggiang")
    assert (code, out) == (2, "")
    # The commune's officer reads the commune.
    code, out, _ = run(capsys, "completeness", "tg", *args, "--as", "canbontm")
    assert (code, json.loads(out)["missing"]) == (0, ["Thôn Tây Giang"])
    assert run(capsys, "forms", "tg-3", "--json", "--as", "canbontm")[0] == 0


@pytest.mark.parametrize(
    ("unit", "form", "period", "message"),
    [
        ("tg", "khong-co", "2022-W15", "Không có biểu mẫu mã ‘khong-co’."),
        ("tg", "ntm-tuan", "2022-04", "tháng 4/2022 không phải kỳ của biểu này."),
        ("tg", "ntm-tuan", "2022-W99", "2022-W99"),
        ("hl", "ntm-tuan", "2022-W15", "Xã Hà Linh không báo cáo và không nhận biểu"),
    ],
)
def test_completeness_errors(capsys, cycle, unit, form, period, message):  # noqa: F811
    code, out, err = run(capsys, "completeness", unit, "--form", form, "--period", period)
    assert (code, out) == (2, "")
    assert message in err


def test_remind_sends_what_is_due_once(capsys, cycle, mailoutbox):  # noqa: F811
    cycle.reporter.email = "camtrang@xa.example.vn"
    cycle.reporter.save()
    code, out, err = run(capsys, "remind", "--now", "15/04/2022 09:00", "--json")
    assert (code, err) == (0, "")
    shape = json.loads(out)
    assert shape["now"] == "2022-04-15T09:00:00+07:00"
    assert shape["reminders"][0] == {
        "kind": "before",
        "form": "ntm-tuan",
        "unit": "tg-1",
        "period": "2022-W15",
        "deadline": "2022-04-15T17:00:00+07:00",
        "status": "sent",
        "emails": 1,
    }
    sent = {(r["unit"], r["period"], r["kind"], r["emails"]) for r in shape["reminders"]}
    # W14 (due 8/4) is a week overdue too: the form has no campaign days here.
    assert sent == {
        ("tg-1", "2022-W15", "before", 1),
        ("tg-2", "2022-W15", "before", 0),
        ("tg-3", "2022-W15", "before", 0),
        ("tg-1", "2022-W14", "overdue", 1),
        ("tg-2", "2022-W14", "overdue", 0),
        ("tg-3", "2022-W14", "overdue", 0),
    }
    assert [m.to for m in mailoutbox] == [["camtrang <camtrang@xa.example.vn>"]] * 2
    assert Reminder.objects.count() == 6

    code, out, _ = run(capsys, "remind", "--now", "15/04/2022 09:05")
    assert (code, out) == (0, "Không có lời nhắc nào đến lúc gửi.\n")
    assert len(mailoutbox) == 2


def test_remind_refuses_a_moment_it_cannot_read(capsys, db):
    code, out, err = run(capsys, "remind", "--now", "ngày mai")
    assert (code, out) == (2, "")
    assert "Không hiểu thời điểm ‘ngày mai’" in err


def test_remind_says_on_stderr_what_it_could_not_send(capsys, cycle, settings):  # noqa: F811
    import socket

    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    cycle.reporter.email = "camtrang@xa.example.vn"
    cycle.reporter.save()
    code, out, err = run(capsys, "remind", "--now", "15/04/2022 09:00")
    assert code == 1
    lines = err.splitlines()
    assert lines[0].startswith(
        "chưa gửi được (sắp đến hạn, 0 thư): Thôn Cẩm Trang — Báo cáo tuần NTM tuần 15/2022, "
        "hạn 15/04/2022 17:00 — camtrang@xa.example.vn: "
    )
    assert len(lines) == 6
    assert all(line.startswith("chưa thử (máy chủ thư không trả lời)") for line in lines[1:])
    assert out == ""
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 0
