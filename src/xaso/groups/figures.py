"""A group's figures for a period: each member's side by side, the group's total by each
indicator's roll-up rule, achievement against the members' targets, and a ranking.

The total combines the members' partial aggregates (sum, count, min, max) exactly as a parent
combines its children, so an average is the average over every value the members stand on,
not an average of averages. A member inside another member (a commune and its district both
in one group) is counted once, in the outer one. Only the members the user may read are
shown and counted: the total then says over how many of the members it runs.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from xaso.catalog.models import Direction, Indicator
from xaso.figures.partials import SUM, Figure, Standing
from xaso.figures.selectors import Achievement, achievement, percent_of, targets_containing
from xaso.figures.subtotals import standings, unit_at
from xaso.org.groups import can_read_member
from xaso.org.groups import members as members_of
from xaso.org.models import OrgUnit, UnitGroup
from xaso.periods import Period


@dataclass(frozen=True)
class Cell:
    unit: OrgUnit
    figure: Figure | None
    achievement: Achievement | None  # against the member's first (narrowest) target


@dataclass(frozen=True)
class Place:
    position: int  # equal results share a position ("đồng hạng")
    cell: Cell
    score: Decimal  # what the ranking compares: percent of target, else the value


@dataclass
class GroupLine:
    indicator: Indicator
    cells: list[Cell]
    total: Figure | None
    target: Decimal | None = None  # the members' targets summed (sum indicators, all have one)
    percent: Decimal | None = None
    ranking: list[Place] = field(default_factory=list)


@dataclass
class GroupFigures:
    group: UnitGroup
    period: Period
    members: list[OrgUnit]  # all of them
    shown: list[OrgUnit]  # those whose figures the user may read
    lines: list[GroupLine]

    @property
    def partial(self) -> bool:
        """The totals run over some members only (the others are not the user's to read)."""
        return len(self.shown) < len(self.members)

    def line(self, code: str) -> GroupLine | None:
        return next((line for line in self.lines if line.indicator.code == code), None)


def _outermost(units: list[OrgUnit]) -> list[OrgUnit]:
    """The units not inside another one of them (their figures already include the inner)."""
    return [u for u in units if not any(u.path.startswith(o.path) and u != o for o in units)]


def group_figures(
    group: UnitGroup, period: Period, user, *, indicators: list[Indicator] | None = None
) -> GroupFigures:
    """Every indicator with a figure or target among the members the user reads (user None:
    the server's operator, who reads all)."""
    everyone = members_of(group)
    shown = [unit for unit in everyone if can_read_member(user, unit)]
    if indicators is None:
        indicators = list(Indicator.objects.filter(active=True).order_by("position", "code"))
    found = (
        standings([unit_at(unit.path) for unit in shown], [period.code], [i.pk for i in indicators])
        if shown
        else {}
    )
    targets = targets_containing(shown, period, indicators=indicators) if shown else {}
    counted = {unit.pk for unit in _outermost(shown)}
    lines = []
    for indicator in indicators:
        line = _line(indicator, shown, counted, found, targets)
        if any(cell.figure or cell.achievement for cell in line.cells):
            lines.append(line)
    return GroupFigures(group=group, period=period, members=everyone, shown=shown, lines=lines)


def _line(indicator, shown, counted, found, targets) -> GroupLine:
    rule = str(indicator.rollup)
    cells, total, target_sum, every_target = [], Standing(), Decimal(0), True
    for unit in shown:
        standing = found.get((unit.path, indicator.pk))
        figure = standing.figure(rule) if standing else None
        first = (targets.get((unit.pk, indicator.pk)) or [None])[0]
        cells.append(
            Cell(unit, figure, achievement(figure, first, indicator.direction) if first else None)
        )
        if unit.pk not in counted:
            continue
        if standing is not None:
            total.add(standing)
        if first is None:
            every_target = False
        else:
            target_sum += first.value
    figure = total.figure(rule) if total.periods else None
    line = GroupLine(indicator, cells, figure)
    if rule == SUM and every_target and counted:
        line.target = target_sum
        line.percent = percent_of(figure.value, target_sum) if figure else None
    line.ranking = rank(cells, indicator)
    return line


def rank(cells: list[Cell], indicator: Indicator) -> list[Place]:
    """Members with a figure, best first: by percent of their targets when every one of them
    has a percent, else by value (lower first when lower is better). Ties share a place."""
    with_figure = [cell for cell in cells if cell.figure is not None]
    by_percent = bool(with_figure) and all(
        cell.achievement is not None and cell.achievement.percent is not None
        for cell in with_figure
    )
    lower_better = indicator.direction == Direction.LOWER_IS_BETTER

    def score(cell: Cell) -> Decimal:
        return cell.achievement.percent if by_percent else cell.figure.value

    ordered = sorted(
        with_figure, key=lambda c: (score(c) if lower_better else -score(c), c.unit.path)
    )
    places: list[Place] = []
    for index, cell in enumerate(ordered):
        tied = places and places[-1].score == score(cell)
        places.append(Place(places[-1].position if tied else index + 1, cell, score(cell)))
    return places
