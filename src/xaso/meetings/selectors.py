"""Reads of meetings and the task board. Fixed query counts, whatever the list length."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from xaso.figures.selectors import Achievement, Figure, achievement, rollup
from xaso.figures.target_values import target_values_containing
from xaso.meetings.models import Attendance, Directive, DirectiveStatus, Meeting
from xaso.org import policy
from xaso.org.models import Lineage, OrgUnit
from xaso.periods import PeriodError, parse_period, read_period


def meetings_for_unit(
    unit: OrgUnit, *, kind: str = "", period: str = "", include_subtree: bool = False
) -> QuerySet[Meeting]:
    """Meetings the unit hosted or took part in (newest first), with their directive counts.

    With include_subtree, also those of every unit below it (a district's view of its communes).
    A unit formed in a reorganisation lists its predecessors' meetings too (their history is
    its own, and whoever reads it reads them: `policy.inherited_paths`); their host is the
    old unit, with its end date (`host.valid_to`).
    """
    units = [unit, *predecessor_units(unit)]
    where = Q()
    for one in units:
        if include_subtree:
            where |= Q(host__path__startswith=one.path) | Q(units__path__startswith=one.path)
        else:
            where |= Q(host=one) | Q(units=one)
    ids = Meeting.objects.filter(where).values("id")
    meetings = (
        Meeting.objects.filter(id__in=ids)
        .select_related("host")
        .annotate(directive_count=Count("directives", distinct=True))
        .prefetch_related(_chairs_prefetch())
        .order_by("-date", "-id")
    )
    if kind:
        meetings = meetings.filter(kind=kind)
    if period:
        try:
            meetings = meetings.filter(period=read_period(period).code)
        except PeriodError:
            meetings = meetings.none()
    return meetings


def predecessor_units(unit: OrgUnit) -> list[OrgUnit]:
    """The units the unit was formed from, by path, and theirs when they were formed in an
    earlier reorganisation themselves (a 2020 merger before the 2025 one; at most ten steps,
    a unit met again not followed). A unit formed in a reorganisation has the day it began
    (`valid_from`); one without asks nothing."""
    found: list[OrgUnit] = []
    seen = {unit.pk}
    formed = [unit] if unit.valid_from is not None else []
    for _ in range(10):
        if not formed:
            break
        links = (
            Lineage.objects.filter(successor__in=formed)
            .select_related("predecessor")
            .order_by("predecessor__path")
        )
        step = [link.predecessor for link in links if link.predecessor.pk not in seen]
        step = list({old.pk: old for old in step}.values())
        seen.update(old.pk for old in step)
        found += step
        formed = [old for old in step if old.valid_from is not None]
    return found


def _chairs_prefetch() -> Prefetch:
    return Prefetch(
        "attendances",
        queryset=Attendance.objects.filter(role="chair").select_related("person", "position"),
        to_attr="chairs",
    )


def readable_meetings(user) -> QuerySet[Meeting]:
    """Meetings the user may read: hosted by, or held with, a unit the user reads."""
    paths = policy.readable_paths(user)
    if paths is None:
        return Meeting.objects.all()
    paths = _with_history(user, paths)
    ids = Meeting.objects.filter(
        policy.subtree_q(paths, "host__path") | policy.subtree_q(paths, "units__path")
    ).values("id")
    return Meeting.objects.filter(id__in=ids)


def _with_history(user, paths: list[str]) -> list[str]:
    """The user's subtrees and those of the ended units their units succeeded: a new
    commune's officers read its predecessors' meetings and tasks."""
    return sorted({*paths, *policy.inherited_paths(user)})


def readable_directives(user) -> QuerySet[Directive]:
    """Directives the user may read: of a meeting the user reads, or given to such a unit."""
    paths = policy.readable_paths(user)
    if paths is None:
        return Directive.objects.all()
    ids = Directive.objects.filter(
        Q(meeting__in=readable_meetings(user).values("id"))
        | policy.subtree_q(_with_history(user, paths), "assigned_to__path")
    ).values("id")
    return Directive.objects.filter(id__in=ids)


def meeting_detail(meeting_id: int, *, user=None) -> Meeting:
    meetings = readable_meetings(user) if user is not None else Meeting.objects.all()
    return (
        meetings.select_related("host")
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("person", "position"),
            ),
            "units",
            "limitations",
            "documents__presenter__person",
            Prefetch(
                "directives",
                queryset=Directive.objects.select_related(
                    "issued_by__person", "issued_by__position"
                ).prefetch_related("assigned_to", "follow_ups", "indicators"),
            ),
            "awards",
        )
        .get(pk=meeting_id)
    )


def task_board(unit: OrgUnit, *, today: dt.date, open_only: bool = True) -> list[Directive]:
    """Directives assigned to the unit or anywhere below it: overdue first, then by due date."""
    ids = Directive.objects.filter(assigned_to__path__startswith=unit.path).values("id")
    directives = (
        Directive.objects.filter(id__in=ids)
        .select_related("meeting__host", "issued_by__person", "issued_by__position")
        .prefetch_related("assigned_to")
        .annotate(
            overdue=Case(
                When(
                    Q(due_date__lt=today) & ~Q(status=DirectiveStatus.DONE),
                    then=Value(0),
                ),
                default=Value(1),
                output_field=IntegerField(),
            ),
            no_due=Case(
                When(due_date__isnull=True, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by("overdue", "no_due", "due_date", "-meeting__date", "number")
    )
    if open_only:
        directives = directives.exclude(status=DirectiveStatus.DONE)
    return list(directives)


@dataclass(frozen=True)
class Progress:
    unit: OrgUnit
    indicator_name: str
    unit_name: str
    period_label: str
    figure: Figure | None
    achievement: Achievement | None


def directive_progress(directive: Directive) -> list[Progress]:
    """How the directive's indicators stand at the units it was given to: the roll-up for the
    directive's period (its due period, else the year it is due in) against their targets."""
    indicators = list(directive.indicators.all())
    units = list(directive.assigned_to.all())
    if not indicators or not units:
        return []
    if directive.due_period:
        period = parse_period(directive.due_period)
    else:
        year = (directive.due_date or directive.meeting.date).year
        period = parse_period(str(year))
    targets = target_values_containing(units, period)  # measured against: values only
    progress = []
    for unit in units:
        figures = rollup(unit, period, indicators)
        for indicator in indicators:
            figure = figures.figures.get(indicator.pk)
            unit_targets = targets.get((unit.pk, indicator.pk), [])
            progress.append(
                Progress(
                    unit=unit,
                    indicator_name=indicator.name,
                    unit_name=indicator.unit_name,
                    period_label=period.label,
                    figure=figure,
                    achievement=achievement(figure, unit_targets[0], indicator.direction)
                    if unit_targets
                    else None,
                )
            )
    return progress
