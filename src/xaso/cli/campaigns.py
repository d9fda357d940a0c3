"""`xaso campaigns` and `xaso campaign-rank`: a unit's emulation campaigns (hosted in its
subtree, or taken part in) and a campaign's ranking (issue 17), read through
`campaigns.selectors` as the pages are. JSON: the issue's keys, with a few more ("code",
"host", "status"; "rank", "completed_on"; each lacking goal as {"indicator", "missing"}).
"progress" is the participants' mean score (each goal capped at 100%)."""

import json

from xaso.cli.common import CommandError, setup_django
from xaso.cli.units import acting_user, add_as_option, resolve_readable_unit


def _number(value):
    from xaso.vn.numbers import plain_number

    return plain_number(value)


def cmd_campaigns(args) -> int:
    setup_django()
    from xaso.campaigns.selectors import average_score, campaigns_for, ranking
    from xaso.org import policy

    unit = resolve_readable_unit(args.unit, args.as_user)
    user = acting_user(args.as_user)
    rows = []
    for campaign in campaigns_for(unit):
        # A campaign hosted above the unit: its name only, unless the host may be read (the
        # other participants' standing is the host's, as on the unit's campaigns page).
        readable = user is None or policy.can_read(user, campaign.host)
        ranked = ranking(campaign) if readable else []
        rows.append(
            {
                "code": campaign.code,
                "name": campaign.name,
                "host": campaign.host.full_name,
                "span": campaign.period_code,
                "status": campaign.status,
                "progress": _number(average_score(ranked)) if readable else None,
                "participants": [
                    p.unit.full_name
                    for p in campaign.participants.select_related("unit").order_by("unit__path")
                ]
                if readable
                else None,
            }
        )
    if args.json:
        print(json.dumps({"campaigns": rows}, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(f"{unit.full_name} chưa có phong trào thi đua nào.")
    for row in rows:
        start, end = row["span"].split("..")
        print(f"{row['name']} ({row['code']}) — {row['host']}, {_day(start)}–{_day(end)}")
        if row["participants"] is not None:
            count = len(row["participants"])
            print(f"    {count} đơn vị tham gia, bình quân đạt {_percent(row)}")
    return 0


def cmd_campaign_rank(args) -> int:
    setup_django()
    from xaso.campaigns.models import Campaign
    from xaso.campaigns.selectors import ranking
    from xaso.formkit import read_day
    from xaso.org import policy
    from xaso.vn.numbers import format_number, format_percent

    campaign = Campaign.objects.select_related("host").filter(code=args.campaign).first()
    if campaign is None:
        raise CommandError(f"Không có phong trào mã ‘{args.campaign}’.")
    user = acting_user(args.as_user)
    if user is not None and not policy.can_read(user, campaign.host):
        raise CommandError(f"Người dùng {user.username} không có quyền xem {campaign.host}.")
    try:
        on = read_day(args.date) if args.date else None
    except ValueError as error:
        raise CommandError(f"--date: {error}") from None
    ranked = ranking(campaign, on=on)
    if args.json:
        rows = [
            {
                "rank": row.rank,
                "unit": row.unit,
                "score": _number(row.score),
                "completed": row.completed,
                "completed_on": row.completed_on.isoformat() if row.completed_on else None,
                "lacking": [
                    {"indicator": name, "missing": _number(missing)}
                    for name, missing in row.lacking
                ],
            }
            for row in ranked
        ]
        print(json.dumps({"ranking": rows}, ensure_ascii=False, indent=2))
        return 0
    print(f"{campaign.name} — xếp hạng{f' đến ngày {on:%d/%m/%Y}' if on else ''}")
    for row in ranked:
        lacking = "; ".join(f"{name} còn {format_number(m)}" for name, m in row.lacking)
        done = f", hoàn thành {row.completed} chỉ tiêu" if row.completed else ""
        print(f"{row.rank:>3}. {row.unit}: {format_percent(row.score)}{done}")
        if lacking:
            print(f"     {lacking}")
    return 0


def cmd_campaign_close(args) -> int:
    """The closing review: ranking, praise and reminders; the decision and scores as files;
    with --close, the campaign closed (managers of the host)."""
    setup_django()
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils import timezone

    from xaso.campaigns.closing import closing_review, read_thresholds
    from xaso.campaigns.decision import decision_docx
    from xaso.campaigns.models import Campaign
    from xaso.campaigns.scores import scores_xlsx
    from xaso.campaigns.services import close_campaign
    from xaso.org import policy

    campaign = Campaign.objects.select_related("host").filter(code=args.campaign).first()
    if campaign is None:
        raise CommandError(f"Không có phong trào mã ‘{args.campaign}’.")
    user = acting_user(args.as_user)
    if user is not None and not policy.can_read(user, campaign.host):
        raise CommandError(f"Người dùng {user.username} không có quyền xem {campaign.host}.")
    try:
        praise, remind = read_thresholds(args.praise or "", args.remind or "")
        if args.close:
            campaign = close_campaign(campaign, user=user, channel="cli")
    except ValidationError as error:
        fields = {"praise_from": "--bieu-duong", "remind_below": "--nhac-nho"}
        raise CommandError(
            "; ".join(f"{fields.get(k, k)}: {' '.join(v)}" for k, v in error.message_dict.items())
        ) from None
    except PermissionDenied as error:
        raise CommandError(str(error)) from None
    closing = closing_review(campaign, praise_from=praise, remind_below=remind)
    if args.decision:
        with open(args.decision, "wb") as out:
            out.write(decision_docx(closing, timezone.localdate()))
    if args.scores:
        with open(args.scores, "wb") as out:
            out.write(scores_xlsx(closing))
    if args.json:
        rows = [
            {
                "rank": row.ranked.rank,
                "unit": row.unit.full_name,
                "score": _number(row.ranked.score),
                "completed": row.ranked.completed,
                "goals": row.goals,
                "verdict": row.verdict or None,
            }
            for row in closing.rows
        ]
        print(
            json.dumps(
                {"final": closing.final, "status": campaign.status, "ranking": rows},
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    state = "kết quả cuối đợt" if closing.final else "tạm tính"
    print(f"Tổng kết {campaign.name} ({state}, đến ngày {closing.progress.on:%d/%m/%Y})")
    for title, rows in (("Biểu dương", closing.praised), ("Nhắc nhở", closing.reminded)):
        names = ", ".join(row.unit.full_name for row in rows) or "không có"
        print(f"{title}: {names}")
    return 0


def _day(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def _percent(row) -> str:
    from decimal import Decimal

    from xaso.vn.numbers import format_percent

    return format_percent(Decimal(str(row["progress"])))


def add_campaigns(sub) -> None:
    command = sub.add_parser("campaigns", help="a unit's emulation campaigns")
    command.add_argument("unit", help="code or name, e.g. 'Trang Giang'")
    command.add_argument("--json", action="store_true")
    add_as_option(command)
    command.set_defaults(func=cmd_campaigns)


def add_campaign_rank(sub) -> None:
    command = sub.add_parser("campaign-rank", help="a campaign's ranking of its participants")
    command.add_argument("campaign", help="the campaign's code")
    command.add_argument("--date", help="the standing on this day, dd/mm/yyyy (default: the end)")
    command.add_argument("--json", action="store_true")
    add_as_option(command)
    command.set_defaults(func=cmd_campaign_rank)


def add_campaign_close(sub) -> None:
    command = sub.add_parser("campaign-close", help="a campaign's closing review")
    command.add_argument("campaign", help="the campaign's code")
    command.add_argument("--bieu-duong", dest="praise", help="praise from this score (100)")
    command.add_argument("--nhac-nho", dest="remind", help="remind below this score (50)")
    command.add_argument("--decision", metavar="FILE", help="write the draft decision (.docx)")
    command.add_argument("--scores", metavar="FILE", help="write the scores (.xlsx)")
    command.add_argument("--close", action="store_true", help="close the campaign first")
    command.add_argument("--json", action="store_true")
    add_as_option(command)
    command.set_defaults(func=cmd_campaign_close)
