"""`xaso meetings` and `xaso tasks`, run in-process on the demo data: the five meetings of the
source reports and the directives they handed out."""

import datetime as dt
import json

import pytest
from django.db import transaction
from django.utils import timezone

from xaso import cli
from xaso.demo.loader import load_demo

pytestmark = pytest.mark.django_db

TASK_FIELDS = {
    "text",
    "status",
    "status_label",
    "due",
    "assigned_to",
    "issued_by",
    "meeting_date",
    "meeting",
}


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(capsys, *args: str) -> dict:
    code, out, err = run(capsys, *args, "--json")
    assert (code, err) == (0, "")
    return json.loads(out)


def on(monkeypatch, day: dt.date) -> None:
    """Make `day` today, for the commands that count overdue from it."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


def test_overdue_is_counted_from_today_the_due_day_itself_still_in_time(capsys, monkeypatch):
    # Hà Linh's open tasks fall due on 2022-12-31 (NTM), 2023-02-15 (recruitment, open) and
    # 2023-02-28 (spring crop, in progress); on the recruitment's due day only NTM is late.
    on(monkeypatch, dt.date(2023, 2, 15))
    tasks = run_json(capsys, "tasks", "42.huong-khe.ha-linh", "--open")["tasks"]
    assert sorted((t["due"], t["status"], t["status_label"]) for t in tasks) == [
        ("2022-12-31", "overdue", "Quá hạn"),
        ("2023-02-15", "open", "Mở"),
        ("2023-02-28", "in_progress", "Đang làm"),
    ]

    on(monkeypatch, dt.date(2023, 2, 16))  # the day after: the recruitment is late too
    tasks = run_json(capsys, "tasks", "42.huong-khe.ha-linh", "--open")["tasks"]
    assert sorted((t["due"], t["status"]) for t in tasks) == [
        ("2022-12-31", "overdue"),
        ("2023-02-15", "overdue"),
        ("2023-02-28", "in_progress"),
    ]

    on(monkeypatch, dt.date(2022, 12, 1))  # before any due date: nothing is late
    tasks = run_json(capsys, "tasks", "42.huong-khe.ha-linh")["tasks"]
    assert "overdue" not in {t["status"] for t in tasks}
    assert sorted(t["status"] for t in tasks) == ["done", "done", "in_progress", "open", "open"]


# --- xaso meetings ------------------------------------------------------------------------


def test_ha_linh_has_its_november_meeting(capsys):
    data = run_json(capsys, "meetings", "42.huong-khe.ha-linh")

    [meeting] = data["meetings"]
    assert meeting["date"] == "2022-11-30"
    assert meeting["time_of_day"] == "morning"
    assert meeting["kind"] == "executive_extended"
    assert meeting["kind_label"] == "Hội nghị BCH mở rộng"
    assert meeting["period"] == "2022-11"
    assert meeting["directives"] == 5
    assert meeting["host"] == "Xã Hà Linh"
    assert meeting["place"] is None
    assert meeting["chairs"] == ["Thường trực Đảng ủy xã"]
    assert meeting["title"].startswith("Hội nghị BCH Đảng bộ mở rộng đánh giá nhiệm vụ trọng tâm")


def test_the_township_meeting_names_its_chair_with_the_title_as_written(capsys):
    data = run_json(capsys, "meetings", "Thị trấn Hương Khê")

    [meeting] = data["meetings"]
    assert meeting["date"] == "2020-07-08"
    assert meeting["time_of_day"] == "morning"
    assert meeting["kind"] == "interim_review"
    assert meeting["period"] == "2020-H1"
    assert meeting["chairs"] == ["Nguyễn Anh Tuấn, HUV, Bí thư Đảng ủy Thị trấn"]
    assert meeting["directives"] == 5


def test_a_meeting_without_a_time_of_day_or_place_gives_nulls(capsys):
    data = run_json(capsys, "meetings", "Lâm Bình")

    [meeting] = data["meetings"]
    assert (meeting["date"], meeting["kind"]) == ("2022-06-22", "working_session")
    assert meeting["time_of_day"] is None
    assert meeting["place"] is None
    assert meeting["chairs"] == ["Nguyễn Thế Đồi, Phó Bí thư Huyện ủy"]
    assert meeting["directives"] == 3


def test_a_commune_lists_the_meeting_it_took_part_in(capsys):
    data = run_json(capsys, "meetings", "08.lam-binh.binh-an")

    [meeting] = data["meetings"]
    assert meeting["host"] == "Huyện Lâm Bình"
    assert meeting["date"] == "2022-06-22"


def test_meetings_as_text(capsys):
    code, out, err = run(capsys, "meetings", "Thị trấn Hương Khê")

    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Hội nghị của Thị trấn Hương Khê: 1"
    assert lines[2].startswith("sáng 08/07/2020 · Hội nghị sơ kết · Hội nghị sơ kết công tác")
    assert lines[3] == "    chủ trì: Nguyễn Anh Tuấn, HUV, Bí thư Đảng ủy Thị trấn"
    assert lines[4] == "    5 nhiệm vụ"


def test_meetings_of_an_unknown_unit_fail(capsys):
    code, out, err = run(capsys, "meetings", "Xã Không Có")

    assert (code, out) == (2, "")
    assert err == "Không tìm thấy đơn vị ‘Xã Không Có’.\n"


# --- xaso tasks ---------------------------------------------------------------------------


def test_ha_linh_has_the_five_tasks_of_its_meeting_overdue_first(capsys):
    data = run_json(capsys, "tasks", "42.huong-khe.ha-linh")

    tasks = data["tasks"]
    assert len(tasks) == 5
    assert all(set(task) == TASK_FIELDS for task in tasks)
    assert [(t["status"], t["due"]) for t in tasks] == [
        ("overdue", "2022-12-31"),  # NTM, due by the period 2022-12
        ("overdue", "2023-02-15"),  # recruitment
        ("overdue", "2023-02-28"),  # spring crop, in progress
        ("done", "2022-12-31"),
        ("done", "2023-01-20"),
    ]
    assert all(t["assigned_to"] == ["Xã Hà Linh"] for t in tasks)
    assert all(t["meeting_date"] == "2022-11-30" for t in tasks)
    assert all(t["issued_by"].startswith("Đoàn Thanh Hải, UVBCH Đảng bộ huyện") for t in tasks)


def test_the_tet_task_is_due_before_tet_and_issued_by_the_districts_delegate(capsys):
    data = run_json(capsys, "tasks", "42.huong-khe.ha-linh")

    [tet] = [t for t in data["tasks"] if "Tết" in t["text"]]
    assert tet["due"] == "2023-01-20"
    assert tet["status"] == "done"
    assert tet["status_label"] == "Hoàn thành"
    assert tet["issued_by"].startswith("Đoàn Thanh Hải")
    assert tet["meeting_date"] == "2022-11-30"


def test_open_tasks_leave_out_the_done_ones_and_are_all_overdue(capsys):
    data = run_json(capsys, "tasks", "42.huong-khe.ha-linh", "--open")

    tasks = data["tasks"]
    assert len(tasks) == 3
    assert [t["status"] for t in tasks] == ["overdue"] * 3
    assert [t["status_label"] for t in tasks] == ["Quá hạn"] * 3
    assert not any("Tết" in t["text"] for t in tasks)
    assert [t["due"] for t in tasks] == ["2022-12-31", "2023-02-15", "2023-02-28"]


def test_a_district_lists_the_directives_of_its_two_communes(capsys):
    data = run_json(capsys, "tasks", "Lâm Bình")

    tasks = data["tasks"]
    assert len(tasks) == 3
    assert [sorted(t["assigned_to"]) for t in tasks] == [
        ["Xã Bình An", "Xã Hồng Quang"],
        ["Xã Bình An"],
        ["Xã Hồng Quang"],
    ]
    assert [t["due"] for t in tasks] == ["2022-12-31"] * 3
    assert all(t["status"] == "overdue" for t in tasks)
    assert all(t["issued_by"] == "Nguyễn Thế Đồi, Phó Bí thư Huyện ủy" for t in tasks)
    assert all(t["meeting_date"] == "2022-06-22" for t in tasks)


def test_a_commune_lists_only_the_directives_given_to_it(capsys):
    data = run_json(capsys, "tasks", "08.lam-binh.binh-an")

    assert len(data["tasks"]) == 2
    assert all("Xã Bình An" in t["assigned_to"] for t in data["tasks"])


def test_tasks_without_an_issuer_give_null(capsys):
    data = run_json(capsys, "tasks", "42.x002")

    assert data["tasks"]
    assert all(t["issued_by"] is None for t in data["tasks"])


def test_tasks_as_text_say_which_are_overdue(capsys):
    code, out, err = run(capsys, "tasks", "42.huong-khe.ha-linh")

    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Nhiệm vụ của Xã Hà Linh: 5"
    assert sum(line.startswith("[Quá hạn] ") for line in lines) == 3
    assert sum(line.startswith("[Hoàn thành] ") for line in lines) == 2
    assert "[Hoàn thành] Chăm lo gia đình chính sách" in out
    assert "    hạn 20/01/2023 · giao: Xã Hà Linh · họp 30/11/2022" in lines


def test_open_tasks_as_text_say_so_in_the_heading(capsys):
    code, out, err = run(capsys, "tasks", "42.huong-khe.ha-linh", "--open")

    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "Nhiệm vụ của Xã Hà Linh (chưa xong): 3"
    assert "Quá hạn" in out
    assert "Hoàn thành" not in out


def test_a_unit_without_tasks_lists_none(capsys):
    code, out, err = run(capsys, "tasks", "42.huong-khe.ha-linh.1")

    assert (code, err) == (0, "")
    assert out == "Nhiệm vụ của Thôn 1: 0\n"
