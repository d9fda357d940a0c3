"""Reads of targets and results: the live roll-up and achievement against plan.

A unit's figure is its own entered value, else the aggregate of its descendants by the
indicator's rule. `rollup` computes it for a unit and each of its children in ONE aggregate
query over the subtree (materialized path prefix), grouped by indicator and by the child the
row lies under; Python only combines the few grouped rows, never loops over units.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import Substr

from xaso.catalog.models import Direction, Indicator, Rollup
from xaso.figures.models import Result, ResultStatus, Target, TargetSource
from xaso.org.models import OrgUnit
from xaso.org.paths import subtree_upper_bound
from xaso.org.selectors import children
from xaso.periods import Period, parse_period


@dataclass(frozen=True)
class Figure:
    value: Decimal
    estimated: bool  # any contributing value is "ước đạt"
    own: bool  # entered at the unit itself rather than rolled up
    reporting: int  # how many units' values it stands on


@dataclass
class _Partial:
    """Aggregates of some rows: enough to combine rows and apply any roll-up rule."""

    total: Decimal = Decimal(0)
    count: int = 0
    low: Decimal | None = None
    high: Decimal | None = None
    estimated: int = 0

    def add(self, other: "_Partial") -> None:
        self.total += other.total
        self.count += other.count
        self.estimated += other.estimated
        self.low = other.low if self.low is None else min(self.low, other.low)
        self.high = other.high if self.high is None else max(self.high, other.high)

    def value(self, rule: str) -> Decimal | None:
        if self.count == 0:
            return None
        if rule == Rollup.NONE:  # only a single own value stands for itself
            return self.high if self.count == 1 else None
        return {
            Rollup.SUM: self.total,
            Rollup.AVERAGE: self.total / self.count,
            Rollup.MIN: self.low,
            Rollup.MAX: self.high,
        }[rule]


@dataclass
class _Bucket:
    """The rows under one child: all of them, and those entered at the child itself."""

    rows: _Partial = field(default_factory=_Partial)
    own: _Partial = field(default_factory=_Partial)

    def standing(self) -> _Partial:
        """What the child contributes upward: its own figure if it has one, else its rows."""
        return self.own if self.own.count else self.rows

    def figure(self, rule: str) -> "Figure | None":
        if self.own.count:
            value = self.own.value(rule)
            own = True
        else:
            value = None if rule == Rollup.NONE else self.rows.value(rule)
            own = False
        if value is None:
            return None
        part = self.standing()
        return Figure(value, part.estimated > 0, own=own, reporting=1 if own else part.count)


@dataclass
class UnitFigures:
    """Figures of a unit and of each of its children, by indicator id."""

    unit: OrgUnit | None
    period: Period
    figures: dict[int, Figure] = field(default_factory=dict)
    child_figures: dict[str, dict[int, Figure]] = field(default_factory=dict)  # by child path

    def of_child(self, child: OrgUnit, indicator_id: int) -> Figure | None:
        return self.child_figures.get(child.path, {}).get(indicator_id)


def rollup(
    unit: OrgUnit | None,
    period: Period,
    indicators: list[Indicator],
    *,
    months: list[Period] | None = None,
) -> UnitFigures:
    """Figures of `unit` (None: the whole country, its provinces as children) for `period`.

    With `months`, the rows of those periods are pooled (a year-to-date: summed for a sum
    indicator, averaged over units and months for an average) instead of `period`'s own.
    """
    rules = {indicator.pk: indicator.rollup for indicator in indicators}
    path, own_depth = (unit.path, unit.depth) if unit else ("", 0)
    child_key_length = (own_depth + 1) * OrgUnit.steplen
    where = Q(indicator_id__in=list(rules))
    where &= Q(period__in=[m.code for m in months]) if months else Q(period=period.code)
    if path:
        # The prefix as a range too: PostgreSQL uses a range as an index condition whatever
        # the collation, while LIKE 'prefix%' needs the "C" collation for that.
        where &= Q(unit_path__startswith=path, unit_path__gte=path)
        if upper := subtree_upper_bound(path):
            where &= Q(unit_path__lt=upper)
    own = Q(unit_depth__lte=own_depth + 1)
    rows = (
        Result.objects.filter(where)
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
            # The same for the rows entered at the child itself (or at the unit: its bucket).
            own_total=Sum("value", filter=own),
            own_count=Count("value", filter=own),
            own_low=Min("value", filter=own),
            own_high=Max("value", filter=own),
            own_estimated=Count("value", filter=own & Q(status=ResultStatus.ESTIMATED)),
        )
        .order_by()
    )
    whole: dict[int, _Bucket] = defaultdict(_Bucket)
    result = UnitFigures(unit=unit, period=period)
    for row in rows:
        bucket = _Bucket(
            rows=_Partial(row["total"], row["count"], row["low"], row["high"], row["estimated"]),
            own=_Partial(
                row["own_total"] or Decimal(0),
                row["own_count"],
                row["own_low"],
                row["own_high"],
                row["own_estimated"],
            ),
        )
        indicator_id, key = row["indicator_id"], row["bucket"]
        if key == path:  # the unit's own entered values
            whole[indicator_id].own.add(bucket.own)
            continue
        figure = bucket.figure(rules[indicator_id])
        if figure is not None:
            result.child_figures.setdefault(key, {})[indicator_id] = figure
        # The unit's aggregate counts each child's figure as it stands (own or rolled up).
        whole[indicator_id].rows.add(bucket.standing())
    for indicator_id, bucket in whole.items():
        figure = bucket.figure(rules[indicator_id])
        if figure is not None:
            result.figures[indicator_id] = figure
    return result


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
    indicators = list(Indicator.objects.filter(active=True).order_by("position", "code"))
    kids = list(children(unit))
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
    """Period codes that have results in the unit's subtree, newest first (for the picker).

    A DISTINCT over a province's million rows would cost seconds; instead the distinct
    periods are walked one index probe at a time (a "loose index scan" written as a
    recursive query), each kept if the subtree has a row for it: a few dozen probes.
    """
    upper = subtree_upper_bound(unit.path) or unit.path + "~"
    table = Result._meta.db_table
    sql = f"""
        WITH RECURSIVE periods(code) AS (
            SELECT MIN(period) FROM {table}
            UNION ALL
            SELECT (SELECT MIN(period) FROM {table} WHERE period > periods.code)
            FROM periods WHERE periods.code IS NOT NULL
        )
        SELECT code FROM periods
        WHERE code IS NOT NULL AND EXISTS (
            SELECT 1 FROM {table} r
            WHERE r.period = periods.code AND r.unit_path >= %s AND r.unit_path < %s
        )
    """  # noqa: S608 — the table name is ours; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [unit.path, upper])
        codes = [row[0] for row in cursor.fetchall()]
    return sorted(codes, key=lambda code: parse_period(code).start, reverse=True)[:limit]
