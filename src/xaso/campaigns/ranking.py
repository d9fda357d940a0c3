"""The emulation ranking of a campaign's participants, from plain numbers (pure).

Each participant's score is the mean of its achievement over the goals allocated to it, each
capped at 100% so that one overshoot does not hide the rest (300% of one goal and 0% of
another score 50, not 150). Ties are broken by the number of goals completed, then by the
earlier completion — the day the last of its completed goals reached its target — then by
name, for a stable order; participants equal on all but the name share a rank ("1, 2, 2, 4").
"""

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class GoalProgress:
    """One goal as one participant stands on it."""

    name: str  # the indicator's name
    target: Decimal  # the participant's allocated target
    done: Decimal  # its cumulative result
    completed_on: dt.date | None = None  # the day the cumulative first reached the target

    @property
    def percent(self) -> Decimal | None:
        """Achievement, one decimal; None for a goal with no share (a zero target)."""
        if self.target <= 0:
            return None
        return (self.done * HUNDRED / self.target).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def completed(self) -> bool:
        return self.target > 0 and self.done >= self.target

    @property
    def missing(self) -> Decimal:
        return max(self.target - self.done, Decimal(0))


@dataclass(frozen=True)
class RankRow:
    unit: str
    score: Decimal
    completed: int
    completed_on: dt.date | None  # when the last completed goal was completed
    lacking: list[tuple[str, Decimal]] = field(default_factory=list)  # (goal, still missing)
    rank: int = 0
    code: str = ""  # the unit's code: names may repeat ("Tổ 1" in two villages)


def score(goals: list[GoalProgress]) -> Decimal:
    """The mean of the capped percentages of the goals with a share, one decimal."""
    percents = [min(goal.percent, HUNDRED) for goal in goals if goal.percent is not None]
    if not percents:
        return Decimal(0)
    mean = sum(percents, Decimal(0)) / len(percents)
    return mean.quantize(Decimal("0.1"), ROUND_HALF_UP)


def row(unit: str, goals: list[GoalProgress], code: str = "") -> RankRow:
    done = [goal for goal in goals if goal.completed]
    days = [goal.completed_on for goal in done if goal.completed_on is not None]
    return RankRow(
        unit=unit,
        score=score(goals),
        completed=len(done),
        completed_on=max(days) if done and len(days) == len(done) else None,
        lacking=[(g.name, g.missing) for g in goals if g.target > 0 and not g.completed],
        code=code,
    )


def rank(rows: list[RankRow]) -> list[RankRow]:
    """The rows in ranking order, each with its rank."""

    def key(item: RankRow):
        return (-item.score, -item.completed, item.completed_on or dt.date.max)

    ordered = sorted(rows, key=lambda item: (*key(item), item.unit))
    ranked: list[RankRow] = []
    for position, item in enumerate(ordered, start=1):
        same = ranked and key(ranked[-1]) == key(item)
        number = ranked[-1].rank if same else position
        ranked.append(dataclasses.replace(item, rank=number))
    return ranked
