"""Reads of the indicator catalog."""

from django.db.models import QuerySet

from xaso.catalog.models import Indicator
from xaso.rows import Lookup

_ACTIVE = Lookup(Indicator, '"active" = %s ORDER BY "position", "code"')


def active_indicators() -> QuerySet[Indicator]:
    return Indicator.objects.filter(active=True).order_by("position", "code")


def active_indicator_list() -> list[Indicator]:
    """As `active_indicators`, read by a statement written once (`xaso.rows`): the unit page
    and the entry sheet read the catalog on every request."""
    return _ACTIVE.all(True)
