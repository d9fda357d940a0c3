"""`xaso lineage UNIT`: where a unit came from and what it became (issue 22)."""

import json

from xaso.cli.common import setup_django
from xaso.cli.units import add_as_option, resolve_readable_unit


def _link_json(link, other) -> dict:
    from xaso.vn.numbers import plain_number

    return {
        "unit": other.full_name if other else None,
        "code": other.code if other else None,
        "kind": link.kind,
        "date": link.date.isoformat(),
        "share": plain_number(link.share),
    }


def cmd_lineage(args) -> int:
    setup_django()
    unit = resolve_readable_unit(args.unit, args.as_user)
    before = unit.predecessions.select_related("predecessor").order_by("predecessor__path")
    after = unit.successions.select_related("successor").order_by("successor__path")
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
    if not before and not after:
        print("  Không có liên kết lịch sử nào.")
    return 0


def _share(link) -> str:
    from xaso.vn.numbers import format_percent

    return "" if link.share == 1 else f", {format_percent(link.share * 100)}"


def add_lineage(sub) -> None:
    command = sub.add_parser("lineage", help="a unit's predecessors and successors")
    command.add_argument("unit", help="code or name")
    command.add_argument("--json", action="store_true")
    add_as_option(command)
    command.set_defaults(func=cmd_lineage)
