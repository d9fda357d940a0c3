"""What a unit shows the public: its published articles, and its own figures that may be
published against plan.

A figure may be published when it is final, or approved; an estimate ("ước đạt") only once
approved, and it stays marked as an estimate. A draft — an estimate nobody has approved —
never. Only the unit's own figures count: a roll-up of its villages' drafts is a draft too.

A unit has a public page while it has at least one published article: nothing of a unit is
public until one of its managers publishes something.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from xaso.catalog.models import Direction, Indicator
from xaso.figures.models import Result, ResultStatus
from xaso.figures.partials import Figure
from xaso.figures.selectors import Achievement, achievement, periods_with_data
from xaso.figures.target_values import target_values_containing
from xaso.org.models import OrgUnit
from xaso.periods import Period, parse_period
from xaso.publishing.models import Article, ArticleStatus
from xaso.publishing.wording import SOURCE_WORDS

# How a plan is named after "đạt 24,2% …".
# How far back the headline looks for a period with public figures (periods with any data).
LOOK_BACK = 40


def public_q() -> Q:
    """The Result rows that may be shown to anyone: approved, or final."""
    return Q(approved=True) | Q(status=ResultStatus.FINAL)


def public_articles(unit: OrgUnit) -> QuerySet[Article]:
    """The unit's published articles, newest first."""
    return Article.objects.filter(unit=unit, status=ArticleStatus.PUBLISHED).order_by(
        "-published_at", "-pk"
    )


def public_unit(code: str) -> OrgUnit | None:
    """The unit with this code when it has a public page (a published article), else None."""
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None or not public_articles(unit).exists():
        return None
    return unit


@dataclass(frozen=True)
class PublicFigure:
    indicator: Indicator
    value: Decimal
    estimated: bool  # shown as "ước đạt"
    achievements: list[Achievement] = field(default_factory=list)

    @property
    def plan_words(self) -> str:
        best = self.best
        return SOURCE_WORDS.get(best.target.source, "kế hoạch") if best else ""

    @property
    def best(self) -> Achievement | None:
        """The achievement against the narrowest plan, for the headline's one percent (none for
        a figure that should stay low: "đạt 80%" of a ceiling reads as a shortfall)."""
        if self.indicator.direction == Direction.LOWER_IS_BETTER:
            return None
        for item in self.achievements:
            if item.percent is not None:
                return item
        return None


@dataclass(frozen=True)
class Headline:
    period: Period
    figures: list[PublicFigure]

    @property
    def any_estimated(self) -> bool:
        return any(figure.estimated for figure in self.figures)


def _latest(codes) -> str:
    """The latest period: the one ending last; of two ending together, the longer (a year
    before its December)."""
    periods = [parse_period(code) for code in codes]
    return max(periods, key=lambda p: (p.end, -p.start.toordinal())).code


def headline_figures(unit: OrgUnit) -> Headline | None:
    """The unit's public figures for the latest period that has any, against plan.

    Four queries whatever the unit's history: the periods with data (one index probe each),
    which of them have a public figure of the unit, that period's figures, their targets.
    """
    codes = periods_with_data(unit, limit=LOOK_BACK)
    if not codes:
        return None
    own = Result.objects.filter(unit_depth=unit.depth, unit_path=unit.path).filter(
        public_q(), indicator__active=True
    )
    found = set(own.filter(period__in=codes).values_list("period", flat=True).distinct())
    if not found:
        return None
    period = parse_period(_latest(found))
    rows = list(
        own.filter(period=period.code)
        .select_related("indicator")
        .order_by("indicator__position", "indicator__code")
    )
    indicators = [row.indicator for row in rows]
    targets = target_values_containing([unit], period, indicators=indicators)  # value, source
    figures = []
    for row in rows:
        estimated = row.status == ResultStatus.ESTIMATED
        figure = Figure(row.value, estimated, True, 1)
        direction = row.indicator.direction
        figures.append(
            PublicFigure(
                indicator=row.indicator,
                value=row.value,
                estimated=estimated,
                achievements=[
                    achievement(figure, target, direction)
                    for target in targets.get((unit.pk, row.indicator_id), [])
                ],
            )
        )
    return Headline(period=period, figures=figures)
