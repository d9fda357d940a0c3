"""The figures pages' charts, made from what the pages already read (no query of their own):
how far each indicator reached its plan, and how far each child unit reached its plan for
one indicator. Drawn by `xaso.charts` as inline SVG."""

from django.utils.safestring import SafeString, mark_safe

from xaso.charts import Bar, BarChart, LineChart, Point, to_svg
from xaso.figures.selectors import Achievement, ChildLine, IndicatorLine
from xaso.figures.series import Step
from xaso.periods import PeriodKind

ZERO_PLAN = "kế hoạch bằng 0"  # a percent of nothing is not a number
ESTIMATED = "ước đạt"
WITHHELD = "chưa duyệt"


def _first_percent(achievements: list[Achievement]) -> Achievement | None:
    """The achievement the page's progress bar shows (`IndicatorLine.best_percent`)."""
    return next((item for item in achievements if item.percent is not None), None)


def _bar(label: str, figure, achievements: list[Achievement]) -> Bar:
    if figure is None:
        return Bar(label, None)
    shown = _first_percent(achievements)
    if shown is None:
        return Bar(label, None, note=ZERO_PLAN)
    return Bar(
        label, shown.percent, note=ESTIMATED if figure.estimated else "", reached=shown.reached
    )


def _drawn(bars: list[Bar]) -> bool:
    """A chart of rows that all say "chưa có số liệu" tells nothing the table does not."""
    return any(bar.value is not None for bar in bars)


def achievement_chart(lines: list[IndicatorLine], *, term_only: bool = False) -> BarChart | None:
    """Each indicator the unit has a plan (or, `term_only`, a term's target) for: its
    figure as a percent of the plan. None when there is no plan or no figure for one."""
    bars = [
        _bar(line.indicator.name, line.figure, line.achievements)
        for line in lines
        if line.achievements
    ]
    if not _drawn(bars):
        return None
    what = "mục tiêu nhiệm kỳ" if term_only else "kế hoạch"
    return BarChart(f"Mức đạt {what} theo chỉ tiêu", bars)


def children_chart(line: IndicatorLine, children: list[tuple[ChildLine, bool]]) -> BarChart | None:
    """The children with a plan for the line's indicator, each `(child, withheld)` (a
    figure not approved while the page shows approved ones only), as a percent of their
    plans. None when no child has both a plan and a figure shown."""
    bars = []
    for child, withheld in children:
        if child.achievement is None:
            continue
        if withheld:
            bars.append(Bar(child.unit.full_name, None, note=WITHHELD))
        else:
            bars.append(_bar(child.unit.full_name, child.figure, [child.achievement]))
    if not _drawn(bars):
        return None
    title = f"{line.indicator.name}: mức đạt kế hoạch theo đơn vị trực thuộc"
    return BarChart(title, bars, item="đơn vị")


def trend_chart(line: IndicatorLine, steps: list[Step]) -> LineChart | None:
    """The chosen indicator month by month (a flow as its running total), against the
    year's plan when the unit has one. None when no month has a figure."""
    if not any(step.value is not None for step in steps):
        return None
    indicator = line.indicator
    year = next(
        (a.target for a in line.achievements if a.target.period_kind == PeriodKind.YEAR), None
    )
    points = [Point(f"T{step.period.start.month}", step.value) for step in steps]
    how = "lũy kế từ đầu năm" if indicator.over_time == "flow" else "theo tháng"
    title = f"{indicator.name} ({indicator.unit_name}): {how} {steps[0].period.year}"
    return LineChart(title, points, indicator.unit_name, target=year.value if year else None)


def svg(chart: BarChart | LineChart | None) -> SafeString | None:
    """The chart as markup for a template (`xaso.charts` escapes every text it draws)."""
    return mark_safe(to_svg(chart)) if chart is not None else None  # noqa: S308 — escaped
