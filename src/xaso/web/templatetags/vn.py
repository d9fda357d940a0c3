"""Template filters that write numbers and percents the Vietnamese way (3.750,5; 24,2%)."""

from decimal import Decimal

from django import template

from xaso.vn.numbers import format_number, format_percent

register = template.Library()


@register.filter
def vn_number(value) -> str:
    if value is None or value == "":
        return ""
    return format_number(Decimal(str(value)))


@register.filter
def vn_percent(value) -> str:
    if value is None or value == "":
        return ""
    return format_percent(Decimal(str(value)))


@register.filter
def bar_width(percent) -> str:
    """A progress bar's CSS width: the percent clamped to 0–100, with a dot decimal."""
    if percent is None:
        return "0"
    return f"{max(Decimal(0), min(Decimal(100), Decimal(str(percent)))):.1f}"


@register.filter
def bar_level(percent) -> str:
    if percent is None:
        return "none"
    if percent >= 100:
        return "done"
    return "mid" if percent >= 50 else "low"
