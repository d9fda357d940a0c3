"""`xaso createuser` and the read commands' `--as USERNAME`, run in-process."""

import io

import pytest
from django.contrib.auth.models import User

from tests.factories import make_commune_tree, make_user
from xaso import cli
from xaso.org.models import Membership, Role

pytestmark = pytest.mark.django_db

GOOD = "ruộng-lúa-Hà-Linh-2022"


@pytest.fixture
def tree():
    return make_commune_tree()


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def password_file(tmp_path, text: str):
    path = tmp_path / "pw"
    path.write_text(text + "\n", encoding="utf-8")
    return str(path)


def test_createuser_makes_a_user_with_a_role_on_the_unit(tree, tmp_path, capsys):
    code, out, err = run(
        capsys, "createuser", "canbo", "--unit", "hl", "--role", "reporter",
        "--password-file", password_file(tmp_path, GOOD),
    )  # fmt: skip

    assert (code, err) == (0, "")
    assert out == "Đã tạo người dùng canbo, vai trò báo cáo tại Xã Hà Linh.\n"
    user = User.objects.get(username="canbo")
    assert user.check_password(GOOD)
    assert (user.is_staff, user.is_superuser) == (False, False)
    assert list(Membership.objects.filter(user=user).values_list("unit__code", "role")) == [
        ("hl", Role.REPORTER)
    ]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("hl123456", "  - Mật khẩu quá ngắn: cần ít nhất 10 ký tự."),
        ("1234567890123", "  - Mật khẩu này hoàn toàn là số."),
        ("password1234", "  - Mật khẩu này quá phổ biến."),
        ("canbo.hl.xa", "  - Mật khẩu quá giống với Tên đăng nhập."),
    ],
)
def test_createuser_refuses_a_weak_password_in_vietnamese(
    tree, tmp_path, capsys, password, message
):
    code, out, err = run(
        capsys, "createuser", "canbo.hl.xa", "--unit", "hl", "--role", "viewer",
        "--password-file", password_file(tmp_path, password),
    )  # fmt: skip

    assert (code, out) == (2, "")
    assert err.startswith("Mật khẩu không dùng được:\n")
    assert message in err.splitlines()
    assert not User.objects.filter(username="canbo.hl.xa").exists()


def test_createuser_reads_the_password_from_standard_input(tree, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(GOOD + "\n"))

    code, _, err = run(
        capsys, "createuser", "xem", "--unit", "hl-1", "--role", "viewer", "--password-file", "-"
    )

    assert (code, err) == (0, "")
    assert User.objects.get(username="xem").check_password(GOOD)


def test_createuser_asks_twice_and_refuses_a_mismatch(tree, capsys, monkeypatch):
    answers = iter([GOOD, GOOD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    code, _, err = run(capsys, "createuser", "ql", "--unit", "hl", "--role", "manager")

    assert (code, err) == (2, "Hai lần nhập mật khẩu không khớp.\n")
    assert not User.objects.filter(username="ql").exists()


def test_createuser_asks_twice_and_accepts_a_match(tree, capsys, monkeypatch):
    prompts = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: prompts.append(prompt) or GOOD)

    code, _, err = run(capsys, "createuser", "ql", "--unit", "hl", "--role", "manager")

    assert (code, err) == (0, "")
    assert prompts == ["Mật khẩu: ", "Nhập lại mật khẩu: "]
    assert Membership.objects.get(user__username="ql").role == Role.MANAGER


def test_createuser_refuses_an_unknown_unit_and_an_existing_name(tree, tmp_path, capsys):
    make_user("canbo")
    pw = password_file(tmp_path, GOOD)

    unknown = run(
        capsys, "createuser", "moi", "--unit", "zz", "--role", "viewer", "--password-file", pw
    )
    taken = run(
        capsys, "createuser", "CanBo", "--unit", "hl", "--role", "viewer", "--password-file", pw
    )

    assert unknown == (2, "", "Không tìm thấy đơn vị ‘zz’.\n")
    assert taken == (2, "", "Đã có người dùng ‘CanBo’.\n")
    assert not User.objects.filter(username="moi").exists()


# --- --as USERNAME -----------------------------------------------------------------------


@pytest.fixture
def village_viewer(tree):
    _, _, _, villages = tree
    return make_user("thon1", unit=villages[0], role=Role.VIEWER)


@pytest.mark.parametrize(
    "command",
    [["show", "--period", "2022-11"], ["meetings"], ["tasks"], ["tasks", "--open", "--json"]],
)
def test_as_a_user_a_unit_outside_their_subtree_is_refused(village_viewer, capsys, command):
    name, *rest = command

    refused = run(capsys, name, "hl", *rest, "--as", "thon1")
    allowed = run(capsys, name, "hl-1", *rest, "--as", "thon1")

    assert refused == (2, "", "Người dùng thon1 không có quyền xem Xã Hà Linh.\n")
    assert allowed[0] == 0
    assert allowed[2] == ""


def test_without_as_the_operator_reads_every_unit(village_viewer, capsys):
    code, out, err = run(capsys, "meetings", "hl")

    assert (code, err) == (0, "")
    assert out.startswith("Hội nghị của Xã Hà Linh: 0")


def test_as_an_unknown_or_deactivated_user_is_refused(village_viewer, capsys):
    village_viewer.is_active = False
    village_viewer.save()

    for username in ("thon1", "nobody"):
        code, out, err = run(capsys, "meetings", "hl-1", "--as", username)
        assert (code, out) == (2, "")
        assert err == f"Không có người dùng ‘{username}’ (hoặc tài khoản đã bị khóa).\n"


def test_as_a_superuser_reads_everything(tree, capsys):
    User.objects.create_superuser("root", password=GOOD)

    assert run(capsys, "tasks", "42", "--as", "root")[0] == 0
