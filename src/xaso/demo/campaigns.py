"""Loads the demo's emulation campaigns (data/campaigns.toml): seed 002's 45 days in Trang
Giang, created and launched through `campaigns.services`, and 46 days of results entered
through `figures.services.enter_unit_figures`, as a village head's daily sheet would go.
This is the one place seed 002's campaign comes from. It runs after the plans, whose
households it splits by and whose hand-down of the villages' shares to their tổ liên gia
(plans.toml, by households) it keeps.

The participants are the commune's villages and four of its mass organisations, each given
its own shares: the household goals go to the villages by households (the split the
commune's plan makes, `figures.allocation.propose`, typed as the goal's shares), the model
residential area to Cẩm Trang and the four eco-gardens one to each organisation, by hand.
After launch the household goals are handed down again by households (`allocate`, method
"base"), so the allocation on record says how the commune split them.

The villages' results are generated, deterministically (a fixed seed), from each village's
pace in the data file: the share of its targets it reaches and the day it gets there, more
of a goal in the week themed on it, and days without work. An organisation reports its
garden the day it is finished. Each participant's total over the span, the days added up, is
entered last for the campaign's period (what the unit page shows for it). Loading twice
changes nothing: the campaign is created once, launched once, and an unchanged figure is not
rewritten.
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
from xaso.figures.allocation import allocate, propose
from xaso.figures.models import (
    AllocationMethod,
    EntryChannel,
    ResultStatus,
    Target,
    TargetSource,
)
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


def _by_households(host: OrgUnit, item: dict, indicators: dict, period: str) -> dict:
    """The villages' shares of a goal as the commune's plan splits it (by `item["by"]`)."""
    target = Target.objects.get(
        unit=host,
        indicator=indicators[item["indicator"]],
        period=period,
        source=TargetSource.CAMPAIGN,
    )  # the plans' (plans.toml), loaded before
    plan = propose(
        target,
        AllocationMethod.BASE,
        base_indicator=indicators[item["by"]],
        to_kind=UnitKind.VILLAGE,
    )
    return {share.unit.code: share.value for share in plan.shares}


def _goal(host: OrgUnit, item: dict, indicators: dict, period: str) -> GoalInput:
    indicator = indicators[item["indicator"]]
    if "by" in item:
        shares = _by_households(host, item, indicators, period)
    else:  # by hand: the last part of each unit's code under the host
        shares = {f"{host.code}.{key}": Decimal(v) for key, v in item["hand"].items()}
    return GoalInput(indicator, Decimal(item["value"]), allocate_by="hand", shares=shares)


def _load(item: dict, indicators: dict[str, Indicator]) -> Campaign:
    host = OrgUnit.objects.get(code=item["host"])
    villages = _villages(host)
    organisations = [
        OrgUnit.objects.get(code=f"{host.code}.{o['unit']}") for o in item["organisations"]
    ]
    campaign = Campaign.objects.filter(code=item["code"]).first()
    if campaign is None:
        period = f"{item['start'].isoformat()}..{item['end'].isoformat()}"
        campaign = create_campaign(
            host=host,
            code=item["code"],
            name=item["name"],
            start=item["start"],
            end=item["end"],
            cadence=item["cadence"],
            purpose=item.get("purpose", ""),
            goals=[_goal(host, g, indicators, period) for g in item["goals"]],
            participants=villages + organisations,
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
    _by_base(campaign, {g["indicator"]: g for g in item["goals"]}, indicators)
    days = _village_days(campaign, villages, item) | _organisation_days(
        campaign, organisations, item
    )
    _enter(days)
    _enter_totals(campaign, villages + organisations, days)
    return campaign


def _by_base(campaign: Campaign, how: dict, indicators: dict) -> None:
    """The household goals handed down again by households: the same shares, recorded as
    the commune's plan made them (method "base")."""
    for goal in campaign.goals.select_related("indicator", "target"):
        if "by" in how[goal.indicator.code]:
            allocate(
                target=goal.target, method=AllocationMethod.BASE,
                base_indicator=indicators[how[goal.indicator.code]["by"]],
                to_kind=UnitKind.VILLAGE, channel=EntryChannel.DEMO,
            )  # fmt: skip


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


def _enter(sheets: dict[tuple[OrgUnit, dt.date], dict]) -> None:
    """Each unit's day as one sheet, day by day."""
    with subtotals.deferred():
        for (unit, day), entries in sorted(
            sheets.items(), key=lambda kv: (kv[0][1], kv[0][0].path)
        ):
            enter_unit_figures(
                unit=unit,
                period=f"{day.isoformat()}..{day.isoformat()}",
                entries=entries,
                channel=EntryChannel.DEMO,
            )


def _village_days(campaign: Campaign, villages: list[OrgUnit], item: dict) -> dict:
    rng = random.Random(item["seed"])
    targets = {
        (t.unit_id, t.indicator_id): int(t.value)
        for t in Target.objects.filter(unit__in=villages, period=campaign.period_code)
    }
    # The goals handed to villages (not the organisations' gardens), in the data's order.
    goals = [
        goal
        for goal in campaign.goals.select_related("indicator")
        if any((v.pk, goal.indicator_id) in targets for v in villages)
    ]
    weeks = list(campaign.weeks.prefetch_related("indicators"))
    pushed = {
        campaign.start + dt.timedelta(days=offset): {
            i.pk for w in weeks if w.start <= campaign.start + dt.timedelta(days=offset) <= w.end
            for i in w.indicators.all()
        }
        for offset in range(campaign.days)
    }  # fmt: skip
    pace = {p["village"]: p for p in item["pace"]}
    sheets: dict[tuple[OrgUnit, dt.date], dict] = {}
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
                    sheets.setdefault((village, day), {})[goal.indicator] = entry
    return sheets


def _organisation_days(campaign: Campaign, organisations: list[OrgUnit], item: dict) -> dict:
    """Each organisation's garden, reported the day it is finished (none if it is not)."""
    goals = {g.indicator.code: g.indicator for g in campaign.goals.select_related("indicator")}
    done = {f"{campaign.host.code}.{o['unit']}": o for o in item["organisations"]}
    sheets = {
        (unit, done[unit.code]["finished"]): {
            goals[done[unit.code]["indicator"]]: ("1", ResultStatus.FINAL)
        }
        for unit in organisations
        if "finished" in done[unit.code]
    }
    return sheets


def _enter_totals(campaign: Campaign, units: list[OrgUnit], days: dict) -> None:
    """Each participant's total over the span for each goal it was given (0 if it did
    nothing), as the closing report states it: what the unit page shows for the campaign's
    period. The campaign's own reads add up the days (`campaigns.selectors`), not this."""
    given = Target.objects.filter(unit__in=units, period=campaign.period_code).select_related(
        "indicator"
    )
    totals: dict[OrgUnit, dict] = {}
    by_pk = {unit.pk: unit for unit in units}
    for target in given:
        unit = by_pk[target.unit_id]
        total = sum(
            int(entries[target.indicator][0])
            for (who, _), entries in days.items()
            if who == unit and target.indicator in entries
        )
        totals.setdefault(unit, {})[target.indicator] = (str(total), ResultStatus.FINAL)
    with subtotals.deferred():
        for unit in sorted(totals, key=lambda unit: unit.path):
            enter_unit_figures(
                unit=unit,
                period=campaign.period_code,
                entries=totals[unit],
                channel=EntryChannel.DEMO,
            )
