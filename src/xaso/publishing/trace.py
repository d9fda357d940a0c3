"""Where each number of a report came from: the entries behind it.

A figure entered at the unit is traced to its own entry; a figure rolled up from below to its
children's entries (each child's own figure, or the subtotal it stands on, said as such).
Who entered it, when, by which path, and in which report form's submission. Two levels and
not the whole subtree, so a province's report lists its communes, not their villages: the
communes' own reports trace further.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from xaso.figures.models import EntryChannel, Result
from xaso.figures.subtotals import children_of, scoped_union, unit_at
from xaso.org.models import OrgUnit
from xaso.periods import parse_period
from xaso.reporting.models import Submission

FIELDS = (
    "unit_id",
    "unit_path",
    "unit_depth",
    "indicator_id",
    "period",
    "value",
    "status",
    "entered_by_id",
    "entered_at",
    "channel",
    "note",
    "approved",
    "period_start",
)


@dataclass(frozen=True)
class TraceEntry:
    indicator: str  # the indicator's name
    unit: str  # the unit that entered it ("Thôn 9")
    period: str  # the period label it was entered for ("tháng 3/2022")
    value: Decimal
    unit_name: str  # its unit of measure
    estimated: bool
    entered_by: str  # the user's name, or "" (the system, an import without a user)
    entered_at: dt.datetime | None  # local time
    channel: str  # "Biểu mẫu web", "Nhập từ tệp", …
    submission: str  # "Báo cáo tháng «Biểu NTM» — Đã duyệt", or ""
    note: str
    approved: bool

    @property
    def source(self) -> str:
        """One line: "nhập bởi Nguyễn Văn A lúc 05/07/2020 08:30 qua Biểu mẫu web; …"."""
        parts = []
        who = self.entered_by or "hệ thống"
        when = f" lúc {self.entered_at:%d/%m/%Y %H:%M}" if self.entered_at else ""
        parts.append(f"nhập bởi {who}{when} qua {self.channel.lower()}")
        if self.submission:
            parts.append(self.submission)
        if self.note:
            parts.append(self.note)
        return "; ".join(parts)


def trace_entries(unit: OrgUnit, periods: list[str], indicators: list) -> list[TraceEntry]:
    """The entries of the unit and of its children behind the report's figures, for the
    period codes the figures stand on (a six-month figure on its months): five queries
    whatever the number of indicators (results, units, users, submissions, their forms)."""
    by_id = {indicator.pk: indicator for indicator in indicators}
    if not by_id:
        return []
    # Plain rows, and each unit, user and period named once: a commune's six-month report
    # stands on some 7,000 monthly entries of its villages.
    rows = list(
        scoped_union(
            Result.objects.all(),
            [unit_at(unit.path), children_of(unit.path)],  # each one range of the index
            periods,
            list(by_id),
            lambda part: part.values_list(*FIELDS),
        )
    )
    unit_ids = {row[0] for row in rows}
    units = {u.pk: u.full_name for u in OrgUnit.objects.filter(pk__in=unit_ids)}
    users = {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(pk__in={row[7] for row in rows} - {None})
    }
    forms = _submissions(unit_ids, periods)
    channels = dict(EntryChannel.choices)
    labels = {code: parse_period(code).label for code in periods}
    zone = timezone.get_current_timezone()
    order = {indicator_id: index for index, indicator_id in enumerate(by_id)}
    rows.sort(key=lambda row: (order[row[3]], row[2], row[1], row[12]))
    entries = []
    for row in rows:
        unit_id, _, _, indicator_id, period, value, status, user_id, at, channel = row[:10]
        indicator = by_id[indicator_id]
        entries.append(
            TraceEntry(
                indicator=indicator.name,
                unit=units[unit_id],
                period=labels[period],
                value=value,
                unit_name=indicator.unit_name,
                estimated=status == "estimated",
                entered_by=users.get(user_id, ""),
                entered_at=at.astimezone(zone) if at else None,
                channel=channels.get(channel, channel),
                submission=forms.get((unit_id, indicator_id, period), ""),
                note=row[10],
                approved=row[11],
            )
        )
    return entries


def _submissions(unit_ids: set[int], periods: list[str]) -> dict[tuple[int, int, str], str]:
    """(unit id, indicator id, period) -> the submission that carries it, described."""
    if not unit_ids:
        return {}
    found = {}
    submissions = (
        Submission.objects.filter(unit_id__in=unit_ids, period__in=periods)
        .select_related("form")
        .prefetch_related("form__items")
    )
    for submission in submissions:
        text = f"báo cáo «{submission.form.name}» — {submission.get_status_display().lower()}"
        for item in submission.form.items.all():
            found.setdefault((submission.unit_id, item.indicator_id, submission.period), text)
    return found


def sources(unit: OrgUnit, periods: list[str], indicators: list) -> dict[int, str]:
    """One line per indicator on where its figure came from, for the report's appendix:
    "Số của xã: 1 lượt nhập ngày 05/07/2020 bởi Nguyễn Văn A (biểu mẫu web)" or "Tổng hợp
    từ 120 lượt nhập của 20 thôn …". Two queries (a GROUP BY, the users' names)."""
    ids = [indicator.pk for indicator in indicators]
    if not ids:
        return {}
    groups = scoped_union(
        Result.objects.all(),
        [unit_at(unit.path), children_of(unit.path)],  # each one range of the index
        periods,
        ids,
        lambda part: part.values("indicator_id", "unit_depth").annotate(
            entries=Count("id"),
            units=Count("unit_id", distinct=True),
            first=Min("entered_at"),
            last=Max("entered_at"),
            estimated=Count("id", filter=Q(status="estimated")),
            approved=Count("id", filter=Q(approved=True)),
            people=Count("entered_by_id", distinct=True),
            someone=Max("entered_by_id"),
            channel=Max("channel"),
        ),
    )
    groups = list(groups)
    users = {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(pk__in={g["someone"] for g in groups} - {None})
    }
    channels = dict(EntryChannel.choices)
    zone = timezone.get_current_timezone()
    found: dict[int, list[str]] = {}
    for group in sorted(groups, key=lambda g: g["unit_depth"]):
        first, last = (group[key].astimezone(zone) for key in ("first", "last"))
        days = f"{first:%d/%m/%Y}" + (f"–{last:%d/%m/%Y}" if last.date() != first.date() else "")
        who = users.get(group["someone"], "hệ thống")
        if group["people"] > 1:
            who += f" và {group['people'] - 1} người khác"
        entries = group["entries"]
        if group["unit_depth"] == unit.depth:
            head = f"Số của {unit.get_kind_display().lower()}: {entries} lượt nhập"
        else:
            head = f"Tổng hợp từ {entries} lượt nhập của {group['units']} đơn vị trực thuộc"
        parts = [f"{head} ({days}), người nhập {who}"]
        if group["people"] <= 1:
            parts[0] += f", qua {channels.get(group['channel'], group['channel']).lower()}"
        if group["estimated"]:
            parts.append(f"{group['estimated']} số ước đạt")
        if group["approved"]:
            parts.append(f"{group['approved']} số đã duyệt")
        found.setdefault(group["indicator_id"], []).append("; ".join(parts))
    return {indicator_id: ". ".join(lines) + "." for indicator_id, lines in found.items()}
