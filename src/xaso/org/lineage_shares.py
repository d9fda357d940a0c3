"""The shares of a divided predecessor, per indicator, that a province sets (issue 22).

A commune divided in the 2025 reform gave each successor a part of it; by default the part is
the link's `share` (proportional to area, `admin_history`). For one indicator the province may
set other shares — the households went by village, the budget by a decision — and
`figures.lineage` then uses them for that indicator's figures and targets.

`set_indicator_shares` sets the shares of one predecessor for one indicator, over all its
successors at once: each between 0 and 1, adding up to exactly 1, every successor named;
otherwise it raises a ValidationError in Vietnamese on the `share` field and saves nothing.
`clear_indicator_shares` goes back to the links' own shares.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from xaso.org import policy
from xaso.org.models import Lineage, LineageShare, OrgUnit

_PLACES = 6  # as the model's field: 7 digits, 6 after the point


def _shown(value: Decimal) -> str:
    """0.9 -> "0,9": exact, the Vietnamese way (a rounded percent could hide 0,9999999)."""
    return format(value.normalize(), "f").replace(".", ",")


def _links(predecessor: OrgUnit) -> list[Lineage]:
    links = list(
        Lineage.objects.filter(predecessor=predecessor, successor__isnull=False)
        .select_related("successor")
        .order_by("successor__path")
    )
    if len(links) < 2:
        raise ValidationError(
            {
                "lineage": f"{predecessor.full_name} không được chia cho nhiều đơn vị kế thừa: "
                "không có phần nào để đặt theo chỉ tiêu."
            }
        )
    return links


def _as_share(value, successor: OrgUnit) -> Decimal:
    try:
        share = Decimal(str(value))
    except InvalidOperation:
        share = None
    if share is None or not share.is_finite():
        raise ValidationError(
            {"share": f"Phần chia cho {successor.full_name} (‘{value}’) không phải là số."}
        )
    if share < 0 or share > 1:
        raise ValidationError(
            {"share": f"Phần chia cho {successor.full_name} là {_shown(share)}: phải từ 0 đến 1."}
        )
    if share != share.quantize(Decimal(1).scaleb(-_PLACES)):
        raise ValidationError(
            {
                "share": f"Phần chia cho {successor.full_name} ({value}) có quá "
                f"{_PLACES} chữ số thập phân."
            }
        )
    return share


@transaction.atomic
def set_indicator_shares(
    *,
    predecessor: OrgUnit,
    indicator,
    shares: dict[OrgUnit, object],
    basis: str = "",
    by=None,
) -> list[LineageShare]:
    """Set, for `indicator`, the share of `predecessor` each of its successors took.

    `shares` names every successor of the predecessor's division with its share (a Decimal,
    or text such as "0.25"); the shares add up to 1. Replaces the shares set before for this
    predecessor and indicator; all or nothing. `by`, when given, must manage every successor
    (the province that made them); None is the server's operator."""
    links = _links(predecessor)
    if by is not None:
        for link in links:
            policy.require_manage(by, link.successor, what="đặt phần chia theo chỉ tiêu")
    by_successor = {link.successor_id: link for link in links}
    given: dict[int, Decimal] = {}
    for successor, value in shares.items():
        if successor.pk not in by_successor:
            raise ValidationError(
                {
                    "share": f"{successor.full_name} không phải đơn vị kế thừa của "
                    f"{predecessor.full_name}."
                }
            )
        given[successor.pk] = _as_share(value, successor)
    missing = [link.successor.full_name for link in links if link.successor_id not in given]
    if missing:
        raise ValidationError(
            {
                "share": f"Thiếu phần chia cho {', '.join(missing)}: phải đặt phần cho mọi đơn "
                f"vị kế thừa của {predecessor.full_name}."
            }
        )
    total = sum(given.values(), Decimal(0))
    if total != 1:
        raise ValidationError(
            {
                "share": f"Các phần chia của {predecessor.full_name} cho chỉ tiêu "
                f"‘{indicator.name}’ cộng lại là {_shown(total)}, phải bằng đúng 1 "
                "(100%)."
            }
        )
    saved = []
    for link in links:
        row, _ = LineageShare.objects.update_or_create(
            lineage=link,
            indicator=indicator,
            defaults={"share": given[link.successor_id], "basis": basis.strip(), "set_by": by},
        )
        saved.append(row)
    return saved


@transaction.atomic
def clear_indicator_shares(*, predecessor: OrgUnit, indicator, by=None) -> int:
    """Remove the shares set for `indicator`: the links' own shares apply again."""
    if by is not None:
        for link in _links(predecessor):
            policy.require_manage(by, link.successor, what="đặt phần chia theo chỉ tiêu")
    deleted, _ = LineageShare.objects.filter(
        lineage__predecessor=predecessor, indicator=indicator
    ).delete()
    return deleted


def indicator_shares(predecessor: OrgUnit) -> dict[int, dict[int, LineageShare]]:
    """{indicator id: {successor id: the share set}} for a predecessor."""
    found: dict[int, dict[int, LineageShare]] = {}
    for row in LineageShare.objects.filter(lineage__predecessor=predecessor).select_related(
        "lineage"
    ):
        found.setdefault(row.indicator_id, {})[row.lineage.successor_id] = row
    return found
