from django.shortcuts import render

from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.org.selectors import search_units, unit_or_404
from xaso.org.succession import now_of, now_seen_by

# The tree page shows this many levels below its root, and never more than MAX_ROWS units,
# so that it stays small on a phone (a province of 2025 has about a hundred communes).
LEVELS = 3
MAX_ROWS = 800


def tree(request):
    """The units the user may read: the whole country for a superuser, else the subtrees of
    the user's roles; `?root=` opens one branch of them."""
    query = request.GET.get("q", "").strip()
    readable = policy.readable_units(request.user)
    if query:
        return render(request, "org/tree.html", _search(request.user, query))
    root = None
    units = readable.order_by("path")
    roots = policy.readable_paths(request.user)
    if code := request.GET.get("root"):
        root = unit_or_404(code)
        policy.require_read(request.user, root)
        # An old unit's branch: its ended units below, read through what they became.
        branch = policy.readable_units(request.user, history=root.valid_to is not None)
        units = branch.order_by("path").filter(path__startswith=root.path)
    elif roots is not None and len(roots) == 1:
        root = OrgUnit.objects.filter(path=roots[0]).first()
    # The depth the listing starts from: the root's, or that of the shallowest unit read.
    if root is not None:
        base = root.depth
    elif roots:
        base = min(len(path) for path in roots) // OrgUnit.steplen - 1
    else:
        base = 0
    # As many levels as fit: a whole country shows its provinces, a province its communes.
    levels = LEVELS
    while levels > 1 and units.filter(depth__lte=base + levels).count() > MAX_ROWS:
        levels -= 1
    rows = list(units.filter(depth__lte=base + levels)[:MAX_ROWS])
    truncated = levels < LEVELS
    for unit in rows:
        unit.indent = unit.depth - max(base, 1)
    if root is not None:
        _lineage_of(request.user, root)
    context = {
        "root": root,
        "trail": policy.trail(request.user, root) if root else [],
        "rows": rows,
        "truncated": truncated,
    }
    return render(request, "org/tree.html", context)


def _search(user, query: str) -> dict:
    """Units named like the query among those the user reads, the ended units they succeeded
    included (a 2022 report's "Điền Mỹ"); each ended one says what it is now and links to
    it ("nay thuộc Xã Hà Linh, từ 01/07/2025") where the user may open it."""
    found = list(search_units(query, within=policy.readable_units(user, history=True)))
    now = now_of(found)
    for unit in found:
        unit.now = now.get(unit.pk)
        if unit.now is not None:
            for after in unit.now.units:
                after.readable = policy.can_read(user, after)
    return {"query": query, "found": found}


def _lineage_of(user, root: OrgUnit) -> None:
    """The branch's unit through the reorganisations: what an ended one is now (`root.now`),
    and the units a formed one was made from (`root.formed_from`), each linked if readable."""
    root.now = now_seen_by(user, root)
    root.formed_from = []
    if root.valid_from is not None:
        links = root.predecessions.select_related("predecessor").order_by("predecessor__path")
        root.formed_from = [link.predecessor for link in links]
        for old in root.formed_from:
            old.readable = policy.can_read(user, old)
