"""`xaso show`: a unit's figures, targets and achievement for a period, as text or JSON."""

import json

from xaso.cli.common import CommandError, setup_django
from xaso.cli.units import add_as_option, resolve_readable_unit


def cmd_show(args) -> int:
    setup_django()
    from xaso.figures.selectors import unit_overview
    from xaso.periods import PeriodError, parse_period

    try:
        period = parse_period(args.period)
    except PeriodError as error:
        raise CommandError(str(error)) from None
    unit = resolve_readable_unit(args.unit, args.as_user)
    overview = unit_overview(unit, period)
    if args.json:
        print(json.dumps(_overview_json(overview), ensure_ascii=False, indent=2))
    else:
        print(_overview_text(overview))
    return 0


def _overview_json(overview) -> dict:
    from xaso.vn.numbers import plain_number

    rows = []
    for line in overview.lines:
        figure = line.figure
        rows.append(
            {
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
                    }
                    for item in line.achievements
                ],
            }
        )
    return {
        "unit": {
            "code": overview.unit.code,
            "name": overview.unit.full_name,
            "kind": overview.unit.kind,
        },
        "period": {"code": overview.period.code, "label": overview.period.label},
        "rows": rows,
    }


def _overview_text(overview) -> str:
    from xaso.vn.numbers import format_number, format_percent

    out = [f"{overview.unit.full_name} — {overview.period.label} ({overview.period.code})", ""]
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
        out.append(f"{line.indicator.name}: {result}")
        for item in line.achievements:
            target = item.target
            percent = "" if item.percent is None else f", đạt {format_percent(item.percent)}"
            out.append(
                f"    kế hoạch {format_number(target.value)} {unit_name} — "
                f"{target.get_source_display()} {target.period_label}{percent}"
            )
    return "\n".join(out)


def add_show(sub) -> None:
    show = sub.add_parser("show", help="a unit's figures for a period")
    show.add_argument("unit", help="code or name, e.g. 'Xã Hà Linh' or 'Hà Linh'")
    show.add_argument("--period", required=True, help="e.g. 2022-11, 2020-H1, 2022")
    show.add_argument("--json", action="store_true")
    add_as_option(show)
    show.set_defaults(func=cmd_show)
