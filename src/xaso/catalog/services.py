"""Writes to the indicator catalog."""

from decimal import Decimal

from django.db import transaction

from xaso.catalog.models import Direction, Indicator, Rollup, default_over_time
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
    over_time: str | None = None,
) -> Indicator:
    """Create or update an indicator by code. Bounds left out keep their value, so a
    catalog reload does not undo limits set since. `over_time` left out keeps what the
    indicator has; a new one gets the default of its roll-up rule."""
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
    if over_time is not None:
        indicator.over_time = over_time
    elif not indicator.over_time:
        indicator.over_time = default_over_time(rollup)
    indicator.full_clean()
    indicator.save()
    return indicator
