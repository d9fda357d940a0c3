"""`{% link %}` writes what `{% url %}` writes, under any script prefix (issue 20)."""

from django.template import engines
from django.urls import set_script_prefix

TEMPLATE = "{% load links %}{% link 'figures:unit' code %}|{% url 'figures:unit' code %}"


def test_link_is_url_and_follows_the_script_prefix():
    page = engines["django"].from_string(TEMPLATE)
    try:
        for prefix in ("/", "/xaso/", "/khac/"):
            set_script_prefix(prefix)
            for code in ("X.1", "HK", "a&b"):
                ours, django = page.render({"code": code}).split("|")
                assert ours == django
                assert ours.startswith(prefix)
    finally:
        set_script_prefix("/")
