"""Reads of a campaign: its progress to a day, the participants' ranking, the loudspeaker
bulletin, the week's theme, and a unit's campaigns.

`progress` reads everything in four queries whatever the number of participants and days:
the participants, the goals with the host's targets, the participants' campaign targets, and
their results of the campaign's form periods ended by the day asked — the days of the span
(`2022-04-16..2022-04-16`) for a daily campaign, the ISO weeks overlapping the span for a
weekly one (the cadence decides which, so a unit that also keeps a weekly total of a daily
campaign is not counted twice). A goal's completion day is the end of the period whose result
took the running total to the target. The host's total is the sum of its participants' (they
never lie inside one another: `services.create_campaign` refuses that).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Q

from xaso.campaigns.models import Cadence, Campaign, CampaignGoal, ThemeWeek
from xaso.campaigns.ranking import GoalProgress, RankRow, rank, row
from xaso.figures.models import Result, Target, TargetSource
from xaso.org.models import OrgUnit
from xaso.periods import PeriodKind

__all__ = [
    "Cell",
    "GoalTotal",
    "Progress",
    "RankRow",
    "average_score",
    "campaigns_for",
    "current_week",
    "daily_results",
    "progress",
    "rank",
    "ranking",
    "ranking_of",
    "standings",
]

WEEK = dt.timedelta(days=6)  # the last week may end after the span's last day


def _percent(done: Decimal, target: Decimal | None) -> Decimal | None:
    if not target or target <= 0:
        return None
    return (done * 100 / target).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Cell:
    """One participant on one goal, to the day asked."""

    unit: OrgUnit
    goal: CampaignGoal
    target: Decimal | None  # its allocated campaign target; None: none given
    done: Decimal  # its running total
    completed_on: dt.date | None = None

    @property
    def percent(self) -> Decimal | None:
        return _percent(self.done, self.target)

    @property
    def missing(self) -> Decimal:
        return max((self.target or Decimal(0)) - self.done, Decimal(0))


@dataclass(frozen=True)
class GoalTotal:
    """The host on one goal: its target, the participants' total, and the running total on
    each day from the first of the span to the day asked."""

    goal: CampaignGoal
    target: Decimal
    done: Decimal
    series: list[tuple[dt.date, Decimal]] = field(default_factory=list)

    @property
    def percent(self) -> Decimal | None:
        return _percent(self.done, self.target)


@dataclass(frozen=True)
class Progress:
    campaign: Campaign
    on: dt.date
    units: list[OrgUnit]  # the participants, in tree order
    goals: list[GoalTotal]
    cells: dict[tuple[int, int], Cell]  # (unit id, indicator id)

    def cell(self, unit: OrgUnit, goal: CampaignGoal) -> Cell:
        return self.cells[(unit.pk, goal.indicator_id)]

    def rows(self) -> list[tuple[OrgUnit, list[Cell]]]:
        """Participants × goals, as a table reads."""
        return [(unit, [self.cell(unit, g.goal) for g in self.goals]) for unit in self.units]


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


def _day(campaign: Campaign, on: dt.date | None) -> dt.date:
    return min(on or campaign.end, campaign.end)


def daily_results(campaign: Campaign, units: list, on: dt.date):
    """(indicator id, value, period end) of the units' results of the campaign to `on`."""
    indicators = [goal.indicator_id for goal in campaign.goals.all()]
    rows = _results(campaign, units, indicators, _day(campaign, on))
    return rows.values_list("indicator_id", "value", "period_end")


def progress(campaign: Campaign, *, on: dt.date | None = None) -> Progress:
    """Each goal's total and each participant's running total to `on` (default and at most:
    the campaign's last day). Four queries."""
    on = _day(campaign, on)
    units = [p.unit for p in campaign.participants.select_related("unit").order_by("unit__path")]
    goals = list(campaign.goals.select_related("indicator", "target"))
    indicators = [goal.indicator_id for goal in goals]
    targets = {
        (t.unit_id, t.indicator_id): t.value
        for t in Target.objects.filter(
            unit__in=units,
            indicator__in=indicators,
            period=campaign.period_code,
            source=TargetSource.CAMPAIGN,
        )
    }
    done: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    completed_on: dict[tuple[int, int], dt.date] = {}
    by_day: dict[int, dict[dt.date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    rows = _results(campaign, units, indicators, on).order_by("period_end", "pk")
    for unit_id, indicator_id, value, end in rows.values_list(
        "unit_id", "indicator_id", "value", "period_end"
    ):
        key = (unit_id, indicator_id)
        done[key] += value
        by_day[indicator_id][min(end, campaign.end)] += value
        target = targets.get(key)
        if target and key not in completed_on and done[key] >= target:
            completed_on[key] = end
    cells = {
        (unit.pk, goal.indicator_id): Cell(
            unit,
            goal,
            targets.get((unit.pk, goal.indicator_id)),
            done[(unit.pk, goal.indicator_id)],
            completed_on.get((unit.pk, goal.indicator_id)),
        )
        for unit in units
        for goal in goals
    }
    totals = []
    for goal in goals:
        series, running = [], Decimal(0)
        for offset in range((on - campaign.start).days + 1):
            when = campaign.start + dt.timedelta(days=offset)
            running += by_day[goal.indicator_id].get(when, Decimal(0))
            series.append((when, running))
        target = goal.target.value if goal.target is not None else goal.value
        total = sum((done[(unit.pk, goal.indicator_id)] for unit in units), Decimal(0))
        totals.append(GoalTotal(goal, target, total, series))
    return Progress(campaign, on, units, totals, cells)


def ranking(campaign: Campaign, *, on: dt.date | None = None) -> list[RankRow]:
    """The participants ranked on their goals to `on` (`campaigns.ranking` for the rules)."""
    return ranking_of(progress(campaign, on=on))


def ranking_of(found: Progress) -> list[RankRow]:
    """The ranking from a progress already read (a page shows both)."""
    rows = [
        row(
            unit.full_name,
            [
                GoalProgress(
                    cell.goal.indicator.name,
                    cell.target or Decimal(0),
                    cell.done,
                    cell.completed_on,
                )
                for cell in cells
            ],
            code=unit.code,
        )
        for unit, cells in found.rows()
    ]
    return rank(rows)


standings = ranking  # the name the pages and the demo's tests first used


def average_score(ranked: list[RankRow]) -> Decimal | None:
    """The participants' mean score: how far the campaign as a whole has come."""
    if not ranked:
        return None
    return (sum((r.score for r in ranked), Decimal(0)) / len(ranked)).quantize(
        Decimal("0.1"), ROUND_HALF_UP
    )


def current_week(campaign: Campaign, day: dt.date) -> ThemeWeek | None:
    """The themed week `day` falls in, if any."""
    return (
        campaign.weeks.filter(start__lte=day, end__gte=day).prefetch_related("indicators").first()
    )


def campaigns_for(unit: OrgUnit) -> list[Campaign]:
    """The campaigns hosted in `unit`'s subtree and those `unit` takes part in, latest first."""
    found = Campaign.objects.filter(
        Q(host__path__startswith=unit.path) | Q(participants__unit=unit)
    ).select_related("host")
    return list(found.distinct().order_by("-start", "code"))
