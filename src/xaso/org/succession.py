"""What an ended unit became (issue 22), in the words a search gives it: "nay thuộc Xã Hà
Linh, từ 01/07/2025" for the former Điền Mỹ, with today's unit to link to.

The links are followed forward to the units that exist today: a commune merged in 2020
whose successor merged again in 2025 is "nay thuộc Xã Z, từ 01/07/2025 (qua Xã Y)". A cycle
in the links (a mistake in the data) is not followed twice. One query per step back in time
for all the units asked about together, none when none of them has ended.
"""

import datetime as dt
from dataclasses import dataclass, field

from xaso.org.models import Lineage, LineageKind, OrgUnit

MAX_STEPS = 10  # reorganisations followed forward; the country has had two since 2019


@dataclass
class Now:
    """Where an ended unit is now. `units`: today's units it went into (by share, then
    tree order); `via`: the ended units between; `since`: the day of the last change."""

    verb: str  # "nay thuộc", "nay là", "không còn"
    units: list[OrgUnit] = field(default_factory=list)
    since: dt.date | None = None
    via: list[OrgUnit] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The words: "nay thuộc Xã Hà Linh, từ 01/07/2025", "không còn từ 01/07/2025"."""
        since = f"từ {self.since:%d/%m/%Y}" if self.since else ""
        if not self.units:
            return f"{self.verb} {since}".strip()
        names = ", ".join(unit.full_name for unit in self.units)
        words = f"{self.verb} {names}" + (f", {since}" if since else "")
        if self.via:
            words += f" (qua {', '.join(unit.full_name for unit in self.via)})"
        return words


def now_of(units) -> dict[int, Now]:
    """By unit id, where each ended unit among `units` is now; units still in existence, and
    ended ones with no link recorded, are left out."""
    ended = [unit for unit in units if unit.valid_to is not None]
    if not ended:
        return {}
    links: dict[int, list[Lineage]] = {}
    frontier = {unit.pk for unit in ended}
    asked = set(frontier)
    for _ in range(MAX_STEPS):
        if not frontier:
            break
        rows = (
            Lineage.objects.filter(predecessor_id__in=frontier)
            .select_related("successor")
            .order_by("date", "-share", "successor__path")
        )
        frontier = set()
        for link in rows:
            links.setdefault(link.predecessor_id, []).append(link)
            after = link.successor
            if after is not None and after.valid_to is not None and after.pk not in asked:
                asked.add(after.pk)
                frontier.add(after.pk)
    found = {unit.pk: _now(unit, links) for unit in ended}
    return {pk: now for pk, now in found.items() if now is not None}


def _now(unit: OrgUnit, links: dict[int, list[Lineage]]) -> Now | None:
    if not links.get(unit.pk):
        return None
    finals: list[tuple[OrgUnit, dt.date]] = []
    via: list[OrgUnit] = []
    ends: list[dt.date] = []
    visited = {unit.pk}
    queue = [unit.pk]
    while queue:
        pk = queue.pop(0)
        for link in links.get(pk, []):
            after = link.successor
            if after is None:
                ends.append(link.date)
            elif after.pk in visited:
                continue  # reached twice (a split merged again) or a cycle
            elif after.valid_to is not None and links.get(after.pk):
                visited.add(after.pk)
                via.append(after)
                queue.append(after.pk)
            else:
                visited.add(after.pk)
                finals.append((after, link.date))
    if not finals:
        return Now("không còn", since=max(ends) if ends else None, via=via)
    direct = links[unit.pk]
    renamed = len(direct) == 1 and direct[0].kind == LineageKind.RENAME and not via
    return Now(
        "nay là" if renamed and len(finals) == 1 else "nay thuộc",
        units=[after for after, _ in finals],
        since=max(date for _, date in finals),
        via=via,
    )


def now_seen_by(user, unit: OrgUnit) -> Now | None:
    """What an ended unit is now, each of today's units marked `readable` for the user (a
    page links only those); None for a unit that has not ended."""
    from xaso.org import policy

    if unit.valid_to is None:
        return None
    now = now_of([unit]).get(unit.pk)
    for after in now.units if now else []:
        after.readable = policy.can_read(user, after)
    return now
