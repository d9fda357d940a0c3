"""The closing review of a campaign (tổng kết): the final ranking, who is praised and who is
reminded, read once for the page, the draft decision and the scores workbook, so the three
always say the same.

Praise and reminders follow two thresholds on the score (the mean capped achievement,
`campaigns.ranking`): by default a participant that completed every goal (100 points) is
praised, one below 50 points is reminded. The host may set both on the closing page. Before
the campaign's last day the review is provisional and says so.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from xaso.campaigns.models import Campaign, CampaignStatus
from xaso.campaigns.ranking import RankRow
from xaso.campaigns.selectors import Cell, Progress, average_score, progress, ranking_of
from xaso.org.models import OrgUnit
from xaso.vn.numbers import NumberError, parse_number

PRAISE_FROM = Decimal(100)
REMIND_BELOW = Decimal(50)
PRAISE, REMIND = "praise", "remind"


@dataclass(frozen=True)
class ClosingRow:
    ranked: RankRow
    unit: OrgUnit
    cells: list[Cell]  # one per goal, in the goals' order
    verdict: str  # PRAISE, REMIND or ""

    @property
    def goals(self) -> int:
        """How many goals were allocated to this participant."""
        return sum(1 for cell in self.cells if cell.target)


@dataclass(frozen=True)
class Closing:
    campaign: Campaign
    progress: Progress
    rows: list[ClosingRow]  # in ranking order
    praise_from: Decimal
    remind_below: Decimal
    final: bool  # the campaign has ended: this is its result, not a provisional one

    @property
    def praised(self) -> list[ClosingRow]:
        return [row for row in self.rows if row.verdict == PRAISE]

    @property
    def reminded(self) -> list[ClosingRow]:
        return [row for row in self.rows if row.verdict == REMIND]

    @property
    def average(self) -> Decimal | None:
        return average_score([row.ranked for row in self.rows])


def read_thresholds(praise: str, remind: str) -> tuple[Decimal, Decimal]:
    """The two thresholds as typed ("100", "50", "75,5"); errors by field, in Vietnamese."""
    errors, values = {}, {}
    for name, text, default in (
        ("praise_from", praise, PRAISE_FROM),
        ("remind_below", remind, REMIND_BELOW),
    ):
        text = (text or "").strip()
        if not text:
            values[name] = default
            continue
        try:
            value = parse_number(text).value
        except NumberError as error:
            errors[name] = f"«{text}»: {error.message}"
            continue
        if not Decimal(0) <= value <= Decimal(100):
            errors[name] = "Điểm phải từ 0 đến 100."
            continue
        values[name] = value
    if not errors and values["remind_below"] > values["praise_from"]:
        errors["remind_below"] = "Mức nhắc nhở phải thấp hơn hoặc bằng mức biểu dương."
    if errors:
        raise ValidationError(errors)
    return values["praise_from"], values["remind_below"]


def _verdict(ranked: RankRow, praise_from: Decimal, remind_below: Decimal) -> str:
    if ranked.score >= praise_from:
        return PRAISE
    if ranked.score < remind_below:
        return REMIND
    return ""


def closing_review(
    campaign: Campaign,
    *,
    praise_from: Decimal = PRAISE_FROM,
    remind_below: Decimal = REMIND_BELOW,
    today: dt.date | None = None,
) -> Closing:
    """The campaign's standing at its end (or today, while it runs): four queries."""
    today = today or timezone.localdate()
    found = progress(campaign, on=min(today, campaign.end))
    by_code = {unit.code: (unit, cells) for unit, cells in found.rows()}
    rows = []
    for ranked in ranking_of(found):
        unit, cells = by_code[ranked.code]
        rows.append(ClosingRow(ranked, unit, cells, _verdict(ranked, praise_from, remind_below)))
    final = campaign.status == CampaignStatus.CLOSED or today > campaign.end
    return Closing(campaign, found, rows, praise_from, remind_below, final)
