"""A group's figures as JSON: one shape for `xaso show GROUP --json` and the API. The
caller says how a number is written (a JSON number for the CLI, an exact decimal for the
API)."""

from collections.abc import Callable
from decimal import Decimal

from xaso.figures.partials import Figure
from xaso.groups.figures import GroupFigures

Number = Callable[[Decimal | None], object]


def _status(figure: Figure | None) -> str | None:
    return ("estimated" if figure.estimated else "final") if figure else None


def _member(cell, rank: int | None, number: Number, compared: bool) -> dict:
    target = cell.achievement.target if cell.achievement else None
    row = {
        "unit": cell.unit.full_name,
        "code": cell.unit.code,
        "result": number(cell.figure.value) if cell.figure else None,
        "status": _status(cell.figure),
        "target": number(target.value) if target else None,
        "percent": number(cell.achievement.percent) if target else None,
        "rank": rank,
    }
    if compared:
        row["last_year"] = number(cell.previous.value) if cell.previous else None
    return row


def _row(line, number: Number, compared: bool) -> dict:
    places = {place.cell.unit.pk: place.position for place in line.ranking}
    row = {
        "indicator": line.indicator.name,
        "indicator_code": line.indicator.code,
        "unit": line.indicator.unit_name,
        "rollup": str(line.indicator.rollup),
        "result": number(line.total.value) if line.total else None,
        "status": _status(line.total),
        "target": number(line.target),
        "percent": number(line.percent),
        "members": [
            _member(cell, places.get(cell.unit.pk), number, compared) for cell in line.cells
        ],
    }
    if compared:
        row["last_year"] = number(line.previous.value) if line.previous else None
        row["change"] = number(line.change)
        row["change_percent"] = number(line.change_percent)
    return row


def figures_json(figures: GroupFigures, number: Number) -> dict:
    """The group's total per indicator and the breakdown by the members the user reads,
    with their ranks; the window and last year's when the figures have them."""
    compared = figures.before is not None
    group = figures.group
    data = {
        "group": {"code": group.code, "name": group.name, "kind": group.kind},
        "period": {"code": figures.period.code, "label": figures.period.label},
        "members": [unit.full_name for unit in figures.members],
        "members_shown": [unit.full_name for unit in figures.shown],
        "rows": [_row(line, number, compared) for line in figures.lines],
    }
    if figures.window is not None and figures.window.is_year_to_date:
        data["year_to_date"] = figures.window.as_json()
    if compared:
        data["last_year"] = figures.before.as_json()
    return data
