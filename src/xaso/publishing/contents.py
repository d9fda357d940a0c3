"""What a report says, read from the data: the one source every format is written from.

`report_contents` gathers a unit's figures for a period against plan (with last year's),
its criteria standing, its children's breakdown, the period's limitations from its meetings,
the open directives and the next period's targets, and where each figure came from. The
renderers (`docx_out`, `xlsx_out`, `markdown_out`) only lay it out. The report is never
stored: asked again, it is written again from the figures as they stand.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from django.db.models import Q
from django.utils import timezone

from xaso.catalog.models import Direction, Indicator, OverTime
from xaso.figures.selectors import IndicatorLine, targets_containing, unit_overview
from xaso.meetings.models import Limitation, Position
from xaso.meetings.selectors import task_board
from xaso.org.models import OrgUnit, UnitKind
from xaso.org.paths import ancestor_paths
from xaso.periods import Period, PeriodKind, period_for_date
from xaso.publishing import wording
from xaso.publishing.heading import PARTY, Heading, heading
from xaso.publishing.heading import Unit as HeadingUnit
from xaso.publishing.trace import TraceEntry, sources, trace_entries


class ReportKind(StrEnum):
    MONTH = "thang"
    INTERIM = "so-ket"
    ANNUAL = "tong-ket"


KIND_LABELS = {
    ReportKind.MONTH: "Báo cáo tháng",
    ReportKind.INTERIM: "Báo cáo sơ kết",
    ReportKind.ANNUAL: "Báo cáo tổng kết",
}

# How a parent is named in a heading ("ĐẢNG BỘ HUYỆN HƯƠNG KHÊ").
_PARENT_KINDS = {
    UnitKind.PROVINCE: "Tỉnh",
    UnitKind.CITY: "Thành phố",
    UnitKind.DISTRICT: "Huyện",
}
_SIGNER_TITLES = {"state": ("chủ tịch ubnd", "chủ tịch ủy ban"), PARTY: ("bí thư đảng ủy",)}


def default_kind(period: Period) -> ReportKind:
    if period.kind in (PeriodKind.MONTH, PeriodKind.WEEK):
        return ReportKind.MONTH
    if period.kind in (PeriodKind.YEAR, PeriodKind.TERM):
        return ReportKind.ANNUAL
    return ReportKind.INTERIM


def _from_new_year(period: Period) -> bool:
    """A six-month, nine-month or year report counts its months from 1 January (its own
    figure, when entered, stands for a unit that has none for the months): "lũy kế"."""
    cumulative = (PeriodKind.HALF, PeriodKind.NINE_MONTHS, PeriodKind.YEAR)
    return period.kind in cumulative and (period.start.month, period.start.day) == (1, 1)


def next_period(period: Period) -> Period | None:
    if period.kind in (PeriodKind.SPAN, PeriodKind.TERM, PeriodKind.NINE_MONTHS):
        return None
    return period_for_date(period.kind, period.end + dt.timedelta(days=1))


def subject(kind: ReportKind, period: Period, following: Period | None) -> str:
    """The title's second line (trích yếu)."""
    head = {
        ReportKind.MONTH: f"Kết quả thực hiện nhiệm vụ {period.label}",
        ReportKind.INTERIM: f"Sơ kết {period.label}",
        ReportKind.ANNUAL: f"Tổng kết {period.label}",
    }[kind]
    if following is None:
        return head
    return f"{head}, nhiệm vụ trọng tâm {following.label}"


@dataclass(frozen=True)
class PlanCell:
    value: Decimal
    source: str  # a TargetSource value
    source_label: str  # "Kế hoạch huyện giao"
    period_label: str
    percent: Decimal | None
    original_value: Decimal | None
    original_percent: Decimal | None
    document: str  # the citation of the document that set it, or ""

    @property
    def words(self) -> str:
        """ "kế hoạch huyện giao năm 2020"; "kế hoạch năm 2020", not "kế hoạch năm năm 2020"."""
        return wording.plan_words(self.source, self.period_label)


@dataclass(frozen=True)
class Row:
    """One indicator of section I."""

    number: int
    code: str
    name: str
    indicator: Indicator = field(repr=False, compare=False)
    group: str
    unit_name: str
    value: Decimal | None
    estimated: bool
    own: bool  # entered at the unit itself, not rolled up from below
    plans: tuple[PlanCell, ...]
    last_year: Decimal | None
    change_words: str
    sentence: str
    source: str = ""  # where the figure came from (the appendix): entries, who, when

    @property
    def plan(self) -> PlanCell | None:
        return self.plans[0] if self.plans else None

    @property
    def percent(self) -> Decimal | None:
        return self.plan.percent if self.plan else None


@dataclass(frozen=True)
class ChildRow:
    name: str
    value: Decimal | None
    estimated: bool
    plan: Decimal | None
    percent: Decimal | None


@dataclass(frozen=True)
class Breakdown:
    """One indicator across the unit's children."""

    name: str
    unit_name: str
    rows: tuple[ChildRow, ...]


@dataclass(frozen=True)
class ReportContents:
    unit: OrgUnit
    period: Period
    kind: ReportKind
    heading: Heading
    day: dt.date
    title: str
    subject: str
    rows: list[Row]
    criteria: list[str]
    limitations: list[str]
    directives: list[str]
    next_targets: list[str]
    breakdowns: list[Breakdown]
    period_codes: tuple[str, ...]  # what the figures stand on (a six-month's months)
    following: Period | None = None
    gaps: list[str] = field(default_factory=list)  # what the officer must add

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @cached_property
    def trace(self) -> list[TraceEntry]:
        """Every entry behind the figures (the XLSX's last sheet): read when asked, since a
        commune's six-month report stands on thousands of monthly entries."""
        return trace_entries(self.unit, list(self.period_codes), [r.indicator for r in self.rows])

    @property
    def chart_title(self) -> str:
        return f"Mức đạt kế hoạch {self.period.label}"

    @property
    def achievements(self) -> list[tuple[str, Decimal | None]]:
        """What the chart shows: each planned indicator's percent of its first plan."""
        return [(row.name, row.percent) for row in self.rows if row.plan is not None]


def report_contents(
    unit: OrgUnit,
    period: Period,
    *,
    kind: ReportKind | None = None,
    issuer: str = "state",
    day: dt.date | None = None,
) -> ReportContents:
    """Everything the report of `unit` for `period` says; `day` is its date (today)."""
    kind = kind or default_kind(period)
    day = day or timezone.localdate()
    following = next_period(period)
    overview = unit_overview(unit, period, ytd=_from_new_year(period), last_year=True)
    found = sources(unit, overview.window.codes, [line.indicator for line in overview.lines])
    rows = [
        _row(number, line, period, found.get(line.indicator.pk, ""))
        for number, line in enumerate(overview.lines, start=1)
    ]
    limitations = _limitations(unit, period)
    directives = _directives(unit, day)
    next_targets = _next_targets(unit, period, following, overview.lines)
    gaps = [row.sentence for row in rows if wording.is_placeholder(row.sentence)]
    return ReportContents(
        unit=unit,
        period=period,
        kind=kind,
        heading=unit_heading(unit, issuer, day),
        day=day,
        title="BÁO CÁO",
        subject=subject(kind, period, following),
        rows=rows,
        criteria=_criteria(unit, period),
        limitations=limitations,
        directives=directives,
        next_targets=next_targets,
        breakdowns=_breakdowns(overview),
        period_codes=tuple(overview.window.codes),
        following=following,
        gaps=gaps,
    )


def line_sentence(line: IndicatorLine, period_label: str, *, ratio: bool = True) -> str:
    """The sentence of one indicator line of `unit_overview` (the report's, the article's)."""
    figure, indicator = line.figure, line.indicator
    plans = [
        wording.PlanFigure(
            item.target.value,
            item.target.source,
            item.percent,
            item.target.original_value,
            item.original_percent,
        )
        for item in line.achievements
    ]
    return wording.result_sentence(
        name=indicator.name,
        period_label=period_label,
        unit_name=indicator.unit_name,
        value=figure.value if figure else None,
        estimated=bool(figure and figure.estimated),
        plans=plans,
        change_words=line.change_words,
        lower_is_better=indicator.direction == Direction.LOWER_IS_BETTER,
        ratio=ratio,
    )


def _row(number: int, line: IndicatorLine, period: Period, source: str) -> Row:
    indicator, figure = line.indicator, line.figure
    plans = tuple(
        PlanCell(
            value=item.target.value,
            source=item.target.source,
            source_label=item.target.get_source_display(),
            period_label=item.target.period_label,
            percent=item.percent,
            original_value=item.target.original_value,
            original_percent=item.original_percent,
            document=_plan_document(item),
        )
        for item in line.achievements
    )
    sentence = line_sentence(line, period.label)
    # A period before the unit existed: the figure, the plan from its predecessors'.
    via = [line.via.words] if line.via is not None else []
    for item in line.achievements[:1]:
        if item.via is not None and item.via.words not in via:
            via.append(f"kế hoạch {item.via.words}")
    if via:
        source = "; ".join(filter(None, [_capfirst("; ".join(via)), source]))
    return Row(
        number=number,
        code=indicator.code,
        name=indicator.name,
        group=indicator.group,
        unit_name=indicator.unit_name,
        value=figure.value if figure else None,
        estimated=bool(figure and figure.estimated),
        own=bool(figure and figure.own),
        plans=plans,
        last_year=line.previous.value if line.previous else None,
        change_words=line.change_words,
        sentence=sentence,
        source=source,
        indicator=indicator,
    )


def _plan_document(item) -> str:
    """The document that set the plan, or where a plan computed through lineage came from."""
    if item.target.document:
        return item.target.document.citation
    return item.via.words if item.via is not None else ""


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def _breakdowns(overview) -> list[Breakdown]:
    names = {kid.pk: kid.full_name for kid in overview.children}  # named once, not per row
    found = []
    for line in overview.lines:
        if not line.children:
            continue
        rows = tuple(
            ChildRow(
                name=names[child.unit.pk],
                value=child.figure.value if child.figure else None,
                estimated=bool(child.figure and child.figure.estimated),
                plan=child.achievement.target.value if child.achievement else None,
                percent=child.achievement.percent if child.achievement else None,
            )
            for child in line.children
        )
        found.append(Breakdown(line.indicator.name, line.indicator.unit_name, rows))
    return found


def _parent(unit: OrgUnit) -> OrgUnit | None:
    above = ancestor_paths(unit.path)
    return OrgUnit.objects.filter(path=above[-1]).first() if above else None


def unit_heading(unit: OrgUnit, issuer: str, day: dt.date) -> Heading:
    """The formal parts of a document the unit issues on `day` (a report, a decision)."""
    return heading(_heading_unit(unit), issuer, day, signer_name=_signer(unit, issuer, day))


def _heading_unit(unit: OrgUnit) -> HeadingUnit:
    """The names the heading needs. A party committee placed under its commune in the tree
    is named after the commune ("Đảng ủy xã Hà Linh"), under the commune's parent."""
    place = unit
    parent = _parent(unit)
    if unit.kind == UnitKind.PARTY_COMMITTEE and parent is not None:
        place, parent = parent, _parent(parent)
    parent_kind = _PARENT_KINDS.get(parent.kind, "") if parent else ""
    return HeadingUnit(
        kind_name=place.get_kind_display(),
        name=place.name,
        parent_kind_name=parent_kind,
        parent_name=parent.name if parent and parent_kind else "",
    )


def _signer(unit: OrgUnit, issuer: str, day: dt.date) -> str:
    """The head who signs, when the meetings app knows them on that day; else ""."""
    # Its own positions, or those of people who took part in its meetings (the reader
    # records positions without a unit).
    positions = (
        Position.objects.filter(Q(unit=unit) | Q(unit__isnull=True, attendance__meeting__host=unit))
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("person")
        .order_by("-valid_from", "id")
        .distinct()
    )
    wanted = _SIGNER_TITLES[PARTY if issuer == PARTY else "state"]
    for position in positions:
        title = position.title_normalised.lower()
        if any(word in title for word in wanted) and "phó" not in title:
            return position.person.full_name
    return ""


def _criteria(unit: OrgUnit, period: Period) -> list[str]:
    from xaso.criteria.selectors import keeping, sets_for, standing

    lines = []
    for criteria_set in sets_for(unit):
        found = standing(unit, criteria_set, period.end)
        if not found.rows or not any(row.status for row in found.rows):
            continue
        kept = keeping(unit, criteria_set, period.end).kept
        lines.append(
            wording.criteria_sentence(
                set_name=criteria_set.name,
                achieved=found.achieved,
                total=found.total,
                kept=kept and found.achieved == found.total,
            )
        )
    return lines


def _limitations(unit: OrgUnit, period: Period) -> list[str]:
    """The shortcomings recorded by the unit's meetings that reviewed this period: those
    that name it, or were held in it or within a month after (a review follows its period)."""
    reviewed = Q(meeting__period=period.code) | Q(
        meeting__period="",
        meeting__date__gte=period.start,
        meeting__date__lte=period.end + dt.timedelta(days=31),
    )
    rows = (
        Limitation.objects.filter(reviewed)
        .filter(Q(meeting__host=unit) | Q(meeting__units=unit))
        .order_by("meeting__date", "order", "id")
        .values_list("text", flat=True)
        .distinct()
    )
    return list(dict.fromkeys(rows))


def _directives(unit: OrgUnit, day: dt.date) -> list[str]:
    lines = []
    for directive in task_board(unit, today=day):
        text = directive.text.rstrip(".;")
        if directive.due_date:
            text += f" (hạn {directive.due_date:%d/%m/%Y})"
        lines.append(text + ".")
    return lines


def _next_targets(
    unit: OrgUnit, period: Period, following: Period | None, lines: list[IndicatorLine]
) -> list[str]:
    if following is None:
        return []
    found = targets_containing([unit], following)
    sentences = []
    for line in lines:  # in the report's order
        targets = found.get((unit.pk, line.indicator.pk))
        if not targets:
            continue
        target, indicator = targets[0], line.indicator
        flows_from_start = (
            indicator.over_time == OverTime.FLOW
            and indicator.direction == Direction.HIGHER_IS_BETTER
            and target.period_start == period.start
            and line.figure is not None
        )
        words = {
            "name": indicator.name,
            "unit_name": indicator.unit_name,
            "target": target.value,
            "source": target.source,
            "period_label": target.period_label,
        }
        if flows_from_start:  # the year's plan, part done: what is left of it
            left = target.value - line.figure.value
            sentences.append(wording.remaining_sentence(**words, left=left))
        else:
            sentences.append(wording.target_sentence(**words))
    return sentences
