"""A group's figures for a period: each member's side by side, the group's total by each
indicator's roll-up rule, achievement against the members' targets, and a ranking.

The total combines the members' partial aggregates (sum, count, min, max) exactly as a parent
combines its children, so an average is the average over every value the members stand on,
not an average of averages. A member inside another member (a commune and its district both
in one group) is counted once, in the outer one. Only the members the user may read are
shown and counted: the total then says over how many of the members it runs.

As on a unit's page, the figures may cover a window (`figures.over_time`): the period, or the
year-to-date to its end ("lũy kế 6 tháng đầu năm"), and may be compared with the same window
a year earlier. The group's total for a window is its total for each month combined by the
indicator's `over_time`, exactly as a parent unit's year-to-date is its months' combined.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from xaso.catalog.models import Direction, Indicator
from xaso.figures import over_time
from xaso.figures.over_time import Window, standings_by_period, window_reading
from xaso.figures.partials import SUM, Figure, Standing
from xaso.figures.selectors import (
    Achievement,
    ComparedWithLastYear,
    achievement,
    percent_of,
)
from xaso.figures.subtotals import unit_at
from xaso.figures.target_values import target_values_containing
from xaso.org.groups import can_read_member
from xaso.org.groups import members as members_of
from xaso.org.models import OrgUnit, UnitGroup
from xaso.periods import Period


@dataclass(frozen=True)
class Cell(ComparedWithLastYear):
    unit: OrgUnit
    figure: Figure | None
    achievement: Achievement | None  # against the member's first (narrowest) target
    previous: Figure | None = None  # the same window a year earlier (when compared)


@dataclass(frozen=True)
class Place:
    position: int  # equal results share a position ("đồng hạng")
    cell: Cell
    score: Decimal  # what the ranking compares: percent of target, else the value


@dataclass
class GroupLine(ComparedWithLastYear):
    indicator: Indicator
    cells: list[Cell]
    total: Figure | None
    target: Decimal | None = None  # the members' targets summed (sum indicators, all have one)
    percent: Decimal | None = None
    ranking: list[Place] = field(default_factory=list)
    previous: Figure | None = None  # the group's total for the same window a year earlier

    def _compared(self) -> Figure | None:
        return self.total


@dataclass
class GroupFigures:
    group: UnitGroup
    period: Period
    members: list[OrgUnit]  # all of them
    shown: list[OrgUnit]  # those whose figures the user may read
    lines: list[GroupLine]
    window: Window | None = None  # what the figures cover (None: the period)
    before: Window | None = None  # the window compared with, a year earlier

    @property
    def label(self) -> str:
        return self.window.label if self.window else self.period.label

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
    group: UnitGroup,
    period: Period,
    user,
    *,
    indicators: list[Indicator] | None = None,
    ytd: bool = False,
    last_year: bool = False,
) -> GroupFigures:
    """Every indicator with a figure or target among the members the user reads (user None:
    the server's operator, who reads all). `ytd`: the year-to-date to the period's end (a
    term or a free span has none: ValueError); `last_year`: beside the same window a year
    earlier (`GroupFigures.before` is None when there is none)."""
    window = over_time.year_to_date(period) if ytd else over_time.single(period)
    if window is None:
        raise ValueError(f"Không có lũy kế từ đầu năm cho {period.label}.")
    before = over_time.last_year(window) if last_year else None
    everyone = members_of(group)
    shown = [unit for unit in everyone if can_read_member(user, unit)]
    if indicators is None:
        indicators = list(Indicator.objects.filter(active=True).order_by("position", "code"))
    windows = [window] + ([before] if before else [])
    codes = sorted({code for each in windows for code in each.codes})
    scopes = [unit_at(unit.path) for unit in shown]
    by_period = standings_by_period(scopes, codes, [i.pk for i in indicators]) if shown else {}
    # Measured against and summed: the targets' values (target_values_containing).
    targets = target_values_containing(shown, window.span, indicators=indicators)
    counted = {unit.path for unit in _outermost(shown)}
    totals = _totals(by_period, counted)
    lines = []
    for indicator in indicators:
        line = _line(indicator, shown, (window, before), by_period, totals, targets)
        if any(cell.figure or cell.achievement or cell.previous for cell in line.cells):
            lines.append(line)
    return GroupFigures(
        group=group,
        period=period,
        members=everyone,
        shown=shown,
        lines=lines,
        window=window,
        before=before,
    )


GROUP = ""  # the group's key in the totals, beside the members' paths


def _totals(by_period: dict, counted: set[str]) -> dict:
    """For each period, the counted members' standings combined, by indicator: the group's
    standing as a parent's is its children's."""
    totals: dict[str, dict] = {}
    for code, found in by_period.items():
        for (path, indicator_id), (standing, _) in found.items():
            if path not in counted:
                continue
            key = (GROUP, indicator_id)
            if key not in totals.setdefault(code, {}):
                totals[code][key] = (Standing(), None)
            totals[code][key][0].add(standing)
    return totals


def _figure(window: Window | None, found: dict, key: tuple, indicator: Indicator):
    if window is None:
        return None
    return window_reading(window, found, key, str(indicator.rollup), indicator.pooling).figure


def _line(indicator, shown, windows, by_period, totals, targets) -> GroupLine:
    window, before = windows
    cells, target_sum, every_target = [], Decimal(0), True
    outer = {unit.pk for unit in _outermost(shown)}
    for unit in shown:
        key = (unit.path, indicator.pk)
        figure = _figure(window, by_period, key, indicator)
        first = (targets.get((unit.pk, indicator.pk)) or [None])[0]
        reached = achievement(figure, first, indicator.direction) if first else None
        previous = _figure(before, by_period, key, indicator)
        cells.append(Cell(unit, figure, reached, previous))
        if unit.pk not in outer:
            continue
        if first is None:
            every_target = False
        else:
            target_sum += first.value
    total = _figure(window, totals, (GROUP, indicator.pk), indicator)
    line = GroupLine(indicator, cells, total)
    line.previous = _figure(before, totals, (GROUP, indicator.pk), indicator)
    if str(indicator.rollup) == SUM and every_target and outer:
        line.target = target_sum
        line.percent = percent_of(total.value, target_sum) if total else None
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
