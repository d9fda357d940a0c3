"""`{% link 'name' arg… %}`: what `{% url %}` writes, each answer kept once found.

A unit page writes some thirty links (the header, the unit's tabs, a history link per
indicator), and `reverse` is a noticeable share of a page's time (issue 20). The answer
depends only on the name, the arguments, the script prefix and the URLconf, all part of the
key; the cache is bounded.
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@lru_cache(maxsize=8192)
def _reverse(viewname: str, args: tuple, prefix: str, urlconf, root: str) -> str:
    return reverse(viewname, args=args, urlconf=urlconf)


@register.simple_tag
def link(viewname: str, *args) -> str:
    return _reverse(viewname, args, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
