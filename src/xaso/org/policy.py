"""Who may read and write what: the one place that decides (docs/access.md).

A role on a unit (viewer, reporter, manager) applies to the unit's whole subtree:
- read: any role lets its holder read the unit's subtree — figures, meetings, tasks;
- record: a reporter or manager may write figures, meetings and task updates there;
- manage: a manager may also set targets and confirm what others proposed.
Ancestors' figures become readable once they are published or approved (a later issue);
until then a unit above the user's shows its name in the trail and nothing else.

A superuser may do everything. Anonymous users may do nothing (the login middleware sends
them away before any view runs). Every view, CLI command acting for a user and service that
writes for one asks here; lists are filtered in the query with `scope_q`.

The roles of a user are read once per user object (one query) and kept on it, so a page that
asks many questions costs one query for all of them.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q

from xaso.org.models import Membership, OrgUnit, Role
from xaso.org.paths import ancestor_paths, subtree_upper_bound
from xaso.rows import Lookup

WRITERS = frozenset({Role.REPORTER, Role.MANAGER})
MANAGERS = frozenset({Role.MANAGER})
READERS = frozenset({Role.VIEWER, Role.REPORTER, Role.MANAGER})

_CACHE = "_xaso_roles"
# Read on every request: written once rather than compiled by the ORM each time (xaso.rows).
_GRANTS = (
    f'SELECT u."path", m."role" FROM "{Membership._meta.db_table}" m '  # noqa: S608 (our tables)
    f'JOIN "{OrgUnit._meta.db_table}" u ON u."id" = m."unit_id" WHERE m."user_id" = %s'
)
_INHERITED = "_xaso_inherited"


@dataclass(frozen=True)
class Grant:
    path: str
    role: str


def grants(user) -> tuple[Grant, ...]:
    """The user's roles as (unit path, role), read once per user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    cached = getattr(user, _CACHE, None)
    if cached is None:
        with connection.cursor() as cursor:
            cursor.execute(_GRANTS, [user.pk])
            cached = tuple(Grant(path, role) for path, role in cursor.fetchall())
        setattr(user, _CACHE, cached)
    return cached


def forget(user) -> None:
    """Drop the cached roles (after a grant changes within one request or test)."""
    for cache in (_CACHE, _INHERITED):
        if user is not None and hasattr(user, cache):
            delattr(user, cache)


def is_everyone(user) -> bool:
    """A superuser: every unit, every action."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def _covers(user, path: str, roles: frozenset) -> bool:
    if is_everyone(user):
        return True
    return any(g.role in roles and path.startswith(g.path) for g in grants(user))


def can_read(user, unit: OrgUnit) -> bool:
    """Whether the user may read the unit's own data (figures, meetings, tasks).

    A unit that ended in a reorganisation is also read by whoever reads what it became: a
    role on today's Xã Hà Linh reads the former Hà Linh and Điền Mỹ (and the ended units
    below them), whose history is its own (`inherited_paths`)."""
    if _covers(user, unit.path, READERS):
        return True
    return unit.valid_to is not None and any(
        unit.path.startswith(path) for path in inherited_paths(user)
    )


def inherited_paths(user) -> tuple[str, ...]:
    """The paths of the ended units whose successors the user reads: their history is the
    user's — back through earlier reorganisations (a commune merged in 2020 into one merged
    again in 2025), at most ten steps, a unit met again not followed. Read once per user
    object (one query per step back, the last finding nothing), only when asked."""
    cached = getattr(user, _INHERITED, None)
    if cached is None:
        readers = [g.path for g in grants(user) if g.role in READERS]
        found: set[str] = set()
        if readers:
            from xaso.org.models import Lineage

            reached = _roots(readers)
            for _ in range(10):
                links = Lineage.objects.filter(subtree_q(reached, "successor__path"))
                new = set(links.values_list("predecessor__path", flat=True)) - found
                if not new:
                    break
                found |= new
                reached = sorted(new)
        cached = tuple(sorted(found))
        setattr(user, _INHERITED, cached)
    return cached


def can_record(user, *units: OrgUnit) -> bool:
    """Whether the user may write for any of these units (figures, meetings, task updates)."""
    return any(_covers(user, unit.path, WRITERS) for unit in units)


def can_record_all(user, units) -> bool:
    return all(_covers(user, unit.path, WRITERS) for unit in units)


def can_manage(user, unit: OrgUnit) -> bool:
    """Whether the user may set the unit's targets and confirm proposals for it."""
    return _covers(user, unit.path, MANAGERS)


def can_write_anywhere(user) -> bool:
    """Whether the user holds a reporter or manager role on some unit (may upload a report)."""
    return is_everyone(user) or any(g.role in WRITERS for g in grants(user))


def managed_paths(user) -> list[str] | None:
    """The roots of the subtrees the user manages; None means every unit."""
    if is_everyone(user):
        return None
    return _roots([g.path for g in grants(user) if g.role in MANAGERS])


def readable_paths(user) -> list[str] | None:
    """The roots of the subtrees the user may read; None means every unit."""
    if is_everyone(user):
        return None
    return _roots([g.path for g in grants(user)])


def _roots(paths: list[str]) -> list[str]:
    """The paths not inside another one of them, sorted."""
    roots: list[str] = []
    for path in sorted(set(paths)):
        if not roots or not path.startswith(roots[-1]):
            roots.append(path)
    return roots


def subtree_q(paths: list[str] | None, field: str = "path") -> Q:
    """A filter selecting what lies under any of these paths (None: everything; []: nothing).

    Each subtree is a range [path, upper bound), so an index on the field serves it.
    """
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    where = Q()
    for path in paths:
        end = subtree_upper_bound(path)
        where |= (
            Q(**{f"{field}__gte": path, f"{field}__lt": end})
            if end
            else Q(**{f"{field}__startswith": path})
        )
    return where


def scope_q(user, field: str = "path") -> Q:
    """The filter for what the user may read, on a field holding a unit's path."""
    return subtree_q(readable_paths(user), field)


def readable_units(user, *, history: bool = False):
    """The units the user may read, in the query. With `history`, also the ended units the
    user reads through what they became (`can_read`'s second rule, `inherited_paths`): a
    search for "Điền Mỹ" by an officer of today's Xã Hà Linh finds the former commune."""
    where = scope_q(user)
    if history and not is_everyone(user):
        # Only the subtrees not already read (a province's old communes hang under it).
        read = readable_paths(user) or []
        paths = [p for p in _roots(list(inherited_paths(user))) if not p.startswith(tuple(read))]
        if paths:
            where |= subtree_q(paths) & Q(valid_to__isnull=False)
    return OrgUnit.objects.filter(where)


_ANCESTORS = Lookup(OrgUnit, '"path" IN ({many}) ORDER BY "depth"')  # written once per depth


def trail(user, unit: OrgUnit) -> list[OrgUnit]:
    """The unit's ancestors from the root down, each marked `readable` for the user: the
    breadcrumbs link only to the units the user may open."""
    paths = ancestor_paths(unit.path)
    above = _ANCESTORS.all(many=paths) if paths else []
    for ancestor in above:
        ancestor.readable = can_read(user, ancestor)
    return above


# ---- raising ---------------------------------------------------------------------------


def require_read(user, unit: OrgUnit) -> None:
    if not can_read(user, unit):
        raise PermissionDenied(f"Bạn không có quyền xem số liệu của {unit.full_name}.")


def require_record(user, *units: OrgUnit, what: str = "ghi số liệu") -> None:
    if not can_record(user, *units):
        names = ", ".join(unit.full_name for unit in units)
        raise PermissionDenied(f"Bạn không có quyền {what} cho {names}.")


def require_record_all(user, units, *, what: str) -> None:
    outside = [unit for unit in units if not _covers(user, unit.path, WRITERS)]
    if outside:
        names = ", ".join(unit.full_name for unit in outside)
        raise PermissionDenied(f"Bạn không có quyền {what} cho {names}.")


def require_manage(user, unit: OrgUnit, *, what: str = "đặt chỉ tiêu") -> None:
    if not can_manage(user, unit):
        raise PermissionDenied(
            f"Chỉ người quản lý {unit.full_name} hoặc đơn vị cấp trên mới được {what}."
        )
