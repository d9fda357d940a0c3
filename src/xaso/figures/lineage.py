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
"""

from dataclasses import dataclass
from decimal import Decimal

from xaso.catalog.models import Indicator
from xaso.figures import over_time
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
        counted = [s for s in self.sources if s.figure is not None]
        kinds = {s.unit.get_kind_display().lower() for s in counted}
        kind = kinds.pop() if len(kinds) == 1 else "đơn vị"
        names = ", ".join(
            s.unit.name + ("" if s.share == 1 else f" (một phần {_percent(s.share)})")
            for s in counted
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
