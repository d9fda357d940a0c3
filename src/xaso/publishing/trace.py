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

from django.db.models import Q
from django.utils import timezone

from xaso.figures.models import EntryChannel, Result
from xaso.org.models import OrgUnit
from xaso.periods import parse_period
from xaso.reporting.models import Submission


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
    period codes the figures stand on (a six-month figure on its months): three queries
    whatever the number of indicators (results, submissions with their forms)."""
    by_id = {indicator.pk: indicator for indicator in indicators}
    if not by_id:
        return []
    results = (
        Result.objects.filter(period__in=periods, indicator_id__in=list(by_id))
        .filter(
            Q(unit_depth=unit.depth, unit_path=unit.path)
            | Q(unit_depth=unit.depth + 1, unit_path__startswith=unit.path)
        )
        .select_related("unit", "entered_by")
        .order_by("unit_depth", "unit_path")
    )
    results = list(results)
    forms = _submissions({result.unit_id for result in results}, periods)
    channels = dict(EntryChannel.choices)
    order = {indicator_id: index for index, indicator_id in enumerate(by_id)}
    entries = []
    for result in sorted(
        results, key=lambda r: (order[r.indicator_id], r.unit_depth, r.unit_path, r.period_start)
    ):
        indicator = by_id[result.indicator_id]
        entered_by = ""
        if result.entered_by is not None:
            user = result.entered_by
            entered_by = user.get_full_name() or user.get_username()
        entries.append(
            TraceEntry(
                indicator=indicator.name,
                unit=result.unit.full_name,
                period=parse_period(result.period).label,
                value=result.value,
                unit_name=indicator.unit_name,
                estimated=result.status == "estimated",
                entered_by=entered_by,
                entered_at=timezone.localtime(result.entered_at) if result.entered_at else None,
                channel=channels.get(result.channel, result.channel),
                submission=forms.get((result.unit_id, result.indicator_id, result.period), ""),
                note=result.note,
                approved=result.approved,
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
