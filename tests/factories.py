"""Builders for test data. They go through the services, like every other writer."""

import itertools

from django.contrib.auth import get_user_model

from xaso.catalog.services import indicator_upsert
from xaso.org.models import Role, UnitKind
from xaso.org.services import membership_grant, unit_create

_codes = itertools.count(1)


def make_unit(name: str, kind: str = UnitKind.COMMUNE, parent=None, code: str | None = None):
    return unit_create(name=name, kind=kind, parent=parent, code=code or f"u{next(_codes)}")


def make_indicator(code: str, *, unit: str = "m", rollup: str = "sum", **fields):
    return indicator_upsert(
        code=code, name=fields.pop("name", code), unit=unit, rollup=rollup, **fields
    )


def make_user(username: str = "officer", *, unit=None, role: str = Role.REPORTER, **fields):
    user = get_user_model().objects.create_user(username=username, password="pw-12345", **fields)
    if unit is not None:
        membership_grant(user=user, unit=unit, role=role)
    return user


def make_commune_tree():
    """Province > district > commune > three villages, the shape of the older reports."""
    province = make_unit("Hà Tĩnh", UnitKind.PROVINCE, code="42")
    district = make_unit("Hương Khê", UnitKind.DISTRICT, province, code="hk")
    commune = make_unit("Hà Linh", UnitKind.COMMUNE, district, code="hl")
    villages = [make_unit(str(n), UnitKind.VILLAGE, commune, code=f"hl-{n}") for n in (1, 2, 3)]
    return province, district, commune, villages
