"""Where units stand on a criteria set, derived from the assessments and the figures.

For each criterion: the recorded status (the latest assessment up to the date), the status
computed from the figures (each requirement's indicator, its latest figure up to the date —
within `FIGURES_WINDOW` — against the threshold for the unit's group), and which one counts:
the recorded one when there is one (an assessment is a decision), else the computed one. A
recorded status the figures contradict is flagged, never overridden. The counts — "20/20",
"22/24", how many communes reached the standard — are counted here, never stored.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from xaso.criteria.models import (
    Assessment,
    CriteriaSet,
    Criterion,
    Recognition,
    RecognitionKind,
    Requirement,
    Status,
    UnitGrouping,
)
from xaso.criteria.verdict import MET, NOT_MET, combine, disagrees, meets
from xaso.figures.models import Result
from xaso.org import policy
from xaso.org.models import OrgUnit

FIGURES_WINDOW = dt.timedelta(days=3 * 366)  # a figure older than this says nothing today
MATRIX_LIMIT = 2000  # units on one matrix page


@dataclass
class RequirementRow:
    requirement: Requirement
    threshold: Decimal | None
    value: Decimal | None
    period: str
    verdict: str


@dataclass
class CriterionRow:
    criterion: Criterion
    recorded: Assessment | None
    computed: str | None
    requirements: list[RequirementRow] = field(default_factory=list)

    @property
    def status(self) -> str | None:
        """The status that counts: the recorded one, else the computed one."""
        return self.recorded.status if self.recorded else self.computed

    @property
    def counted_from(self) -> str:
        if self.recorded:
            return "recorded"
        return "computed" if self.computed else ""

    @property
    def flagged(self) -> bool:
        return disagrees(self.recorded.status if self.recorded else None, self.computed)

    @property
    def met(self) -> bool:
        return self.status == Status.MET

    @property
    def measurable(self) -> bool:
        """Whether xaso has a figure to compute it from (an indicator on a requirement)."""
        return any(r.requirement.indicator_id for r in self.requirements)


@dataclass
class Standing:
    unit: OrgUnit
    criteria_set: CriteriaSet
    on: dt.date
    group: str
    rows: list[CriterionRow]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def achieved(self) -> int:
        return sum(row.met for row in self.rows)

    @property
    def missing(self) -> list[CriterionRow]:
        return [row for row in self.rows if not row.met]

    @property
    def lacking(self) -> list[CriterionRow]:
        """Assessed (or computed) and not met: chưa đạt, đang thẩm định."""
        return [row for row in self.missing if row.status is not None]

    @property
    def unassessed(self) -> list[CriterionRow]:
        """Neither assessed nor computable."""
        return [row for row in self.missing if row.status is None]

    @property
    def flags(self) -> list[CriterionRow]:
        return [row for row in self.rows if row.flagged]

    @property
    def reached(self) -> bool:
        return self.total > 0 and self.achieved == self.total


# --- which sets, which group ----------------------------------------------------------------


def _sets():
    return CriteriaSet.objects.select_related("owner").order_by("-first_year", "code")


def units_below(parent: OrgUnit, kinds):
    """The units of these kinds anywhere below the parent (an indexed path range)."""
    return OrgUnit.objects.filter(
        policy.subtree_q([parent.path]), depth__gt=parent.depth, kind__in=kinds
    )


def sets_for(unit: OrgUnit) -> list[CriteriaSet]:
    """The sets that apply to the unit's kind: national ones and its own province's."""
    return [
        s
        for s in _sets()
        if unit.kind in s.applies_to and (s.owner is None or unit.path.startswith(s.owner.path))
    ]


def sets_below(unit: OrgUnit) -> list[CriteriaSet]:
    """The sets that apply to units below this one and not to it (a province's NTM set for
    its communes): its page shows their matrix and where their groups are set."""
    sets = [
        s
        for s in _sets()
        if unit.kind not in s.applies_to
        and (
            s.owner is None
            or s.owner.path.startswith(unit.path)
            or unit.path.startswith(s.owner.path)
        )
    ]
    wanted = {kind for s in sets for kind in s.applies_to}
    present = set(units_below(unit, wanted).values_list("kind", flat=True).distinct())
    return [s for s in sets if present.intersection(s.applies_to)]


def visible_sets(user) -> list[CriteriaSet]:
    """Every national set, and the provinces' own sets the user may read; every set for the
    server's operator (no user: a command run without --as)."""
    return [s for s in _sets() if user is None or s.owner is None or policy.can_read(user, s.owner)]


def groups_of(criteria_set: CriteriaSet, units: list[OrgUnit]) -> dict[int, str]:
    """Each unit's group in the set: set on the unit or on its nearest ancestor that has one."""
    placed = list(
        UnitGrouping.objects.filter(criteria_set=criteria_set).values_list("unit__path", "group")
    )
    placed.sort(key=lambda row: len(row[0]), reverse=True)  # the nearest first
    out = {}
    for unit in units:
        out[unit.pk] = next((g for path, g in placed if unit.path.startswith(path)), "")
    return out


# --- evaluating ---------------------------------------------------------------------------


def _criteria(criteria_set: CriteriaSet) -> tuple[list[Criterion], dict[int, list[Requirement]]]:
    criteria = list(criteria_set.criteria.order_by("position"))
    requirements = defaultdict(list)
    rows = Requirement.objects.filter(criterion__criteria_set=criteria_set).select_related(
        "indicator"
    )
    for requirement in rows.order_by("position"):
        requirements[requirement.criterion_id].append(requirement)
    return criteria, requirements


def _recorded(criteria: list[Criterion], units: list[OrgUnit], on: dt.date) -> dict:
    """(unit id, criterion id) -> the latest assessment up to the date."""
    rows = Assessment.objects.filter(
        criterion__in=criteria, unit__in=units, assessed_on__lte=on
    ).order_by("assessed_on")
    return {(a.unit_id, a.criterion_id): a for a in rows}


def _figures(indicator_ids: set[int], units: list[OrgUnit], on: dt.date) -> dict:
    """(unit id, indicator id) -> (value, period) of the latest figure ending by the date; of
    two ending the same day, the longer period (the year over its December)."""
    if not indicator_ids:
        return {}
    rows = (
        Result.objects.filter(
            unit__in=units,
            indicator_id__in=indicator_ids,
            period_end__lte=on,
            period_end__gt=on - FIGURES_WINDOW,
        )
        .order_by("period_end", "-period_start")
        .values_list("unit_id", "indicator_id", "value", "period")
    )
    return {(unit, indicator): (value, period) for unit, indicator, value, period in rows}


def _threshold(requirement: Requirement, group: str) -> Decimal | None:
    values = requirement.thresholds or {}
    value = values[group] if group and group in values else values.get("all")
    return None if value is None else Decimal(value)


def evaluate(criteria_set: CriteriaSet, units: list[OrgUnit], on: dt.date) -> dict[int, Standing]:
    """Each unit's standing on the set on the date, in a fixed number of queries."""
    criteria, requirements = _criteria(criteria_set)
    recorded = _recorded(criteria, units, on)
    indicator_ids = {r.indicator_id for rs in requirements.values() for r in rs if r.indicator_id}
    figures = _figures(indicator_ids, units, on)
    groups = groups_of(criteria_set, units)
    out = {}
    for unit in units:
        group = groups[unit.pk]
        rows = []
        for criterion in criteria:
            checks = []
            for requirement in requirements.get(criterion.pk, []):
                value, period = figures.get((unit.pk, requirement.indicator_id), (None, ""))
                threshold = _threshold(requirement, group)
                verdict = meets(requirement.test, threshold, value)
                checks.append(RequirementRow(requirement, threshold, value, period, verdict))
            rows.append(
                CriterionRow(
                    criterion=criterion,
                    recorded=recorded.get((unit.pk, criterion.pk)),
                    computed=combine([c.verdict for c in checks]),
                    requirements=checks,
                )
            )
        out[unit.pk] = Standing(unit, criteria_set, on, group, rows)
    return out


def standing(unit: OrgUnit, criteria_set: CriteriaSet, on: dt.date) -> Standing:
    return evaluate(criteria_set, [unit], on)[unit.pk]


# --- a parent's matrix ----------------------------------------------------------------------


@dataclass
class Matrix:
    parent: OrgUnit
    criteria_set: CriteriaSet
    on: dt.date
    criteria: list[Criterion]
    standings: list[Standing]
    truncated: bool

    @property
    def reached(self) -> int:
        return sum(s.reached for s in self.standings)

    @property
    def share(self) -> Decimal | None:
        """The share of units that reached the standard, in percent (one decimal)."""
        if not self.standings:
            return None
        return (Decimal(100) * self.reached / len(self.standings)).quantize(Decimal("0.1"))


def matrix(parent: OrgUnit, criteria_set: CriteriaSet, on: dt.date, user) -> Matrix:
    """The parent's units the set applies to (the nearest ones: a province's communes, a
    commune's villages), those the user may read, × the set's criteria."""
    below = (
        units_below(parent, criteria_set.applies_to).filter(policy.scope_q(user)).order_by("path")
    )
    units, truncated = [], False
    for unit in below.iterator():
        if units and unit.path.startswith(units[-1].path):
            continue  # below a unit already listed: its own level, not this matrix's
        if len(units) == MATRIX_LIMIT:
            truncated = True
            break
        units.append(unit)
    standings = evaluate(criteria_set, units, on)
    criteria = list(criteria_set.criteria.order_by("position"))
    rows = [standings[u.pk] for u in units]
    return Matrix(parent, criteria_set, on, criteria, rows, truncated)


# --- history, recognition, keeping ----------------------------------------------------------


@dataclass(frozen=True)
class Count:
    on: dt.date
    achieved: int
    total: int


def history(unit: OrgUnit, criteria_set: CriteriaSet) -> list[Count]:
    """The recorded count each time it changed: "22/24 → 24/24"."""
    total = criteria_set.criteria.count()
    rows = Assessment.objects.filter(unit=unit, criterion__criteria_set=criteria_set).order_by(
        "assessed_on"
    )
    state: dict[int, str] = {}
    out: list[Count] = []
    for day, assessments in _by_day(rows):
        for a in assessments:
            state[a.criterion_id] = a.status
        achieved = sum(status == Status.MET for status in state.values())
        if not out or out[-1].achieved != achieved:
            out.append(Count(day, achieved, total))
    return out


def _by_day(rows):
    day, batch = None, []
    for row in rows:
        if row.assessed_on != day and batch:
            yield day, batch
            batch = []
        day = row.assessed_on
        batch.append(row)
    if batch:
        yield day, batch


@dataclass(frozen=True)
class Loss:
    criterion: Criterion
    lost_on: dt.date
    regained_on: dt.date | None


@dataclass(frozen=True)
class Keeping:
    recognition: Recognition | None  # the recognition in force on the date, if any
    losses: list[Loss]

    @property
    def kept(self) -> bool:
        """ "Giữ vững": recognised, and no criterion lost since."""
        return self.recognition is not None and not self.losses

    @property
    def holds_now(self) -> bool:
        """Recognised, and every criterion lost since has been regained."""
        return self.recognition is not None and all(loss.regained_on for loss in self.losses)


def keeping(unit: OrgUnit, criteria_set: CriteriaSet, on: dt.date) -> Keeping:
    """Whether the unit kept the standard since it was recognised, and what it lost when."""
    decisions = Recognition.objects.filter(
        unit=unit, criteria_set=criteria_set, decided_on__lte=on
    ).order_by("decided_on")
    last = decisions.last()
    if last is None or last.kind == RecognitionKind.REVOKED:
        return Keeping(None, [])
    rows = (
        Assessment.objects.filter(
            unit=unit,
            criterion__criteria_set=criteria_set,
            assessed_on__gte=last.decided_on,
            assessed_on__lte=on,
        )
        .select_related("criterion")
        .order_by("assessed_on")
    )
    open_losses: dict[int, tuple[Criterion, dt.date]] = {}
    losses: list[Loss] = []
    for a in rows:
        if a.status == NOT_MET and a.criterion_id not in open_losses:
            open_losses[a.criterion_id] = (a.criterion, a.assessed_on)
        elif a.status == MET and a.criterion_id in open_losses:
            criterion, lost_on = open_losses.pop(a.criterion_id)
            losses.append(Loss(criterion, lost_on, a.assessed_on))
    losses += [Loss(c, lost_on, None) for c, lost_on in open_losses.values()]
    losses.sort(key=lambda loss: (loss.lost_on, loss.criterion.position))
    return Keeping(last, losses)
