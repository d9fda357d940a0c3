"""Which unit a command means, and whom it reads as (--as)."""

from xaso.cli.common import CommandError


def add_as_option(command) -> None:
    command.add_argument(
        "--as",
        dest="as_user",
        metavar="USERNAME",
        help="read as this user: refused for a unit the user may not read. Without it the "
        "command acts as the server's operator and reads every unit.",
    )


def acting_user(username: str | None):
    """The user a read command acts for; None: the server's operator, who reads everything."""
    if username is None:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"Không có người dùng ‘{username}’ (hoặc tài khoản đã bị khóa).")
    return user


def resolve_readable_unit(text: str, username: str | None):
    from xaso.org import policy

    user = acting_user(username)
    unit = resolve_unit(text)
    if user is not None and not policy.can_read(user, unit):
        raise CommandError(f"Người dùng {user.username} không có quyền xem {unit.full_name}.")
    return unit


def _validity(unit, now=None) -> str:
    """When a unit ended or began on a date: namesakes across the 2025 merger differ by it;
    an ended one says what it is now (`now`, from `org.succession.now_of`)."""
    if unit.valid_to:
        return f" (đến {unit.valid_to:%d/%m/%Y}{'; ' + now.text if now else ''})"
    if unit.valid_from:
        return f" (từ {unit.valid_from:%d/%m/%Y})"
    return ""


def resolve_unit(text: str):
    from xaso.org.selectors import find_units

    matches = find_units(text)
    if not matches:
        raise CommandError(f"Không tìm thấy đơn vị ‘{text}’.")
    if len(matches) > 1:
        from xaso.org.succession import now_of

        now = now_of(matches)
        lines = [f"‘{text}’ khớp với {len(matches)} đơn vị, hãy dùng mã:"]
        lines += [
            f"  {unit.code}\t{unit.full_name}{_validity(unit, now.get(unit.pk))}"
            for unit in matches
        ]
        raise CommandError("\n".join(lines))
    return matches[0]
