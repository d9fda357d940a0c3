"""Template filters for the criteria pages (the wording lives in `criteria.wording`)."""

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
