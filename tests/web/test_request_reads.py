"""The reads every request makes — the session, the signed-in user, the unit an address names,
the user's roles, the catalog, the breadcrumbs — are statements written once (`xaso.rows`).
They must give what Django's querysets give, row for row, and refuse what Django refuses."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_commune_tree, make_indicator, make_user
from xaso.catalog.models import Indicator
from xaso.catalog.selectors import active_indicator_list, active_indicators
from xaso.org import policy
from xaso.org.models import OrgUnit, Role
from xaso.org.selectors import unit_or_404
from xaso.org.services import membership_grant
from xaso.rows import Lookup

pytestmark = pytest.mark.django_db


def fields_of(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_a_unit_read_by_code_equals_the_querysets_field_for_field_dates_included():
    _, _, commune, _ = make_commune_tree()
    OrgUnit.objects.filter(pk=commune.pk).update(valid_from=date(2025, 7, 1))

    found = unit_or_404("hl")

    assert type(found) is OrgUnit
    assert fields_of(found) == fields_of(OrgUnit.objects.get(code="hl"))
    assert found.valid_from == date(2025, 7, 1)  # a date, converted as the ORM converts it
    assert found._state.adding is False and found._state.db == "default"


def test_an_unknown_code_is_a_404():
    make_commune_tree()
    with pytest.raises(Http404):
        unit_or_404("khong-co")


def test_a_lookup_that_matches_two_rows_is_an_error_and_all_keeps_the_order_asked():
    make_commune_tree()
    by_kind = Lookup(OrgUnit, '"kind" = %s ORDER BY "code" DESC')

    with pytest.raises(OrgUnit.MultipleObjectsReturned):
        by_kind.one("village")
    assert [unit.code for unit in by_kind.all("village")] == ["hl-3", "hl-2", "hl-1"]
    assert by_kind.all("hamlet") == []


def test_the_active_catalog_list_is_the_querysets_in_its_order():
    make_indicator("b", position=2)
    make_indicator("a", position=2)
    make_indicator("c", position=1)
    make_indicator("off", position=0)
    Indicator.objects.filter(code="off").update(active=False)

    listed = active_indicator_list()

    assert [i.code for i in listed] == ["c", "a", "b"]
    assert [fields_of(i) for i in listed] == [fields_of(i) for i in active_indicators()]


def test_the_trail_lists_the_ancestors_root_first_each_marked_readable_or_not():
    province, district, commune, villages = make_commune_tree()
    user = make_user(unit=commune, role=Role.VIEWER)

    trail = policy.trail(user, villages[0])

    assert [u.code for u in trail] == ["42", "hk", "hl"]
    assert [u.readable for u in trail] == [False, False, True]
    assert policy.trail(user, province) == []


def test_roles_are_read_once_per_user_object_as_unit_path_and_role():
    _, district, commune, _ = make_commune_tree()
    user = make_user(unit=commune, role=Role.REPORTER)
    membership_grant(user=user, unit=district, role=Role.VIEWER)
    user = get_user_model().objects.get(pk=user.pk)

    with CaptureQueriesContext(connection) as first:
        grants = policy.grants(user)
    with CaptureQueriesContext(connection) as again:
        policy.grants(user)

    assert sorted(grants, key=lambda g: g.path) == sorted(
        [policy.Grant(district.path, Role.VIEWER), policy.Grant(commune.path, Role.REPORTER)],
        key=lambda g: g.path,
    )
    assert (len(first), len(again)) == (1, 0)


@pytest.fixture
def signed_in():
    _, _, commune, _ = make_commune_tree()
    user = make_user(unit=commune)
    client = Client()
    client.force_login(user)
    return user, client


def test_a_session_is_honoured_until_it_expires_and_not_after(signed_in):
    user, client = signed_in
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(seconds=30))

    assert client.get("/units/hl/").status_code == 200

    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/units/hl/")

    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_a_session_row_read_by_the_store_equals_the_querysets_its_expiry_a_moment(signed_in):
    from xaso.web.sessions import SessionStore

    _, client = signed_in
    key = client.session.session_key

    found = SessionStore(key)._get_session_from_db()

    assert fields_of(found) == fields_of(Session.objects.get(pk=key))
    assert found.expire_date.tzinfo is not None  # converted, as the ORM converts it
    assert SessionStore(key).load()["_auth_user_id"] == str(signed_in[0].pk)


def test_an_unknown_session_key_is_no_one(signed_in):
    _, client = signed_in
    client.cookies["sessionid"] = "x" * 32

    response = client.get("/units/hl/")

    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_an_inactive_or_deleted_user_is_signed_out_on_the_next_request(signed_in):
    user, client = signed_in
    assert client.get("/units/hl/").status_code == 200

    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/units/hl/").status_code == 302

    get_user_model().objects.filter(pk=user.pk).update(is_active=True)
    assert client.get("/units/hl/").status_code == 200

    user.delete()
    assert client.get("/units/hl/").status_code == 302


def test_a_session_holding_a_user_id_that_is_not_a_number_is_no_one(signed_in):
    from xaso.web.auth import ModelBackend

    assert ModelBackend().get_user("abc") is None
    assert ModelBackend().get_user("999999") is None
