"""A small world for the API tests: two provinces, roles, tokens.

42 Hà Tĩnh > hk Hương Khê > hl Hà Linh > hl-1, hl-2, hl-3;  p2 Sweep Hai > d1 > w1.
"""

from dataclasses import dataclass

import pytest
from django.test import Client

from tests.factories import make_commune_tree, make_indicator, make_unit, make_user
from xaso.api.tokens import create_token, revoke_token
from xaso.org.models import Role, UnitKind


@dataclass
class World:
    units: dict
    users: dict
    tokens: dict  # persona -> secret


def bearer(secret: str | None) -> dict:
    return {} if secret is None else {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


class Api:
    """A client speaking JSON with one token."""

    def __init__(self, secret: str | None):
        self.client = Client()
        self.headers = bearer(secret)

    def get(self, path, **params):
        return self.client.get(path, params, **self.headers)

    def post(self, path, data, key: str | None = None):
        extra = dict(self.headers)
        if key is not None:
            extra["HTTP_IDEMPOTENCY_KEY"] = key
        return self.client.post(path, data, content_type="application/json", **extra)


@pytest.fixture
def world(db) -> World:
    province, district, commune, villages = make_commune_tree()
    p2 = make_unit("Sweep Hai", UnitKind.PROVINCE, code="p2")
    d1 = make_unit("Xã Hai", UnitKind.COMMUNE, p2, code="d1")
    w1 = make_unit("Ba", UnitKind.VILLAGE, d1, code="w1")
    units = {u.code: u for u in (province, district, commune, *villages, p2, d1, w1)}
    make_indicator("road", name="Đường giao thông", unit="m")
    make_indicator("households", name="Số hộ", unit="ho")
    users = {
        "village": make_user("truong-thon", unit=villages[0], role=Role.REPORTER),
        "commune": make_user("quan-ly-xa", unit=commune, role=Role.MANAGER),
        "province": make_user("tinh-xem", unit=province, role=Role.VIEWER),
        "other": make_user("tinh-khac", unit=p2, role=Role.MANAGER),
        "revoked": make_user("da-thu-hoi", unit=commune, role=Role.MANAGER),
    }
    tokens = {}
    for name, user in users.items():
        token, tokens[name] = create_token(user=user, name="test")
    revoke_token(user=users["revoked"], token_id=token.pk)  # the last one made
    return World(units, users, tokens)


@pytest.fixture
def api(world):
    """api(persona) → a client with that persona's token."""
    return lambda persona: Api(world.tokens.get(persona))
