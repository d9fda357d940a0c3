"""The loudspeaker bulletin: a short text per participant for a day, to be read out on the
village loudspeakers ("Thôn Cẩm Trang hôm nay: …; lũy kế: …"), from that day's results and
the running totals against the participant's campaign targets. One query for the day and
the days before it, one for the targets."""

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from xaso.campaigns.models import Campaign
from xaso.campaigns.selectors import daily_results
from xaso.figures.models import Target
from xaso.org.models import OrgUnit
from xaso.vn.numbers import format_number, format_percent, format_quantity


def _lower(name: str) -> str:
    return name[:1].lower() + name[1:]


def _done(value: Decimal, indicator) -> str:
    """ "40 m hàng rào xanh"; "2 vườn hộ", not "2 vườn vườn hộ", when the name starts with
    its unit."""
    name = _lower(indicator.name)
    if name.startswith(f"{indicator.unit_name} "):
        return f"{format_number(value)} {name}"
    return f"{format_quantity(value, indicator.unit_name)} {name}"


def bulletin(campaign: Campaign, unit: OrgUnit, day: dt.date) -> str:
    goals = list(campaign.goals.select_related("indicator"))
    targets = {
        t.indicator_id: t.value
        for t in Target.objects.filter(
            unit=unit, period=campaign.period_code, indicator__in=[g.indicator for g in goals]
        )
    }
    today: dict[int, Decimal] = defaultdict(Decimal)
    total: dict[int, Decimal] = defaultdict(Decimal)
    for indicator_id, value, end in daily_results(campaign, [unit], day):
        total[indicator_id] += value
        if end == day:
            today[indicator_id] += value
    head = f"{unit.full_name} hôm nay ({day:%d/%m/%Y}): "
    done = [_done(today[g.indicator_id], g.indicator) for g in goals if today.get(g.indicator_id)]
    text = head + ("; ".join(done) if done else "chưa có kết quả báo về")
    shares = []
    for goal in goals:
        target = targets.get(goal.indicator_id)
        if not target:
            continue
        percent = (total[goal.indicator_id] * 100 / target).quantize(Decimal("0.1"), ROUND_HALF_UP)
        shares.append(f"{_lower(goal.indicator.name)} {format_percent(percent)} chỉ tiêu")
    if shares:
        text += ". Lũy kế từ đầu đợt: " + ", ".join(shares)
    return text + "."
