"""The campaign pages: a unit's campaigns, a campaign's standing on a day (its week's theme,
progress per goal, participants × goals, a goal day by day, the ranking), and the
loudspeaker bulletin of a day, printable and as plain text.

Views parse, ask `org.policy` (readers of the host unit), call `campaigns.selectors` (the
campaign page reads its progress once, in four queries, and ranks from it) and
`campaigns.bulletin`, and render.
"""

import datetime as dt

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.safestring import mark_safe

from xaso.campaigns.bulletin import bulletin
from xaso.campaigns.models import Campaign
from xaso.campaigns.ranking import rank
from xaso.campaigns.selectors import (
    GoalTotal,
    average_score,
    current_week,
    progress,
    ranking,
    ranking_of,
)
from xaso.charts import LineChart, Point, to_svg
from xaso.formkit import read_day
from xaso.org import policy
from xaso.org.groups import visible_group, visible_groups
from xaso.org.selectors import unit_or_404


def _day(campaign: Campaign, text: str) -> tuple[dt.date, str | None]:
    """The day asked (dd/mm/yyyy), else today; kept inside the campaign's span."""
    error = None
    day = timezone.localdate()
    if text:
        try:
            day = read_day(text)
        except ValueError as problem:
            error = f"Ngày xem: {problem}"
    return min(max(day, campaign.start), campaign.end), error


def series_chart(campaign: Campaign, total: GoalTotal, day: dt.date) -> LineChart:
    """The goal's running total day by day over the span, blank after the day shown; a
    date under the first day and every seventh after it."""
    reached = dict(total.series)
    points = []
    for offset in range(campaign.days):
        when = campaign.start + dt.timedelta(days=offset)
        label = f"{when.day}/{when.month}" if offset % 7 == 0 else ""
        points.append(Point(label, reached.get(when)))
    indicator = total.goal.indicator
    title = f"{indicator.name}: lũy kế từng ngày đến {day:%d/%m/%Y}"
    return LineChart(title, points, indicator.unit_name, target=total.goal.value)


# --- pages -------------------------------------------------------------------------------------


def unit_campaigns(request, code: str):
    unit = unit_or_404(code)
    policy.require_read(request.user, unit)
    hosted = Campaign.objects.filter(host__path__startswith=unit.path).select_related("host")
    joined = (
        Campaign.objects.filter(participants__unit=unit)
        .exclude(host__path__startswith=unit.path)
        .select_related("host")
    )
    rows = []
    for campaign in hosted.order_by("-start", "code"):
        ranked = ranking(campaign)
        rows.append((campaign, len(ranked), average_score(ranked)))
    joined_rows = [
        (campaign, policy.can_read(request.user, campaign.host))
        for campaign in joined.order_by("-start", "code")
    ]
    return render(
        request,
        "campaigns/unit.html",
        {
            "unit": unit,
            "trail": policy.trail(request.user, unit),
            "rows": rows,
            "joined": joined_rows,
        },
    )


def readable_campaign(request, code: str) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("host"), code=code)
    policy.require_read(request.user, campaign.host)
    return campaign


def campaign_page(request, code: str):
    campaign = readable_campaign(request, code)
    day, day_error = _day(campaign, request.GET.get("date", ""))
    weeks = list(campaign.weeks.prefetch_related("indicators"))
    week = next((w for w in weeks if w.start <= day <= w.end), None)
    data = progress(campaign, on=day)
    chosen = request.GET.get("goal", "")
    line = next(
        (g for g in data.goals if g.goal.indicator.code == chosen),
        data.goals[0] if data.goals else None,
    )
    ranked, group, groups = _ranked_within(request, campaign, ranking_of(data))
    chart = None
    if line is not None:
        # `xaso.charts` escapes every text it draws.
        chart = mark_safe(to_svg(series_chart(campaign, line, day)))  # noqa: S308
    return render(
        request,
        "campaigns/campaign.html",
        {
            "campaign": campaign,
            "unit": campaign.host,
            "trail": policy.trail(request.user, campaign.host),
            "day": day,
            "day_error": day_error,
            "weeks": weeks,
            "week": week,
            "board": data,
            "chosen": line,
            "chart": chart,
            # each row with the number of goals given to it (completed or still lacking)
            "ranking": [(r, r.completed + len(r.lacking)) for r in ranked],
            "group": group,
            "groups": groups,
        },
    )


def _ranked_within(request, campaign: Campaign, ranked: list) -> tuple:
    """The ranking, within the group `?nhom=` names when it does (its members ranked again
    among themselves: "xếp hạng trong khối thi đua số 2"); and the groups to offer."""
    codes = [row.code for row in ranked]
    groups = list(
        visible_groups(request.user)
        .filter(memberships__unit__code__in=codes)
        .distinct()
        .order_by("name")
    )
    code = request.GET.get("nhom", "").strip()
    if not code:
        return ranked, None, groups
    group = visible_group(request.user, code)
    if group is None:
        raise Http404("Không có nhóm này.")
    members = set(group.members.values_list("code", flat=True))
    return rank([row for row in ranked if row.code in members]), group, groups


def bulletin_page(request, code: str):
    campaign = readable_campaign(request, code)
    day, day_error = _day(campaign, request.GET.get("date", ""))
    units = [p.unit for p in campaign.participants.select_related("unit").order_by("unit__path")]
    texts = [(unit, bulletin(campaign, unit, day)) for unit in units]
    week = current_week(campaign, day)
    if request.GET.get("format") == "txt":
        head = f"{campaign.name}\nBản tin ngày {day:%d/%m/%Y}"
        if week:
            head += f" — tuần {week.number}: {week.theme}"
        body = "\n\n".join([head, *(text for _, text in texts)]) + "\n"
        response = HttpResponse(body, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = (
            f'inline; filename="ban-tin-{campaign.code}-{day:%Y-%m-%d}.txt"'
        )
        return response
    return render(
        request,
        "campaigns/bulletin.html",
        {
            "campaign": campaign,
            "unit": campaign.host,
            "day": day,
            "day_error": day_error,
            "week": week,
            "texts": texts,
        },
    )
