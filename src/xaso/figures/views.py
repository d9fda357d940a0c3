from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from xaso.catalog.selectors import active_indicators
from xaso.figures.forms import EntryForm
from xaso.figures.models import Result
from xaso.figures.selectors import periods_with_data, unit_overview
from xaso.figures.services import StaleWrite, enter_unit_figures
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.periods import PeriodError, parse_period

INLINE_BREAKDOWN_CHILDREN = 30  # a commune's villages inline; a province's communes one by one


def _period_from(request, unit: OrgUnit):
    """The period asked for, else the latest one with data in the unit's subtree."""
    code = request.GET.get("period", "").strip()
    choices = periods_with_data(unit)
    if not code:
        code = choices[0] if choices else str(timezone.localdate().year)
    try:
        return parse_period(code), choices, None
    except PeriodError as error:
        fallback = choices[0] if choices else "2022"
        return parse_period(fallback), choices, str(error)


def unit_page(request, code: str):
    unit = get_object_or_404(OrgUnit, code=code)
    policy.require_read(request.user, unit)
    period, choices, period_error = _period_from(request, unit)
    chosen = request.GET.get("indicator", "")
    # A province has a hundred communes: its breakdowns are shown (and read) one indicator
    # at a time, so that the page stays small on a phone and fast to make.
    overview = unit_overview(unit, period, inline_children=INLINE_BREAKDOWN_CHILDREN, chosen=chosen)
    groups: dict[str, list] = {}
    for line in overview.lines:
        groups.setdefault(line.indicator.group or "Khác", []).append(line)
    inline = overview.complete
    breakdown = next((ln for ln in overview.lines if ln.indicator.code == chosen), None)
    context = {
        "unit": unit,
        "trail": policy.trail(request.user, unit),
        "period": period,
        "period_choices": choices,
        "period_error": period_error,
        "groups": list(groups.items()),
        "children": overview.children,
        "inline_breakdown": inline,
        "breakdown": None if inline else breakdown,
        "can_enter": policy.can_record(request.user, unit),
    }
    return render(request, "figures/unit.html", context)


def entry(request, code: str):
    unit = get_object_or_404(OrgUnit, code=code)
    policy.require_record(request.user, unit, what="nhập số liệu")
    period_text = (request.POST.get("period") or request.GET.get("period") or "").strip()
    period_error = None
    try:
        period = parse_period(period_text) if period_text else None
    except PeriodError as error:
        period, period_error = None, str(error)
    if period is None and period_error is None:
        period_error = "Chưa chọn kỳ báo cáo."
    indicators = list(active_indicators())
    current = (
        {
            r.indicator_id: r
            for r in Result.objects.filter(
                unit_path=unit.path, unit_depth=unit.depth, period=period.code
            )
        }
        if period
        else {}
    )
    form = EntryForm(
        request.POST if request.method == "POST" else None,
        indicators=indicators,
        current=current,
    )
    status = 200
    if request.method == "POST" and period is not None and form.is_valid():
        try:
            changed = enter_unit_figures(
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
            messages.success(
                request, f"Đã lưu {changed} số liệu của {unit.full_name}, {period.label}."
            )
            return redirect(f"{reverse('figures:unit', args=[unit.code])}?period={period.code}")
    if request.method == "POST" and status == 200:
        status = 400
    context = {
        "unit": unit,
        "trail": policy.trail(request.user, unit),
        "period": period,
        "period_text": period_text,
        "period_error": period_error,
        "form": form,
    }
    return render(request, "figures/entry.html", context, status=status)
