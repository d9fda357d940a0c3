"""Builds the reliability tests' data in a scratch database, through the project's factories.

Run in a subprocess with DATABASE_URL pointing at the scratch database (the tests' own
pytest-django database lives in a transaction the server under test cannot see):

    python -m tests.reliability.seed < spec.json > facts.json

The spec says how many villages, indicators and users; the answer (JSON on stdout) names them
and gives each user a ready session key, so that clients need not pay for a password hash
each. The first `logins` users get a password instead and log in through /login/.
"""

import json
import sys

CHEAP_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


def build(spec: dict) -> dict:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import override_settings

    from tests.factories import make_indicator, make_unit, make_user
    from xaso.catalog.models import Indicator
    from xaso.org.models import Role, UnitKind

    prefix = spec["prefix"]
    province = make_unit("Tỉnh thử", UnitKind.PROVINCE, code=f"{prefix}p")
    district = make_unit("Huyện thử", UnitKind.DISTRICT, province, code=f"{prefix}d")
    commune = make_unit("Xã thử", UnitKind.COMMUNE, district, code=f"{prefix}c")
    villages = [
        make_unit(f"Thôn {n}", UnitKind.VILLAGE, commune, code=f"{prefix}v{n}")
        for n in range(1, spec["villages"] + 1)
    ]
    indicators = [
        make_indicator(f"{prefix}i{n}", name=f"Chỉ tiêu thử {n}", unit="m")
        for n in range(1, spec["indicators"] + 1)
    ]
    # The model backend whichever others (django-axes) come before it.
    backends = settings.AUTHENTICATION_BACKENDS
    backend = next((b for b in backends if b.endswith(".ModelBackend")), backends[-1])
    users = []
    for n in range(spec["users"]):
        # Reporters on the commune and managers on the district: both may write a village.
        unit, role = (commune, Role.REPORTER) if n % 2 == 0 else (district, Role.MANAGER)
        name = f"{prefix}user{n:02d}"
        if n < spec["logins"]:
            make_user(name, unit=unit, role=role)
            users.append({"username": name, "password": "pw-12345", "session": None})
            continue
        # A cheap hash the server cannot check: these users sign in by session only.
        with override_settings(PASSWORD_HASHERS=[CHEAP_HASHER]):
            user = make_user(name, unit=unit, role=role)
        session = SessionStore()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        users.append({"username": name, "password": None, "session": session.session_key})
    return {
        "villages": [v.code for v in villages],
        "commune": commune.code,
        "indicators": [i.code for i in indicators],
        "other_indicators": list(
            Indicator.objects.filter(active=True)
            .exclude(code__in=[i.code for i in indicators])
            .values_list("code", flat=True)
        ),
        "users": users,
        "session_cookie": settings.SESSION_COOKIE_NAME,
    }


def main() -> int:
    import django

    django.setup()
    spec = json.load(sys.stdin)
    json.dump(build(spec), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
