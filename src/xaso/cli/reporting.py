"""`xaso forms` (the report forms of a unit), `xaso completeness` (who has reported) and
`xaso remind` (send the reminders due now; run it every few minutes).

JSON shapes are a contract:
  forms        → {"forms": [{"code", "name", "period_type", "deadline_rule"}]}
  completeness → {"expected": n, "submitted": n, "on_time": n, "late": n,
                  "missing": [unit names]}
  remind       → {"now", "reminders": [{"kind", "form", "unit", "period", "deadline",
                  "status", "emails"}]}
"""

import json
import sys
from datetime import datetime

from xaso.cli.common import CommandError, setup_django, typed_period
from xaso.cli.units import add_as_option, resolve_readable_unit


def _print_json(shape: dict) -> None:
    print(json.dumps(shape, ensure_ascii=False, indent=2))


def cmd_forms(args) -> int:
    setup_django()
    from xaso.reporting.selectors import forms_for_unit

    unit = resolve_readable_unit(args.unit, args.as_user)
    forms = forms_for_unit(unit)
    if args.json:
        _print_json(
            {
                "forms": [
                    {
                        "code": form.code,
                        "name": form.name,
                        "period_type": form.period_type,
                        "deadline_rule": form.deadline_rule,
                    }
                    for form in forms
                ]
            }
        )
        return 0
    print(f"Biểu mẫu báo cáo của {unit.full_name}\n")
    if not forms:
        print("Đơn vị không báo cáo và không nhận biểu mẫu nào.")
    for form in forms:
        role = "nhận và duyệt" if form.reviewer_id == unit.pk else "báo cáo"
        print(
            f"{form.code}\t{form.name} — {form.get_period_type_display().lower()}, "
            f"hạn {form.rule.label}; {role} (đơn vị nhận: {form.reviewer.full_name})"
        )
    return 0


def cmd_completeness(args) -> int:
    setup_django()
    from django.core.exceptions import ValidationError

    from xaso.reporting.models import ReportForm
    from xaso.reporting.reminders import format_deadline
    from xaso.reporting.selectors import check_form_period, completeness, expected_units

    period = typed_period(args.period)
    unit = resolve_readable_unit(args.unit, args.as_user)
    form = ReportForm.objects.select_related("reviewer").filter(code=args.form).first()
    if form is None:
        raise CommandError(f"Không có biểu mẫu mã ‘{args.form}’.")
    reviewer = form.reviewer
    if not (unit.path.startswith(reviewer.path) or reviewer.path.startswith(unit.path)):
        raise CommandError(
            f"{unit.full_name} không báo cáo và không nhận biểu {form.name} "
            f"(đơn vị nhận: {reviewer.full_name})."
        )
    try:
        check_form_period(form, period)
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from None
    # The expected units within UNIT's subtree (all of them from the reviewer or above).
    units = [u for u in expected_units(form) if u.path.startswith(unit.path)]
    found = completeness(form, period, units=units)
    if args.json:
        _print_json(
            {
                "expected": len(found.expected),
                "submitted": found.submitted,
                "on_time": len(found.on_time),
                "late": len(found.late),
                "missing": [u.full_name for u in found.missing],
            }
        )
        return 0
    print(f"{form.name} — {period.label} ({period.code}), hạn {format_deadline(found.deadline)}")
    print(f"Đơn vị: {unit.full_name}\n")
    print(f"Phải báo cáo: {len(found.expected)}")
    print(f"Đã gửi: {found.submitted} (đúng hạn {len(found.on_time)}, muộn {len(found.late)})")
    for submission in found.late:
        sent = format_deadline(submission.first_submitted_at)
        print(f"    muộn: {submission.unit.full_name}, gửi {sent}")
    print(f"Chưa gửi: {len(found.missing)}")
    for missing in found.missing:
        print(f"    {missing.full_name}")
    return 0


def _moment(text: str | None) -> datetime | None:
    if text is None:
        return None
    from xaso.reporting.deadlines import VIETNAM

    for pattern in ("%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(text.strip(), pattern).replace(tzinfo=VIETNAM)
        except ValueError:
            continue
    raise CommandError(f"Không hiểu thời điểm ‘{text}’ (ví dụ: '14/04/2022 18:00', giờ Việt Nam).")


STATUS_TEXT = {
    "sent": "đã gửi",
    "failed": "chưa gửi được",
    "taken": "lượt chạy khác đang gửi",
    "not_tried": "chưa thử (máy chủ thư không trả lời)",
}


def cmd_remind(args) -> int:
    setup_django()
    from django.utils import timezone

    from xaso.reporting.reminders import format_deadline, remind

    now = _moment(args.now) or timezone.now()
    outcomes = remind(now=now)
    if args.json:
        _print_json(
            {
                "now": now.isoformat(),
                "reminders": [
                    {
                        "kind": o.due.kind,
                        "form": o.due.form.code,
                        "unit": o.due.unit.code,
                        "period": o.due.period.code,
                        "deadline": o.due.deadline.isoformat(),
                        "status": o.status,
                        "emails": len(o.emails),
                    }
                    for o in outcomes
                ],
            }
        )
    else:
        if not outcomes:
            print("Không có lời nhắc nào đến lúc gửi.")
        for o in outcomes:
            kind = "quá hạn" if o.due.kind == "overdue" else "sắp đến hạn"
            failed = o.status in ("failed", "not_tried")
            print(
                f"{STATUS_TEXT[o.status]} ({kind}, {len(o.emails)} thư): {o.due.unit.full_name} — "
                f"{o.due.form.name} {o.due.period.label}, hạn {format_deadline(o.due.deadline)}"
                + (f" — {o.error}" if o.error else ""),
                file=sys.stderr if failed else sys.stdout,
            )
    failed = [o for o in outcomes if o.status in ("failed", "not_tried")]
    return 1 if failed else 0


def add_forms(sub) -> None:
    forms = sub.add_parser("forms", help="the report forms a unit reports on or reviews")
    forms.add_argument("unit", help="code or name")
    forms.add_argument("--json", action="store_true")
    add_as_option(forms)
    forms.set_defaults(func=cmd_forms)


def add_completeness(sub) -> None:
    command = sub.add_parser("completeness", help="who has reported on a form for a period")
    command.add_argument("unit", help="the reviewing unit (or one below it): code or name")
    command.add_argument("--form", required=True, help="the form's code (see `xaso forms`)")
    command.add_argument("--period", required=True, help='e.g. 2022-W15, 2022-11, "tháng 11/2022"')
    command.add_argument("--json", action="store_true")
    add_as_option(command)
    command.set_defaults(func=cmd_completeness)


def add_remind(sub) -> None:
    command = sub.add_parser(
        "remind", help="send the reminders due now (safe to run every few minutes)"
    )
    command.add_argument(
        "--now",
        metavar="'DD/MM/YYYY HH:MM'",
        help="act as at this moment, Vietnam time (to try a date; what it sends is recorded)",
    )
    command.add_argument("--json", action="store_true")
    command.set_defaults(func=cmd_remind)
