from django.shortcuts import get_object_or_404, render

from xaso.org.models import OrgUnit
from xaso.org.selectors import ancestors, search_units

# The tree page shows this many levels below its root, and never more than MAX_ROWS units,
# so that it stays small on a phone (a province of 2025 has about a hundred communes).
LEVELS = 3
MAX_ROWS = 800


def tree(request):
    query = request.GET.get("q", "").strip()
    if query:
        found = list(search_units(query))
        return render(request, "org/tree.html", {"query": query, "found": found})
    root = None
    units = OrgUnit.objects.order_by("path")
    if code := request.GET.get("root"):
        root = get_object_or_404(OrgUnit, code=code)
        units = units.filter(path__startswith=root.path)
    base = root.depth if root else 0
    # As many levels as fit: a whole country shows its provinces, a province its communes.
    levels = LEVELS
    while levels > 1 and units.filter(depth__lte=base + levels).count() > MAX_ROWS:
        levels -= 1
    rows = list(units.filter(depth__lte=base + levels)[:MAX_ROWS])
    truncated = levels < LEVELS
    for unit in rows:
        unit.indent = unit.depth - max(base, 1)
    context = {
        "root": root,
        "trail": list(ancestors(root)) if root else [],
        "rows": rows,
        "truncated": truncated,
    }
    return render(request, "org/tree.html", context)
