"""`xaso targets` (a unit's plan for a period) and `xaso allocate` (hand a target down).

JSON shapes are a contract:
  targets  → {"unit", "period", "targets": [{"indicator", "unit", "source", "value",
              "document", "revised_from"}]}
  allocate → {"parent_target", "allocations": [{"unit", "value"}], "sum", "difference",
              "dry_run"}
"""

import csv
import io
import json
from pathlib import Path

from xaso.cli.common import CommandError, setup_django, typed_period
from xaso.cli.units import acting_user, add_as_option, resolve_readable_unit


def _unit_json(unit) -> dict:
    return {"code": unit.code, "name": unit.full_name}


def cmd_targets(args) -> int:
    setup_django()
    from xaso.catalog.selectors import active_indicators
    from xaso.figures.plans import target_json, unit_plan
    from xaso.vn.numbers import format_number

    period = typed_period(args.period)
    unit = resolve_readable_unit(args.unit, args.as_user)
    plan = unit_plan(unit, period, list(active_indicators()))
    targets = [target for line in plan.lines for target in line.targets]
    if args.json:
        shape = {
            "unit": _unit_json(unit),
            "period": {"code": period.code, "label": period.label},
            "targets": [target_json(target) for target in targets],
        }
        print(json.dumps(shape, ensure_ascii=False, indent=2))
        return 0
    print(f"Kế hoạch {unit.full_name} — {period.label} ({period.code})\n")
    if not targets:
        print("Chưa có chỉ tiêu nào cho kỳ này.")
    for target in targets:
        unit_name = target.indicator.unit_name
        line = (
            f"{target.indicator.name}: {format_number(target.value)} {unit_name} — "
            f"{target.get_source_display()}"
        )
        if target.revised:
            line += f" (điều chỉnh từ {format_number(target.original_value)})"
        print(line)
        if target.document_id:
            print(f"    {target.document.citation}")
    return 0


def _values_from_file(path: str) -> dict[str, str]:
    from xaso.figures.allocation import AllocationRowsError
    from xaso.figures.allocation_xlsx import read_allocation_workbook

    file = Path(path)
    if not file.is_file():
        raise CommandError(f"Không có tệp ‘{path}’.")
    data = file.read_bytes()
    try:
        if file.suffix.lower() == ".csv":
            return _values_from_csv(data.decode("utf-8-sig"))
        return read_allocation_workbook(data)
    except AllocationRowsError as error:
        raise CommandError(_rows_text(error.rows)) from None
    except UnicodeDecodeError:
        raise CommandError(f"Tệp ‘{path}’ không phải văn bản UTF-8.") from None


def _values_from_csv(text: str) -> dict[str, str]:
    """Two columns, unit code and share; a first row that is not a unit is the header."""
    from xaso.figures.allocation import AllocationRowsError

    values: dict[str, str] = {}
    errors = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not any(cell.strip() for cell in row):
            continue
        if number == 1 and row[0].strip().lower() in ("mã đơn vị", "ma don vi", "unit", "code"):
            continue
        if len(row) < 2:
            errors.append((f"Dòng {number}", "cần hai cột: mã đơn vị và phần được giao."))
            continue
        code = row[0].strip()
        if code in values:
            errors.append((f"Dòng {number}", f"đơn vị {code} có hai dòng."))
            continue
        values[code] = row[1].strip()
    if errors:
        raise AllocationRowsError(errors)
    return values


def _rows_text(rows) -> str:
    return "Không lưu gì:\n" + "\n".join(f"  {label}: {message}" for label, message in rows)


def cmd_allocate(args) -> int:
    setup_django()
    from django.core.exceptions import PermissionDenied, ValidationError

    from xaso.catalog.models import Indicator
    from xaso.figures.allocation import AllocationRowsError, allocate
    from xaso.figures.models import AllocationMethod, EntryChannel
    from xaso.figures.plans import find_target
    from xaso.vn.numbers import format_number, plain_number

    period = typed_period(args.period)
    user = acting_user(args.as_user)
    unit = resolve_readable_unit(args.unit, args.as_user)
    indicator = Indicator.objects.filter(code=args.indicator).first()
    if indicator is None:
        raise CommandError(f"Không có chỉ tiêu mã ‘{args.indicator}’.")
    method, base, values = _method(args.by)
    base_indicator = None
    if base:
        base_indicator = Indicator.objects.filter(code=base).first()
        if base_indicator is None:
            raise CommandError(f"Không có chỉ tiêu gốc mã ‘{base}’.")
    if method == AllocationMethod.FILE:
        values = _values_from_file(values)
    try:
        target = find_target(unit, indicator, period, args.source or "")
        plan = allocate(
            target=target,
            method=method,
            user=user,
            base_indicator=base_indicator,
            to_kind=args.to or "",
            values=values,
            confirm_difference=args.confirm_difference,
            channel=EntryChannel.CLI,
            dry_run=args.dry_run,
        )
    except AllocationRowsError as error:
        raise CommandError(_rows_text(error.rows)) from None
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from None
    except PermissionDenied as error:
        raise CommandError(str(error)) from None
    if args.json:
        shape = {
            "parent_target": {
                "unit": unit.code,
                "indicator": indicator.code,
                "period": period.code,
                "source": target.source,
                "value": plain_number(target.value),
            },
            "allocations": [
                {"unit": share.unit.code, "value": plain_number(share.value)}
                for share in plan.shares
            ],
            "sum": plain_number(plan.total),
            "difference": plain_number(plan.difference),
            "dry_run": args.dry_run,
        }
        print(json.dumps(shape, ensure_ascii=False, indent=2))
        return 0
    unit_name = indicator.unit_name
    verb = "Đề xuất (chưa lưu)" if args.dry_run else "Đã phân bổ"
    print(
        f"{verb}: {indicator.name} {format_number(target.value)} {unit_name} của "
        f"{unit.full_name}, {period.label}"
    )
    for share in plan.shares:
        print(f"  {share.unit.full_name}: {format_number(share.value)}")
    difference = f" (chênh {format_number(plan.difference)})" if plan.difference else ""
    print(f"Tổng: {format_number(plan.total)} {unit_name}{difference}")
    return 0


def _method(by: str) -> tuple[str, str, object]:
    """--by equal | base:CODE | last-year | file:PATH → (method, base code, file path)."""
    kind, _, rest = by.partition(":")
    match kind:
        case "equal" if not rest:
            return "equal", "", None
        case "last-year" if not rest:
            return "last_year", "", None
        case "base" if rest:
            return "base", rest, None
        case "file" if rest:
            return "file", "", rest
    raise CommandError(
        f"--by ‘{by}’ không hợp lệ: dùng equal, base:MÃ_CHỈ_TIÊU, last-year hoặc file:ĐƯỜNG_DẪN."
    )


def add_targets(sub) -> None:
    command = sub.add_parser("targets", help="a unit's targets for a period, by source")
    command.add_argument("unit", help="code or name")
    command.add_argument(
        "--period", required=True, help='e.g. 2022, "năm 2022", "nhiệm kỳ 2020-2025"'
    )
    command.add_argument("--json", action="store_true")
    add_as_option(command)
    command.set_defaults(func=cmd_targets)


def add_allocate(sub) -> None:
    command = sub.add_parser("allocate", help="hand a unit's target down to units below it")
    command.add_argument("unit", help="code or name")
    command.add_argument("--indicator", required=True, help="the indicator's code")
    command.add_argument("--period", required=True)
    command.add_argument(
        "--by",
        required=True,
        help="equal | base:INDICATOR_CODE (e.g. base:so-ho) | last-year | file:PATH (.xlsx, .csv)",
    )
    command.add_argument(
        "--source",
        help="when several sources set it: district_plan, province_plan, council_resolution, "
        "congress_resolution, campaign, annual_plan",
    )
    command.add_argument("--to", metavar="KIND", help="every unit of this kind below, e.g. village")
    command.add_argument("--confirm-difference", action="store_true")
    command.add_argument("--dry-run", action="store_true", help="show the shares, write nothing")
    command.add_argument("--json", action="store_true")
    add_as_option(command)
    command.set_defaults(func=cmd_allocate)
