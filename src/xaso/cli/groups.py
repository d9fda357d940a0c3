"""`xaso groups UNIT`: the groups (cụm, khối thi đua) a unit owns or belongs to; and `xaso show
GROUP` for a group: its members' figures side by side with the group's total.

`xaso groups-import FILE --owner UNIT` loads groups from a spreadsheet (.xlsx or .csv: columns
nhóm, tên nhóm, loại, mã đơn vị), all or nothing.
"""

import json

from xaso.cli.common import CommandError, setup_django, typed_period
from xaso.cli.units import acting_user, add_as_option, resolve_readable_unit, resolve_unit


def cmd_groups(args) -> int:
    setup_django()
    from xaso.groups.selectors import groups_of

    unit = resolve_readable_unit(args.unit, args.as_user)
    groups = groups_of(unit, acting_user(args.as_user))
    data = {"groups": [_group_json(group) for group in groups]}
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    if not groups:
        print(f"{unit.full_name} chưa thuộc nhóm nào.")
    for group in groups:
        names = ", ".join(unit.full_name for unit in group.members.order_by("path"))
        print(f"{group.code}\t{group.get_kind_display()} {group.name} ({group.owner.full_name})")
        print(f"\t{names}")
    return 0


def _group_json(group) -> dict:
    return {
        "code": group.code,
        "name": group.name,
        "kind": group.kind,
        "owner": group.owner.code,
        "members": [unit.full_name for unit in group.members.order_by("path")],
    }


def group_named(code: str):
    """The group with this code, when no unit has it (a unit's code wins; none can clash)."""
    from xaso.org.models import OrgUnit, UnitGroup

    if OrgUnit.objects.filter(code__iexact=code).exists():
        return None
    return UnitGroup.objects.select_related("owner").filter(code__iexact=code).first()


def show_group(group, args) -> int:
    """`xaso show GROUP --period P [--ytd] [--compare last-year]`: the group's total and its
    members' breakdown, for the period or its year-to-date, beside last year's if asked."""
    from xaso.groups.figures import group_figures
    from xaso.org.groups import can_see

    user = acting_user(args.as_user)
    if not can_see(user, group):
        raise CommandError(f"Người dùng {user.username} không có quyền xem nhóm {group.name}.")
    period = typed_period(args.period)
    compare = args.compare == "last-year"
    try:
        figures = group_figures(group, period, user, ytd=args.ytd, last_year=compare)
    except ValueError as error:  # no year-to-date for a term or a free span
        raise CommandError(str(error)) from None
    if compare and figures.before is None:
        raise CommandError(f"{period.label.capitalize()} không có cùng kỳ năm trước để so sánh.")
    if args.json:
        from xaso.groups.as_json import figures_json
        from xaso.vn.numbers import plain_number

        print(json.dumps(figures_json(figures, plain_number), ensure_ascii=False, indent=2))
    else:
        print(_figures_text(figures))
    return 0


def _figures_text(figures) -> str:
    from xaso.cli.show import compared_words
    from xaso.vn.numbers import format_number, format_percent

    group = figures.group
    out = [f"{group.get_kind_display()} {group.name} — {figures.label}"]
    out.append("Thành viên: " + ", ".join(unit.full_name for unit in figures.members))
    if figures.partial:
        shown = len(figures.shown)
        out.append(f"Chỉ tính {shown}/{len(figures.members)} đơn vị bạn được xem số liệu.")
    out.append("")
    if not figures.lines:
        out.append("Chưa có số liệu cho kỳ này.")
    for line in figures.lines:
        unit_name = line.indicator.unit_name
        total = f"{format_number(line.total.value)} {unit_name}" if line.total else "—"
        if line.percent is not None:
            total += f", đạt {format_percent(line.percent)} tổng kế hoạch"
        out.append(f"{line.indicator.name}: {total}")
        if figures.before is not None:
            out.append(f"    {compared_words(line, unit_name)}")
        for place in line.ranking:
            cell = place.cell
            percent = cell.achievement.percent if cell.achievement else None
            extra = f" ({format_percent(percent)})" if percent is not None else ""
            value = format_number(cell.figure.value)
            out.append(f"    {place.position}. {cell.unit.full_name}: {value} {unit_name}{extra}")
    return "\n".join(out)


def cmd_groups_import(args) -> int:
    setup_django()
    from xaso.groups.services import groups_import
    from xaso.groups.sheets import read_group_rows

    owner = resolve_unit(args.owner)
    try:
        with open(args.file, "rb") as handle:
            rows = read_group_rows(handle.read(), args.file)
    except OSError as error:
        raise CommandError(f"Không đọc được tệp {args.file}: {error.strerror}") from None
    except ValueError as error:
        raise CommandError(str(error)) from None
    report = groups_import(rows, owner=owner, user=acting_user(args.as_user), dry_run=args.dry_run)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        for error in report.errors:
            print(f"dòng {error['row']}, {error['field']}: {error['message']}")
        if report.ok:
            verb = "sẽ nhập" if report.dry_run else "đã nhập"
            print(f"{verb.capitalize()} {report.groups} nhóm, {report.members} thành viên.")
        else:
            print("Không nhập gì: hãy sửa các dòng trên rồi nhập lại.")
    return 0 if report.ok else 1


def add_groups(sub) -> None:
    command = sub.add_parser("groups", help="the groups (cụm, khối) a unit owns or belongs to")
    command.add_argument("unit", help="code or name")
    command.add_argument("--json", action="store_true")
    add_as_option(command)
    command.set_defaults(func=cmd_groups)


def add_groups_import(sub) -> None:
    command = sub.add_parser("groups-import", help="load unit groups from a spreadsheet")
    command.add_argument("file", help=".xlsx or .csv: nhóm, tên nhóm, loại, mã đơn vị")
    command.add_argument("--owner", required=True, help="the district or province that owns them")
    command.add_argument("--dry-run", action="store_true")
    command.add_argument("--json", action="store_true")
    add_as_option(command)
    command.set_defaults(func=cmd_groups_import)
