"""Reading unit groups: who sees which group, a unit's groups, and whether a group set splits
its owner's units exclusively.

A group is visible to whoever may read its owner, and to the people of its members (anyone
whose role lies on a member or inside it: a member commune's village head sees the cluster's
page). Seeing the group is not reading its members' figures: each member's figures follow
that member's own rule (`policy.can_read`).
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from xaso.org import policy
from xaso.org.models import GroupSet, OrgUnit, UnitGroup
from xaso.org.paths import ancestor_paths


def _grant_paths(user) -> list[str] | None:
    """None for everyone: a superuser, or the server's operator (user None, the CLI)."""
    if user is None or policy.is_everyone(user):
        return None
    return [grant.path for grant in policy.grants(user)]


def visible_groups(user) -> QuerySet[UnitGroup]:
    """The groups the user may open, filtered in the query."""
    paths = _grant_paths(user)
    groups = UnitGroup.objects.select_related("owner", "group_set")
    if paths is None:
        return groups
    above = {path for grant in paths for path in [*ancestor_paths(grant), grant]}
    where = (
        policy.scope_q(user, "owner__path")
        | policy.scope_q(user, "members__path")  # a member the user reads
        | Q(members__path__in=above)  # a member the user's unit lies in
    )
    ids = UnitGroup.objects.filter(where).values("pk")
    return groups.filter(pk__in=ids)


def can_see(user, group: UnitGroup) -> bool:
    """Whether the user may open the group (user None: the operator, who sees all)."""
    return visible_groups(user).filter(pk=group.pk).exists()


def can_read_member(user, unit: OrgUnit) -> bool:
    return user is None or policy.can_read(user, unit)


def members(group: UnitGroup) -> list[OrgUnit]:
    """Members in tree order (a district's communes as the district lists them)."""
    return list(group.members.order_by("path"))


def groups_of(unit: OrgUnit, user) -> list[UnitGroup]:
    """The groups the unit owns or belongs to, that the user may see."""
    owned_or_joined = Q(owner=unit) | Q(memberships__unit=unit)
    ids = UnitGroup.objects.filter(owned_or_joined).values("pk")
    return list(
        visible_groups(user)
        .filter(pk__in=ids)
        .prefetch_related("members")
        .order_by("owner__path", "kind", "name")
    )


@dataclass(frozen=True)
class Partition:
    """How a group set's groups split the owner's units of its kinds."""

    group_set: GroupSet
    units: int  # the units that must each be in one group
    missing: list[OrgUnit]  # in no group of the set
    doubled: list[tuple[OrgUnit, list[UnitGroup]]]  # in two or more
    outside: list[tuple[OrgUnit, UnitGroup]]  # a member not of the set's kinds or owner

    @property
    def exclusive(self) -> bool:
        return not (self.missing or self.doubled or self.outside)


def partition(group_set: GroupSet, year: int | None = None) -> Partition:
    """Check that every unit of the set's kinds under its owner is in exactly one of its
    groups (those valid in `year`, all when None), and name who is missing or doubled."""
    owner = group_set.owner
    expected = list(
        OrgUnit.objects.filter(
            path__startswith=owner.path, kind__in=group_set.member_kinds
        ).order_by("path")
    )
    groups = [
        group
        for group in group_set.groups.prefetch_related("members")
        if year is None or group.valid_in(year)
    ]
    where: dict[int, list[UnitGroup]] = {}
    outside = []
    wanted = {unit.pk for unit in expected}
    for group in groups:
        for member in group.members.all():
            if member.pk in wanted:
                where.setdefault(member.pk, []).append(group)
            else:
                outside.append((member, group))
    return Partition(
        group_set=group_set,
        units=len(expected),
        missing=[unit for unit in expected if unit.pk not in where],
        doubled=[(unit, where[unit.pk]) for unit in expected if len(where.get(unit.pk, [])) > 1],
        outside=outside,
    )
