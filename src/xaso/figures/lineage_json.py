"""A figure or a target computed through lineage (issue 22), as JSON: one shape for
`xaso show --json` and the REST API.

    {"via_lineage": true, "lineage": "tính từ 2 xã cũ: Hà Linh, Điền Mỹ",
     "sources": [{"unit": "Xã Hà Linh", "code": "…", "share": 1, "result": 1000}, …]}

A target's sources give each predecessor's target (`value`) instead of its figure. Numbers go
through `number`, each interface's own: plain JSON numbers for the command line
(`vn.numbers.plain_number`), Decimals for the API (`api.numbers.plain`).
"""

from collections.abc import Callable
from decimal import Decimal

from xaso.figures.lineage import PlanVia, ViaLineage

Number = Callable[[Decimal | None], object]


def _via_json(via: ViaLineage | PlanVia, number: Number, key: str, value_of) -> dict:
    return {
        "via_lineage": True,
        "lineage": via.words,
        "sources": [
            {
                "unit": source.unit.full_name,
                "code": source.unit.code,
                "share": number(source.share),
                key: value_of(source),
            }
            for source in via.sources
        ],
    }


def figure_via_json(via: ViaLineage, number: Number) -> dict:
    """A figure of a period before the unit existed: its predecessors', and whose."""
    return _via_json(
        via, number, "result", lambda source: number(source.figure.value) if source.figure else None
    )


def plan_via_json(via: PlanVia | None, number: Number) -> dict:
    """A target computed from the predecessors' of the same period and source; {} for the
    unit's own target."""
    if via is None:
        return {}
    return _via_json(
        via, number, "value", lambda source: number(source.target.value) if source.target else None
    )
