"""Reads of the audit trail."""

from django.db.models import PROTECT, QuerySet

from xaso.audit.models import AuditEntry


def history_of(entity: str, object_id: int) -> QuerySet[AuditEntry]:
    """One object's changes, newest first."""
    return (
        AuditEntry.objects.filter(entity=entity, object_id=object_id)
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")
    )


def history_of_unit(unit, *, entity: str | None = None) -> QuerySet[AuditEntry]:
    """The changes recorded against one unit (of one kind of object, if given), newest first."""
    rows = AuditEntry.objects.filter(unit=unit)
    if entity is not None:
        rows = rows.filter(entity=entity)
    return rows.select_related("changed_by").order_by("-changed_at", "-pk")


def history_of_figure(unit, indicator, *, entity: str, period: str | None = None):
    """The changes of one unit's figures of one indicator (targets: entity "target"), newest
    first; of one period's if given."""
    rows = AuditEntry.objects.filter(
        unit=unit, indicator_id=getattr(indicator, "pk", indicator), entity=entity
    )
    if period is not None:
        rows = rows.filter(period=period)
    return rows.select_related("changed_by").order_by("-changed_at", "-pk")


def history_by(user) -> QuerySet[AuditEntry]:
    """What one user changed, newest first."""
    return AuditEntry.objects.filter(changed_by=user).order_by("-changed_at", "-pk")


def has_history(user) -> bool:
    """Whether any audit row names the user, so that they must be deactivated, not deleted.

    Every table that protects its reference to a user (AuditEntry, figures.ResultChange, and
    any later one) is asked, without this module importing the apps above it.
    """
    for relation in user._meta.get_fields(include_hidden=True):
        if (
            relation.auto_created
            and not relation.concrete
            and getattr(relation, "on_delete", None) is PROTECT
        ):
            model = relation.related_model
            if model._base_manager.filter(**{relation.field.name: user}).exists():
                return True
    return False
