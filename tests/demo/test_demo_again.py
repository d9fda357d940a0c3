"""`xaso demo` run again (issue #12): it keeps what users entered, resets only when asked, shows
where each place comes from, names seed 002's commune, and speaks Vietnamese when it serves.

The demo is loaded once for the module (in a transaction rolled back at the end) and each test
runs in a savepoint on top of it, as in test_demo.py. The last test runs the real command in a
subprocess on a fresh data directory.
"""

import http.client
import os
import queue
import re
import secrets
import signal
import subprocess
import sys
import threading
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from tests.factories import make_user
from xaso import cli
from xaso.catalog.models import Indicator
from xaso.figures.models import Result, ResultChange
from xaso.figures.services import record_result
from xaso.org.models import OrgUnit, Role

pytestmark = pytest.mark.django_db

VILLAGE = "42.huong-khe.ha-linh.9"  # thôn 9 of Hà Linh, where the report's trees were planted
RESET_HINT = (
    "Muốn xóa hết và nạp lại dữ liệu mẫu từ đầu: xaso demo --reset "
    "(xóa toàn bộ dữ liệu, kể cả người dùng)."
)


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    from xaso.demo.loader import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def trees_in_village_9() -> Result:
    return Result.objects.get(unit__code=VILLAGE, indicator__code="cay-bong-mat", period="2022-11")


def trees_history():
    return ResultChange.objects.filter(
        unit__code=VILLAGE, indicator__code="cay-bong-mat", period="2022-11"
    ).order_by("id")


def enter_trees(value: str) -> None:
    village = OrgUnit.objects.get(code=VILLAGE)
    officer = make_user("truongthon9", unit=village, role=Role.REPORTER)
    record_result(
        unit=village,
        indicator=Indicator.objects.get(code="cay-bong-mat"),
        period="2022-11",
        value=value,
        user=officer,
    )


def test_running_the_demo_again_keeps_what_a_user_entered_and_says_how_to_reset(demo, capsys):
    demo_value = trees_in_village_9().value
    assert demo_value != Decimal(150)
    enter_trees("150")
    changes = ResultChange.objects.count()

    code, out, err = run(capsys, "demo", "--no-serve")

    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"Cơ sở dữ liệu đã có dữ liệu (446 đơn vị, {fmt(demo.results)} kết quả, "
        # The demo's three logins and the officer this test added.
        f"{demo.targets} chỉ tiêu kế hoạch, 5 hội nghị, 4 người dùng): giữ nguyên, "
        "không nạp lại dữ liệu mẫu.",
        RESET_HINT,
    ]
    result = trees_in_village_9()
    assert result.value == Decimal(150)
    assert result.entered_by.username == "truongthon9"
    assert ResultChange.objects.count() == changes  # nothing written, not even the same value
    assert list(trees_history().values_list("new_value", "channel")) == [
        (demo_value, "demo"),
        (Decimal(150), "form"),
    ]


def test_reset_erases_everything_then_loads_the_demo_afresh(demo, capsys):
    demo_value = trees_in_village_9().value
    enter_trees("150")

    code, out, err = run(capsys, "demo", "--reset", "--no-serve")

    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"Đã xóa toàn bộ dữ liệu cũ: 446 đơn vị, {fmt(demo.results)} kết quả, "
        f"{demo.targets} chỉ tiêu kế hoạch, 5 hội nghị, 4 người dùng.",
        demo.summary(),
    ]
    result = trees_in_village_9()
    assert (result.value, result.entered_by) == (demo_value, None)
    # Flushed, not patched: the officer and the history of the 150 are gone with the rest.
    # The demo's own logins only: the officer the test added is gone.
    usernames = get_user_model().objects.values_list("username", flat=True)
    assert sorted(usernames) == ["demo", "thon.camtrang", "xa.tranggiang"]
    assert list(trees_history().values_list("new_value", "channel")) == [(demo_value, "demo")]
    assert ResultChange.objects.count() == demo.results


def fmt(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def unit_page(code: str, period: str = "2022-11") -> str:
    client = Client()
    assert client.login(username="demo", password="xaso-demo")
    response = client.get(f"/units/{code}/?period={period}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_unit_page_says_where_a_place_comes_from_on_a_discreet_line_of_its_own():
    html = unit_page("42.huong-khe.ha-linh")

    assert (
        '<p class="muted small">Nguồn: báo cáo 000, Hội nghị BCH Đảng bộ xã mở rộng '
        "tháng 11/2022 (30/11/2022)</p>"
    ) in html
    assert '<p class="muted">Xã · mã 42.huong-khe.ha-linh · hiệu lực đến 30/06/2025</p>' in html
    assert "Báo cáo 000:" not in html
    # A generated village says it is one; a place with no note gets no line.
    assert (
        '<p class="muted small">Nguồn: đơn vị minh họa, sinh tự động cho bản demo</p>'
        in unit_page("08.lam-binh.hong-quang.1", "2022")
    )
    assert '<p class="muted small">' not in unit_page("42", "2022")


def test_every_note_of_a_demo_place_is_a_source_line_never_an_internal_one():
    notes = set(OrgUnit.objects.exclude(note="").values_list("note", flat=True))

    assert notes
    assert all(note.startswith("Nguồn: ") for note in notes), notes
    assert not OrgUnit.objects.filter(name__icontains="báo cáo").exists()


def test_seed_002s_commune_has_a_plausible_name_and_its_page_says_the_name_is_a_stand_in():
    commune = OrgUnit.objects.get(code="42.x002")  # the code scripts and tests use, unchanged

    assert commune.full_name == "Xã Trang Giang"
    assert OrgUnit.objects.get(code="42.x002.dang-bo").full_name == "Đảng bộ xã Trang Giang"
    html = unit_page("42.x002", "2022-04-15..2022-05-30")
    assert "<h1>Xã Trang Giang</h1>" in html
    assert "Báo cáo không nêu tên xã: “Trang Giang” là tên đặt cho bản demo.</p>" in html
    assert "(báo cáo 002)" not in html


# --- the demo server, as `make demo` starts it -------------------------------------------------


def test_the_demo_server_speaks_vietnamese_and_stops_on_ctrl_c(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "XASO_DATA_DIR": str(tmp_path / "var"),
        "XASO_SECRET_KEY": secrets.token_urlsafe(50),
        "XASO_ALLOWED_HOSTS": "127.0.0.1",
        "HOME": str(tmp_path),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "xaso.cli", "demo", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line.rstrip("\n")) for line in process.stdout], daemon=True
    ).start()
    seen: list[str] = []
    try:
        while not seen or not seen[-1].startswith("Dừng máy chủ"):
            seen.append(lines.get(timeout=180))  # a guard against a hang, not a measurement
        port = int(re.fullmatch(r"xaso đang chạy: http://127\.0\.0\.1:(\d+)/", seen[1]).group(1))
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", "/login/")
        assert connection.getresponse().status == 200
    finally:
        process.send_signal(signal.SIGINT)  # what Ctrl+C sends
        process.wait(timeout=60)
    while True:
        try:
            seen.append(lines.get(timeout=5))
        except queue.Empty:
            break

    assert process.returncode == 0
    assert seen[0].startswith("Dữ liệu mẫu: 446 đơn vị, ")
    assert seen[2:5] == [
        "Đăng nhập thử: tên demo · mật khẩu xaso-demo",
        "Máy chủ thử nghiệm, chỉ để dùng thử trên máy này; triển khai thật: xaso serve "
        "(docs/deploy.md).",
        "Dừng máy chủ: nhấn Ctrl+C.",
    ]
    assert "Đã dừng máy chủ." in seen
    output = "\n".join(seen)
    for english in ("development server", "Quit the server", "Django version", "Starting"):
        assert english not in output
