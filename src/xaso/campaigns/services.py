"""Creating, launching and closing a campaign, through the services that already plan and
report.

Launching writes, in one transaction, for each goal: the host's target of source "campaign"
for the campaign's span (`figures.services.set_target`), then its shares for the
participants. `figures.allocation.allocate` hands a target only to the host's children or to
every descendant of one kind (`allocation.recipients`), so:

- "equal" (the default): split equally (`figures.shares.split_equally`, whole units kept
  whole: 77 gardens for three villages are 26, 26, 25) and handed over by `allocate` as
  shares given by hand (method "hand") when the participants are all children of the host
  or all of one kind — a chosen subset included, since a unit given no share is simply left
  out; the allocation is recorded as any other.
- participants of mixed kinds and levels (villages beside a mass organisation, or groups of
  one village beside whole villages): `allocate` cannot reach that set, so each share is
  written as the participant's own target with `set_target(..., allocated_from=<host
  target>)` — the same rows, audited, traceable to the host's target — without an
  `Allocation` record (there is no one method that produced it).
- "base:<indicator code>" (households, say): `allocate(method="base")` to the children or
  the descendants of the participants' kind; allowed only when the participants are exactly
  that set, since a base split cannot leave a recipient out.

- "hand": a share typed for each participant (`GoalInput.shares`, kept on the goal as
  `CampaignGoal.shares`): handed over the same two ways as "equal" — by `allocate` (method
  "hand") when it reaches the participants, else as each participant's own target. A
  participant given no share (or 0) gets no target, so the goal does not count in its score
  (`ranking.score` leaves out goals without a target). The shares of a summed indicator add
  up to the goal exactly; a count's are whole; none is negative or for a non-participant.

Then the reporting form the participants report on, daily (20:00 the same day) or each
Friday at 17:00 (`reporting.definitions.define_form`). Launching twice changes nothing the
second time; a closed campaign is not launched again.
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
from xaso.catalog.models import Indicator, Rollup
from xaso.figures.allocation import allocate, recipients
from xaso.figures.models import AllocationMethod, TargetSource
from xaso.figures.services import set_target
from xaso.figures.shares import quantum_for, split_equally
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.reporting.definitions import define_form
from xaso.vn.numbers import format_number

MAX_DAYS = 366


@dataclass
class GoalInput:
    indicator: Indicator
    value: Decimal
    allocate_by: str = "equal"
    shares: dict[str, Decimal] = field(default_factory=dict)  # "hand": unit code → share


@dataclass
class WeekInput:
    number: int
    start: dt.date
    end: dt.date
    theme: str
    indicators: list[Indicator] = field(default_factory=list)


def _to_kind(host: OrgUnit, units: list[OrgUnit]) -> str | None:
    """How `allocate` reaches these participants: "" (the host's children), a kind (the
    descendants of that kind), or None (a mixed set it cannot reach)."""
    if all(unit.depth == host.depth + 1 for unit in units):
        return ""
    kinds = {unit.kind for unit in units}
    return kinds.pop() if len(kinds) == 1 else None


def _base_code(allocate_by: str) -> str | None:
    return allocate_by.removeprefix("base:") if allocate_by.startswith("base:") else None


def _shown(value: Decimal) -> str:
    """A number the Vietnamese way with every decimal it has ("3", "1,25")."""
    exponent = Decimal(value).normalize().as_tuple().exponent
    places = min(-exponent, 6) if isinstance(exponent, int) and exponent < 0 else 0
    return format_number(value, decimals=places)


def _check_shares(goal: GoalInput, participants) -> str | None:
    """What is wrong with a goal's shares typed by hand, if anything."""
    if not participants:
        return None  # the participants' own error is shown
    names = {unit.code: unit.full_name for unit in participants}
    strangers = [code for code in goal.shares if code not in names]
    if strangers:
        known = {u.code: u.full_name for u in OrgUnit.objects.filter(code__in=strangers)}
        shown = ", ".join(known.get(code, f"«{code}»") for code in strangers)
        return f"{shown} không tham gia phong trào, không nhận phần giao."
    shares = {code: Decimal(share) for code, share in goal.shares.items()}
    for code, share in shares.items():
        if share < 0:
            return f"phần giao của {names[code]} không được âm."
        if goal.indicator.whole_numbers and share != share.to_integral_value():
            return f"phần giao của {names[code]} phải là số nguyên ({_shown(share)})."
    total = sum(shares.values(), Decimal(0))
    if goal.indicator.rollup == Rollup.SUM and total != Decimal(goal.value):
        return f"Tổng phần giao {_shown(total)} khác chỉ tiêu {_shown(goal.value)}."
    return None


def _check_goals(host, goals, participants) -> str | None:
    if not goals:
        return "Phong trào cần ít nhất một chỉ tiêu phát động."
    if len({goal.indicator.pk for goal in goals}) < len(goals):
        return "Mỗi chỉ tiêu chỉ được phát động một lần."
    for goal in goals:
        name = goal.indicator.name
        if goal.value is None or Decimal(goal.value) < 0:
            return f"{name}: chỉ tiêu không được âm."
        code = _base_code(goal.allocate_by)
        if goal.allocate_by == "hand":
            if message := _check_shares(goal, participants):
                return f"{name}: {message}"
            continue
        if goal.shares:
            return f"{name}: phần giao từng đơn vị chỉ nhập khi chọn cách phân bổ nhập tay."
        if goal.allocate_by != "equal" and code is None:
            return f"{name}: không có cách phân bổ «{goal.allocate_by}»."
        if code is not None and participants:
            if not Indicator.objects.filter(code=code).exists():
                return f"{name}: không có số liệu gốc mã «{code}» để chia."
            to_kind = _to_kind(host, participants)
            everyone = set() if to_kind is None else {u.pk for u in recipients(host, to_kind)}
            if everyone != {unit.pk for unit in participants}:
                return (
                    f"{name}: chia theo số liệu gốc chỉ khi các đơn vị tham gia là tất cả "
                    f"đơn vị trực thuộc (hoặc tất cả đơn vị cùng loại) của {host.full_name}."
                )
    return None


def _check_participants(host, participants) -> str | None:
    if not participants:
        return "Phong trào cần ít nhất một đơn vị tham gia."
    outside = [
        unit.full_name
        for unit in participants
        if unit.pk == host.pk or not unit.path.startswith(host.path)
    ]
    if outside:
        return (
            f"Không thuộc {host.full_name}: {', '.join(outside)} "
            "(đơn vị tham gia là đơn vị cấp dưới của đơn vị phát động)."
        )
    if len({unit.pk for unit in participants}) < len(participants):
        return "Mỗi đơn vị chỉ tham gia một lần."
    nested = [
        f"{inner.full_name} thuộc {outer.full_name}"
        for outer in participants
        for inner in participants
        if inner.pk != outer.pk and inner.path.startswith(outer.path)
    ]
    if nested:
        return (
            f"{'; '.join(nested)}: một đơn vị tham gia không nằm trong đơn vị tham gia khác "
            "(kết quả sẽ bị tính hai lần)."
        )
    return None


def _check(host, start, end, goals, participants, weeks) -> dict[str, str]:
    errors = {}
    if end < start:
        errors["end"] = "Ngày kết thúc phải sau ngày bắt đầu."
    elif (end - start).days + 1 > MAX_DAYS:
        errors["end"] = f"Một đợt thi đua dài tối đa {MAX_DAYS} ngày."
    if message := _check_participants(host, participants):
        errors["participants"] = message
    if message := _check_goals(host, goals, [] if "participants" in errors else participants):
        errors["goals"] = message
    numbers = [week.number for week in weeks]
    if len(set(numbers)) < len(numbers):
        errors["weeks"] = "Mỗi số tuần chỉ dùng một lần."
    days = sorted(weeks, key=lambda week: week.start)
    for week in days:
        if week.end < week.start:
            errors["weeks"] = f"Tuần {week.number}: ngày kết thúc trước ngày bắt đầu."
        elif week.start < start or week.end > end:
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
    if not code or Campaign.objects.filter(code=code).exists():
        errors["code"] = f"Mã phong trào «{code}» {'đã được dùng' if code else 'còn trống'}."
    if not name.strip():
        errors["name"] = "Hãy đặt tên phong trào."
    if cadence not in Cadence.values:
        errors["cadence"] = "Chế độ báo cáo là hằng ngày hoặc thứ Sáu hằng tuần."
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
                shares={code: str(share) for code, share in goal.shares.items()},
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


def _typed(share: Decimal) -> str:
    """A share as `allocate` reads typed values: a decimal comma, no thousands dots."""
    return format(share.normalize(), "f").replace(".", ",")


def _hand_down(target, goal: CampaignGoal, units: list[OrgUnit], *, user, channel) -> None:
    """The goal's shares for the participants (the module's docstring says how)."""
    host = target.unit
    to_kind = _to_kind(host, units)
    code = _base_code(goal.allocate_by)
    if code is not None:
        allocate(
            target=target, method=AllocationMethod.BASE, to_kind=to_kind or "",
            base_indicator=Indicator.objects.get(code=code), user=user, channel=channel,
        )  # fmt: skip
        return
    if goal.allocate_by == "hand":
        typed = {code: Decimal(share) for code, share in goal.shares.items()}
        shares = {unit: typed[unit.code] for unit in units if typed.get(unit.code)}
    else:
        quantum = quantum_for(goal.value, whole=goal.indicator.whole_numbers)
        shares = dict(zip(units, split_equally(goal.value, len(units), quantum), strict=True))
    shares = {unit: share for unit, share in shares.items() if share > 0}  # 0: no target
    if not shares:
        return
    if to_kind is not None:
        allocate(
            target=target, method=AllocationMethod.HAND, to_kind=to_kind, user=user,
            channel=channel, values={unit.code: _typed(share) for unit, share in shares.items()},
        )  # fmt: skip
        return
    for unit, share in shares.items():  # a mixed set: each participant's own target
        set_target(
            unit=unit, indicator=goal.indicator, period=target.as_period,
            source=TargetSource.CAMPAIGN, value=share, user=user, channel=channel,
            reason=f"Phân bổ từ chỉ tiêu phát động của {host.full_name}",
            allocated_from=target,
        )  # fmt: skip


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
            _hand_down(target, goal, units, user=user, channel=channel)
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


def close_campaign(campaign: Campaign, *, user=None, channel: str = "form") -> Campaign:
    """The campaign ends (its results stay; the closing review is another step). Closing
    twice closes once; a campaign never launched is not closed."""
    if user is not None:
        policy.require_manage(user, campaign.host, what="tổng kết phong trào thi đua")
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status == CampaignStatus.CLOSED:
            return campaign
        if campaign.status != CampaignStatus.LAUNCHED:
            raise ValidationError({"status": "Phong trào chưa phát động, chưa thể tổng kết."})
        campaign.status, campaign.closed_at = CampaignStatus.CLOSED, timezone.now()
        campaign.save(update_fields=["status", "closed_at"])
        audit_record(
            entity=Entity.CAMPAIGN, object_id=campaign.pk, unit=campaign.host,
            action=Action.UPDATE, old={"status": CampaignStatus.LAUNCHED},
            new={"status": CampaignStatus.CLOSED}, user=user, channel=channel,
        )  # fmt: skip
    return campaign
