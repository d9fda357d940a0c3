"""Figures of a unit for a time before it existed, computed from its predecessors (issue 22).

Today's Xã Hà Linh began on 01/07/2025, made of the former Hà Linh and Điền Mỹ; asked for its
2022 figures, it answers with theirs combined, and says so ("tính từ 2 xã cũ: Hà Linh, Điền
Mỹ"). A figure recorded on an old unit stays as it was: nothing here writes.

How the predecessors' figures combine, by the indicator's roll-up rule:
- sum: each predecessor's figure times the share of it the unit took (1 for a whole commune);
- average: the predecessors' figures weighted by share × the number of values they stand on;
- min, max: the smallest, the largest (shares do not change a minimum);
- none: only a single whole predecessor's figure carries over.
Only the predecessors with a figure count; the sources list says which had one.

Earlier reorganisations are followed back: a predecessor that itself did not exist in the
window (a commune formed in a 2020 merger, asked for 2018) answers from its own predecessors
the same way, step by step, and the words say so ("tính từ 2 xã cũ: Hà Linh, Điền Mỹ (tính
từ 2 xã cũ: Phú Mỹ, Điền Mỹ)"). A unit met twice on the way back (a cycle in the links, a
mistake in the data) is not followed again; at most MAX_STEPS steps.

The part of a divided predecessor (a `split`, or a link's share below 1), first found first:
1. by the villages that moved (sum indicators, `figures.lineage_villages`): when the
   predecessor's villages are in xaso, `move` links of the same day say which went to which
   successor, every village with a figure went to one of them, and their figures add up to
   the predecessor's, the unit's part is exactly the sum of the figures of the villages that
   moved to it ("theo các thôn đã chuyển"); otherwise
2. the share the province set for the indicator (`org.LineageShare`); otherwise
3. the link's share (by area, from the `vietnamadminunits` package).
Each way gives the successors parts that add up to the predecessor's figure: nothing is lost
or counted twice across a division.

Targets the same way (`targets_through_lineage`): the predecessors' targets of one period and
source combined by the same rule — by the indicator's share or the link's, villages' targets
are not read — unless the unit has targets of its own; one measured against the figure of the
predecessors that had it (`figure_of`), like with like. Earlier reorganisations are followed
back for targets too.
"""

from dataclasses import dataclass
from decimal import Decimal

from xaso.catalog.models import Indicator
from xaso.figures import over_time
from xaso.figures.lineage_villages import by_villages, divided, moves_of
from xaso.figures.models import Target, TargetSource
from xaso.figures.partials import AVERAGE, MAX, MIN, SUM, Figure
from xaso.figures.subtotals import children_of, unit_at
from xaso.org.models import Lineage, LineageKind, LineageShare, OrgUnit
from xaso.periods import Period

_PLACES = Decimal("0.000001")
MAX_STEPS = 10  # reorganisations followed back; the country has had two since 2019

# How a predecessor's part was found.
BY_LINK = "link"  # the link's share (by area), or the whole of it
BY_INDICATOR = "indicator"  # the share the province set for the indicator
BY_VILLAGES = "villages"  # the sum of the villages that moved


@dataclass(frozen=True)
class Source:
    unit: OrgUnit
    share: Decimal  # the share used (by villages: the share they stand in for)
    figure: Figure | None  # the predecessor's whole figure
    by: str = BY_LINK
    moved: Figure | None = None  # by villages: what the villages that moved add up to
    villages: tuple[OrgUnit, ...] = ()  # by villages: the ones that moved to the unit
    earlier: "ViaLineage | None" = None  # its figure from its own predecessors (earlier)

    @property
    def part(self) -> tuple[Figure, Decimal] | None:
        """What `combine` takes of it: a figure and the share of it the unit took."""
        if self.figure is None:
            return None
        if self.by == BY_VILLAGES:
            return self.moved, Decimal(1)
        return self.figure, self.share

    @property
    def how(self) -> str:
        how = _how(self.share, self.by, self.villages)
        return how + (f" ({self.earlier.words})" if self.earlier is not None else "")


@dataclass(frozen=True)
class ViaLineage:
    figure: Figure | None
    sources: list[Source]

    @property
    def words(self) -> str:
        """ "tính từ 2 xã cũ: Hà Linh, Điền Mỹ" — the predecessors that had a figure."""
        return _words([(s.unit, s.how) for s in self.sources if s.figure is not None])


def _how(share: Decimal, by: str, villages: tuple[OrgUnit, ...] = ()) -> str:
    """What part of a predecessor the unit took, in words ("" for the whole)."""
    if by == BY_VILLAGES:
        names = ", ".join(village.full_name for village in villages) or "không có thôn nào"
        return f" (một phần, theo các thôn đã chuyển: {names})"
    if by == BY_INDICATOR:
        part = f"một phần {_percent(share)}" if 0 < share < 1 else _percent(share)
        return f" ({part}, theo phần tỉnh đặt cho chỉ tiêu này)"
    return "" if share == 1 else f" (một phần {_percent(share)})"


def _words(counted: list[tuple[OrgUnit, str]]) -> str:
    kinds = {unit.get_kind_display().lower() for unit, _ in counted}
    kind = kinds.pop() if len(kinds) == 1 else "đơn vị"
    names = ", ".join(unit.name + how for unit, how in counted)
    return f"tính từ {len(counted)} {kind} cũ: {names}"


def _percent(share: Decimal) -> str:
    from xaso.vn.numbers import format_percent

    return format_percent(share * 100)


def predecessors(unit: OrgUnit, before: Period) -> list[Lineage]:
    """The links that made the unit, when `before` ends before the unit began. A village's
    `move` into it from a predecessor is not one: the village counts in that predecessor."""
    if unit.valid_from is None or before.end >= unit.valid_from:
        return []
    links = list(
        Lineage.objects.filter(successor=unit, date__gt=before.end)
        .select_related("predecessor")
        .order_by("predecessor__path")
    )
    whole = [link.predecessor.path for link in links if link.kind != LineageKind.MOVE]
    return [
        link
        for link in links
        if link.kind != LineageKind.MOVE
        or not any(link.predecessor.path.startswith(path) for path in whole)
    ]


def combine(parts: list[tuple[Figure, Decimal]], rule: str) -> Figure | None:
    """The predecessors' figures (with the share of each the unit took) as one. A share of 0
    adds 0 to a sum and takes no part in the other rules."""
    if rule != SUM:
        parts = [(figure, share) for figure, share in parts if share > 0]
    if not parts:
        return None
    estimated = any(figure.estimated for figure, _ in parts)
    reporting = sum(figure.reporting for figure, _ in parts)
    if rule == SUM:
        value = sum((figure.value * share for figure, share in parts), Decimal(0))
    elif rule == AVERAGE:
        weights = [share * figure.reporting for figure, share in parts]
        if not sum(weights):
            return None
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


def _indicator_shares(links: list[Lineage], indicators) -> dict[tuple[int, int], Decimal]:
    """{(link id, indicator id): the share the province set} for the divided links."""
    split_links = [link for link in links if divided(link)]
    if not split_links:
        return {}
    rows = LineageShare.objects.filter(lineage__in=split_links, indicator__in=indicators)
    return {(row.lineage_id, row.indicator_id): row.share for row in rows}


def _earlier(
    links: list[Lineage], window: over_time.Window, indicators, passed: frozenset[int], steps: int
) -> dict[int, dict[int, "ViaLineage"]]:
    """{predecessor id: its figures from its own predecessors}, for the predecessors that did
    not exist in the window either (formed in an earlier reorganisation)."""
    if steps >= MAX_STEPS:
        return {}
    found = {}
    for link in links:
        old = link.predecessor
        if old.pk in passed or not predecessors(old, window.span):
            continue
        found[old.pk] = through_lineage(
            old, window, indicators, _passed=passed | {old.pk}, _steps=steps + 1
        )
    return found


def through_lineage(
    unit: OrgUnit,
    window: over_time.Window,
    indicators: list[Indicator],
    *,
    _passed: frozenset[int] = frozenset(),
    _steps: int = 0,
) -> dict[int, ViaLineage]:
    """By indicator id: the unit's figure for `window` from its predecessors (and theirs,
    back through earlier reorganisations); empty when the unit existed then (its own figures
    stand) or has no predecessors."""
    links = predecessors(unit, window.span)
    if not links:
        return {}
    passed = _passed | {unit.pk}
    earlier = _earlier(links, window, indicators, passed, _steps)
    shares = _indicator_shares(links, indicators)
    moves = moves_of(unit, links)
    below = [children_of(link.predecessor.path) for link in links if link.predecessor_id in moves]
    [readings] = over_time.read(
        [unit_at(link.predecessor.path) for link in links] + below, [window], indicators
    )
    villages: dict[tuple[str, int], dict[str, Figure]] = {}  # (parent path, indicator) -> ...
    for (path, indicator_id), reading in readings.items():
        parent = path[: -OrgUnit.steplen]
        villages.setdefault((parent, indicator_id), {})[path] = reading.figure
    found = {}
    for indicator in indicators:
        sources = []
        for link in links:
            old = link.predecessor
            reading = readings.get((old.path, indicator.pk))
            figure = reading.figure if reading else None
            before = None
            if figure is None and (deeper := earlier.get(old.pk, {}).get(indicator.pk)):
                before = deeper  # formed later itself: from its own predecessors
                figure = deeper.figure
            share = shares.get((link.pk, indicator.pk))
            source = Source(old, link.share, figure, earlier=before)
            if share is not None:
                source = Source(old, share, figure, BY_INDICATOR, earlier=before)
            if (
                before is None
                and figure is not None
                and old.pk in moves
                and str(indicator.rollup) == SUM
            ):
                # "by the villages that moved", when they cover the predecessor's figure
                how = moves[old.pk]
                moved = by_villages(figure, how, villages.get((old.path, indicator.pk), {}))
                if moved is not None:
                    source = Source(old, source.share, figure, BY_VILLAGES, moved, how.to_unit)
            sources.append(source)
        parts = [s.part for s in sources if s.figure is not None]
        if parts:
            found[indicator.pk] = ViaLineage(combine(parts, str(indicator.rollup)), sources)
    return found


@dataclass(frozen=True)
class PlanSource:
    unit: OrgUnit
    share: Decimal
    target: Target | None  # the predecessor's target for the same period and source
    by: str = BY_LINK  # or BY_INDICATOR: the share the province set for the indicator
    earlier: "PlanVia | None" = None  # its target from its own predecessors (earlier)

    @property
    def how(self) -> str:
        how = _how(self.share, self.by)
        return how + (f" ({self.earlier.words})" if self.earlier is not None else "")


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
        words = _words([(s.unit, s.how) for s in counted])
        missing = [s.unit.name for s in self.sources if s.target is None]
        if missing:
            on = ", ".join(s.unit.name for s in counted)
            words += f" ({', '.join(missing)} không có kế hoạch này; mức đạt tính trên số của {on})"
        return words


def targets_through_lineage(
    unit: OrgUnit,
    window: over_time.Window,
    indicators: list[Indicator],
    *,
    _passed: frozenset[int] = frozenset(),
    _steps: int = 0,
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
    shares = _indicator_shares(links, indicators)
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
    # A predecessor formed in an earlier reorganisation: its targets from its own.
    passed = _passed | {unit.pk}
    earlier: dict[tuple, PlanVia] = {}
    for link in links:
        old = link.predecessor
        if _steps >= MAX_STEPS or old.pk in passed or not predecessors(old, span):
            continue
        deeper = targets_through_lineage(
            old, window, indicators, _passed=passed | {old.pk}, _steps=_steps + 1
        )
        for plans in deeper.values():
            for target, via in plans:
                key = (target.indicator_id, target.period, target.source)
                if old.pk not in by_key.setdefault(key, {}):
                    by_key[key][old.pk] = target
                    earlier[(key, old.pk)] = via
    rules = {indicator.pk: indicator for indicator in indicators}
    source_order = {source: index for index, source in enumerate(TargetSource.values)}
    found: dict[int, list[tuple[Target, PlanVia]]] = {}
    for (indicator_id, period, source), targets in by_key.items():
        indicator = rules[indicator_id]
        sources = []
        for link in links:
            target = targets.get(link.predecessor.pk)
            share = shares.get((link.pk, indicator_id))
            before = earlier.get(((indicator_id, period, source), link.predecessor.pk))
            if share is None:
                sources.append(PlanSource(link.predecessor, link.share, target, earlier=before))
            else:
                sources.append(
                    PlanSource(link.predecessor, share, target, BY_INDICATOR, earlier=before)
                )
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
            first_set = combine(firsts, str(indicator.rollup))
            original = first_set.value if first_set is not None else None
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
    parts = [s.part for s in via.sources if s.figure is not None and s.unit.pk in units]
    return combine(parts, rule)
