"""`xaso lineage UNIT`: where a unit came from and what it became (issue 22); and
`xaso lineage-share OLD --indicator C --to NEW=SHARE ...`: the shares of a divided unit the
province sets for one indicator, in place of the links' shares by area; and
`xaso lineage-move OLD --village V=NEW ...`: which successor each village of a divided unit
went to (its sum figures are then divided by the villages' own)."""

import json
from decimal import Decimal

from xaso.cli.common import CommandError, setup_django
from xaso.cli.units import acting_user, add_as_option, resolve_readable_unit, resolve_unit


def _link_json(link, other) -> dict:
    from xaso.vn.numbers import plain_number

    return {
        "unit": other.full_name if other else None,
        "code": other.code if other else None,
        "kind": link.kind,
        "date": link.date.isoformat(),
        "share": plain_number(link.share),
        "indicator_shares": {
            row.indicator.code: plain_number(row.share)
            for row in sorted(link.indicator_shares.all(), key=lambda row: row.indicator.code)
        },
    }


def cmd_lineage(args) -> int:
    setup_django()
    unit = resolve_readable_unit(args.unit, args.as_user)
    before = unit.predecessions.select_related("predecessor").order_by("predecessor__path")
    after = (
        unit.successions.select_related("successor")
        .prefetch_related("indicator_shares__indicator")
        .order_by("successor__path")
    )
    data = {
        "unit": unit.full_name,
        "code": unit.code,
        "valid_from": unit.valid_from.isoformat() if unit.valid_from else None,
        "valid_to": unit.valid_to.isoformat() if unit.valid_to else None,
        "predecessors": [_link_json(link, link.predecessor) for link in before],
        "successors": [_link_json(link, link.successor) for link in after],
    }
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    span = f"{unit.valid_from:%d/%m/%Y}" if unit.valid_from else "…"
    span += f" – {unit.valid_to:%d/%m/%Y}" if unit.valid_to else " – nay"
    print(f"{unit.full_name} ({unit.code}), {span}")
    for link in before:
        print(f"  từ {link.predecessor.full_name} ({link.get_kind_display().lower()}"
              f"{_share(link)}), {link.date:%d/%m/%Y}")  # fmt: skip
    for link in after:
        target = link.successor.full_name if link.successor else "không có đơn vị kế thừa"
        print(f"  thành {target} ({link.get_kind_display().lower()}{_share(link)}), "
              f"{link.date:%d/%m/%Y}")  # fmt: skip
        for row in sorted(link.indicator_shares.all(), key=lambda row: row.indicator.code):
            print(f"    {row.indicator.name}: {_percent(row.share)} (tỉnh đặt"
                  f"{': ' + row.basis if row.basis else ''})")  # fmt: skip
    if not before and not after:
        print("  Không có liên kết lịch sử nào.")
    return 0


def _percent(share) -> str:
    from xaso.vn.numbers import format_percent

    return format_percent(share * 100)


def _share(link) -> str:
    return "" if link.share == 1 else f", {_percent(link.share)}"


def _typed_share(text: str) -> tuple[str, Decimal]:
    """ "m=0,75" or "m=75%" -> ("m", Decimal("0.75"))."""
    from xaso.vn.numbers import NumberError, parse_number

    unit, sep, value = text.rpartition("=")
    if not sep or not unit.strip() or not value.strip():
        raise CommandError(f"‘{text}’: hãy viết ĐƠN_VỊ=PHẦN, ví dụ m=0,75 hoặc m=75%.")
    value = value.strip()
    percent = value.endswith("%")
    try:
        number = parse_number(value.rstrip("%").strip()).value
    except NumberError as error:
        raise CommandError(f"Phần chia ‘{value}’: {error}") from None
    return unit.strip(), number / 100 if percent else number


def cmd_lineage_share(args) -> int:
    setup_django()
    from django.core.exceptions import PermissionDenied, ValidationError

    from xaso.catalog.models import Indicator
    from xaso.org.lineage_shares import clear_indicator_shares, set_indicator_shares

    user = acting_user(args.as_user)
    old = resolve_readable_unit(args.unit, args.as_user)
    indicator = Indicator.objects.filter(code=args.indicator).first()
    if indicator is None:
        raise CommandError(f"Không có chỉ tiêu mã ‘{args.indicator}’.")
    if args.clear == bool(args.to):
        raise CommandError("Hãy cho các phần (--to ĐƠN_VỊ=PHẦN ...) hoặc --clear, một trong hai.")
    try:
        if args.clear:
            clear_indicator_shares(predecessor=old, indicator=indicator, by=user)
            print(f"Đã bỏ phần chia riêng của {old.full_name} cho chỉ tiêu ‘{indicator.name}’: "
                  "dùng lại phần chia theo diện tích.")  # fmt: skip
            return 0
        shares = {}
        for text in args.to:
            code, share = _typed_share(text)
            shares[resolve_unit(code)] = share
        saved = set_indicator_shares(
            predecessor=old, indicator=indicator, shares=shares, basis=args.basis, by=user
        )
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from None
    except PermissionDenied as error:
        raise CommandError(str(error)) from None
    print(f"Đã đặt phần chia của {old.full_name} cho chỉ tiêu ‘{indicator.name}’:")
    for row in saved:
        print(f"  {row.lineage.successor.full_name}: {_percent(row.share)}")
    return 0


def cmd_lineage_move(args) -> int:
    setup_django()
    from django.core.exceptions import PermissionDenied, ValidationError

    from xaso.org.village_moves import record_village_moves

    user = acting_user(args.as_user)
    old = resolve_readable_unit(args.unit, args.as_user)
    moves = {}
    for text in args.village:
        village, sep, new = text.rpartition("=")
        if not sep or not village.strip() or not new.strip():
            raise CommandError(f"‘{text}’: hãy viết THÔN=ĐƠN_VỊ_MỚI, ví dụ c-1=m.")
        moves[resolve_unit(village.strip())] = resolve_unit(new.strip())
    try:
        saved = record_village_moves(predecessor=old, moves=moves, by=user)
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from None
    except PermissionDenied as error:
        raise CommandError(str(error)) from None
    print(f"Đã ghi các thôn của {old.full_name} chuyển về:")
    for link in saved:
        print(f"  {link.predecessor.full_name} → {link.successor.full_name}, "
              f"{link.date:%d/%m/%Y}")  # fmt: skip
    return 0


def add_lineage(sub) -> None:
    command = sub.add_parser("lineage", help="a unit's predecessors and successors")
    command.add_argument("unit", help="code or name")
    command.add_argument("--json", action="store_true")
    add_as_option(command)
    command.set_defaults(func=cmd_lineage)

    command = sub.add_parser(
        "lineage-share",
        help="set the shares of a divided unit for one indicator (in place of by area)",
    )
    command.add_argument("unit", help="the divided (old) unit: code or name")
    command.add_argument("--indicator", required=True, help="the indicator's code")
    command.add_argument(
        "--to",
        action="append",
        default=[],
        metavar="UNIT=SHARE",
        help="a successor and its share (0,25 or 25%%); one for every successor, adding up to 1",
    )
    command.add_argument("--basis", default="", help="how the shares were found (kept with them)")
    command.add_argument("--clear", action="store_true", help="go back to the shares by area")
    add_as_option(command)
    command.set_defaults(func=cmd_lineage_share)

    command = sub.add_parser(
        "lineage-move", help="record which successor each village of a divided unit went to"
    )
    command.add_argument("unit", help="the divided (old) unit: code or name")
    command.add_argument(
        "--village",
        action="append",
        required=True,
        metavar="VILLAGE=UNIT",
        help="a village of it and the successor it went to (repeat for each)",
    )
    add_as_option(command)
    command.set_defaults(func=cmd_lineage_move)
