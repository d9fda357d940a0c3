"""Materialized paths for bulk loads: the same steps django-treebeard writes (4 characters of
base 36 per level), computed here so that thousands of units go in with one bulk insert."""

from xaso.org.models import OrgUnit


def path_step(number: int) -> str:
    """One path step: `number` in treebeard's base-36 alphabet, zero-padded to `steplen`."""
    alphabet, steplen = OrgUnit.alphabet, OrgUnit.steplen
    base = len(alphabet)
    digits = ""
    while number:
        number, rest = divmod(number, base)
        digits = alphabet[rest] + digits
    if len(digits) > steplen:
        raise OverflowError("Quá nhiều đơn vị con dưới cùng một đơn vị.")
    return digits.rjust(steplen, alphabet[0])


def step_number(step: str) -> int:
    return int(step, len(OrgUnit.alphabet))


def last_child_step(parent: OrgUnit | None) -> int:
    """The step number of the parent's last child (of the last root when parent is None)."""
    if parent is None:
        children = OrgUnit.objects.filter(depth=1)
    else:
        children = OrgUnit.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    last = children.order_by("-path").values_list("path", flat=True).first()
    return step_number(last[-OrgUnit.steplen :]) if last else 0


def ancestor_paths(path: str, *, include_self: bool = False) -> list[str]:
    """The paths of a unit's ancestors, from the root down (and its own, if asked)."""
    step = OrgUnit.steplen
    last = len(path) + (1 if include_self else 0)
    return [path[:end] for end in range(step, last, step)]


def subtree_upper_bound(path: str) -> str | None:
    """The smallest path after every path that starts with `path` (its last step plus one),
    so that a subtree is also a plain range, usable by a B-tree index under any collation.
    None when the last step is already the largest."""
    step = path[-OrgUnit.steplen :]
    number = step_number(step) + 1
    if number >= len(OrgUnit.alphabet) ** OrgUnit.steplen:
        return None
    return path[: -OrgUnit.steplen] + path_step(number)
