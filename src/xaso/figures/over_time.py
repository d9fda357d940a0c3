"""Figures over a run of periods, and what a unit's own figure stands above.

The unit page and `xaso show` read a unit's figures for a *window*: one period ("tháng
11/2022"), or the months of a year-to-date ("lũy kế 11 tháng đầu năm 2022", 1 January to the
period's end), and may compare it with the same window a year before. Months combine by the
indicator's `over_time` (catalog.OverTime): a flow adds up, a stock is the latest month's
standing, an average is the mean of the months' figures.

Everything is read in two queries whatever the number of windows, months and units (the
Subtotal rows of the unit and its children, and the own results of those without one; each
an index range as in `subtotals.standings`), one row per period: the months are combined
here, by rule, rather than pooled in SQL, because a stock needs the latest month and
"tổng hợp từ N đơn vị" must count units, not unit-months. A Subtotal row keeps the
children's combination beside the unit's own value, so a parent whose own figure differs
from its children's costs nothing more to show.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from xaso.catalog.models import Indicator, OverTime, Rollup
from xaso.figures.models import Result, ResultStatus, Subtotal
from xaso.figures.partials import Figure, Partial, Standing
from xaso.figures.subtotals import results_without_subtotal, scoped_union
from xaso.periods import Period, PeriodError, PeriodKind, parse_period
from xaso.vn.numbers import format_number, format_percent

_PLACES = Decimal("0.000001")  # what a stored value holds: an average is kept to it


@dataclass(frozen=True)
class Window:
    """The periods a set of figures stands on."""

    period: Period  # the period asked for
    span: Period  # what the figures cover: the period, or 1 January to its end
    months: tuple[Period, ...] = ()  # a year-to-date's months; empty: the period itself
    # A year-to-date asked for a period that itself starts on 1 January (6 tháng đầu năm,
    # 9 tháng, the year): its own figure stands for a unit that has none for the months.
    whole: Period | None = None
    label: str = ""

    @property
    def codes(self) -> list[str]:
        if not self.months:
            return [self.period.code]
        return [m.code for m in self.months] + ([self.whole.code] if self.whole else [])

    @property
    def is_year_to_date(self) -> bool:
        return bool(self.months)

    def as_json(self) -> dict:
        """As `xaso show --ytd/--compare --json` and the API write a window."""
        return {
            "label": self.label,
            "start": self.span.start.isoformat(),
            "end": self.span.end.isoformat(),
            "periods": [m.code for m in self.months] or [self.period.code],
        }


def single(period: Period) -> Window:
    return Window(period=period, span=period, label=period.label)


def year_to_date(period: Period) -> Window | None:
    """1 January of the period's year to the end of its last whole month: "lũy kế 9 tháng
    đầu năm 2022". None for a term or a free span, or when no whole month has ended."""
    if period.kind in (PeriodKind.TERM, PeriodKind.SPAN):
        return None
    year = parse_period(str(period.start.year))
    months = tuple(m for m in year.months() if m.end <= period.end)
    if not months:
        return None
    span = Period(
        f"{year.start.isoformat()}..{months[-1].end.isoformat()}",
        PeriodKind.SPAN,
        year.start,
        months[-1].end,
    )
    whole = (
        period
        if period.kind is not PeriodKind.MONTH
        and period.start == year.start
        and period.end == span.end
        else None
    )
    count = len(months)
    label = (
        f"lũy kế cả năm {year.year}" if count == 12 else f"lũy kế {count} tháng đầu năm {year.year}"
    )
    return Window(period=period, span=span, months=months, whole=whole, label=label)


def same_period_last_year(period: Period) -> Period | None:
    """Tháng 11/2021 for tháng 11/2022, 6 tháng đầu năm 2021 for 2022's, …; a span moved back
    a year. None for a term, or when last year has no such period (a 53rd week)."""
    try:
        if period.kind is PeriodKind.TERM:
            return None
        if period.kind is PeriodKind.SPAN:
            start = period.start.replace(year=period.start.year - 1)
            end = period.end.replace(year=period.end.year - 1)
            return parse_period(f"{start.isoformat()}..{end.isoformat()}")
        return parse_period(f"{period.year - 1:04d}{period.code[4:]}")
    except (PeriodError, ValueError):  # 29 February, week 53, before the calendar
        return None


def last_year(window: Window) -> Window | None:
    before = same_period_last_year(window.period)
    if before is None:
        return None
    return year_to_date(before) if window.is_year_to_date else single(before)


@dataclass(frozen=True)
class Reading:
    """A unit's figure for a window, and — when the figure is the unit's own — what its
    children's standings combine to by the indicator's rule (None when nothing below)."""

    figure: Figure | None
    below: Figure | None = None


def read(
    scopes: list[Q],
    windows: list[Window],
    indicators: list[Indicator],
    *,
    subtotals: bool = True,
) -> list[dict[tuple[str, int], Reading]]:
    """The readings of the units the `scopes` select, by (unit path, indicator id), one dict
    per window. Two queries for all the windows together; one with `subtotals=False`, for
    scopes of units without children (which have no subtotal row)."""
    codes = sorted({code for window in windows for code in window.codes})
    by_period = standings_by_period(scopes, codes, [i.pk for i in indicators], subtotals=subtotals)
    keys = {key for found in by_period.values() for key in found}
    indicator_by_id = {indicator.pk: indicator for indicator in indicators}
    out = []
    for window in windows:
        readings = {}
        for key in keys:
            indicator = indicator_by_id[key[1]]
            reading = window_reading(
                window, by_period, key, str(indicator.rollup), indicator.pooling
            )
            if reading.figure is not None:
                readings[key] = reading
        out.append(readings)
    return out


def window_reading(window: Window, by_period: dict, key: tuple, rule: str, how: str) -> Reading:
    def at(code: str) -> tuple[Figure | None, Figure | None]:
        found = by_period.get(code, {}).get(key)
        if found is None:
            return None, None
        standing, below = found
        figure = standing.figure(rule)
        below_figure = Standing(below, 1, 0).figure(rule) if below is not None else None
        return figure, below_figure

    if not window.months:
        return Reading(*at(window.period.code))
    pairs = [pair for pair in (at(m.code) for m in window.months) if pair[0] is not None]
    if not pairs and window.whole is not None:
        return Reading(*at(window.whole.code))
    figure = combine([figure for figure, _ in pairs], how)
    below = None
    if figure is not None and figure.own and all(b is not None for _, b in pairs):
        below = combine([b for _, b in pairs], how)
    return Reading(figure, below)


def combine(figures: list[Figure], how: str) -> Figure | None:
    """Figures of successive periods (in order) as one: a flow's sum, a stock's last, an
    average's mean. Estimated if any is; the unit's own if all are; standing on as many
    units as the widest of them."""
    if not figures:
        return None
    if how == OverTime.STOCK:
        return figures[-1]
    total = sum((figure.value for figure in figures), Decimal(0))
    value = total if how == OverTime.FLOW else (total / len(figures)).quantize(_PLACES)
    return Figure(
        value,
        any(figure.estimated for figure in figures),
        all(figure.own for figure in figures),
        max(figure.reporting for figure in figures),
    )


def standings_by_period(
    scopes: list[Q], codes: list[str], indicator_ids: list[int], *, subtotals: bool = True
) -> dict[str, dict[tuple[str, int], tuple[Standing, Partial | None]]]:
    """{period: {(path, indicator id): (standing, children's combination if own)}}.

    As `subtotals.standings`, one period per row: the scopes are separate index ranges
    joined by UNION ALL, the subtotal rows first, then the own results of units without one.
    `subtotals=False`: the scopes hold only units without children, which have no subtotal
    rows to read.
    """
    if not indicator_ids or not codes:
        return {}

    def each_scope(rows, fields: tuple[str, ...]):
        return scoped_union(
            rows, scopes, codes, indicator_ids, lambda part: part.values_list(*fields)
        )

    found: dict[str, dict] = {}
    subtotal_fields = (
        "period",
        "unit_path",
        "indicator_id",
        "total",
        "reporting",
        "low",
        "high",
        "estimated",
        "own_value",
        "own_estimated",
    )
    for row in each_scope(Subtotal.objects.all(), subtotal_fields) if subtotals else ():
        period, path, indicator_id, total, reporting, low, high, estimated, own, own_est = row
        below = Partial(total, reporting, low, high, estimated)
        if own is None:
            entry = (Standing(below, 1, 0), None)
        else:
            entry = (Standing(Partial(own, 1, own, own, int(own_est)), 1, 1), below)
        found.setdefault(period, {})[(path, indicator_id)] = entry
    result_fields = ("period", "unit_path", "indicator_id", "value", "status")
    # Units without children have no subtotal row: their results need no test for one.
    results = results_without_subtotal if subtotals else Result.objects.all()
    for period, path, indicator_id, value, status in each_scope(results, result_fields):
        estimated = int(status == ResultStatus.ESTIMATED)
        standing = Standing(Partial(value, 1, value, value, estimated), 1, 1)
        found.setdefault(period, {})[(path, indicator_id)] = (standing, None)
    return found


def change_percent(value: Decimal, before: Decimal) -> Decimal | None:
    """(value − before) ÷ before × 100, one decimal half-up; None when before is 0."""
    if not before:
        return None
    return ((value - before) * 100 / before).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


_RULE_WORDS = {
    Rollup.SUM: "tổng",
    Rollup.AVERAGE: "bình quân",
    Rollup.MIN: "mức thấp nhất",
    Rollup.MAX: "mức cao nhất",
}


def disagreement(unit, kids: list, indicator: Indicator, reading: Reading) -> str:
    """ "Số của xã 120 khác tổng các thôn 118", when the unit's own figure and its
    children's combination differ as written."""
    figure, below = reading.figure, reading.below
    if figure is None or below is None or not figure.own or indicator.rollup == Rollup.NONE:
        return ""
    own_text, below_text = format_number(figure.value), format_number(below.value)
    if own_text == below_text:
        return ""
    kinds = {kid.kind for kid in kids}
    whose = (
        f"các {kids[0].get_kind_display().lower()}" if len(kinds) == 1 else "các đơn vị trực thuộc"
    )
    rule = _RULE_WORDS.get(indicator.rollup, "tổng")
    return f"Số của {unit.get_kind_display().lower()} {own_text} khác {rule} {whose} {below_text}"


def change_words(percent: Decimal | None) -> str:
    """ "tăng 12,5%", "giảm 3,2%", "bằng cùng kỳ"; empty when there is no percent."""
    if percent is None:
        return ""
    if not percent:
        return "bằng cùng kỳ"
    return f"{'tăng' if percent > 0 else 'giảm'} {format_percent(abs(percent))}"


__all__ = [
    "Reading",
    "Window",
    "change_percent",
    "change_words",
    "combine",
    "disagreement",
    "last_year",
    "read",
    "same_period_last_year",
    "single",
    "year_to_date",
]
