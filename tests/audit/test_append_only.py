"""Audit tables are append-only: through the ORM on every database, and on PostgreSQL also
through raw SQL (a trigger)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from tests.factories import make_commune_tree, make_indicator, make_user
from xaso.audit.models import AppendOnlyError, AuditEntry
from xaso.audit.services import audit_record
from xaso.figures.models import ResultChange
from xaso.figures.services import record_result

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


@pytest.fixture
def entry():
    _, _, commune, _ = make_commune_tree()
    return audit_record(
        entity="target",
        object_id=7,
        unit=commune,
        action="update",
        old={"value": Decimal("10")},
        new={"value": Decimal("12.5")},
    )


@pytest.fixture
def change():
    _, _, commune, _ = make_commune_tree()
    road = make_indicator("road", unit="km")
    record_result(unit=commune, indicator=road, period="2022", value="1,8 km")
    return ResultChange.objects.get()


def test_an_audit_entry_cannot_be_saved_again_or_deleted(entry):
    entry.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.get().reason == ""


def test_audit_entries_cannot_be_updated_or_deleted_in_bulk(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["reason"])
    assert AuditEntry.objects.count() == 1
    assert AuditEntry.objects.get().new == {"value": "12.5"}


def test_a_result_change_cannot_be_saved_again_updated_or_deleted(change):
    change.new_value = Decimal("99")
    with pytest.raises(AppendOnlyError):
        change.save()
    with pytest.raises(AppendOnlyError):
        change.delete()
    with pytest.raises(AppendOnlyError):
        ResultChange.objects.update(new_value=Decimal("99"))
    with pytest.raises(AppendOnlyError):
        ResultChange.objects.filter(pk=change.pk).delete()
    assert ResultChange.objects.get().new_value == Decimal("1.8")


def _raw(sql: str, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@postgresql_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET reason = 'rewritten' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ],
)
def test_postgresql_refuses_raw_sql_on_audit_entries(entry, sql):
    with pytest.raises(IntegrityError, match="audit_auditentry is an append-only audit table"):
        _raw(sql, [entry.pk])
    assert AuditEntry.objects.get().reason == ""


@postgresql_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE figures_resultchange SET new_value = 99 WHERE id = %s",
        "DELETE FROM figures_resultchange WHERE id = %s",
    ],
)
def test_postgresql_refuses_raw_sql_on_result_changes(change, sql):
    with pytest.raises(IntegrityError, match="figures_resultchange is an append-only"):
        _raw(sql, [change.pk])
    assert ResultChange.objects.get().new_value == Decimal("1.8")


@postgresql_only
def test_postgresql_still_takes_new_rows(change):
    _raw(
        "INSERT INTO figures_resultchange (unit_id, indicator_id, period, old_value, new_value,"
        " old_status, new_status, written_as, changed_at, channel)"
        " SELECT unit_id, indicator_id, period, new_value, 2, new_status, new_status, '',"
        " now(), 'cli' FROM figures_resultchange WHERE id = %s",
        [change.pk],
    )
    assert ResultChange.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_test_runner_can_still_flush_audit_tables():
    """A transactional test ends with a flush (TRUNCATE on PostgreSQL): it must get through."""
    user = make_user("flushed")
    audit_record(entity="user", object_id=user.pk, action="update", old=None, new={}, user=user)
    assert AuditEntry.objects.count() == 1
