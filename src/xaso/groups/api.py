"""API: unit groups (cụm, khối thi đua) — the groups a unit owns or belongs to, the groups the
user sees, one group with its members, a group's figures for a period; creating or changing
a group.

Who sees what is `xaso.org.groups`, as on the web and in the CLI: a group is seen by whoever
reads its owner or is one of its members' people, and a group the user may not see is 404,
telling nothing (as on the group's page). A unit is 404 when unknown, 403 when not readable
(codes are public, as in `org.api`). A group's figures hold only the members whose figures the
user may read (`groups.figures.group_figures`, the page's and `xaso show GROUP`'s reader), and
its total runs over those. A write goes through `groups.services.group_save`, the web form's
service: all or nothing, errors by field, audited; it takes an Idempotency-Key.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from xaso.api.errors import READ_ERRORS, WRITE_ERRORS, ApiError
from xaso.api.idempotency import once
from xaso.api.numbers import plain
from xaso.api.pagination import limit_query, page
from xaso.figures.services import checked_period
from xaso.groups.as_json import figures_json
from xaso.groups.figures import group_figures
from xaso.groups.selectors import groups_of
from xaso.groups.services import group_save
from xaso.org import policy
from xaso.org.api import readable_unit
from xaso.org.groups import visible_groups
from xaso.org.models import GroupKind, OrgUnit, UnitGroup

router = Router(tags=["Cụm, khối thi đua"])

MAX_MEMBERS = 500  # units in one group written through the API
LAST_YEAR = "last-year"


class GroupOut(Schema):
    code: str
    name: str
    kind: str
    owner: str
    members: list[str] = Field(description="Tên đầy đủ của các đơn vị thành viên, theo cây.")
    member_codes: list[str]


class GroupList(Schema):
    groups: list[GroupOut]


class GroupPage(Schema):
    items: list[GroupOut]
    next: str | None


class MemberOut(Schema):
    code: str
    name: str
    full_name: str
    kind: str


class GroupDetail(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    owner: str
    owner_name: str
    group_set: str | None
    first_year: int | None
    last_year: int | None
    members: list[MemberOut]


class MemberFigure(Schema):
    unit: str
    code: str
    result: Decimal | None
    status: str | None
    target: Decimal | None
    percent: Decimal | None
    rank: int | None
    last_year: Decimal | None = Field(None, description="Cùng kỳ năm trước (khi so sánh).")


class GroupRow(Schema):
    indicator: str
    indicator_code: str
    unit: str
    rollup: str
    result: Decimal | None = Field(description="Tổng của nhóm theo quy tắc tổng hợp.")
    status: str | None
    target: Decimal | None = Field(description="Tổng chỉ tiêu các thành viên (chỉ tiêu cộng).")
    percent: Decimal | None
    members: list[MemberFigure]
    last_year: Decimal | None = Field(None, description="Tổng cùng kỳ năm trước.")
    change: Decimal | None = None
    change_percent: Decimal | None = None


class GroupName(Schema):
    code: str
    name: str
    kind: str


class PeriodOut(Schema):
    code: str
    label: str


class WindowOut(Schema):
    label: str
    start: str
    end: str
    periods: list[str]


class GroupFiguresOut(Schema):
    group: GroupName
    period: PeriodOut
    year_to_date: WindowOut | None = Field(None, description="Khi xem lũy kế từ đầu năm.")
    last_year: WindowOut | None = Field(None, description="Khi so với cùng kỳ năm trước.")
    members: list[str]
    members_shown: list[str] = Field(description="Các thành viên bạn được xem số liệu.")
    rows: list[GroupRow]


class GroupIn(Schema):
    owner: str = Field(max_length=64, description="Mã đơn vị lập nhóm (huyện, tỉnh).")
    code: str = Field(max_length=64)
    name: str = Field(max_length=200)
    kind: GroupKind
    members: list[str] = Field(max_length=MAX_MEMBERS, description="Mã các đơn vị thành viên.")
    first_year: int | None = Field(None, ge=1900, le=2200)
    last_year: int | None = Field(None, ge=1900, le=2200)


def _members(group: UnitGroup) -> list[OrgUnit]:
    return sorted(group.members.all(), key=lambda unit: unit.path)


def group_json(group: UnitGroup) -> dict:
    """`xaso groups UNIT --json`'s shape, with the members' codes beside their names."""
    members = _members(group)
    return {
        "code": group.code,
        "name": group.name,
        "kind": group.kind,
        "owner": group.owner.code,
        "members": [unit.full_name for unit in members],
        "member_codes": [unit.code for unit in members],
    }


def detail_json(group: UnitGroup) -> dict:
    return {
        "code": group.code,
        "name": group.name,
        "kind": group.kind,
        "kind_label": group.get_kind_display(),
        "owner": group.owner.code,
        "owner_name": group.owner.full_name,
        "group_set": group.group_set.code if group.group_set else None,
        "first_year": group.first_year,
        "last_year": group.last_year,
        "members": [
            {"code": u.code, "name": u.name, "full_name": u.full_name, "kind": u.kind}
            for u in _members(group)
        ],
    }


def seen_group(request, code: str) -> UnitGroup:
    """The group of this code if the user may see it; else 404, unknown or not."""
    group = visible_groups(request.auth).filter(code=code).first()
    if group is None:
        raise Http404
    return group


@router.get(
    "/units/{code}/groups",
    response={200: GroupList, **READ_ERRORS},
    summary="Các cụm, khối của một đơn vị",
)
def unit_groups(request, code: str):
    """The groups the unit owns or belongs to that the user may see (`xaso groups UNIT`)."""
    unit = readable_unit(request, code)
    return {"groups": [group_json(group) for group in groups_of(unit, request.auth)]}


@router.get("/groups/", response={200: GroupPage, **READ_ERRORS}, summary="Các nhóm được xem")
def list_groups(
    request,
    kind: str | None = Query(None, max_length=32, description="cluster, emulation_bloc, …"),
    limit: int = limit_query(),
    cursor: str | None = Query(None, max_length=200),
):
    """Every group the user may see (those of the units they read, and those their unit is
    in), by code."""
    groups = visible_groups(request.auth).prefetch_related("members")
    if kind:
        groups = groups.filter(kind=kind)
    return page(request, groups, key="code", limit=limit, cursor=cursor, serialize=group_json)


@router.get("/groups/{code}", response={200: GroupDetail, **READ_ERRORS}, summary="Một nhóm")
def get_group(request, code: str):
    return detail_json(seen_group(request, code))


@router.get(
    "/groups/{code}/figures",
    response={200: GroupFiguresOut, **READ_ERRORS},
    summary="Số liệu của một nhóm: tổng, từng thành viên, xếp hạng",
)
def group_figures_route(
    request,
    code: str,
    period: str = Query(..., max_length=64),
    ytd: bool = Query(False, description="Lũy kế từ đầu năm đến hết kỳ."),
    compare: str | None = Query(None, max_length=16, description="last-year: so cùng kỳ."),
):
    """For `period`, each indicator with a figure among the members the user may read: the
    group's total by the indicator's roll-up rule, each of those members' figure against its
    own target, and their ranking (`xaso show GROUP --period P --json`). `ytd`: the
    year-to-date to the period's end; `compare=last-year`: beside the same window a year
    earlier, with the change — as the group's page offers them."""
    group = seen_group(request, code)
    when = checked_period(period)
    if compare not in (None, "", LAST_YEAR):
        raise ApiError(422, "Chỉ so được với cùng kỳ năm trước (last-year).", field="compare",
                       code="validation")  # fmt: skip
    try:
        figures = group_figures(group, when, request.auth, ytd=ytd, last_year=bool(compare))
    except ValueError as error:  # a term or a free span has no year-to-date
        raise ApiError(422, str(error), field="ytd", code="validation") from None
    if compare and figures.before is None:
        message = f"{when.label.capitalize()} không có cùng kỳ năm trước để so sánh."
        raise ApiError(422, message, field="compare", code="validation")
    return figures_json(figures, plain)


def _units(codes: list[str]) -> list[OrgUnit]:
    """The units of these codes, in the order given; ValidationError naming the unknown."""
    wanted = [code.strip() for code in codes if code.strip()]
    found = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=wanted)}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        names = ", ".join(f"‘{code}’" for code in unknown)
        raise ValidationError({"members": f"Không có đơn vị mã {names}."})
    return [found[code] for code in wanted]


@router.post(
    "/groups",
    response={200: GroupDetail, **WRITE_ERRORS},
    summary="Lập hoặc sửa một nhóm (tất cả hoặc không)",
)
def write_group(request, payload: GroupIn):
    """Create the group `code`, or change it: its name, kind, years, and members exactly
    those listed. Only a manager of the owner (or above) may. Any error and nothing is
    saved; the answer names the field. The same request sent again changes nothing."""

    def write():
        owner = OrgUnit.objects.filter(code=payload.owner.strip()).first()
        if owner is None:
            raise ValidationError({"owner": f"Không có đơn vị mã ‘{payload.owner}’."})
        policy.require_manage(request.auth, owner, what="lập hoặc sửa nhóm đơn vị")
        existing = UnitGroup.objects.filter(code=payload.code.strip()).first()
        group = group_save(
            owner=owner,
            code=payload.code,
            name=payload.name,
            kind=payload.kind,
            members=_units(payload.members),
            group_set=existing.group_set if existing and existing.owner_id == owner.pk else None,
            first_year=payload.first_year,
            last_year=payload.last_year,
            user=request.auth,
            channel="api",
        )
        group = get_object_or_404(UnitGroup.objects.select_related("owner"), pk=group.pk)
        return 200, GroupDetail(**detail_json(group)).model_dump(mode="json")

    return once(request, write)
