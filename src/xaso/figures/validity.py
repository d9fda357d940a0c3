"""Figures are written only for periods a unit existed in (issue 22).

Today's Xã Hà Linh began on 01/07/2025: its figures for 2022 are its predecessors' (read
through `figures.lineage`), never typed in for it; an old commune that ended on 30/06/2025
takes nothing for 2026. A period that overlaps the unit's validity is its own (July 2025 for
a commune that began on 01/07/2025, the year 2025 too).

`figures.batch.write_results`, the one path every write takes, asks `refusal` for each unit
and period it is given; the unit page and the entry sheet ask it to offer no form.
"""

from xaso.figures.lineage import predecessors
from xaso.org.models import Lineage, OrgUnit
from xaso.periods import Period

FIELD = "Kỳ báo cáo"


def existed_in(unit: OrgUnit, period: Period) -> bool:
    """Whether the unit existed for at least one day of the period."""
    began = unit.valid_from is None or unit.valid_from <= period.end
    return began and (unit.valid_to is None or unit.valid_to >= period.start)


def refusal(unit: OrgUnit, period: Period) -> str | None:
    """Why the unit takes no figures for the period (Vietnamese, naming the field, the dates
    and where the figures belong), or None when it existed in it."""
    if existed_in(unit, period):
        return None
    if unit.valid_from is not None and period.end < unit.valid_from:
        since = f"{unit.full_name} chỉ có từ ngày {unit.valid_from:%d/%m/%Y}"
        others = [link.predecessor for link in predecessors(unit, period)]
        whose = "các đơn vị cũ" if len(others) > 1 else "đơn vị cũ"
    else:
        since = f"{unit.full_name} chỉ có đến ngày {unit.valid_to:%d/%m/%Y}"
        others = [
            link.successor
            for link in Lineage.objects.filter(predecessor=unit)
            .select_related("successor")
            .order_by("successor__path")
        ]
        whose = "các đơn vị mới" if len(others) > 1 else "đơn vị mới"
    if not others:
        return f"{FIELD}: {since}; không nhập được số liệu {period.label} cho đơn vị này."
    names = ", ".join(other.full_name for other in others)
    return f"{FIELD}: {since}; số liệu {period.label} thuộc {whose} ({names})."
