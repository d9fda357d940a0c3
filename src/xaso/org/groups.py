"""Who sees which unit group (cụm, khối thi đua): the one rule every page, the CLI and the
rankings read within a group ask.

A group is visible to whoever may read its owner, and to the people of its members (anyone
whose role lies on a member or inside it: a member commune's village head sees the cluster's
page). Seeing the group is not reading its members' figures: each member's figures follow
that member's own rule (`policy.can_read`).
"""

from django.db.models import Q, QuerySet

from xaso.org import policy
from xaso.org.models import OrgUnit, UnitGroup
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


def visible_group(user, code: str) -> UnitGroup | None:
    """The group with this code if the user may open it, else None."""
    return visible_groups(user).filter(code=code).first()
