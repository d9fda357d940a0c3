"""Reads of the indicator catalog."""

from django.db.models import QuerySet

from xaso.catalog.models import Indicator


def active_indicators() -> QuerySet[Indicator]:
    return Indicator.objects.filter(active=True).order_by("position", "code")
