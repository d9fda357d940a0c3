"""Reads of targets and results: the live roll-up and achievement against plan.

A unit's figure is its own entered value, else the aggregate of its descendants by the
indicator's rule. `rollup` reads the standings of a unit and of its children — their
`Subtotal` rows, kept live by every write, and the own results of units that have none — in
two index-range queries whatever the size of the subtree (docs/rollup.md).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Q

from xaso.catalog.models import Direction, Indicator
from xaso.catalog.selectors import active_indicator_list
from xaso.figures import loaded, over_time
from xaso.figures.lineage import (
    PlanVia,
    ViaLineage,
    figure_of,
    targets_through_lineage,
    through_lineage,
)
from xaso.figures.models import PlanDocument, Result, Subtotal, Target, TargetSource
from xaso.figures.over_time import Reading, Window, change_percent
from xaso.figures.partials import MAX, MIN, NONE, Figure, Standing, figure_from_parts
from xaso.figures.subtotals import (
    RESULT_PERIODS,
    children_of,
    standing_rows,
    standings,
    unit_at,
)
from xaso.figures.target_values import TargetValue, target_values_containing
from xaso.org.models import OrgUnit
from xaso.org.selectors import children
from xaso.periods import Period, PeriodKind, parse_period, previous_period
from xaso.rows import Lookup

__all__ = ["Figure", "UnitFigures", "rollup"]


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
    breakdown: list[Indicator] | None = None,
) -> UnitFigures:
    """Figures of `unit` (None: the whole country, its provinces as children) for `period`,
    and of its children for the `breakdown` indicators (all when None).

    With `months`, the standings of those periods are pooled (a year-to-date: summed for a
    sum indicator, averaged over units and months for an average) instead of `period`'s own.
    """
    rules = {indicator.pk: str(indicator.rollup) for indicator in indicators}
    codes = [m.code for m in months] if months else [period.code]
    if unit is None:  # the country is its provinces: all of them are read
        scopes = [Q(unit_depth=1)]
    else:  # the unit, and its children: each a range of the index with its depth fixed
        children = children_of(unit.path)
        if breakdown is not None:
            children &= Q(indicator_id__in=[indicator.pk for indicator in breakdown])
        scopes = [unit_at(unit.path), children]
    result = UnitFigures(unit=unit, period=period)
    if unit is not None and len(codes) == 1:  # a row is a whole standing: no objects between
        picked = (
            [pk for pk, rule in rules.items() if rule == MIN],
            [pk for pk, rule in rules.items() if rule in (MAX, NONE)],
        )
        rows = standing_rows(scopes, codes, list(rules), picked=picked)
        _figures_of_rows(result, rows, rules)
        return result
    found = standings(scopes, codes, list(rules))
    country: dict[int, Standing] = defaultdict(Standing)
    for (path, indicator_id), standing in found.items():
        figure = standing.figure(rules[indicator_id])
        if unit is not None and path == unit.path:
            if figure is not None:
                result.figures[indicator_id] = figure
            continue
        if figure is not None:
            result.child_figures.setdefault(path, {})[indicator_id] = figure
        if unit is None:  # the country has no row of its own: its provinces add up
            country[indicator_id].add(Standing(standing.partial, standing.periods))
    for indicator_id, standing in country.items():
        figure = standing.figure(rules[indicator_id])
        if figure is not None:
            result.figures[indicator_id] = figure
    return result


def _figures_of_rows(result: UnitFigures, rows: list[tuple], rules: dict[int, str]) -> None:
    """`result`'s figures from one period's standing rows (`subtotals.standing_rows`)."""
    unit_path = result.unit.path
    children = result.child_figures
    for path, indicator_id, total, count, _low, _high, estimated, own, periods in rows:
        figure = figure_from_parts(
            rules[indicator_id], total, count, total, total, estimated, periods, own
        )
        if figure is None:
            continue
        if path == unit_path:
            result.figures[indicator_id] = figure
        elif path in children:
            children[path][indicator_id] = figure
        else:
            children[path] = {indicator_id: figure}


@dataclass(frozen=True)
class Achievement:
    target: Target | TargetValue  # a child's, or any caller's that reads the value only
    percent: Decimal | None  # result / target × 100, one decimal; None when the target is 0
    reached: bool
    # Against the plan as first set, when the target was revised (điều chỉnh kế hoạch).
    original_percent: Decimal | None = None
    # A target computed from the unit's predecessors' (a period before the unit existed).
    via: PlanVia | None = None


def percent_of(value: Decimal, target: Decimal) -> Decimal | None:
    if not target:
        return None
    return (value * 100 / target).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def achievement(figure: Figure | None, target: Target | TargetValue, direction: str) -> Achievement:
    if figure is None:
        return Achievement(target, None, False)
    reached = (
        figure.value <= target.value
        if direction == Direction.LOWER_IS_BETTER
        else figure.value >= target.value
    )
    original = (
        percent_of(figure.value, target.original_value)
        if target.original_value is not None
        else None
    )
    return Achievement(target, percent_of(figure.value, target.value), reached, original)


# The columns a page reads of a target; the dates come from the period code, and `set_at`,
# `set_by` and the like load only if something asks (see figures.loaded).
_TARGET_COLUMNS = (
    "id", "unit_id", "indicator_id", "source", "value", "note", "period", "period_kind",
    "document_id", "original_value", "original_document_id", "allocated_from_id",
)  # fmt: skip
_AT_UNIT, _AT_INDICATOR, _AT_PERIOD, _AT_DOCUMENT = (
    _TARGET_COLUMNS.index(name) for name in ("unit_id", "indicator_id", "period", "document_id")
)


def targets_containing(
    units: list[OrgUnit], period: Period, *, indicators: list[Indicator] | None = None
) -> dict[tuple[int, int], list[Target]]:
    """Targets of these units (for these indicators, or all) whose period contains `period`,
    by (unit id, indicator id).

    A six-month result is measured against the year's plan, a month against the year and
    the term, and so on; the narrowest period comes first, then the source order. The
    documents that set them come with them (one query for the few distinct ones).
    """
    targets = Target.objects.filter(
        unit__in=units, period_start__lte=period.start, period_end__gte=period.end
    )
    if indicators is not None:
        targets = targets.filter(indicator__in=indicators)
    rows = list(targets.values_list(*_TARGET_COLUMNS))
    documents = PlanDocument.objects.in_bulk({row[_AT_DOCUMENT] for row in rows} - {None})
    spans: dict[str, Period] = {}
    found: dict[tuple[int, int], list[Target]] = defaultdict(list)
    for row in rows:
        values = dict(zip(_TARGET_COLUMNS, row, strict=True))
        code = row[_AT_PERIOD]
        span = spans.get(code) or spans.setdefault(code, parse_period(code))
        values["period_start"], values["period_end"] = span.start, span.end
        related = {"document": documents.get(row[_AT_DOCUMENT])}
        target = loaded.instance(Target, values, related)
        found[(row[_AT_UNIT], row[_AT_INDICATOR])].append(target)
    source_order = {source: index for index, source in enumerate(TargetSource.values)}
    for several in found.values():
        if len(several) > 1:
            several.sort(
                key=lambda t: (-t.period_start.toordinal(), t.period_end, source_order[t.source])
            )
    return found


def unit_and_children_targets(
    unit: OrgUnit,
    kids: list[OrgUnit],
    period: Period,
    *,
    breakdown: list[Indicator] | None = None,
) -> dict[tuple[int, int], list[Target | TargetValue]]:
    """The targets containing `period` of a unit (every indicator) and of its children (the
    `breakdown` indicators; all when None), by (unit id, indicator id), as a unit page
    shows them: the unit's whole (source, document, revision: `targets_containing`), its
    children's as the values they are measured against (`target_values_containing`: a
    province's 100 communes × 50 indicators are 5,000 of them)."""
    targets = targets_containing([unit], period)
    if kids and breakdown != []:
        targets.update(target_values_containing(kids, period, indicators=breakdown))
    return targets


@dataclass(frozen=True)
class Change:
    """A figure beside the same window a year before: "tăng 12,5% so cùng kỳ"."""

    before: Figure | None

    def of(self, figure: Figure | None) -> tuple[Decimal | None, Decimal | None]:
        if figure is None or self.before is None:
            return None, None
        return figure.value - self.before.value, change_percent(figure.value, self.before.value)


class ComparedWithLastYear:
    """A line's `figure` beside `previous`, the same window a year before: the change, as a
    number, a percent and words ("tăng 12,5% so cùng kỳ")."""

    def _compared(self) -> Figure | None:
        return self.figure

    @property
    def change(self) -> Decimal | None:
        return Change(self.previous).of(self._compared())[0]

    @property
    def change_percent(self) -> Decimal | None:
        return Change(self.previous).of(self._compared())[1]

    @property
    def change_words(self) -> str:
        return over_time.change_words(self.change_percent)


@dataclass(frozen=True)
class ChildLine(ComparedWithLastYear):
    unit: OrgUnit
    figure: Figure | None
    achievement: Achievement | None  # against the child's first target, if it has one
    previous: Figure | None = None  # the same window last year (when compared)


@dataclass(frozen=True)
class IndicatorLine(ComparedWithLastYear):
    indicator: Indicator
    figure: Figure | None
    achievements: list[Achievement]
    children: list[ChildLine]
    previous: Figure | None = None  # the same window last year (when compared)
    # The unit's own figure differs from what its children's combine to: that combination
    # (the own figure is the one that counts), and the sentence that says so.
    below: Figure | None = None
    disagreement: str = ""
    # Computed from the unit's predecessors (a period before the unit existed): which ones.
    via: ViaLineage | None = None

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
    complete: bool = True  # every indicator's breakdown is in; else only the chosen one's
    window: Window | None = None  # what the figures cover (None: the period)
    before: Window | None = None  # the window compared with, a year earlier
    term_only: bool = False  # measured against the term's targets only

    @property
    def label(self) -> str:
        return self.window.label if self.window else self.period.label


def unit_overview(
    unit: OrgUnit,
    period: Period,
    *,
    inline_children: int | None = None,
    chosen: str = "",
    ytd: bool = False,
    last_year: bool = False,
    term_only: bool = False,
) -> Overview:
    """Everything the unit page and `xaso show` print: figures, targets, achievement, breakdown.

    A unit with more than `inline_children` children has its children's figures and targets
    read for the `chosen` indicator only: a province's page does not read 100 communes × 50
    indicators to show one breakdown at a time. A fixed few queries whatever the size of
    the subtree and the view: indicators, children, the figures (two), targets (the unit's,
    with their documents; its children's values, `target_values_containing`).

    `ytd`: the figures are the year-to-date to the period's end (months combined by each
    indicator's `over_time`), measured against the targets that contain it (the year's, the
    term's); a period with no year-to-date (a term) raises ValueError. `last_year`: each
    figure beside the same window a year earlier. `term_only`: against the term's targets
    (Nghị quyết Đại hội) only.
    """
    window = over_time.year_to_date(period) if ytd else over_time.single(period)
    if window is None:
        raise ValueError(f"Không có lũy kế từ đầu năm cho {period.label}.")
    before = over_time.last_year(window) if last_year else None
    indicators = active_indicator_list()
    # A unit without children (a village: most pages opened after a sheet is saved) has no
    # children to list and nothing below it to read; `numchild` is what the writes go by too.
    kids = list(children(unit)) if unit.numchild else []
    complete = inline_children is None or len(kids) <= inline_children
    broken_down = indicators if complete else [i for i in indicators if i.code == chosen]
    broken_down_ids = {indicator.pk for indicator in broken_down}
    scopes = [unit_at(unit.path)]
    if unit.numchild:
        below_scope = children_of(unit.path)
        if not complete:
            below_scope &= Q(indicator_id__in=list(broken_down_ids))
        scopes.append(below_scope)
    readings = over_time.read(
        scopes,
        [window] + ([before] if before else []),
        indicators,
        subtotals=bool(unit.numchild),
    )
    now, earlier = readings[0], (readings[1] if before else {})
    via = through_lineage(unit, window, indicators)  # a period before the unit existed
    plans = targets_through_lineage(unit, window, indicators)  # and its targets then
    targets = unit_and_children_targets(
        unit, kids, window.span, breakdown=None if complete else broken_down
    )
    if term_only:
        targets = {
            key: [t for t in found if t.period_kind == PeriodKind.TERM]
            for key, found in targets.items()
        }
        plans = {
            key: [p for p in found if p[0].period_kind == PeriodKind.TERM]
            for key, found in plans.items()
        }
    lines = []
    for indicator in indicators:
        own_targets = targets.get((unit.pk, indicator.pk), [])
        reading = now.get((unit.path, indicator.pk), Reading(None))
        figure = reading.figure
        if figure is None and indicator.pk in via:
            figure = via[indicator.pk].figure
        achievements = [achievement(figure, t, indicator.direction) for t in own_targets]
        if not own_targets:  # the unit's own targets stand; else its predecessors', if any
            achievements = [
                _achievement_via(figure, reading.figure, via.get(indicator.pk), indicator, *plan)
                for plan in plans.get(indicator.pk, [])
            ]
        previous = earlier.get((unit.path, indicator.pk), Reading(None)).figure
        child_lines = []
        for kid in kids if indicator.pk in broken_down_ids else ():
            kid_figure = now.get((kid.path, indicator.pk), Reading(None)).figure
            kid_targets = targets.get((kid.pk, indicator.pk), [])
            kid_previous = earlier.get((kid.path, indicator.pk), Reading(None)).figure
            if kid_figure is None and not kid_targets and kid_previous is None:
                continue
            child_lines.append(
                ChildLine(
                    unit=kid,
                    figure=kid_figure,
                    achievement=achievement(kid_figure, kid_targets[0], indicator.direction)
                    if kid_targets
                    else None,
                    previous=kid_previous,
                )
            )
        if figure is None and not achievements and not child_lines and previous is None:
            continue
        if term_only and not achievements:
            continue
        # Named after the children that report it ("các thôn"), else all of them.
        reporting = [child.unit for child in child_lines if child.figure] or kids
        disagreement = over_time.disagreement(unit, reporting, indicator, reading)
        lines.append(
            IndicatorLine(
                indicator=indicator,
                figure=figure,
                achievements=achievements,
                children=child_lines,
                previous=previous,
                below=reading.below if disagreement else None,
                disagreement=disagreement,
                via=via.get(indicator.pk) if figure is not None and not reading.figure else None,
            )
        )
    return Overview(
        unit=unit,
        period=period,
        lines=lines,
        children=kids,
        complete=complete,
        window=window,
        before=before,
        term_only=term_only,
    )


def _achievement_via(figure, own, via, indicator, target, plan: PlanVia) -> Achievement:
    """A target from the predecessors, measured against the figure of the same predecessors
    (those that had it): like with like when one of them had no such target."""
    if own is None:
        figure = figure_of(via, plan.counted, str(indicator.rollup))
    found = achievement(figure, target, indicator.direction)
    return Achievement(found.target, found.percent, found.reached, found.original_percent, plan)


def periods_with_data(unit: OrgUnit, *, limit: int = 40) -> list[str]:
    """Period codes with figures at the unit or below it, newest first (for the picker).

    The distinct periods are walked one index probe at a time (`RESULT_PERIODS`); each is
    kept if the unit has its own result or a subtotal (something below it has a figure): two
    probes, one for a unit without children.
    """
    results, subtotals = Result._meta.db_table, Subtotal._meta.db_table
    probes = [
        f"EXISTS (SELECT 1 FROM {results} r WHERE r.period = result_periods.code "  # noqa: S608
        "AND r.unit_depth = %s AND r.unit_path = %s)"
    ]
    # A unit without children has no subtotal: no probe of them (PostgreSQL would otherwise
    # hash every subtotal row of the unit, whatever the period).
    if unit.numchild:
        probes.append(
            f"EXISTS (SELECT 1 FROM {subtotals} s WHERE s.period = result_periods.code "  # noqa: S608
            "AND s.unit_depth = %s AND s.unit_path = %s)"
        )
    sql = f"""
        {RESULT_PERIODS}
        SELECT code FROM result_periods
        WHERE code IS NOT NULL AND ({" OR ".join(probes)})
    """  # noqa: S608 — the table names are ours; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [unit.depth, unit.path] * len(probes))
        codes = [row[0] for row in cursor.fetchall()]
    return sorted(codes, key=lambda code: parse_period(code).start, reverse=True)[:limit]


@dataclass
class EntrySheet:
    """What the entry sheet of one unit and period reads, in four queries whatever the size
    of the catalog: the indicators, the unit's own figures of this period and the one before,
    its targets for the period, and which indicators have figures below it."""

    indicators: list  # every active indicator
    current: dict = field(default_factory=dict)  # indicator id -> own Result of the period
    previous: dict = field(default_factory=dict)  # indicator id -> own Result of the one before
    targets: dict = field(default_factory=dict)  # indicator id -> [Target], narrowest first
    before: str = ""  # the previous period's label
    relevant: set = field(default_factory=set)  # ids of the unit's own indicators


# A unit's own results of a period and the one before it: read by every sheet, by a statement
# written once (xaso.rows).
_OWN_RESULTS = Lookup(Result, '"unit_path" = %s AND "unit_depth" = %s AND "period" IN ({many})')


def entry_sheet(unit: OrgUnit, period: Period) -> EntrySheet:
    """The unit's own indicators are those it has a target for, a figure of its own in this
    period or the one before, or figures below it in either (see `figures.views.entry`)."""
    before = previous_period(period)
    codes = [period.code] + ([before.code] if before else [])
    current, previous = {}, {}
    for result in _OWN_RESULTS.all(unit.path, unit.depth, many=codes):
        (current if result.period == period.code else previous)[result.indicator_id] = result
    targets = {key[1]: found for key, found in targets_containing([unit], period).items()}
    below = set()
    if unit.numchild:  # a unit without children has no subtotal
        below = set(
            Subtotal.objects.filter(
                period__in=codes, unit_depth=unit.depth, unit_path=unit.path
            ).values_list("indicator_id", flat=True)
        )
    relevant = set(current) | set(previous) | set(targets) | below
    indicators = active_indicator_list()
    return EntrySheet(
        indicators, current, previous, targets, before.label if before else "", relevant
    )
