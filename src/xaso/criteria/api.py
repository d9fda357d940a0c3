"""API: where a unit stands on its criteria sets (NTM, VMĐT…) on a day — read only.

The unit must be readable (403 otherwise, as on the web); the sets are those that apply to
its kind (`sets_for`); each criterion's status is the recorded assessment, else the one
computed from figures (`criteria.selectors.standing`).
"""

import datetime as dt

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema

from xaso.api.errors import READ_ERRORS
from xaso.criteria.selectors import sets_for, standing
from xaso.org.api import readable_unit

router = Router(tags=["Tiêu chí"])
ON_DAY = Query(None, description="Tính đến ngày (mặc định hôm nay).")


class CriterionOut(Schema):
    number: str
    name: str
    status: str | None
    counted_from: str


class StandingOut(Schema):
    set: str
    name: str
    group: str
    on: dt.date
    total: int
    achieved: int
    reached: bool
    criteria: list[CriterionOut]


@router.get(
    "/units/{code}/criteria",
    response={200: list[StandingOut], **READ_ERRORS},
    summary="Tình trạng đạt tiêu chí của một đơn vị",
)
def unit_criteria(
    request,
    code: str,
    criteria_set: str | None = Query(None, max_length=64, description="Chỉ bộ tiêu chí mã này."),
    on: dt.date | None = ON_DAY,
):
    unit = readable_unit(request, code)
    day = on or timezone.localdate()
    sets = [s for s in sets_for(unit) if criteria_set is None or s.code == criteria_set]
    if criteria_set is not None and not sets:
        raise Http404
    out = []
    for one in sets:
        found = standing(unit, one, day)
        out.append(
            {
                "set": one.code,
                "name": one.name,
                "group": found.group,
                "on": day,
                "total": found.total,
                "achieved": found.achieved,
                "reached": found.reached,
                "criteria": [
                    {
                        "number": row.criterion.number,
                        "name": row.criterion.name,
                        "status": row.status,
                        "counted_from": row.counted_from,
                    }
                    for row in found.rows
                ],
            }
        )
    return out
