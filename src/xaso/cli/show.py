"""`xaso show`: a unit's figures, targets and achievement for a period, as text or JSON.

`--ytd` reads the year-to-date to the period's end ("lũy kế 11 tháng đầu năm 2022": months
combined by each indicator's `over_time`) against the targets that contain it; `--compare
last-year` puts each figure beside the same period (or year-to-date) a year earlier.
"""

import json

from xaso.cli.common import CommandError, setup_django, typed_period
from xaso.cli.groups import group_named, show_group
from xaso.cli.units import add_as_option, resolve_readable_unit


def cmd_show(args) -> int:
    setup_django()
    from xaso.figures.selectors import unit_overview

    group = group_named(args.unit.strip())
    if group is not None:
        return show_group(group, args)
    period = typed_period(args.period)
    unit = resolve_readable_unit(args.unit, args.as_user)
    try:
        overview = unit_overview(unit, period, ytd=args.ytd, last_year=args.compare == "last-year")
    except ValueError as error:  # no year-to-date for a term or a free span
        raise CommandError(str(error)) from None
    if args.compare == "last-year" and overview.before is None:
        raise CommandError(f"{period.label.capitalize()} không có cùng kỳ năm trước để so sánh.")
    if args.json:
        print(json.dumps(_overview_json(overview), ensure_ascii=False, indent=2))
    else:
        print(_overview_text(overview))
    return 0


def _figure_json(figure) -> dict | None:
    from xaso.vn.numbers import plain_number

    if figure is None:
        return None
    return {
        "result": plain_number(figure.value),
        "status": "estimated" if figure.estimated else "final",
        "own": figure.own,
    }


def _overview_json(overview) -> dict:
    from xaso.figures.lineage_json import figure_via_json, plan_via_json
    from xaso.vn.numbers import plain_number

    rows = []
    for line in overview.lines:
        figure = line.figure
        row = {
            "indicator": line.indicator.name,
            "indicator_code": line.indicator.code,
            "unit": line.indicator.unit_name,
            "result": plain_number(figure.value) if figure else None,
            "status": ("estimated" if figure.estimated else "final") if figure else None,
            "own": figure.own if figure else None,
            "targets": [
                {
                    "source": item.target.get_source_display(),
                    "source_code": item.target.source,
                    "period": item.target.period,
                    "value": plain_number(item.target.value),
                    "percent": plain_number(item.percent),
                    "original_value": plain_number(item.target.original_value),
                    "original_percent": plain_number(item.original_percent),
                    "document": item.target.document.citation if item.target.document else None,
                    **plan_via_json(item.via, plain_number),
                }
                for item in line.achievements
            ],
            "over_time": line.indicator.pooling,
            # The children's combination when it differs from the unit's own figure.
            "children_result": plain_number(line.below.value) if line.below else None,
        }
        if line.via is not None:  # a period before the unit existed: from its predecessors
            row.update(figure_via_json(line.via, plain_number))
        if overview.before is not None:
            row["last_year"] = _figure_json(line.previous)
            row["change"] = plain_number(line.change)
            row["change_percent"] = plain_number(line.change_percent)
        rows.append(row)
    data = {
        "unit": {
            "code": overview.unit.code,
            "name": overview.unit.full_name,
            "kind": overview.unit.kind,
        },
        "period": {"code": overview.period.code, "label": overview.period.label},
        "rows": rows,
    }
    if overview.window.is_year_to_date:
        data["year_to_date"] = overview.window.as_json()
    if overview.before is not None:
        data["last_year"] = overview.before.as_json()
    return data


def _now_line(unit) -> list[str]:
    """For a unit that ended: since when, and what it is now (its codes, to ask for it)."""
    from xaso.org.succession import now_of

    now = now_of([unit]).get(unit.pk)
    if unit.valid_to is None:
        return []
    line = f"Đơn vị cũ, đến {unit.valid_to:%d/%m/%Y}"
    if now is not None:
        line += f"; {now.text}"
        codes = ", ".join(after.code for after in now.units)
        line += f" (mã {codes})" if codes else ""
    return [line + "."]


def _overview_text(overview) -> str:
    from xaso.vn.numbers import format_number, format_percent

    period = overview.period
    head = f"{overview.unit.full_name} — {period.label} ({period.code})"
    if overview.window.is_year_to_date:
        span = overview.window.span
        head += f", {overview.window.label} ({span.start:%d/%m/%Y} – {span.end:%d/%m/%Y})"
    if overview.before is not None:
        head += f", so với {overview.before.label}"
    out = [head, *_now_line(overview.unit), ""]
    if not overview.lines:
        out.append("Chưa có số liệu cho kỳ này.")
    for line in overview.lines:
        figure = line.figure
        unit_name = line.indicator.unit_name
        if figure is None:
            result = "chưa có số liệu"
        else:
            result = f"{format_number(figure.value)} {unit_name}"
            result += " (ước đạt)" if figure.estimated else ""
        if overview.window.is_year_to_date:
            result += f" [{line.indicator.get_over_time_display().lower()}]"
        if line.via is not None:
            result += f" ({line.via.words})"
        out.append(f"{line.indicator.name}: {result}")
        if line.disagreement:
            out.append(f"    ⚠ {line.disagreement}")
        if overview.before is not None:
            out.append(f"    {compared_words(line, unit_name)}")
        for item in line.achievements:
            target = item.target
            value = f"{format_number(target.value)} {unit_name}"
            if target.revised:
                value += f" (điều chỉnh, ban đầu {format_number(target.original_value)})"
            if item.percent is None:
                percent = ""
            elif item.original_percent is not None:
                percent = (
                    f", đạt {format_percent(item.original_percent)} kế hoạch, "
                    f"{format_percent(item.percent)} kế hoạch điều chỉnh"
                )
            else:
                percent = f", đạt {format_percent(item.percent)}"
            source = target.get_source_display()
            if source.endswith(" năm") and target.period_label.startswith("năm "):
                source = source.removesuffix(" năm")  # "Kế hoạch năm 2020", not "năm năm"
            out.append(f"    kế hoạch {value} — {source} {target.period_label}{percent}")
            if target.document is not None:
                out.append(f"        theo {target.document.citation}")
            if item.via is not None:
                out.append(f"        {item.via.words}")
    return "\n".join(out)


def compared_words(line, unit_name: str) -> str:
    """A line's figure beside last year's (a unit's or a group's line)."""
    from xaso.vn.numbers import format_number

    if line.previous is None:
        return "cùng kỳ năm trước: chưa có số liệu"
    text = f"cùng kỳ năm trước: {format_number(line.previous.value)} {unit_name}"
    if line.change is not None:
        sign = "+" if line.change > 0 else ""
        text += f", {sign}{format_number(line.change)} {unit_name}"
        if line.change_words:
            text += f" ({line.change_words})"
    return text


def add_show(sub) -> None:
    show = sub.add_parser("show", help="a unit's figures for a period")
    show.add_argument(
        "unit", help="code or name, e.g. 'Xã Hà Linh' or 'Hà Linh'; or a group's code"
    )
    show.add_argument("--period", required=True, help="e.g. 2022-11, 2020-H1, 2022")
    show.add_argument(
        "--ytd",
        action="store_true",
        help="year-to-date: January to the period's end, against the year's targets",
    )
    show.add_argument(
        "--compare",
        choices=["last-year"],
        help="beside the same period (or year-to-date) last year, with the change",
    )
    show.add_argument("--json", action="store_true")
    add_as_option(show)
    show.set_defaults(func=cmd_show)
