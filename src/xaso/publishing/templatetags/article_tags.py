"""Template filters for the links to the article pages shown on other apps' pages."""

from django import template

from xaso.org import policy

register = template.Library()


@register.filter
def manages(user, unit) -> bool:
    """Whether the user may write the unit's articles: `{% if user|manages:unit %}`."""
    return policy.can_manage(user, unit)
