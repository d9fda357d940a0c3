"""Which successor each village of a divided commune went to (issue 22).

The `vietnamadminunits` package has no villages, so the 2025 links of a divided commune say
only what share of it each successor took (by area). When the commune's villages are in xaso,
the province records where each went: one `move` link per village, dated as the division, to
one of the commune's successors. `figures.lineage` then divides the commune's sum figures by
the villages' own figures ("theo các thôn đã chuyển").

`record_village_moves` checks every village and successor first and saves nothing when one is
wrong (a ValidationError in Vietnamese naming the field); recording again changes a village's
successor, and recording the same changes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from xaso.org import policy
from xaso.org.models import Lineage, LineageKind, OrgUnit

SOURCE = "tỉnh ghi nhận thôn chuyển về đơn vị kế thừa"


def _division(predecessor: OrgUnit) -> list[Lineage]:
    links = list(
        Lineage.objects.filter(predecessor=predecessor, successor__isnull=False)
        .exclude(kind=LineageKind.MOVE)
        .select_related("successor")
    )
    if len(links) < 2:
        raise ValidationError(
            {
                "lineage": f"{predecessor.full_name} không được chia cho nhiều đơn vị kế thừa: "
                "không cần ghi thôn chuyển về đâu."
            }
        )
    return links


@transaction.atomic
def record_village_moves(
    *, predecessor: OrgUnit, moves: dict[OrgUnit, OrgUnit], by=None, source: str = SOURCE
) -> list[Lineage]:
    """For each village of `predecessor`, the successor it went to, as a `move` link dated as
    the division. `by`, when given, must manage every successor; None is the operator."""
    links = _division(predecessor)
    successors = {link.successor_id for link in links}
    date = links[0].date
    if by is not None:
        for link in links:
            policy.require_manage(by, link.successor, what="ghi thôn chuyển về đơn vị kế thừa")
    for village, successor in moves.items():
        if village.path[: -OrgUnit.steplen] != predecessor.path:
            raise ValidationError(
                {"village": f"{village.full_name} không thuộc {predecessor.full_name}."}
            )
        if successor.pk not in successors:
            raise ValidationError(
                {
                    "successor": f"{successor.full_name} không phải đơn vị kế thừa của "
                    f"{predecessor.full_name}."
                }
            )
    saved = []
    for village, successor in moves.items():
        link, _ = Lineage.objects.update_or_create(
            predecessor=village,
            date=date,
            kind=LineageKind.MOVE,
            defaults={"successor": successor, "source": source},
        )
        saved.append(link)
    return saved
