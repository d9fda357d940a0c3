"""Defining a report form (demo data, the admin, later a form editor and the API)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from xaso.catalog.models import Indicator
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.reporting.models import ReportForm, ReportFormItem, ValidationRule


@transaction.atomic
def define_form(
    *,
    code: str,
    name: str,
    reviewer: OrgUnit,
    period_type: str,
    deadline_rule: str,
    indicators: list[tuple[Indicator, str]],  # (indicator, group) in order
    reporter_kind: str = "",
    reporter_units: list[OrgUnit] = (),
    span: tuple[date, date] | None = None,
    rules: list[tuple[str, str, str]] = (),  # (expression, message, severity)
    user=None,
) -> ReportForm:
    """Create or redefine a form (its indicators and rules replaced). Only a manager of the
    reviewing unit defines its forms; every field is checked before anything is saved."""
    if user is not None:
        policy.require_manage(user, reviewer, what="lập biểu mẫu báo cáo")
    form = ReportForm.objects.filter(code=code).first() or ReportForm(code=code)
    form.name, form.reviewer, form.period_type = name, reviewer, period_type
    form.deadline_rule, form.reporter_kind = deadline_rule, reporter_kind
    form.span_start, form.span_end = span or (None, None)
    form.full_clean()
    if not indicators:
        raise ValidationError({"indicators": "Biểu mẫu cần ít nhất một chỉ tiêu."})
    outside = [unit.full_name for unit in reporter_units if not unit.path.startswith(reviewer.path)]
    if outside:
        raise ValidationError(
            {"reporter_units": f"Không thuộc {reviewer.full_name}: {', '.join(outside)}."}
        )
    checked = []
    for expression, message, severity in rules:
        rule = ValidationRule(expression=expression, message=message, severity=severity)
        rule.clean()
        checked.append(rule)
    form.save()
    form.reporter_units.set(reporter_units)
    form.items.all().delete()
    ReportFormItem.objects.bulk_create(
        ReportFormItem(form=form, indicator=indicator, position=position, group=group)
        for position, (indicator, group) in enumerate(indicators)
    )
    form.rules.all().delete()
    for rule in checked:
        rule.form = form
        rule.save()
    return form
