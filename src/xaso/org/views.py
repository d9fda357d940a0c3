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
        units = units.filter(path__startswith=root.path, depth__lte=root.depth + LEVELS)
    else:
        units = units.filter(depth__lte=LEVELS)
    rows = list(units[: MAX_ROWS + 1])
    truncated = len(rows) > MAX_ROWS
    if truncated:  # too many to show: fall back to the first two levels
        base = root.depth if root else 0
        rows = [unit for unit in rows[:MAX_ROWS] if unit.depth <= base + 1]
    base_depth = root.depth if root else 1
    for unit in rows:
        unit.indent = unit.depth - base_depth
    context = {
        "root": root,
        "trail": list(ancestors(root)) if root else [],
        "rows": rows,
        "truncated": truncated,
    }
    return render(request, "org/tree.html", context)
