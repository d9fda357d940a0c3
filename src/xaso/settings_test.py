"""Settings for the test suite: a fixed key, a fast hasher, in-memory mail and cache."""

import os

os.environ.setdefault("XASO_SECRET_KEY", "tests-only-not-a-secret")

from xaso.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ALLOWED_HOSTS = ["*"]
# Connections that outlive a request would keep the test database open at teardown.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Login throttling is off for the suite: Django's test client logs in (`client.login`) without a
# request, which django-axes refuses. tests/web/test_login.py turns it on where it is tested.
AXES_ENABLED = False
# Nothing is collected for the suite; WhiteNoise finds the apps' static files itself.
STATIC_ROOT = None
