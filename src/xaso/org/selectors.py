"""Reads of the organisation tree."""

from django.db.models import QuerySet
from django.http import Http404

from xaso.org.models import OrgUnit, UnitKind
from xaso.org.paths import ancestor_paths
from xaso.org.policy import subtree_q
from xaso.rows import Lookup
from xaso.vn.text import fold

_BY_CODE = Lookup(OrgUnit, '"code" = %s')


def unit_or_404(code: str) -> OrgUnit:
    """The unit an address names (`/units/<code>/…`), or 404. Every unit page asks it first,
    so its statement is written once (`xaso.rows`) rather than by the ORM on each request."""
    unit = _BY_CODE.one(code)
    if unit is None:
        raise Http404(f"Không có đơn vị mã {code}.")
    return unit


def children(unit: OrgUnit) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("path")


def ancestors(unit: OrgUnit) -> QuerySet[OrgUnit]:
    """From the root down to the unit's parent."""
    return OrgUnit.objects.filter(path__in=ancestor_paths(unit.path)).order_by("depth")


def _kind_words() -> list[tuple[str, str]]:
    """Folded kind labels, longest first, so "thành phố trực thuộc tw" wins over shorter words."""
    words = [(fold(label), kind) for kind, label in UnitKind.choices]
    words += [(fold("Thành phố"), UnitKind.CITY), (fold("Bản"), UnitKind.VILLAGE)]
    return sorted(words, key=lambda item: -len(item[0]))


def find_units(text: str, *, near: OrgUnit | None = None) -> list[OrgUnit]:
    """Units matching a code or a name, with or without its kind word ("Xã Hà Linh", "Hà Linh").

    A code is matched exactly, wherever the unit is. A name is looked up nearest first when
    `near` is given: inside near's subtree, then inside the subtree of each of its ancestors,
    outward from its parent, then the whole country; the first place with a match answers. So
    "Thôn 1" typed in Hà Linh's form is Hà Linh's village 1, not every village 1 there is.
    """
    text = text.strip()
    by_code = list(OrgUnit.objects.filter(code__iexact=text))
    if by_code:
        return by_code
    folded = fold(text)
    if near is None:
        return _by_name(folded, OrgUnit.objects.all())
    for path in [near.path, *reversed(ancestor_paths(near.path))]:
        matches = _by_name(folded, OrgUnit.objects.filter(subtree_q([path])))
        if matches:
            return matches
    return _by_name(folded, OrgUnit.objects.all())


def units_named(text: str, units: QuerySet[OrgUnit]) -> list[OrgUnit]:
    """Units among `units` matching a code exactly, else a name, with or without its kind
    word ("thôn 9", "9", "hl-9")."""
    text = text.strip()
    by_code = list(units.filter(code__iexact=text))
    return by_code or _by_name(fold(text), units)


def _by_name(folded: str, units: QuerySet[OrgUnit]) -> list[OrgUnit]:
    """Units among `units` named `folded`; a leading kind word, when one matches, narrows the
    kind ("thon 1" is a village named "1" before any unit named "thon 1")."""
    for word, kind in _kind_words():
        if folded.startswith(word + " "):
            rest = folded[len(word) + 1 :]
            with_kind = list(units.filter(search_name=rest, kind=kind).order_by("path"))
            if with_kind:
                return with_kind
    return list(units.filter(search_name=folded).order_by("path"))


def named_like(text: str, units: QuerySet[OrgUnit]) -> QuerySet[OrgUnit]:
    """Units among `units` whose name contains the text, with or without diacritics; a
    leading kind word narrows the kind when a unit of that kind matches ("Thị trấn Hương
    Khê" is the township, "huong khe" every Hương Khê)."""
    folded = fold(text)
    for word, kind in _kind_words():
        if folded.startswith(word + " ") and (rest := folded[len(word) + 1 :].strip()):
            with_kind = units.filter(search_name__contains=rest, kind=kind)
            if with_kind.exists():
                return with_kind
    return units.filter(search_name__contains=folded)


def search_units(
    text: str, *, within: QuerySet[OrgUnit] | None = None, limit: int = 50
) -> QuerySet[OrgUnit]:
    units = OrgUnit.objects.all() if within is None else within
    return named_like(text, units).order_by("depth", "path")[:limit]


def resolve_unit_list(text: str, *, near: OrgUnit | None = None) -> tuple[list[OrgUnit], list[str]]:
    """Units named in free text, one per line or separated by ";" (codes or names), names
    looked up nearest to `near` first (see find_units).

    Returns the units found and a Vietnamese error for each name that is unknown or ambiguous.
    """
    units, errors = [], []
    for piece in [p.strip() for p in text.replace(";", "\n").splitlines()]:
        if not piece:
            continue
        matches = find_units(piece, near=near)
        if not matches:
            errors.append(f"Không tìm thấy đơn vị ‘{piece}’.")
        elif len(matches) > 1:
            codes = ", ".join(unit.code for unit in matches[:5])
            errors.append(f"‘{piece}’ khớp với {len(matches)} đơn vị, hãy ghi mã ({codes}).")
        elif matches[0] not in units:
            units.append(matches[0])
    return units, errors
