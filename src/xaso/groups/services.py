"""Writing unit groups: one group (its name, kind, years and members), a group set, and many
groups at once from a spreadsheet's rows (group, member code) — all or nothing.

A group belongs to its owner (a district, a province): only the owner's managers change it, and
its members are units inside the owner's subtree. Every change is audited.
"""

from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from xaso.audit.models import Action, Entity
from xaso.audit.services import audit_record
from xaso.org import policy
from xaso.org.models import GroupKind, GroupMember, GroupSet, OrgUnit, UnitGroup, code_validator
from xaso.vn.text import nfc


def _state(group: UnitGroup) -> dict:
    return {
        "code": group.code,
        "name": group.name,
        "kind": group.kind,
        "owner": group.owner.code,
        "group_set": group.group_set.code if group.group_set else None,
        "first_year": group.first_year,
        "last_year": group.last_year,
        "members": sorted(group.members.values_list("code", flat=True)),
    }


def _check(owner: OrgUnit, code: str, name: str, kind: str, members, years) -> dict:
    """The problems of a group as typed, by field (empty when it can be saved)."""
    errors: dict[str, list[str]] = {}
    try:
        code_validator(code)
    except ValidationError as error:
        errors["code"] = [f"Mã nhóm ‘{code}’: {error.messages[0]}"]
    if not name.strip():
        errors["name"] = ["Chưa có tên nhóm."]
    if kind not in GroupKind.values:
        errors["kind"] = [f"Loại nhóm ‘{kind}’ không có (cụm, khối thi đua, cụm thi đua, khác)."]
    outside = [unit.full_name for unit in members if not unit.path.startswith(owner.path)]
    if outside:
        errors["members"] = [f"{', '.join(outside)} không thuộc {owner.full_name}."]
    if not members:
        errors.setdefault("members", []).append("Nhóm chưa có đơn vị thành viên nào.")
    first, last = years
    if first and last and last < first:
        errors["last_year"] = [f"Năm kết thúc {last} trước năm bắt đầu {first}."]
    return errors


@transaction.atomic
def group_save(
    *,
    owner: OrgUnit,
    code: str,
    name: str,
    kind: str,
    members: list[OrgUnit],
    group_set: GroupSet | None = None,
    first_year: int | None = None,
    last_year: int | None = None,
    user=None,
    channel: str = "form",
) -> UnitGroup:
    """Create the group `code`, or change it: its members become exactly `members`.
    ValidationError by field; PermissionDenied unless the user manages the owner."""
    if user is not None:
        policy.require_manage(user, owner, what="lập hoặc sửa nhóm đơn vị")
    code, name = code.strip(), nfc(name).strip()
    members = list(dict.fromkeys(members))  # a unit typed twice is one member
    errors = _check(owner, code, name, kind, members, (first_year, last_year))
    group = UnitGroup.objects.select_for_update().filter(code=code).first()
    if OrgUnit.objects.filter(code=code).exists():  # `xaso show CODE` must mean one thing
        errors["code"] = [f"Mã ‘{code}’ đã là mã của một đơn vị; hãy chọn mã khác cho nhóm."]
    if group is not None and group.owner_id != owner.pk:
        errors["code"] = [f"Mã ‘{code}’ đã là nhóm của {group.owner.full_name}."]
    if group_set is not None and group_set.owner_id != owner.pk:
        errors["group_set"] = [f"Bộ nhóm ‘{group_set.name}’ không thuộc {owner.full_name}."]
    if errors:
        raise ValidationError(errors)
    before = _state(group) if group else None
    fields = {
        "name": name,
        "kind": kind,
        "owner": owner,
        "group_set": group_set,
        "first_year": first_year,
        "last_year": last_year,
    }
    if group is None:
        group = UnitGroup.objects.create(code=code, **fields)
    else:
        for key, value in fields.items():
            setattr(group, key, value)
        group.save()
    wanted = {unit.pk for unit in members}
    group.memberships.exclude(unit_id__in=wanted).delete()
    have = set(group.memberships.values_list("unit_id", flat=True))
    GroupMember.objects.bulk_create(
        [GroupMember(group=group, unit_id=pk) for pk in wanted - have], ignore_conflicts=True
    )
    after = _state(group)
    if after != before:
        audit_record(
            entity=Entity.UNIT_GROUP,
            object_id=group.pk,
            unit=owner,
            action=Action.CREATE if before is None else Action.UPDATE,
            old=before,
            new=after,
            user=user,
            channel=channel,
        )
    return group


@transaction.atomic
def group_set_save(
    *, owner: OrgUnit, code: str, name: str, member_kinds: list[str], user=None
) -> GroupSet:
    """A set of groups that must split the owner's units of `member_kinds` exclusively."""
    if user is not None:
        policy.require_manage(user, owner, what="lập bộ nhóm đơn vị")
    if not name.strip():
        raise ValidationError({"name": "Chưa có tên bộ nhóm."})
    group_set, _ = GroupSet.objects.update_or_create(
        code=code.strip(),
        defaults={"name": nfc(name).strip(), "owner": owner, "member_kinds": list(member_kinds)},
    )
    return group_set


# --- many groups from a spreadsheet ---------------------------------------------------------


@dataclass(frozen=True)
class GroupRow:
    """One row of a groups spreadsheet: a member of a group (the group's name, kind and years
    may be written on any of its rows; the first one written counts)."""

    row: int  # the sheet's row number, for the report
    group: str
    member: str
    name: str = ""
    kind: str = ""


@dataclass
class GroupsImport:
    rows: int = 0
    groups: int = 0
    members: int = 0
    errors: list[dict] = field(default_factory=list)  # {row, field, message}
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict:
        return asdict(self)


_KIND_WORDS = {label.casefold(): value for value, label in GroupKind.choices}


def _kind(text: str) -> str | None:
    text = " ".join(nfc(text).casefold().split())
    return text if text in GroupKind.values else _KIND_WORDS.get(text)


class _RolledBack(Exception):
    pass


def groups_import(
    rows: list[GroupRow], *, owner: OrgUnit, user=None, dry_run: bool = False
) -> GroupsImport:
    """Make each group in `rows` have exactly the members listed for it. All or nothing: any
    error (a code that names no unit inside the owner, a group without a name or kind) and
    nothing is saved; the report lists every error by row."""
    report = GroupsImport(rows=len(rows), dry_run=dry_run)
    if user is not None:
        policy.require_manage(user, owner, what="nhập nhóm đơn vị")
    inside = OrgUnit.objects.filter(path__startswith=owner.path)
    units = {u.code.casefold(): u for u in inside.filter(code__in={r.member for r in rows})}
    known = {g.code: g for g in UnitGroup.objects.filter(code__in={r.group for r in rows})}
    planned: dict[str, dict] = {}
    for row in rows:
        if not row.group:
            report.errors.append({"row": row.row, "field": "nhóm", "message": "Thiếu mã nhóm."})
            continue
        plan = planned.setdefault(row.group, {"name": "", "kind": "", "members": [], "row": row})
        plan["name"] = plan["name"] or row.name
        if row.kind:
            kind = _kind(row.kind)
            if kind is None:
                message = f"Loại nhóm ‘{row.kind}’ không có (Cụm, Khối thi đua, Cụm thi đua)."
                report.errors.append({"row": row.row, "field": "loại", "message": message})
            plan["kind"] = plan["kind"] or kind or ""
        unit = units.get(row.member.casefold())
        if unit is None:
            message = f"Không có đơn vị mã ‘{row.member}’ trong {owner.full_name}."
            report.errors.append({"row": row.row, "field": "mã đơn vị", "message": message})
        else:
            plan["members"].append(unit)
    for code, plan in planned.items():
        existing = known.get(code)
        plan["name"] = plan["name"] or (existing.name if existing else "")
        plan["kind"] = plan["kind"] or (existing.kind if existing else "")
        if not plan["name"] or not plan["kind"]:
            message = f"Nhóm mới ‘{code}’ cần tên và loại (ghi ở một dòng của nhóm)."
            report.errors.append({"row": plan["row"].row, "field": "tên nhóm", "message": message})
    report.errors.sort(key=lambda error: error["row"])
    if report.errors:
        return report
    try:
        with transaction.atomic():
            for code, plan in planned.items():
                _import_group(code, plan, known.get(code), owner, user, report)
            if report.errors:
                raise _RolledBack
            report.groups = len(planned)
            report.members = sum(len(set(plan["members"])) for plan in planned.values())
            if dry_run:
                raise _RolledBack
    except _RolledBack:
        pass
    return report


def _import_group(code: str, plan: dict, existing, owner, user, report: GroupsImport) -> None:
    """Save one group of an import; its refusal goes to the report under its first row."""
    try:
        group_save(
            owner=owner,
            code=code,
            name=plan["name"],
            kind=plan["kind"],
            members=plan["members"],
            group_set=existing.group_set if existing else None,
            first_year=existing.first_year if existing else None,
            last_year=existing.last_year if existing else None,
            user=user,
            channel="import",
        )
    except ValidationError as error:  # e.g. a code that is another owner's group
        for field_name, messages in error.message_dict.items():
            report.errors += [
                {"row": plan["row"].row, "field": field_name, "message": message}
                for message in messages
            ]
