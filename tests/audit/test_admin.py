"""The admin goes through the audited services: role grants, users deactivated not deleted,
and the audit trail read-only."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.factories import make_commune_tree, make_indicator, make_user
from xaso.audit.models import AuditEntry
from xaso.audit.selectors import history_of
from xaso.figures.models import ResultChange
from xaso.figures.services import record_result
from xaso.org.models import Membership, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    admin = get_user_model().objects.create_superuser("root", password="pw-12345")
    client = Client()
    client.force_login(admin)
    client.user = admin
    return client


def test_role_grants_made_in_the_admin_are_audited(admin_client):
    _, _, commune, _ = make_commune_tree()
    officer = make_user("officer")

    response = admin_client.post(
        "/admin/org/membership/add/", {"user": officer.pk, "unit": commune.pk, "role": "reporter"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get()
    response = admin_client.post(
        f"/admin/org/membership/{membership.pk}/change/", {"role": "manager"}
    )
    assert response.status_code == 302
    assert Membership.objects.get().role == "manager"
    response = admin_client.post(f"/admin/org/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.exists()

    revoked, promoted, granted = history_of("membership", membership.pk)
    assert [
        (e.action, (e.old or {}).get("role"), (e.new or {}).get("role"))
        for e in (
            granted,
            promoted,
            revoked,
        )
    ] == [
        ("create", None, "reporter"),
        ("update", "reporter", "manager"),
        ("delete", "manager", None),
    ]
    assert {(e.changed_by, e.channel, e.unit) for e in (granted, promoted, revoked)} == {
        (admin_client.user, "admin", commune)
    }


def test_the_admins_bulk_delete_of_grants_is_audited(admin_client):
    _, _, commune, villages = make_commune_tree()
    officer = make_user("officer", unit=commune)
    make_user("head", unit=villages[0])
    pks = list(Membership.objects.values_list("pk", flat=True))

    response = admin_client.post(
        "/admin/org/membership/",
        {"action": "delete_selected", "_selected_action": pks, "post": "yes"},
    )
    assert response.status_code == 302
    assert not Membership.objects.exists()
    deleted = AuditEntry.objects.filter(entity="membership", action="delete", channel="admin")
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(pks)
    assert officer.pk in {entry.old["user"] for entry in deleted}


def test_a_user_with_history_has_no_delete_only_deactivate(admin_client):
    _, _, commune, _ = make_commune_tree()
    road = make_indicator("road", unit="km")
    reporter = make_user("reporter", unit=commune)
    idle = make_user("idle")
    record_result(unit=commune, indicator=road, period="2022", value="2", user=reporter)

    assert admin_client.get(f"/admin/auth/user/{reporter.pk}/delete/").status_code == 403
    page = admin_client.get(f"/admin/auth/user/{reporter.pk}/change/").content.decode()
    assert "deletelink" not in page
    assert admin_client.get(f"/admin/auth/user/{idle.pk}/delete/").status_code == 200
    listing = admin_client.get("/admin/auth/user/").content.decode()
    assert 'value="deactivate"' in listing
    assert 'value="delete_selected"' not in listing

    response = admin_client.post(
        "/admin/auth/user/",
        {"action": "deactivate", "_selected_action": [reporter.pk, admin_client.user.pk]},
    )
    assert response.status_code == 302
    reporter.refresh_from_db()
    admin_client.user.refresh_from_db()
    assert (reporter.is_active, admin_client.user.is_active) == (False, True)
    entry = history_of("user", reporter.pk).get()
    assert (entry.old, entry.new, entry.changed_by, entry.channel) == (
        {"is_active": True},
        {"is_active": False},
        admin_client.user,
        "admin",
    )
    assert ResultChange.objects.get().changed_by == reporter  # still named


def test_unticking_active_in_the_user_form_deactivates_through_the_service(admin_client):
    officer = make_user("officer", first_name="Lan")
    form = {
        "username": "officer",
        "first_name": "Lan",
        "last_name": "",
        "email": "",
        "is_staff": "on",
        "date_joined_0": officer.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": officer.date_joined.strftime("%H:%M:%S"),
        "initial-date_joined_0": officer.date_joined.strftime("%Y-%m-%d"),
        "initial-date_joined_1": officer.date_joined.strftime("%H:%M:%S"),
    }  # no "is_active": unticked

    response = admin_client.post(f"/admin/auth/user/{officer.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[-3000:]
    officer.refresh_from_db()
    assert (officer.is_active, officer.is_staff) == (False, True)
    staff, deactivated = history_of("user", officer.pk).order_by("pk")
    assert (staff.old, staff.new) == ({"is_staff": False}, {"is_staff": True})
    assert (deactivated.old, deactivated.new) == ({"is_active": True}, {"is_active": False})
    assert {staff.channel, deactivated.channel} == {"admin"}


def test_the_audit_trail_is_read_only_in_the_admin(admin_client):
    _, _, commune, _ = make_commune_tree()
    road = make_indicator("road", unit="km")
    make_user("officer", unit=commune, role=Role.MANAGER)
    record_result(unit=commune, indicator=road, period="2022", value="2")
    entry, change = AuditEntry.objects.get(), ResultChange.objects.get()

    for model, pk in (("audit/auditentry", entry.pk), ("figures/resultchange", change.pk)):
        assert admin_client.get(f"/admin/{model}/").status_code == 200
        assert admin_client.get(f"/admin/{model}/add/").status_code == 403
        assert admin_client.get(f"/admin/{model}/{pk}/delete/").status_code == 403
        page = admin_client.get(f"/admin/{model}/{pk}/change/")
        assert page.status_code == 200  # a view, without a save button
        assert 'name="_save"' not in page.content.decode()
