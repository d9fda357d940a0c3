"""A divided commune's part "by the villages that moved" (issue 22): when its villages are in
xaso and `move` links of the division's day say which successor each went to, a successor's
part of a sum figure is exactly the sum of the figures of the villages that moved to it —
provided every village with a figure went to one of the successors and their figures add up
to the commune's (else `figures.lineage` falls back to the province's share, then by area).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from xaso.figures.partials import Figure
from xaso.org.models import Lineage, LineageKind, OrgUnit


def divided(link: Lineage) -> bool:
    return link.kind == LineageKind.SPLIT or link.share != 1


@dataclass(frozen=True)
class Moves:
    """Where a divided predecessor's villages went (its `move` links of the division's day)."""

    to_unit: tuple[OrgUnit, ...]  # the villages that moved to the unit (or a unit under it)
    placed: frozenset[str]  # the paths of the villages that moved to any of its successors


def moves_of(unit: OrgUnit, links: list[Lineage]) -> dict[int, Moves]:
    """{predecessor id: its villages' moves}, for the divided predecessors that have any."""
    split_links = [link for link in links if divided(link)]
    if not split_links:
        return {}
    within = Q()
    for link in split_links:
        old = link.predecessor
        within |= Q(predecessor__depth=old.depth + 1, predecessor__path__startswith=old.path)
    moves = list(
        Lineage.objects.filter(within, kind=LineageKind.MOVE, successor__isnull=False)
        .select_related("predecessor", "successor")
        .order_by("predecessor__path")
    )
    if not moves:
        return {}
    successors: dict[tuple, list[str]] = {}
    for row in Lineage.objects.filter(
        predecessor__in=[link.predecessor for link in split_links], successor__isnull=False
    ).values_list("predecessor_id", "successor__path", "date"):
        successors.setdefault((row[0], row[2]), []).append(row[1])
    found = {}
    for link in split_links:
        old = link.predecessor
        paths = successors.get((old.pk, link.date), [])
        mine = [
            move
            for move in moves
            if move.date == link.date and move.predecessor.path.startswith(old.path)
        ]
        if not mine:
            continue
        found[old.pk] = Moves(
            to_unit=tuple(m.predecessor for m in mine if m.successor.path.startswith(unit.path)),
            placed=frozenset(
                m.predecessor.path
                for m in mine
                if any(m.successor.path.startswith(path) for path in paths)
            ),
        )
    return found


def by_villages(figure: Figure, moves: Moves, villages: dict[str, Figure]) -> Figure | None:
    """The exact sum of the figures of the villages that moved to the unit, or None when the
    villages do not cover the predecessor's figure: one with a figure went to no successor,
    or their figures do not add up to the predecessor's."""
    if not villages or not set(villages) <= moves.placed:
        return None
    if sum((v.value for v in villages.values()), Decimal(0)) != figure.value:
        return None
    moved = [villages[v.path] for v in moves.to_unit if v.path in villages]
    return Figure(
        sum((v.value for v in moved), Decimal(0)),
        any(v.estimated for v in moved),
        False,
        sum(v.reporting for v in moved),
    )
