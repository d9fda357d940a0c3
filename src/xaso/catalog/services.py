"""Writes to the indicator catalog."""

from django.db import transaction

from xaso.catalog.models import Direction, Indicator, Rollup
from xaso.vn.text import nfc


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
) -> Indicator:
    indicator = Indicator.objects.filter(code=code).first() or Indicator(code=code)
    indicator.name = nfc(name).strip()
    indicator.unit = unit
    indicator.rollup = rollup
    indicator.direction = direction
    indicator.group = nfc(group).strip()
    indicator.position = position
    indicator.full_clean()
    indicator.save()
    return indicator
