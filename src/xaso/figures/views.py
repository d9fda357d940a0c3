from dataclasses import dataclass
from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from xaso.catalog.selectors import active_indicator_list
from xaso.charts import BarChart
from xaso.figures import charts, validity
from xaso.figures.forms import Context, EntryForm, errors_by_code, value_field
from xaso.figures.over_time import year_to_date
from xaso.figures.selectors import (
    ChildLine,
    EntrySheet,
    IndicatorLine,
    Overview,
    entry_sheet,
    periods_with_data,
    unit_overview,
)
from xaso.figures.series import series
from xaso.figures.services import StaleWrite, enter_unit_figures
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.org.selectors import unit_or_404
from xaso.org.succession import now_seen_by
from xaso.periods import PeriodError, PeriodKind, parse_period, read_period
from xaso.reporting.unit_status import ChildReport, UnitReports, report_status_by_child

INLINE_BREAKDOWN_CHILDREN = 30  # a commune's villages inline; a province's communes one by one


def period_asked(request, unit: OrgUnit):
    """The period asked for, as a code or as officers write it ("tháng 11/2022", "quý
    II/2022"), else the latest one with data in the unit's subtree."""
    code = request.GET.get("period", "").strip()
    choices = periods_with_data(unit)
    if not code:
        code = choices[0] if choices else str(timezone.localdate().year)
    try:
        return read_period(code), choices, None
    except PeriodError as error:
        fallback = choices[0] if choices else "2022"
        return parse_period(fallback), choices, str(error)


# The questions officers ask of a period (`?view=`): its own figures against its plans; the
# year-to-date against the year's plan ("lũy kế 9 tháng"); the same period last year and the
# change; the term's resolution (Nghị quyết Đại hội).
VIEWS = {  # key: (tab, what it shows)
    "period": ("Kỳ này", "Kết quả của kỳ so với kế hoạch"),
    "ytd": ("Lũy kế năm", "Lũy kế từ đầu năm so với kế hoạch năm"),
    "last-year": ("Cùng kỳ", "So với cùng kỳ năm trước"),
    "term": ("Nhiệm kỳ", "So với mục tiêu Nghị quyết nhiệm kỳ"),
}


@dataclass(frozen=True)
class BreakdownRow:
    """A child in an indicator's breakdown, with its report for the period (when it owed one
    on a form that has the indicator) and whether its own figure is approved."""

    child: ChildLine
    report: ChildReport | None = None
    approved: bool = False
    withheld: bool = False  # "Chỉ số liệu đã duyệt": a figure not approved is not shown


@dataclass(frozen=True)
class ShownLine:
    line: IndicatorLine
    rows: list[BreakdownRow]
    approved: bool = False  # the unit's own figure is approved

    @property
    def not_sent(self) -> int:
        return sum(1 for row in self.rows if row.report and not row.report.sent)

    @property
    def late(self) -> int:
        return sum(1 for row in self.rows if row.report and row.report.late)

    @cached_property
    def children_chart(self) -> BarChart | None:
        """The children against their plans, when some has both (drawn for one at a time)."""
        return charts.children_chart(self.line, [(row.child, row.withheld) for row in self.rows])


def _shown_lines(
    overview: Overview,
    reports: UnitReports | None,
    *,
    chosen: str,
    approved_only: bool,
    owed_lines: bool,
) -> list[ShownLine]:
    """The overview's lines with the reporting cycle beside them: each child that owed a
    report on a form with the indicator is listed even without a figure ("chưa báo cáo"),
    and — for the period's own view — an indicator a form asks for has a line even when no
    figure came in yet."""
    lines = list(overview.lines)
    if reports is not None and owed_lines:
        present = {line.indicator.pk for line in lines}
        owed = {key[1] for key in reports.reports}
        extra = [
            IndicatorLine(indicator=indicator, figure=None, achievements=[], children=[])
            for pk, indicator in reports.indicators.items()
            if pk not in present and pk in owed
        ]
        if extra:
            lines = sorted(lines + extra, key=lambda ln: (ln.indicator.position, ln.indicator.code))
    shown = []
    for line in lines:
        pk = line.indicator.pk
        breaks_down = overview.complete or line.indicator.code == chosen
        by_unit = {child.unit.pk: child for child in line.children}
        rows = []
        for kid in overview.children if breaks_down else ():
            report = reports.of(kid, pk) if reports else None
            child = by_unit.get(kid.pk)
            if child is None:
                if report is None:
                    continue
                child = ChildLine(unit=kid, figure=None, achievement=None)
            approved = bool(
                reports and child.figure and child.figure.own and reports.is_approved(kid, pk)
            )
            withheld = approved_only and child.figure is not None and not approved
            rows.append(BreakdownRow(child, report, approved, withheld))
        own = bool(
            reports and line.figure and line.figure.own and reports.is_approved(overview.unit, pk)
        )
        shown.append(ShownLine(line, rows, own))
    return shown


def _trend_svg(unit: OrgUnit, period, overview, chosen: str):
    """The chosen indicator over the months of the period's year, up to the period's end."""
    line = next((line for line in overview.lines if line.indicator.code == chosen), None)
    if line is None or period.kind in (PeriodKind.TERM, PeriodKind.SPAN):
        return None
    months = [m for m in parse_period(str(period.start.year)).months() if m.end <= period.end]
    if not months:
        return None
    return charts.svg(charts.trend_chart(line, series(unit, line.indicator, months)))


def view_asked(request, period, views: dict) -> tuple[str, str]:
    """The `?view=` asked for among `views`, else the period's own; with a note when a
    year-to-date was asked of a period that has none (a term)."""
    view = request.GET.get("view", "")
    view = view if view in views else "period"
    if view == "ytd" and year_to_date(period) is None:
        return "period", f"Không tính lũy kế từ đầu năm cho {period.label}."
    return view, ""


def no_last_year(period) -> str:
    return f"{period.label.capitalize()} không có cùng kỳ năm trước để so sánh."


def unit_page(request, code: str):
    unit = unit_or_404(code)
    policy.require_read(request.user, unit)
    period, choices, period_error = period_asked(request, unit)
    chosen = request.GET.get("indicator", "")
    view, view_note = view_asked(request, period, VIEWS)
    # A province has a hundred communes: its breakdowns are shown (and read) one indicator
    # at a time, so that the page stays small on a phone and fast to make.
    overview = unit_overview(
        unit,
        period,
        inline_children=INLINE_BREAKDOWN_CHILDREN,
        chosen=chosen,
        ytd=view == "ytd",
        last_year=view == "last-year",
        term_only=view == "term",
    )
    if view == "last-year" and overview.before is None:
        view_note = no_last_year(period)
    # The reporting cycle (who owed a report, who sent it, which figures are approved) is
    # read for one period: a year-to-date is not a form's period. A fixed few queries.
    single = not overview.window.is_year_to_date
    reports = (
        report_status_by_child(unit, period, None, children=overview.children) if single else None
    )
    # The switch is offered where children report on a form (or have approved figures).
    can_choose_approved = reports is not None and (
        bool(reports.reports) or any(path != unit.path for path, _ in reports.approved)
    )
    approved_only = can_choose_approved and request.GET.get("approved") == "1"
    shown = _shown_lines(
        overview,
        reports,
        chosen=chosen,
        approved_only=approved_only,
        owed_lines=view in ("period", "last-year"),
    )
    groups: dict[str, list] = {}
    for item in shown:
        groups.setdefault(item.line.indicator.group or "Khác", []).append(item)
    inline = overview.complete
    breakdown = next((item for item in shown if item.line.indicator.code == chosen), None)
    switch = "&approved=1" if approved_only else ""
    # Charts where the page measures against plans (not beside last year's figures).
    plans = view != "last-year"
    achievement_svg = charts.svg(
        charts.achievement_chart(overview.lines, term_only=overview.term_only) if plans else None
    )
    # The children's chart of one indicator at a time (the chosen one), inline or not.
    breakdown_svg = charts.svg(breakdown.children_chart if plans and breakdown else None)
    trend_svg = _trend_svg(unit, period, overview, chosen)
    # What links to other units and indicators carry over (not `query`: the header's search
    # box shows a `query`).
    keep = f"period={period.code}" + ("" if view == "period" else f"&view={view}") + switch
    can_record = policy.can_record(request.user, unit)
    refused = validity.refusal(unit, period) if can_record else None
    context = {
        "unit": unit,
        "now": now_seen_by(request.user, unit),  # an ended unit: what it is today
        "trail": policy.trail(request.user, unit),
        "period": period,
        "period_choices": choices,
        "period_error": period_error,
        "view": view,
        "views": [(key, *labels, key == view) for key, labels in VIEWS.items()],
        "view_note": view_note,
        "keep": keep,
        "switch": switch,
        "approved_only": approved_only,
        "can_choose_approved": can_choose_approved,
        "overview": overview,
        "groups": list(groups.items()),
        "children": overview.children,
        "inline_breakdown": inline,
        "breakdown": None if inline else breakdown,
        "achievement_svg": achievement_svg,
        "plans": plans,
        "breakdown_svg": breakdown_svg,
        "charted_code": breakdown.line.indicator.code if breakdown_svg else "",
        "trend_svg": trend_svg,
        "trend_periods": period.kind not in (PeriodKind.TERM, PeriodKind.SPAN),
        "can_record": can_record,
        # No sheet for a period the unit did not exist in: its predecessors' figures then.
        "can_enter": can_record and refused is None,
        "entry_refused": refused,
    }
    return render(request, "figures/unit.html", context)


def _sheet_context(sheet: EntrySheet, indicators: list) -> dict:
    return {
        i.pk: Context(sheet.targets.get(i.pk, []), sheet.previous.get(i.pk), sheet.before)
        for i in indicators
    }


def entry(request, code: str):
    """The data-entry sheet of a unit for a period.

    Until sheets come from report forms (the reporting cycle), the sheet lists the unit's
    own indicators: those it has a target for whose period contains this one (its plan for
    the year, the term…), those it has its own figure for in this period or the previous
    one, and those something below it reported in either (so a commune sees what its
    villages report). A parent's targets do not count: a village is not asked for the
    commune's budget revenue. "Hiện tất cả chỉ tiêu" (`?all=1`) lists the whole catalog, and
    so does a unit that has nothing yet (a new unit starts from the catalog, not a blank).
    A sent sheet is read for the indicators whose boxes it carried.

    Beside each box: the unit's targets for the period (source, period, value) and its own
    figure of the previous period of the same kind. A value such as "1.5" (a dot before one
    or two digits) is saved only once confirmed: the sheet comes back with the question and
    a hidden confirmation, and sending it again as it is saves it.
    """
    unit = unit_or_404(code)
    policy.require_record(request.user, unit, what="nhập số liệu")
    period_text = (request.POST.get("period") or request.GET.get("period") or "").strip()
    period_error = None
    try:
        period = parse_period(period_text) if period_text else None
    except PeriodError as error:
        period, period_error = None, str(error)
    if period is None and period_error is None:
        period_error = "Chưa chọn kỳ báo cáo."
    posted = request.method == "POST"
    show_all = request.GET.get("all") == "1"
    # A sheet sent needs only the catalog to be read and saved; what is shown beside the boxes
    # (targets, the previous period's figures) is read when the sheet comes back unsaved.
    sheet = (
        entry_sheet(unit, period) if period and not posted else EntrySheet(active_indicator_list())
    )
    if posted:
        indicators = [i for i in sheet.indicators if value_field(i) in request.POST]
    elif show_all or not sheet.relevant:
        indicators = sheet.indicators
    else:
        indicators = [i for i in sheet.indicators if i.pk in sheet.relevant]
    form = EntryForm(
        request.POST if posted else None,
        indicators=indicators,
        current=sheet.current,
        context=_sheet_context(sheet, indicators),
    )
    status = 200
    if posted and period is not None and form.is_valid():
        readings = form.unconfirmed()
        if readings:
            errors = errors_by_code(form.entries())
            form.add_service_errors(errors)
            form.ask_confirmation({i: r for i, r in readings.items() if i.code not in errors})
            if errors:
                status = 400
        else:
            try:
                saved = enter_unit_figures(
                    unit=unit,
                    period=period,
                    entries=form.entries(),
                    user=request.user,
                    seen=form.seen(),
                )
            except ValidationError as error:
                form.add_service_errors(error.message_dict)
            except StaleWrite as stale:
                form.show_clashes(stale.clashes)
                status = 409
            else:
                whose = f"{unit.full_name}, {period.label}"
                if saved.changed:
                    messages.success(request, saved.describe(whose))
                else:
                    messages.info(request, saved.describe(whose))
                return redirect(f"{reverse('figures:unit', args=[unit.code])}?period={period.code}")
    if posted and status == 200 and not form.questions:
        status = 400  # not saved; a sheet that only asks a question is answered with 200
    if posted and period is not None:  # shown again, unsaved: with what is beside the boxes
        form.context = _sheet_context(entry_sheet(unit, period), indicators)
    context = {
        # A period the unit did not exist in: the sheet says why instead of offering boxes
        # (a sheet sent anyway comes back as typed, with the service's refusal).
        "refused": validity.refusal(unit, period) if period and not posted else None,
        "unit": unit,
        "trail": policy.trail(request.user, unit),
        "period": period,
        "period_text": period_text,
        "period_error": period_error,
        "form": form,
        "show_all": show_all,
        "listed": len(indicators),
        "catalog_size": len(sheet.indicators),
        "own_only": not show_all and bool(sheet.relevant) and not posted,
    }
    return render(request, "figures/entry.html", context, status=status)
