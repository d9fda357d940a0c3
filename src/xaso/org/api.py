"""API: the organisation tree — a unit, its children, its subtree to a depth, search.

Unit codes are public administrative codes: an unknown code is 404, a unit the user may not
read is 403 (as on the web). Lists hold only units the user may read, filtered in the query:
the list of units (and its search) includes the ended units the user reads through what
they became (issue 22), each saying where it is now (`now`, `now_units`).
"""

import datetime as dt

from ninja import Field, Query, Router, Schema

from xaso.api.errors import READ_ERRORS
from xaso.api.pagination import limit_query, page
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.org.selectors import named_like, unit_or_404
from xaso.org.succession import now_of

router = Router(tags=["Đơn vị"])

MAX_DEPTH = 5  # levels below the unit a subtree request may ask for


class UnitOut(Schema):
    code: str
    name: str
    full_name: str
    kind: str
    depth: int
    parent: str | None
    children: int
    valid_from: dt.date | None = Field(None, description="Thành lập từ ngày (đơn vị mới).")
    valid_to: dt.date | None = Field(None, description="Hoạt động đến ngày (đơn vị cũ).")
    now: str | None = Field(
        None, description="Đơn vị cũ nay ở đâu, vd. “nay thuộc Xã Hà Linh, từ 01/07/2025”."
    )
    now_units: list[str] = Field(
        default_factory=list, description="Mã các đơn vị hiện nay mà đơn vị cũ đã nhập vào."
    )


class UnitPage(Schema):
    items: list[UnitOut]
    next: str | None


def unit_json(unit: OrgUnit, parents: dict[str, str] | None = None, now=None) -> dict:
    """The unit as the API gives it; `now`: where it is now, if it ended (`now_of`)."""
    parent_path = unit.path[: -OrgUnit.steplen]
    parent = None
    if parent_path:
        parent = (parents or {}).get(parent_path)
        if parent is None:
            parent = OrgUnit.objects.filter(path=parent_path).values_list("code", flat=True).first()
    return {
        "code": unit.code,
        "name": unit.name,
        "full_name": unit.full_name,
        "kind": unit.kind,
        "depth": unit.depth,
        "parent": parent,
        "children": unit.numchild,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "now": now.text if now else None,
        "now_units": [after.code for after in now.units] if now else [],
    }


def readable_unit(request, code: str) -> OrgUnit:
    """The unit of this code, if the user may read it (404 unknown, 403 not readable)."""
    unit = unit_or_404(code)
    policy.require_read(request.auth, unit)
    return unit


def _page(request, units, limit, cursor):
    rows = page(request, units, key="path", limit=limit, cursor=cursor, serialize=lambda u: u)
    parents = dict(
        OrgUnit.objects.filter(
            path__in={u.path[: -OrgUnit.steplen] for u in rows["items"]}
        ).values_list("path", "code")
    )
    now = now_of(rows["items"])
    rows["items"] = [unit_json(u, parents, now.get(u.pk)) for u in rows["items"]]
    return rows


@router.get("/", response={200: UnitPage, **READ_ERRORS}, summary="Các đơn vị được xem")
def list_units(
    request,
    q: str | None = Query(None, max_length=200, description="Tìm theo tên, không phân biệt dấu."),
    kind: str | None = Query(None, max_length=32),
    limit: int = limit_query(),
    cursor: str | None = Query(None, max_length=200),
):
    """The units the user may read, in tree order, the ended units whose successors the
    user reads among them; `q` finds by name with or without diacritics ("ha linh" finds Xã
    Hà Linh, today's and the former one, which says "nay thuộc …")."""
    units = policy.readable_units(request.auth, history=True)
    if q and q.strip():
        units = named_like(q, units)
    if kind:
        units = units.filter(kind=kind)
    return _page(request, units, limit, cursor)


@router.get("/{code}", response={200: UnitOut, **READ_ERRORS}, summary="Một đơn vị")
def get_unit(request, code: str):
    unit = readable_unit(request, code)
    return unit_json(unit, now=now_of([unit]).get(unit.pk))


@router.get(
    "/{code}/children", response={200: UnitPage, **READ_ERRORS}, summary="Đơn vị trực thuộc"
)
def unit_children(
    request,
    code: str,
    limit: int = limit_query(),
    cursor: str | None = Query(None, max_length=200),
):
    unit = readable_unit(request, code)
    units = OrgUnit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
    return _page(request, units, limit, cursor)


@router.get(
    "/{code}/subtree", response={200: UnitPage, **READ_ERRORS}, summary="Cây đơn vị bên dưới"
)
def unit_subtree(
    request,
    code: str,
    depth: int = Query(1, ge=1, le=MAX_DEPTH, description=f"Số cấp bên dưới (1–{MAX_DEPTH})."),
    limit: int = limit_query(),
    cursor: str | None = Query(None, max_length=200),
):
    """The unit and the units down to `depth` levels below it, in tree order."""
    unit = readable_unit(request, code)
    units = OrgUnit.objects.filter(policy.subtree_q([unit.path]), depth__lte=unit.depth + depth)
    return _page(request, units, limit, cursor)
