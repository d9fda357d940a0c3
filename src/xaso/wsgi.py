import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xaso.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 — the views' modules, loaded before the freeze below
# What is loaded by now (Django, the apps, the views) lives as long as the worker. Frozen,
# the collector's full passes no longer walk it: a province page makes some 30,000 objects,
# enough to set off one such pass, which took longer than the page's queries (issue 20,
# docs/scale.md "Python's garbage collector").
gc.freeze()
