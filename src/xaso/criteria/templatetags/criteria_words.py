"""Template filters for the criteria pages (the wording lives in `criteria.wording`)."""

from decimal import Decimal

from django import template

from xaso.criteria import wording

register = template.Library()


@register.filter
def threshold_text(row) -> str:
    """A requirement row's threshold: "≥ 85%", "chưa có ngưỡng"."""
    return wording.threshold(row.requirement.test, row.threshold, row.requirement.unit)


@register.filter
def amount_text(row) -> str:
    return wording.amount(row.value, row.requirement.unit)


@register.filter
def status_text(word) -> str:
    return wording.status(word or None)


@register.filter
def thresholds_text(requirement) -> list[str]:
    """A requirement's thresholds by group as written for people: ["chung: ≥ 85%", …]."""
    if requirement.test == "reached":
        return [wording.threshold("reached", None, requirement.unit)]
    if not requirement.thresholds:
        return [wording.NO_THRESHOLD]
    label = requirement.criterion.criteria_set.grouping_label
    out = []
    for group, value in requirement.thresholds.items():
        amount = None if value is None else Decimal(value)
        who = "chung" if group == "all" else f"{label} {group}"
        out.append(f"{who}: {wording.threshold(requirement.test, amount, requirement.unit)}")
    return out
