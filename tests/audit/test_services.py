"""Who, when, old, new, why and by which path: targets, role grants and users."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError

from tests.factories import make_commune_tree, make_indicator, make_user
from xaso.audit.models import AuditEntry
from xaso.audit.selectors import has_history, history_of, history_of_figure, history_of_unit
from xaso.audit.services import audit_record, to_json, user_deactivate
from xaso.figures.models import Target, TargetSource
from xaso.figures.services import delete_target, record_result, set_target
from xaso.org import policy
from xaso.org.models import Membership, Role
from xaso.org.services import membership_grant, membership_revoke

pytestmark = pytest.mark.django_db


def test_values_are_kept_as_json_with_exact_decimals():
    assert to_json({"value": Decimal("15511.000000"), "share": Decimal("0.1")}) == {
        "value": "15511",
        "share": "0.1",
    }
    assert to_json([Decimal("1E+3"), Role.MANAGER, None]) == ["1000", "manager", None]
    with pytest.raises(TypeError):
        to_json({"value": object()})


def test_audit_record_keeps_who_when_old_new_why_and_path():
    _, _, commune, _ = make_commune_tree()
    officer = make_user("officer")
    entry = audit_record(
        entity="meeting",
        object_id=3,
        unit=commune,
        action="update",
        old={"title": "Hội nghị"},
        new={"title": "Hội nghị BCH mở rộng"},
        user=officer,
        channel="api",
        reason="Sửa tên theo biên bản",
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.entity, stored.object_id, stored.unit, stored.action) == (
        "meeting",
        3,
        commune,
        "update",
    )
    assert stored.old == {"title": "Hội nghị"}
    assert stored.new == {"title": "Hội nghị BCH mở rộng"}
    assert (stored.changed_by, stored.channel, stored.reason) == (officer, "api", entry.reason)
    assert stored.changed_at is not None
    assert stored.channel_label == "API"
    assert list(history_of("meeting", 3)) == [stored]
    assert list(history_of_unit(commune)) == [stored]


def test_audit_record_refuses_what_it_does_not_know_and_names_no_anonymous_user():
    with pytest.raises(ValueError, match="entity"):
        audit_record(entity="rumour", object_id=1, action="create", old=None, new={})
    with pytest.raises(ValueError, match="channel"):
        audit_record(entity="user", object_id=1, action="create", old=None, new={}, channel="fax")
    entry = audit_record(
        entity="user", object_id=1, action="create", old=None, new={}, user=AnonymousUser()
    )
    assert entry.changed_by is None


# --- targets ---------------------------------------------------------------------------------


def _target(unit, indicator, value, **kwargs):
    return set_target(
        unit=unit,
        indicator=indicator,
        period="2022",
        source=TargetSource.DISTRICT_PLAN,
        value=value,
        **kwargs,
    )


def test_every_change_of_a_target_is_audited_and_setting_it_again_is_not():
    _, district, commune, _ = make_commune_tree()
    money = make_indicator("thu", unit="trieu_dong")
    manager = make_user("manager", unit=district, role=Role.MANAGER)

    target = _target(commune, money, "15.511", user=manager)
    _target(commune, money, "15.511", user=manager)  # the same again: nothing to record
    _target(commune, money, "16 tỷ đồng", user=manager, channel="import", reason="KH điều chỉnh")
    _target(commune, money, "16.000", note="Theo QĐ 12", channel="cli")

    rows = list(history_of_figure(commune, money, entity="target"))
    assert len(rows) == 3
    note, raised, created = rows
    assert (created.action, created.old, created.new) == (
        "create",
        None,
        {"source": "district_plan", "value": "15511", "note": ""},
    )
    assert (created.changed_by, created.channel, created.object_id) == (manager, "form", target.pk)
    assert (raised.action, raised.old["value"], raised.new["value"]) == ("update", "15511", "16000")
    assert (raised.channel, raised.reason, raised.period) == ("import", "KH điều chỉnh", "2022")
    assert (note.old["note"], note.new["note"], note.changed_by, note.channel) == (
        "",
        "Theo QĐ 12",
        None,
        "cli",
    )
    assert Target.objects.get().value == Decimal(16000)


def test_only_a_manager_of_the_unit_or_above_sets_a_target():
    _, district, commune, villages = make_commune_tree()
    money = make_indicator("thu", unit="trieu_dong")
    reporter = make_user("reporter", unit=commune, role=Role.REPORTER)
    village_manager = make_user("village", unit=villages[0], role=Role.MANAGER)

    for user in (reporter, village_manager, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            _target(commune, money, "100", user=user)
    assert not Target.objects.exists()
    assert not AuditEntry.objects.filter(entity="target").exists()

    assert _target(villages[0], money, "20", user=village_manager).value == Decimal(20)
    assert _target(commune, money, "100").value == Decimal(100)  # the system (loaders)


def test_deleting_a_target_is_audited():
    _, _, commune, _ = make_commune_tree()
    money = make_indicator("thu", unit="trieu_dong")
    manager = make_user("manager", unit=commune, role=Role.MANAGER)
    target = _target(commune, money, "3.750,5", note="KH huyện")

    assert delete_target(
        unit=commune,
        indicator=money,
        period="2022",
        source=TargetSource.DISTRICT_PLAN,
        user=manager,
        reason="Giao nhầm",
    )
    assert not Target.objects.exists()
    last = history_of("target", target.pk).first()
    assert (last.action, last.old, last.new) == (
        "delete",
        {"source": "district_plan", "value": "3750.5", "note": "KH huyện"},
        None,
    )
    assert (last.changed_by, last.reason) == (manager, "Giao nhầm")
    assert not delete_target(
        unit=commune, indicator=money, period="2022", source=TargetSource.DISTRICT_PLAN
    )


# --- role grants -----------------------------------------------------------------------------


def test_granting_changing_and_revoking_a_role_is_audited():
    _, _, commune, _ = make_commune_tree()
    admin = make_user("admin")
    officer = make_user("officer")
    assert not policy.can_manage(officer, commune)  # roles read and cached on the user

    granted = membership_grant(user=officer, unit=commune, role=Role.REPORTER, by=admin)
    membership_grant(user=officer, unit=commune, role=Role.REPORTER, by=admin)  # no change
    membership_grant(user=officer, unit=commune, role=Role.MANAGER, by=admin, reason="Bổ nhiệm")
    assert policy.can_manage(officer, commune)  # the cache was dropped
    assert membership_revoke(user=officer, unit=commune, by=admin, channel="admin")
    assert not policy.can_read(officer, commune)
    assert not Membership.objects.exists()
    assert not membership_revoke(user=officer, unit=commune, by=admin)

    revoked, promoted, created = history_of("membership", granted.pk)
    who = {"user": officer.pk, "username": "officer", "unit": "hl"}
    reporter, manager = who | {"role": "reporter"}, who | {"role": "manager"}
    assert (created.action, created.old, created.new) == ("create", None, reporter)
    assert (promoted.old, promoted.new) == (reporter, manager)
    assert (promoted.reason, promoted.channel) == ("Bổ nhiệm", "cli")
    assert (revoked.action, revoked.old, revoked.new, revoked.channel) == (
        "delete",
        manager,
        None,
        "admin",
    )
    assert {row.changed_by for row in (created, promoted, revoked)} == {admin}
    assert {row.unit for row in (created, promoted, revoked)} == {commune}


# --- users: deactivated, not deleted ---------------------------------------------------------


def test_a_user_named_by_the_trail_cannot_be_deleted_and_is_deactivated_instead():
    _, _, commune, _ = make_commune_tree()
    road = make_indicator("road", unit="km")
    admin = make_user("admin")
    reporter = make_user("reporter", unit=commune)
    granter = make_user("granter")
    idle = make_user("idle", unit=commune)  # granted a role, changed nothing
    record_result(unit=commune, indicator=road, period="2022", value="2", user=reporter)
    membership_grant(user=admin, unit=commune, role=Role.VIEWER, by=granter)

    for user in (reporter, granter):  # a ResultChange, an AuditEntry
        assert has_history(user)
        with pytest.raises(ProtectedError):
            user.delete()
    assert not has_history(idle)

    user_deactivate(user=reporter, by=admin, reason="Nghỉ hưu")
    reporter.refresh_from_db()
    assert reporter.is_active is False
    entry = history_of("user", reporter.pk).get()
    assert (entry.old, entry.new, entry.changed_by, entry.reason) == (
        {"is_active": True},
        {"is_active": False},
        admin,
        "Nghỉ hưu",
    )
    user_deactivate(user=reporter, by=admin)  # already inactive: nothing more to record
    assert history_of("user", reporter.pk).count() == 1
    assert not policy.can_read(reporter, commune)  # an inactive user may do nothing

    idle.delete()  # no history: a plain delete is still allowed
