"""Writes to the indicator catalog."""

from decimal import Decimal

from django.db import transaction

from xaso.catalog.models import Direction, Indicator, Rollup
from xaso.vn.text import nfc

UNCHANGED = object()  # a bound not given keeps what the indicator has (None when new)


@transaction.atomic
def indicator_upsert(
    *,
    code: str,
    name: str,
    unit: str,
    rollup: str = Rollup.SUM,
    direction: str = Direction.HIGHER_IS_BETTER,
    group: str = "",
    position: int = 0,
    min_value: Decimal | None = UNCHANGED,
    max_value: Decimal | None = UNCHANGED,
) -> Indicator:
    """Create or update an indicator by code. Bounds left out keep their value, so a
    catalog reload does not undo limits set since."""
    indicator = Indicator.objects.filter(code=code).first() or Indicator(code=code)
    indicator.name = nfc(name).strip()
    indicator.unit = unit
    indicator.rollup = rollup
    indicator.direction = direction
    indicator.group = nfc(group).strip()
    indicator.position = position
    if min_value is not UNCHANGED:
        indicator.min_value = min_value
    if max_value is not UNCHANGED:
        indicator.max_value = max_value
    indicator.full_clean()
    indicator.save()
    return indicator
