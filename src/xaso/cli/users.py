"""`xaso createuser`: a user with a role on a unit, its password checked by Django's rules."""

import getpass
import inspect
import sys
from pathlib import Path

from xaso.cli.common import CommandError, setup_django
from xaso.cli.units import resolve_unit

ROLE_NAMES = {"manager": "quản lý", "reporter": "báo cáo", "viewer": "xem"}


def cmd_createuser(args) -> int:
    setup_django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from xaso.org.services import membership_grant

    User = get_user_model()
    username = args.username.strip()
    if not username:
        raise CommandError("Tên đăng nhập không được để trống.")
    if User.objects.filter(username__iexact=username).exists():
        raise CommandError(f"Đã có người dùng ‘{username}’.")
    unit = resolve_unit(args.unit)
    password = _read_password(args.password_file)
    user = User(username=username, email=args.email or "")
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise CommandError(
            "Mật khẩu không dùng được:\n" + "\n".join(f"  - {m}" for m in _vi_messages(error))
        ) from None
    user.set_password(password)
    grant = {"user": user, "unit": unit, "role": args.role}
    if "by" in inspect.signature(membership_grant).parameters:
        grant["by"] = None  # the server's operator, not a user of xaso
    with transaction.atomic():
        user.save()
        membership_grant(**grant)
    print(f"Đã tạo người dùng {username}, vai trò {ROLE_NAMES[args.role]} tại {unit.full_name}.")
    return 0


def _read_password(source: str | None) -> str:
    """From a file's first line ('-': standard input), else asked twice on the terminal."""
    if source == "-":
        line = sys.stdin.readline()
    elif source:
        try:
            line = Path(source).read_text(encoding="utf-8").splitlines()[0:1]
        except (OSError, UnicodeDecodeError):
            raise CommandError(f"Không đọc được tệp mật khẩu {source}.") from None
        line = line[0] if line else ""
    else:
        first = getpass.getpass("Mật khẩu: ")
        if getpass.getpass("Nhập lại mật khẩu: ") != first:
            raise CommandError("Hai lần nhập mật khẩu không khớp.")
        line = first
    password = line.rstrip("\r\n")
    if not password:
        raise CommandError("Mật khẩu không được để trống.")
    return password


def _vi_messages(error) -> list[str]:
    """Django's own words, except where its Vietnamese catalogue has none."""
    out = []
    for item in error.error_list:
        if item.code == "password_too_short":
            out.append(f"Mật khẩu quá ngắn: cần ít nhất {item.params['min_length']} ký tự.")
        else:
            out.extend(item.messages)
    return out


def add_createuser(sub) -> None:
    createuser = sub.add_parser(
        "createuser",
        help="create a user with a role on a unit",
        description="Create a user with a role on a unit and its whole subtree. The password "
        "is asked twice, or read from --password-file ('-': standard input). Password rules "
        "apply (10 characters at least, not common, not all digits, not like the name).",
    )
    createuser.add_argument("username")
    createuser.add_argument("--unit", required=True, help="code or name of the unit")
    createuser.add_argument("--role", required=True, choices=list(ROLE_NAMES))
    createuser.add_argument("--password-file", help="first line is the password; '-' for stdin")
    createuser.add_argument("--email", default="")
    createuser.set_defaults(func=cmd_createuser)
