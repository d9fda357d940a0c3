"""A value's page of history: every change of one unit's result for an indicator (and
period), and of the targets it is measured against, newest first, with who, when, old → new
and the path it came by.

The page costs the same few queries however long the history is: the unit, the indicator,
the reader's roles, the result changes (with their authors) and the target changes.
"""

from dataclasses import dataclass

from django.shortcuts import render

from xaso.audit.models import Entity, channel_label
from xaso.audit.selectors import history_of_figure
from xaso.catalog.models import Indicator
from xaso.figures.models import ResultChange, ResultStatus, TargetSource
from xaso.org import policy
from xaso.org.selectors import unit_or_404
from xaso.periods import Period, PeriodError, parse_period

# A page for a phone: the newest changes of each kind, and a note when there are more.
LIMIT = 200


@dataclass(frozen=True)
class Line:
    when: object
    who: str
    period: str
    old: object
    new: object
    old_status: str
    new_status: str
    channel: str
    written_as: str = ""
    source: str = ""
    note: str = ""
    reason: str = ""


def _who(user) -> str:
    if user is None:
        return "Hệ thống"
    return user.get_full_name().strip() or user.get_username()


def _status(code: str) -> str:
    try:
        return ResultStatus(code).label
    except ValueError:
        return code


def _source(code: str) -> str:
    try:
        return TargetSource(code).label
    except ValueError:
        return code


def _period_label(code: str) -> str:
    try:
        return parse_period(code).label
    except PeriodError:
        return code


def _covers(code: str, period: Period) -> bool:
    """Whether a target for `code` applies to the period (a year's plan to its months)."""
    try:
        other = parse_period(code)
    except PeriodError:
        return False
    return other.start <= period.start and period.end <= other.end


def _result_lines(unit, indicator, period) -> tuple[list[Line], bool]:
    changes = ResultChange.objects.filter(unit=unit, indicator=indicator)
    if period is not None:
        changes = changes.filter(period=period.code)
    rows = list(changes.select_related("changed_by").order_by("-changed_at", "-pk")[: LIMIT + 1])
    lines = [
        Line(
            when=row.changed_at,
            who=_who(row.changed_by),
            period=_period_label(row.period),
            old=row.old_value,
            new=row.new_value,
            old_status=_status(row.old_status) if row.old_value is not None else "",
            new_status=_status(row.new_status) if row.new_value is not None else "",
            channel=channel_label(row.channel),
            written_as=row.written_as,
            reason=row.reason,
        )
        for row in rows[:LIMIT]
    ]
    return lines, len(rows) > LIMIT


def _target_lines(unit, indicator, period) -> tuple[list[Line], bool]:
    # All of the indicator's target changes for the unit (a handful a year), kept when their
    # period contains the one asked for: a month's result is measured against the year's plan.
    rows = history_of_figure(unit, indicator, entity=Entity.TARGET)
    if period is not None:
        rows = [row for row in rows if _covers(row.period, period)]
    lines = []
    for row in rows[: LIMIT + 1]:
        old, new = row.old or {}, row.new or {}
        lines.append(
            Line(
                when=row.changed_at,
                who=_who(row.changed_by),
                period=_period_label(row.period),
                old=old.get("value"),
                new=new.get("value"),
                old_status="",
                new_status="",
                channel=channel_label(row.channel),
                source=_source(new.get("source") or old.get("source") or ""),
                note=_target_note(old, new),
                reason=row.reason,
            )
        )
    return lines[:LIMIT], len(lines) > LIMIT


def _target_note(old: dict, new: dict) -> str:
    """The note, and what set the value: "Điều chỉnh kế hoạch · Quyết định số …"."""
    parts = []
    if new.get("revision"):
        parts.append("Điều chỉnh kế hoạch")
    if new.get("document") and new.get("document") != old.get("document"):
        parts.append(new["document"])
    parts.append(new.get("note", old.get("note", "")))
    return " · ".join(part for part in parts if part)


def value_history(request, code: str):
    unit = unit_or_404(code)
    policy.require_read(request.user, unit)
    context = {"unit": unit, "indicator": None, "period": None, "limit": LIMIT}
    indicator_code = request.GET.get("indicator", "").strip()
    indicator = Indicator.objects.filter(code=indicator_code).first() if indicator_code else None
    if indicator is None:
        context["error"] = (
            f"Không có chỉ tiêu có mã ‘{indicator_code}’."
            if indicator_code
            else "Chưa chọn chỉ tiêu để xem lịch sử."
        )
        return render(request, "figures/history.html", context, status=404)
    context["indicator"] = indicator
    period_code = request.GET.get("period", "").strip()
    period = None
    if period_code:
        try:
            period = parse_period(period_code)
        except PeriodError as error:
            context["error"] = str(error)
            return render(request, "figures/history.html", context, status=404)
    context["period"] = period
    context["results"], context["more_results"] = _result_lines(unit, indicator, period)
    context["targets"], context["more_targets"] = _target_lines(unit, indicator, period)
    return render(request, "figures/history.html", context)
