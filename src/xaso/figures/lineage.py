"""Figures of a unit for a time before it existed, computed from its predecessors (issue 22).

Today's Xã Hà Linh began on 01/07/2025, made of the former Hà Linh and Điền Mỹ; asked for its
2022 figures, it answers with theirs combined, and says so ("tính từ 2 xã cũ: Hà Linh, Điền
Mỹ"). A figure recorded on an old unit stays as it was: nothing here writes.

How the predecessors' figures combine, by the indicator's roll-up rule:
- sum: each predecessor's figure times the share of it the unit took (1 for a whole commune;
  a divided commune's part — by area unless the province set another share);
- average: the predecessors' figures weighted by share × the number of values they stand on;
- min, max: the smallest, the largest (shares do not change a minimum);
- none: only a single whole predecessor's figure carries over.
Only the predecessors with a figure count; the sources list says which had one. One step back
only: a predecessor's own predecessors (earlier mergers) are not followed.

Targets the same way (`targets_through_lineage`): the predecessors' targets of one period and
source combined by the same rule, unless the unit has targets of its own; one measured against
the figure of the predecessors that had it (`figure_of`), like with like.
"""

from dataclasses import dataclass
from decimal import Decimal

from xaso.catalog.models import Indicator
from xaso.figures import over_time
from xaso.figures.models import Target, TargetSource
from xaso.figures.partials import AVERAGE, MAX, MIN, SUM, Figure
from xaso.figures.subtotals import unit_at
from xaso.org.models import Lineage, OrgUnit
from xaso.periods import Period

_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class Source:
    unit: OrgUnit
    share: Decimal
    figure: Figure | None


@dataclass(frozen=True)
class ViaLineage:
    figure: Figure | None
    sources: list[Source]

    @property
    def words(self) -> str:
        """ "tính từ 2 xã cũ: Hà Linh, Điền Mỹ" — the predecessors that had a figure."""
        return _words([(s.unit, s.share) for s in self.sources if s.figure is not None])


def _words(counted: list[tuple[OrgUnit, Decimal]]) -> str:
    kinds = {unit.get_kind_display().lower() for unit, _ in counted}
    kind = kinds.pop() if len(kinds) == 1 else "đơn vị"
    names = ", ".join(
        unit.name + ("" if share == 1 else f" (một phần {_percent(share)})")
        for unit, share in counted
    )
    return f"tính từ {len(counted)} {kind} cũ: {names}"


def _percent(share: Decimal) -> str:
    from xaso.vn.numbers import format_percent

    return format_percent(share * 100)


def predecessors(unit: OrgUnit, before: Period) -> list[Lineage]:
    """The links that made the unit, when `before` ends before the unit began."""
    if unit.valid_from is None or before.end >= unit.valid_from:
        return []
    return list(
        Lineage.objects.filter(successor=unit, date__gt=before.end)
        .select_related("predecessor")
        .order_by("predecessor__path")
    )


def combine(parts: list[tuple[Figure, Decimal]], rule: str) -> Figure | None:
    """The predecessors' figures (with the share of each the unit took) as one."""
    if not parts:
        return None
    estimated = any(figure.estimated for figure, _ in parts)
    reporting = sum(figure.reporting for figure, _ in parts)
    if rule == SUM:
        value = sum((figure.value * share for figure, share in parts), Decimal(0))
    elif rule == AVERAGE:
        weights = [share * figure.reporting for figure, share in parts]
        value = sum(
            (figure.value * weight for (figure, _), weight in zip(parts, weights, strict=True)),
            Decimal(0),
        ) / sum(weights)
    elif rule == MIN:
        value = min(figure.value for figure, _ in parts)
    elif rule == MAX:
        value = max(figure.value for figure, _ in parts)
    elif len(parts) == 1 and parts[0][1] == 1:  # never aggregated: one whole predecessor
        value = parts[0][0].value
    else:
        return None
    return Figure(value.quantize(_PLACES).normalize(), estimated, False, reporting)


def through_lineage(
    unit: OrgUnit, window: over_time.Window, indicators: list[Indicator]
) -> dict[int, ViaLineage]:
    """By indicator id: the unit's figure for `window` from its predecessors; empty when the
    unit existed then (its own figures stand) or has no predecessors."""
    links = predecessors(unit, window.span)
    if not links:
        return {}
    [readings] = over_time.read(
        [unit_at(link.predecessor.path) for link in links], [window], indicators
    )
    found = {}
    for indicator in indicators:
        sources = []
        for link in links:
            reading = readings.get((link.predecessor.path, indicator.pk))
            figure = reading.figure if reading else None
            sources.append(Source(link.predecessor, link.share, figure))
        parts = [(s.figure, s.share) for s in sources if s.figure is not None]
        if parts:
            found[indicator.pk] = ViaLineage(combine(parts, str(indicator.rollup)), sources)
    return found


@dataclass(frozen=True)
class PlanSource:
    unit: OrgUnit
    share: Decimal
    target: Target | None  # the predecessor's target for the same period and source


@dataclass(frozen=True)
class PlanVia:
    """A target computed from the predecessors' targets of the same period and source."""

    sources: list[PlanSource]

    @property
    def counted(self) -> set[int]:
        return {s.unit.pk for s in self.sources if s.target is not None}

    @property
    def words(self) -> str:
        """ "tính từ 2 xã cũ: Hà Linh, Điền Mỹ" and, when some had no such target, which, and
        that the achievement is measured on the others' figures."""
        counted = [s for s in self.sources if s.target is not None]
        words = _words([(s.unit, s.share) for s in counted])
        missing = [s.unit.name for s in self.sources if s.target is None]
        if missing:
            on = ", ".join(s.unit.name for s in counted)
            words += f" ({', '.join(missing)} không có kế hoạch này; mức đạt tính trên số của {on})"
        return words


def targets_through_lineage(
    unit: OrgUnit, window: over_time.Window, indicators: list[Indicator]
) -> dict[int, list[tuple[Target, PlanVia]]]:
    """By indicator id: the unit's targets for `window` from its predecessors' targets whose
    period contains it, one per (period, source) any of them had, combined by the indicator's
    rule as figures are (a sum by the shares). Narrowest period first, as the unit's own.
    Empty when the unit existed then or had no predecessors. Nothing is written: the targets
    returned are not saved, and an old unit's own targets stay as recorded."""
    links = predecessors(unit, window.span)
    if not links:
        return {}
    span = window.span
    rows = Target.objects.filter(
        unit__in=[link.predecessor for link in links],
        indicator__in=indicators,
        period_start__lte=span.start,
        period_end__gte=span.end,
    )
    by_key: dict[tuple, dict[int, Target]] = {}
    for row in rows:
        key = (row.indicator_id, row.period, row.source)
        by_key.setdefault(key, {})[row.unit_id] = row
    rules = {indicator.pk: indicator for indicator in indicators}
    source_order = {source: index for index, source in enumerate(TargetSource.values)}
    found: dict[int, list[tuple[Target, PlanVia]]] = {}
    for (indicator_id, period, source), targets in by_key.items():
        indicator = rules[indicator_id]
        sources = [
            PlanSource(link.predecessor, link.share, targets.get(link.predecessor.pk))
            for link in links
        ]
        parts = [
            (Figure(s.target.value, False, True, 1), s.share)
            for s in sources
            if s.target is not None
        ]
        combined = combine(parts, str(indicator.rollup))
        if combined is None:
            continue
        first = next(iter(targets.values()))
        original = None
        if any(t.original_value is not None for t in targets.values()):  # one was revised
            firsts = [
                (Figure(_as_first_set(s.target), False, True, 1), s.share)
                for s in sources
                if s.target is not None
            ]
            original = combine(firsts, str(indicator.rollup)).value
        target = Target(
            unit=unit,
            indicator=indicator,
            source=source,
            value=combined.value,
            original_value=original,
            period=period,
            period_kind=first.period_kind,
            period_start=first.period_start,
            period_end=first.period_end,
        )
        found.setdefault(indicator_id, []).append((target, PlanVia(sources)))
    for plans in found.values():
        plans.sort(
            key=lambda p: (
                -p[0].period_start.toordinal(),
                p[0].period_end,
                source_order[p[0].source],
            )
        )
    return found


def _as_first_set(target: Target) -> Decimal:
    """The plan as first set: the original of a revised target, else its value."""
    return target.original_value if target.original_value is not None else target.value


def figure_of(via: ViaLineage | None, units: set[int], rule: str) -> Figure | None:
    """The predecessors' figure over `units` only: what a target computed from those same
    predecessors is measured against (like with like, when some had no target)."""
    if via is None:
        return None
    parts = [
        (s.figure, s.share) for s in via.sources if s.figure is not None and s.unit.pk in units
    ]
    return combine(parts, rule)
