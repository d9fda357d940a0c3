"""Reads of targets and results: the live roll-up and achievement against plan.

A unit's figure is its own entered value, else the aggregate of its descendants by the
indicator's rule. `rollup` computes it for a unit and each of its children in ONE aggregate
query over the subtree (materialized path prefix), grouped by indicator and by the child the
row lies under; Python only combines the few grouped rows, never loops over units.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import Substr

from xaso.catalog.models import Direction, Indicator, Rollup
from xaso.figures.models import Result, ResultStatus, Target, TargetSource
from xaso.org.models import OrgUnit
from xaso.periods import Period


@dataclass(frozen=True)
class Figure:
    value: Decimal
    estimated: bool  # any contributing value is "ước đạt"
    own: bool  # entered at the unit itself rather than rolled up
    reporting: int  # how many units' values it stands on


@dataclass
class _Partial:
    total: Decimal = Decimal(0)
    count: int = 0
    low: Decimal | None = None
    high: Decimal | None = None
    estimated: int = 0
    own: Decimal | None = None
    own_estimated: bool = False

    def add(self, other: "_Partial") -> None:
        self.total += other.total
        self.count += other.count
        self.estimated += other.estimated
        self.low = other.low if self.low is None else min(self.low, other.low)
        self.high = other.high if self.high is None else max(self.high, other.high)

    def figure(self, rule: str) -> Figure | None:
        if self.own is not None:
            return Figure(self.own, self.own_estimated, own=True, reporting=1)
        if self.count == 0 or rule == Rollup.NONE:
            return None
        value = {
            Rollup.SUM: self.total,
            Rollup.AVERAGE: self.total / self.count if self.count else None,
            Rollup.MIN: self.low,
            Rollup.MAX: self.high,
        }[rule]
        return Figure(value, self.estimated > 0, own=False, reporting=self.count)


@dataclass
class UnitFigures:
    """Figures of a unit and of each of its children, by indicator id."""

    unit: OrgUnit
    period: Period
    figures: dict[int, Figure] = field(default_factory=dict)
    child_figures: dict[str, dict[int, Figure]] = field(default_factory=dict)  # by child path

    def of_child(self, child: OrgUnit, indicator_id: int) -> Figure | None:
        return self.child_figures.get(child.path, {}).get(indicator_id)


def rollup(unit: OrgUnit, period: Period, indicators: list[Indicator]) -> UnitFigures:
    rules = {indicator.pk: indicator.rollup for indicator in indicators}
    own_depth = unit.depth
    child_key_length = (unit.depth + 1) * unit.steplen
    rows = (
        Result.objects.filter(
            unit_path__startswith=unit.path, period=period.code, indicator_id__in=list(rules)
        )
        # Rows covered by a figure entered inside this subtree, below the unit's children,
        # are overridden; rows covered by the unit itself still count for its children.
        .filter(Q(cover_depth__isnull=True) | Q(cover_depth__lte=own_depth))
        .annotate(bucket=Substr("unit_path", 1, child_key_length))
        .values("indicator_id", "bucket")
        .annotate(
            total=Sum("value"),
            count=Count("value"),
            low=Min("value"),
            high=Max("value"),
            estimated=Count("value", filter=Q(status=ResultStatus.ESTIMATED)),
            own=Max("value", filter=Q(unit_depth__lte=own_depth + 1)),
            own_estimated=Count(
                "value", filter=Q(unit_depth__lte=own_depth + 1, status=ResultStatus.ESTIMATED)
            ),
        )
        .order_by()
    )
    whole: dict[int, _Partial] = defaultdict(_Partial)
    result = UnitFigures(unit=unit, period=period)
    for row in rows:
        part = _Partial(
            total=row["total"],
            count=row["count"],
            low=row["low"],
            high=row["high"],
            estimated=row["estimated"],
            own=row["own"],
            own_estimated=row["own_estimated"] > 0,
        )
        indicator_id, bucket = row["indicator_id"], row["bucket"]
        if bucket == unit.path:  # the unit's own entered value
            whole[indicator_id].own = part.own
            whole[indicator_id].own_estimated = part.own_estimated
            continue
        figure = part.figure(rules[indicator_id])
        if figure is not None:
            result.child_figures.setdefault(bucket, {})[indicator_id] = figure
        # The unit's aggregate counts each child's figure as it stands (own or rolled up).
        whole[indicator_id].add(part if part.own is None else _own_as_partial(part))
    for indicator_id, part in whole.items():
        figure = part.figure(rules[indicator_id])
        if figure is not None:
            result.figures[indicator_id] = figure
    return result


def _own_as_partial(part: _Partial) -> _Partial:
    return _Partial(
        total=part.own,
        count=1,
        low=part.own,
        high=part.own,
        estimated=int(part.own_estimated),
    )


@dataclass(frozen=True)
class Achievement:
    target: Target
    percent: Decimal | None  # result / target × 100, one decimal; None when the target is 0
    reached: bool


def percent_of(value: Decimal, target: Decimal) -> Decimal | None:
    if not target:
        return None
    return (value * 100 / target).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def achievement(figure: Figure | None, target: Target, direction: str) -> Achievement:
    if figure is None:
        return Achievement(target, None, False)
    reached = (
        figure.value <= target.value
        if direction == Direction.LOWER_IS_BETTER
        else figure.value >= target.value
    )
    return Achievement(target, percent_of(figure.value, target.value), reached)


def targets_containing(units: list[OrgUnit], period: Period) -> dict[tuple[int, int], list[Target]]:
    """Targets of these units whose period contains `period`, by (unit id, indicator id).

    A six-month result is measured against the year's plan, a month against the year and
    the term, and so on; the narrowest period comes first, then the source order.
    """
    targets = Target.objects.filter(
        unit__in=units, period_start__lte=period.start, period_end__gte=period.end
    )
    source_order = {source: index for index, source in enumerate(TargetSource.values)}
    found: dict[tuple[int, int], list[Target]] = defaultdict(list)
    for target in sorted(
        targets,
        key=lambda t: (-t.period_start.toordinal(), t.period_end, source_order[t.source]),
    ):
        found[(target.unit_id, target.indicator_id)].append(target)
    return found


@dataclass(frozen=True)
class ChildLine:
    unit: OrgUnit
    figure: Figure | None
    achievement: Achievement | None  # against the child's first target, if it has one


@dataclass(frozen=True)
class IndicatorLine:
    indicator: Indicator
    figure: Figure | None
    achievements: list[Achievement]
    children: list[ChildLine]

    @property
    def best_percent(self) -> Decimal | None:
        """The percent shown on the progress bar: against the first (narrowest) target."""
        for item in self.achievements:
            if item.percent is not None:
                return item.percent
        return None


@dataclass(frozen=True)
class Overview:
    unit: OrgUnit
    period: Period
    lines: list[IndicatorLine]
    children: list[OrgUnit]


def unit_overview(unit: OrgUnit, period: Period) -> Overview:
    """Everything the unit page and `xaso show` print: figures, targets, achievement, breakdown.

    Four queries whatever the size of the subtree: indicators, children, the roll-up, targets.
    """
    from xaso.org.selectors import children as children_of

    indicators = list(Indicator.objects.filter(active=True).order_by("position", "code"))
    kids = list(children_of(unit))
    figures = rollup(unit, period, indicators)
    targets = targets_containing([unit, *kids], period)
    lines = []
    for indicator in indicators:
        own_targets = targets.get((unit.pk, indicator.pk), [])
        figure = figures.figures.get(indicator.pk)
        child_lines = []
        for kid in kids:
            kid_figure = figures.of_child(kid, indicator.pk)
            kid_targets = targets.get((kid.pk, indicator.pk), [])
            if kid_figure is None and not kid_targets:
                continue
            child_lines.append(
                ChildLine(
                    unit=kid,
                    figure=kid_figure,
                    achievement=achievement(kid_figure, kid_targets[0], indicator.direction)
                    if kid_targets
                    else None,
                )
            )
        if figure is None and not own_targets and not child_lines:
            continue
        lines.append(
            IndicatorLine(
                indicator=indicator,
                figure=figure,
                achievements=[achievement(figure, t, indicator.direction) for t in own_targets],
                children=child_lines,
            )
        )
    return Overview(unit=unit, period=period, lines=lines, children=kids)


def periods_with_data(unit: OrgUnit, *, limit: int = 40) -> list[str]:
    """Period codes that have results in the unit's subtree, newest first (for the picker)."""
    codes = (
        Result.objects.filter(unit_path__startswith=unit.path)
        .values_list("period", "period_start")
        .distinct()
        .order_by("-period_start", "period")[:limit]
    )
    return [code for code, _ in codes]
