"""Loads the demo's emulation campaigns (data/campaigns.toml): seed 002's 45 days in Trang
Giang, created and launched through `campaigns.services`, the commune's targets handed down
to the villages by households (as its plan does) or by hand through `figures.allocation`,
and 46 days of village results entered through `figures.services.enter_unit_figures`, as a
village head's daily sheet would go. It runs after the plans, whose households it splits by.

The results are generated, deterministically (a fixed seed), from each village's pace in
the data file: the share of its targets it reaches and the day it gets there, more of a
goal in the week themed on it, and days without work. Loading twice changes nothing: the
campaign is created once, launched once, and an unchanged figure is not rewritten.
"""

import datetime as dt
import random
import tomllib
from decimal import Decimal
from pathlib import Path

from xaso.campaigns.models import Campaign
from xaso.campaigns.services import GoalInput, WeekInput, create_campaign, launch_campaign
from xaso.catalog.models import Indicator
from xaso.figures import subtotals
from xaso.figures.allocation import allocate
from xaso.figures.models import AllocationMethod, EntryChannel, ResultStatus, Target
from xaso.figures.services import enter_unit_figures
from xaso.org.models import OrgUnit, UnitKind

DATA = Path(__file__).parent / "data"
WEEK_PUSH = 3  # a goal's work in the week themed on it, against an ordinary week
REST = 0.25  # the chance that a village reports nothing on a day


def _read() -> dict:
    with (DATA / "campaigns.toml").open("rb") as handle:
        return tomllib.load(handle)


def load_campaigns() -> list[Campaign]:
    indicators = {i.code: i for i in Indicator.objects.all()}  # the plans' households too
    return [_load(item, indicators) for item in _read().get("campaigns", [])]


def _villages(host: OrgUnit) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(
            path__startswith=host.path, depth=host.depth + 1, kind=UnitKind.VILLAGE
        ).order_by("path")
    )


def _load(item: dict, indicators: dict[str, Indicator]) -> Campaign:
    host = OrgUnit.objects.get(code=item["host"])
    villages = _villages(host)
    goals = [GoalInput(indicators[g["indicator"]], Decimal(g["value"])) for g in item["goals"]]
    campaign = Campaign.objects.filter(code=item["code"]).first()
    if campaign is None:
        campaign = create_campaign(
            host=host,
            code=item["code"],
            name=item["name"],
            start=item["start"],
            end=item["end"],
            cadence=item["cadence"],
            purpose=item.get("purpose", ""),
            goals=goals,
            participants=villages,
            weeks=[
                WeekInput(
                    w["number"],
                    w["start"],
                    w["end"],
                    w["theme"],
                    [indicators[code] for code in w.get("indicators", [])],
                )
                for w in item.get("weeks", [])
            ],
            channel=EntryChannel.DEMO,
        )
    campaign = launch_campaign(campaign, channel=EntryChannel.DEMO)
    _hand_down(campaign, villages, {g["indicator"]: g for g in item["goals"]}, indicators)
    _results(campaign, villages, item)
    return campaign


def _hand_down(campaign: Campaign, villages: list[OrgUnit], how: dict, indicators: dict) -> None:
    """Launch splits equally; the commune hands its targets down its own way instead."""
    for goal in campaign.goals.select_related("indicator", "target"):
        item = how[goal.indicator.code]
        if "by" in item:
            allocate(
                target=goal.target, method=AllocationMethod.BASE,
                base_indicator=indicators[item["by"]], to_kind=UnitKind.VILLAGE,
                channel=EntryChannel.DEMO,
            )  # fmt: skip
        elif "hand" in item:
            values = {v.code: str(item["hand"].get(v.name, 0)) for v in villages}
            allocate(
                target=goal.target,
                method=AllocationMethod.HAND,
                values=values,
                channel=EntryChannel.DEMO,
            )


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` over the days in proportion to their weights, whole, adding up exactly."""
    whole = sum(weights)
    if not total or not whole:
        return [0] * len(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _results(campaign: Campaign, villages: list[OrgUnit], item: dict) -> None:
    rng = random.Random(item["seed"])
    goals = list(campaign.goals.select_related("indicator"))
    targets = {
        (t.unit_id, t.indicator_id): int(t.value)
        for t in Target.objects.filter(unit__in=villages, period=campaign.period_code)
    }
    weeks = list(campaign.weeks.prefetch_related("indicators"))
    pushed = {
        campaign.start + dt.timedelta(days=offset): {
            i.pk for w in weeks if w.start <= campaign.start + dt.timedelta(days=offset) <= w.end
            for i in w.indicators.all()
        }
        for offset in range(campaign.days)
    }  # fmt: skip
    pace = {p["village"]: p for p in item["pace"]}
    sheets: dict[tuple[int, dt.date], dict] = {}
    for village in villages:
        reach, by_day = pace[village.name]["reach"], pace[village.name]["by_day"]
        days = [campaign.start + dt.timedelta(days=n) for n in range(by_day)]
        working = [rng.random() >= REST for _ in days]
        for goal in goals:
            target = targets.get((village.pk, goal.indicator_id), 0)
            if reach >= 1:
                total = max(target, round(target * reach))
            else:
                total = min(round(target * reach * rng.uniform(0.8, 1.2)), max(target - 1, 0))
            weights = [
                (rng.uniform(0.2, 1.0) * (WEEK_PUSH if goal.indicator_id in pushed[day] else 1))
                if works
                else 0.0
                for day, works in zip(days, working, strict=True)
            ]
            for day, value in zip(days, _split(total, weights), strict=True):
                if value:
                    entry = (str(value), ResultStatus.FINAL)
                    sheets.setdefault((village.pk, day), {})[goal.indicator] = entry
    units = {v.pk: v for v in villages}
    with subtotals.deferred():
        for (unit_id, day), entries in sorted(sheets.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            enter_unit_figures(
                unit=units[unit_id],
                period=f"{day.isoformat()}..{day.isoformat()}",
                entries=entries,
                channel=EntryChannel.DEMO,
            )
