"""Suggestions for the review page: which unit a report is about, which indicator a figure is."""

from django.db.models import Q, QuerySet

from xaso.catalog.models import Indicator
from xaso.documents.models import SourceDocument
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.org.selectors import find_units
from xaso.reading import Extraction
from xaso.reading.model import FigureMention
from xaso.vn.abbreviations import expand_abbreviations
from xaso.vn.text import fold
from xaso.vn.units import get_unit

_PLACE_KINDS = {"commune", "ward", "township", "district", "province", "special_zone"}
_STOP = {"va", "cac", "cua", "moi", "duoc", "tong", "gia", "tri", "so", "lam", "tren", "dia", "ban"}


def readable_documents(user) -> QuerySet[SourceDocument]:
    """The documents the user uploaded, and those of the units the user manages."""
    managed = policy.managed_paths(user)
    if managed is None:
        return SourceDocument.objects.all()
    return SourceDocument.objects.filter(
        Q(uploaded_by=user) | (Q(unit__isnull=False) & policy.subtree_q(managed, "unit__path"))
    )


def can_read_document(user, document: SourceDocument) -> bool:
    if policy.is_everyone(user) or (user is not None and document.uploaded_by_id == user.pk):
        return True
    return document.unit is not None and policy.can_manage(user, document.unit)


def suggest_host(extraction: Extraction) -> OrgUnit | None:
    """The first place named that matches exactly one administrative unit."""
    for place in extraction.places:
        matches = [unit for unit in find_units(place) if unit.kind in _PLACE_KINDS]
        if len(matches) == 1:
            return matches[0]
    return None


def _words(text: str) -> set[str]:
    return {w for w in fold(expand_abbreviations(text)).replace(",", " ").split() if w not in _STOP}


def suggest_indicator(figure: FigureMention, indicators: list[Indicator]) -> Indicator | None:
    """The indicator whose name covers most of the figure's label, among those whose unit the
    figure's unit converts to ("hàng rào tạp" → "Hàng rào tạp phá bỏ, …", not "Hàng rào xanh").

    Suggested only when it covers at least 60 % of the label's words and shares a quarter of
    all words: a wrong suggestion costs more than none.
    """
    label = _words(figure.label)
    best, best_score = None, (0.0, 0.0)
    for indicator in indicators:
        if figure.unit and get_unit(figure.unit).family != get_unit(indicator.unit).family:
            continue
        name = _words(indicator.name)
        if not name or not label:
            continue
        shared = len(label & name)
        score = (shared / len(label), shared / len(label | name))
        if score > best_score:
            best, best_score = indicator, score
    coverage, overlap = best_score
    return best if coverage >= 0.6 and overlap >= 0.25 else None
