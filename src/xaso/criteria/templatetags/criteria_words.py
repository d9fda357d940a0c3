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
    criteria_set = requirement.criterion.criteria_set
    label = criteria_set.grouping_label
    # The general value first, then the set's groups in its order (PostgreSQL's jsonb keeps
    # keys in an order of its own).
    order = ["all", *(code for code, _ in criteria_set.groups)]
    values = requirement.thresholds
    out = []
    for group in [g for g in order if g in values]:
        value = values[group]
        amount = None if value is None else Decimal(value)
        who = "chung" if group == "all" else f"{label} {group}"
        out.append(f"{who}: {wording.threshold(requirement.test, amount, requirement.unit)}")
    return out
