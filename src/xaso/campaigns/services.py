"""Creating and launching a campaign, through the services that already plan and report.

Launching writes, in one transaction: for each goal, the host's target of source "campaign"
for the campaign's span (`figures.services.set_target`), handed to the participants by
`figures.allocation.allocate` — as shares given by hand, split equally here
(`figures.shares.split_equally`), since the participants are a chosen set, not every child —
and the reporting form the participants report on, daily or each Friday
(`reporting.definitions.define_form`). Launching twice changes nothing the second time.

Not yet (issue 17, next session): goals split by a base figure (households) or by hand,
participants of different levels in one campaign (allocation hands a target to the host's
children or to every descendant of one kind), the closing review.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xaso.audit.models import Action, Entity
from xaso.audit.services import audit_record
from xaso.campaigns.models import (
    Cadence,
    Campaign,
    CampaignGoal,
    CampaignStatus,
    Participant,
    ThemeWeek,
)
from xaso.catalog.models import Indicator
from xaso.figures.allocation import allocate
from xaso.figures.models import TargetSource
from xaso.figures.services import set_target
from xaso.figures.shares import quantum_for, split_equally
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.reporting.definitions import define_form

MAX_DAYS = 366


@dataclass
class GoalInput:
    indicator: Indicator
    value: Decimal
    allocate_by: str = "equal"


@dataclass
class WeekInput:
    number: int
    start: dt.date
    end: dt.date
    theme: str
    indicators: list[Indicator] = field(default_factory=list)


def _check(host, start, end, goals, participants, weeks) -> dict[str, str]:
    errors = {}
    if end < start:
        errors["end"] = "Ngày kết thúc phải sau ngày bắt đầu."
    elif (end - start).days + 1 > MAX_DAYS:
        errors["end"] = f"Một đợt thi đua dài tối đa {MAX_DAYS} ngày."
    if not goals:
        errors["goals"] = "Phong trào cần ít nhất một chỉ tiêu phát động."
    for goal in goals:
        if goal.value < 0:
            errors["goals"] = f"{goal.indicator.name}: chỉ tiêu không được âm."
        if goal.allocate_by != "equal":
            errors["goals"] = (
                f"{goal.indicator.name}: chưa hỗ trợ cách phân bổ «{goal.allocate_by}»."
            )
    if len({goal.indicator.pk for goal in goals}) < len(goals):
        errors["goals"] = "Mỗi chỉ tiêu chỉ được phát động một lần."
    if not participants:
        errors["participants"] = "Phong trào cần ít nhất một đơn vị tham gia."
    outside = [
        unit.full_name
        for unit in participants
        if unit.pk == host.pk or not unit.path.startswith(host.path)
    ]
    if outside:
        errors["participants"] = (
            f"Không thuộc {host.full_name}: {', '.join(outside)} "
            "(đơn vị tham gia là đơn vị cấp dưới của đơn vị phát động)."
        )
    if len({unit.kind for unit in participants}) > 1 or any(
        unit.depth != host.depth + 1 for unit in participants
    ):
        errors.setdefault(
            "participants",
            "Các đơn vị tham gia cần cùng là đơn vị trực thuộc của đơn vị phát động.",
        )
    days = sorted(weeks, key=lambda week: week.start)
    for week in days:
        if week.start < start or week.end > end or week.end < week.start:
            errors["weeks"] = f"Tuần {week.number}: phải nằm trong đợt thi đua."
    for before, after in pairwise(days):
        if after.start <= before.end:
            errors["weeks"] = f"Tuần {before.number} và tuần {after.number} trùng ngày."
    return errors


def create_campaign(
    *,
    host: OrgUnit,
    code: str,
    name: str,
    start: dt.date,
    end: dt.date,
    cadence: str,
    goals: list[GoalInput],
    participants: list[OrgUnit],
    purpose: str = "",
    weeks: list[WeekInput] = (),
    user=None,
    channel: str = "form",
) -> Campaign:
    """A campaign in preparation. All or nothing; errors name the field, in Vietnamese."""
    if user is not None:
        policy.require_manage(user, host, what="phát động phong trào thi đua")
    errors = _check(host, start, end, goals, participants, weeks)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        author = user if user is not None and user.is_authenticated else None
        campaign = Campaign(
            host=host, code=code, name=name, purpose=purpose, start=start, end=end,
            cadence=cadence, created_by=author,
        )  # fmt: skip
        campaign.full_clean()
        campaign.save()
        for position, goal in enumerate(goals):
            CampaignGoal.objects.create(
                campaign=campaign, indicator=goal.indicator, value=goal.value,
                allocate_by=goal.allocate_by, position=position,
            )  # fmt: skip
        Participant.objects.bulk_create(
            [Participant(campaign=campaign, unit=unit) for unit in participants]
        )
        for week in weeks:
            theme = ThemeWeek.objects.create(
                campaign=campaign, number=week.number, start=week.start, end=week.end,
                theme=week.theme,
            )  # fmt: skip
            theme.indicators.set(week.indicators)
        audit_record(
            entity=Entity.CAMPAIGN, object_id=campaign.pk, unit=host, action=Action.CREATE,
            old=None, new={"code": code, "name": name, "start": start, "end": end,
                           "goals": {g.indicator.code: g.value for g in goals},
                           "participants": [u.code for u in participants]},
            user=user, channel=channel,
        )  # fmt: skip
    return campaign


def launch_campaign(campaign: Campaign, *, user=None, channel: str = "form") -> Campaign:
    """The host's targets, their shares for the participants, and the reporting form."""
    if user is not None:
        policy.require_manage(user, campaign.host, what="phát động phong trào thi đua")
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status == CampaignStatus.LAUNCHED:
            return campaign  # sent twice: launched once
        if campaign.status == CampaignStatus.CLOSED:
            raise ValidationError({"status": "Phong trào đã tổng kết, không phát động lại."})
        units = [
            p.unit for p in campaign.participants.select_related("unit").order_by("unit__path")
        ]
        goals = list(campaign.goals.select_related("indicator"))
        for goal in goals:
            target = set_target(
                unit=campaign.host, indicator=goal.indicator, period=campaign.period_code,
                source=TargetSource.CAMPAIGN, value=goal.value, user=user, channel=channel,
            )  # fmt: skip
            quantum = quantum_for(goal.value, whole=goal.indicator.whole_numbers)
            shares = split_equally(goal.value, len(units), quantum)
            allocate(
                target=target, method="hand", user=user, channel=channel,
                values={unit.code: str(share) for unit, share in zip(units, shares, strict=True)},
            )  # fmt: skip
            goal.target = target
            goal.save(update_fields=["target"])
        daily = campaign.cadence == Cadence.DAILY
        campaign.form = define_form(
            code=f"phong-trao-{campaign.code}"[:64],
            name=f"Báo cáo {'hằng ngày' if daily else 'hằng tuần'}: {campaign.name}"[:200],
            reviewer=campaign.host,
            period_type="day" if daily else "week",
            deadline_rule="after:0d@20:00" if daily else "fri@17:00",
            indicators=[(goal.indicator, "") for goal in goals],
            reporter_units=units,
            span=(campaign.start, campaign.end),
            user=user,
        )
        campaign.status, campaign.launched_at = CampaignStatus.LAUNCHED, timezone.now()
        campaign.save(update_fields=["form", "status", "launched_at"])
        audit_record(
            entity=Entity.CAMPAIGN, object_id=campaign.pk, unit=campaign.host,
            action=Action.UPDATE, old={"status": CampaignStatus.DRAFT},
            new={"status": CampaignStatus.LAUNCHED, "form": campaign.form.code},
            user=user, channel=channel,
        )  # fmt: skip
    return campaign
