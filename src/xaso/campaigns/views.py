"""The campaign pages: a unit's campaigns, a campaign's standing on a day (its week's theme,
progress per goal, participants × goals, a goal day by day, the ranking), and the
loudspeaker bulletin of a day, printable and as plain text.

Views parse, ask `org.policy` (readers of the host unit), call `campaigns.selectors` and
`campaigns.bulletin`, and render. The running totals are read through
`selectors.daily_results` (one query per participant: a campaign has a handful of
villages) and the participants' targets in one query.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.safestring import mark_safe

from xaso.campaigns.bulletin import bulletin
from xaso.campaigns.models import Campaign, CampaignGoal
from xaso.campaigns.selectors import daily_results, standings
from xaso.charts import LineChart, Point, to_svg
from xaso.figures.models import Target
from xaso.formats.vi.formats import DATE_INPUT_FORMATS
from xaso.org import policy
from xaso.org.models import OrgUnit

HUNDRED = Decimal(100)


def _percent(done: Decimal, target: Decimal | None) -> Decimal | None:
    if not target:
        return None
    return (done * HUNDRED / target).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _read_day(text: str) -> dt.date:
    for pattern in DATE_INPUT_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()  # noqa: DTZ007 — a day
        except ValueError:
            continue
    raise ValueError(f"«{text}» không phải là ngày (viết dd/mm/yyyy, vd. 30/05/2022).")


def _day(campaign: Campaign, text: str) -> tuple[dt.date, str | None]:
    """The day asked (dd/mm/yyyy), else today; kept inside the campaign's span."""
    error = None
    day = timezone.localdate()
    if text:
        try:
            day = _read_day(text)
        except ValueError as problem:
            error = f"Ngày xem: {problem}"
    return min(max(day, campaign.start), campaign.end), error


# --- reads for the campaign page --------------------------------------------------------------


@dataclass
class Cell:
    done: Decimal
    target: Decimal | None

    @property
    def percent(self) -> Decimal | None:
        return _percent(self.done, self.target)


@dataclass
class GoalLine:
    goal: CampaignGoal
    done: Decimal  # the participants' total to the day
    cells: list  # per participant, in the participants' order

    @property
    def percent(self) -> Decimal | None:
        return _percent(self.done, self.goal.value)


@dataclass
class Board:
    units: list[OrgUnit]
    goals: list[GoalLine]
    daily: dict  # indicator id -> {day: the participants' total of that day}

    def rows(self):
        """(participant, its cells goal by goal) for the table."""
        for index, unit in enumerate(self.units):
            yield unit, [line.cells[index] for line in self.goals]


def board(campaign: Campaign, day: dt.date) -> Board:
    units = [p.unit for p in campaign.participants.select_related("unit").order_by("unit__path")]
    goals = list(campaign.goals.select_related("indicator"))
    targets = {
        (t.unit_id, t.indicator_id): t.value
        for t in Target.objects.filter(
            unit__in=units,
            indicator__in=[g.indicator_id for g in goals],
            period=campaign.period_code,
        )
    }
    done: dict = defaultdict(Decimal)
    daily: dict = defaultdict(lambda: defaultdict(Decimal))
    for unit in units:
        for indicator_id, value, end in daily_results(campaign, [unit], day):
            done[(unit.pk, indicator_id)] += value
            daily[indicator_id][end] += value
    lines = []
    for goal in goals:
        cells = [
            Cell(done[(u.pk, goal.indicator_id)], targets.get((u.pk, goal.indicator_id)))
            for u in units
        ]
        lines.append(GoalLine(goal, sum((c.done for c in cells), Decimal(0)), cells))
    return Board(units, lines, daily)


def series_chart(campaign: Campaign, line: GoalLine, daily: dict, day: dt.date) -> LineChart:
    """The goal's running total day by day over the span, blank after the day shown; a
    date under the first day and every seventh after it."""
    points, total = [], Decimal(0)
    for offset in range(campaign.days):
        when = campaign.start + dt.timedelta(days=offset)
        total += daily.get(line.goal.indicator_id, {}).get(when, Decimal(0))
        label = f"{when.day}/{when.month}" if offset % 7 == 0 else ""
        points.append(Point(label, total if when <= day else None))
    indicator = line.goal.indicator
    title = f"{indicator.name}: lũy kế từng ngày đến {day:%d/%m/%Y}"
    return LineChart(title, points, indicator.unit_name, target=line.goal.value)


# --- pages -------------------------------------------------------------------------------------


def unit_campaigns(request, code: str):
    unit = get_object_or_404(OrgUnit, code=code)
    policy.require_read(request.user, unit)
    hosted = Campaign.objects.filter(host__path__startswith=unit.path).select_related("host")
    joined = (
        Campaign.objects.filter(participants__unit=unit)
        .exclude(host__path__startswith=unit.path)
        .select_related("host")
    )
    rows = []
    for campaign in hosted.order_by("-start", "code"):
        ranked = standings(campaign)
        mean = sum((r.score for r in ranked), Decimal(0)) / len(ranked) if ranked else None
        rows.append((campaign, len(ranked), mean))
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


def _campaign(request, code: str) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("host"), code=code)
    policy.require_read(request.user, campaign.host)
    return campaign


def campaign_page(request, code: str):
    campaign = _campaign(request, code)
    day, day_error = _day(campaign, request.GET.get("date", ""))
    weeks = list(campaign.weeks.prefetch_related("indicators"))
    week = next((w for w in weeks if w.start <= day <= w.end), None)
    data = board(campaign, day)
    chosen = request.GET.get("goal", "")
    line = next(
        (g for g in data.goals if g.goal.indicator.code == chosen),
        data.goals[0] if data.goals else None,
    )
    chart = None
    if line is not None:
        # `xaso.charts` escapes every text it draws.
        chart = mark_safe(to_svg(series_chart(campaign, line, data.daily, day)))  # noqa: S308
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
            "ranking": [(r, r.completed + len(r.lacking)) for r in standings(campaign, on=day)],
        },
    )


def bulletin_page(request, code: str):
    campaign = _campaign(request, code)
    day, day_error = _day(campaign, request.GET.get("date", ""))
    units = [p.unit for p in campaign.participants.select_related("unit").order_by("unit__path")]
    texts = [(unit, bulletin(campaign, unit, day)) for unit in units]
    week = campaign.weeks.filter(start__lte=day, end__gte=day).first()
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
