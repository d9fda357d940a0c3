"""Reads of a campaign: each participant's standing on its goals to a day, ranked.

Two queries whatever the number of participants and days: the participants' campaign
targets, and their results of the campaign's form periods (days, or ISO weeks) ending by the
day asked. A goal's completion day is the end of the period whose result took the running
total to the target.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import F

from xaso.campaigns.models import Cadence, Campaign
from xaso.campaigns.ranking import GoalProgress, RankRow, rank, row
from xaso.figures.models import Result, Target
from xaso.periods import PeriodKind

WEEK = dt.timedelta(days=6)  # the last week may end after the span's last day


def _results(campaign: Campaign, units: list, indicators: list, on: dt.date):
    """Days of the span to `on`, or the ISO weeks that overlap it and have ended by `on`."""
    found = Result.objects.filter(unit__in=units, indicator__in=indicators)
    if campaign.cadence == Cadence.DAILY:
        return found.filter(
            period_kind=PeriodKind.SPAN,
            period_start=F("period_end"),
            period_start__gte=campaign.start,
            period_end__lte=on,
        )
    return found.filter(
        period_kind=PeriodKind.WEEK,
        period_end__gte=campaign.start,
        period_start__lte=campaign.end,
        period_end__lte=on + WEEK if on == campaign.end else on,
    )


def daily_results(campaign: Campaign, units: list, on: dt.date):
    """(indicator id, value, day) of the units' results of the campaign's days to `on`."""
    indicators = [goal.indicator_id for goal in campaign.goals.all()]
    rows = _results(campaign, units, indicators, min(on, campaign.end))
    return rows.values_list("indicator_id", "value", "period_end")


def standings(campaign: Campaign, *, on: dt.date | None = None) -> list[RankRow]:
    """The participants ranked on their goals to `on` (default: the campaign's last day)."""
    on = min(on or campaign.end, campaign.end)
    units = [p.unit for p in campaign.participants.select_related("unit")]
    goals = list(campaign.goals.select_related("indicator"))
    indicators = [goal.indicator for goal in goals]
    targets = {
        (t.unit_id, t.indicator_id): t.value
        for t in Target.objects.filter(
            unit__in=units, indicator__in=indicators, period=campaign.period_code
        )
    }
    done: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    completed_on: dict[tuple[int, int], dt.date] = {}
    rows = _results(campaign, units, indicators, on).order_by("period_end", "pk")
    for unit_id, indicator_id, value, end in rows.values_list(
        "unit_id", "indicator_id", "value", "period_end"
    ):
        key = (unit_id, indicator_id)
        done[key] += value
        target = targets.get(key)
        if target and key not in completed_on and done[key] >= target:
            completed_on[key] = end
    ranked = []
    for unit in units:
        progress = [
            GoalProgress(
                goal.indicator.name,
                targets.get((unit.pk, goal.indicator_id), Decimal(0)),
                done[(unit.pk, goal.indicator_id)],
                completed_on.get((unit.pk, goal.indicator_id)),
            )
            for goal in goals
        ]
        ranked.append(row(unit.full_name, progress))
    return rank(ranked)
