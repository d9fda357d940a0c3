"""Where a unit's predecessors stood on a criteria set when they ended (issue 22): today's
Xã Hà Linh, formed on 01/07/2025, shows that the former Hà Linh had reached the NTM standard
and Điền Mỹ had 17 of 19 criteria — "1/2 xã cũ đã đạt chuẩn"."""

from dataclasses import dataclass

from xaso.criteria.models import CriteriaSet
from xaso.criteria.selectors import Standing, standing
from xaso.org.models import OrgUnit


@dataclass(frozen=True)
class Predecessors:
    standings: list[Standing]  # each predecessor on its last day (or on the day asked)

    @property
    def reached(self) -> int:
        return sum(s.reached for s in self.standings)

    @property
    def words(self) -> str:
        kinds = {s.unit.get_kind_display().lower() for s in self.standings}
        kind = kinds.pop() if len(kinds) == 1 else "đơn vị"
        return f"{self.reached}/{len(self.standings)} {kind} cũ đã đạt chuẩn"


def predecessors_standing(unit: OrgUnit, criteria_set: CriteriaSet, on) -> Predecessors | None:
    """None when the unit was not formed from others."""
    links = unit.predecessions.select_related("predecessor").order_by("predecessor__path")
    found = [
        standing(link.predecessor, criteria_set, min(on, link.predecessor.valid_to or on))
        for link in links
    ]
    return Predecessors(found) if found else None
