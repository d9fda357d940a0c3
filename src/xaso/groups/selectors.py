"""Reading unit groups: a unit's groups, and whether a group set splits its owner's units
exclusively. Who sees a group: `xaso.org.groups`."""

from dataclasses import dataclass

from django.db.models import Q

from xaso.org.groups import visible_groups
from xaso.org.models import GroupSet, OrgUnit, UnitGroup


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
