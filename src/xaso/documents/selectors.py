"""Suggestions for the review page: which unit a report is about, which indicator a figure is."""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from xaso.catalog.models import Indicator
from xaso.documents.models import SourceDocument
from xaso.figures.models import TargetSource
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.org.selectors import find_units, units_named
from xaso.reading import Extraction
from xaso.reading.model import FigureMention
from xaso.vn.abbreviations import expand_abbreviations
from xaso.vn.text import fold
from xaso.vn.units import get_unit

_PLACE_KINDS = {
    *("commune", "ward", "township", "special_zone", "province", "city"),
    *("district", "urban_district", "district_town", "district_city"),
}
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
    """The first place named that matches exactly one administrative unit — among those that
    existed on the meeting's day when the text gives it: a 2022 report's "xã Hà Linh" is the
    former commune, not today's Xã Hà Linh formed in 2025 (see `successors`)."""
    day = extraction.meeting.date
    for place in extraction.places:
        matches = [unit for unit in find_units(place) if unit.kind in _PLACE_KINDS]
        if day is not None and len(matches) > 1:
            matches = [unit for unit in matches if _existed_on(unit, day)]
        if len(matches) == 1:
            return matches[0]
    return None


def _existed_on(unit: OrgUnit, day) -> bool:
    began = unit.valid_from is None or unit.valid_from <= day
    return began and (unit.valid_to is None or unit.valid_to >= day)


def successors(unit: OrgUnit | None) -> list[OrgUnit]:
    """What an ended unit became (today's commune an old report's commune is part of)."""
    if unit is None or unit.valid_to is None:
        return []
    links = unit.successions.exclude(successor=None).select_related("successor")
    return [link.successor for link in links.order_by("-share", "successor__path")]


def _words(text: str) -> set[str]:
    return {w for w in fold(expand_abbreviations(text)).replace(",", " ").split() if w not in _STOP}


# What a figure counts, as written right after its number and unit, up to the end of its
# clause or the next number: "65 hộ| chỉnh trang, làm đẹp cổng ngõ|; 70 hộ …".
_OWN = re.compile(r"[^;.:()\[\]\n\d]{0,120}")
_OWN_WORDS = 8


def own_words(figure: FigureMention, text: str) -> set[str]:
    """The key words written right after the figure (its own, not its sentence's)."""
    if not text or figure.end <= 0:
        return set()
    clause = _OWN.match(text, figure.end).group()
    return _words(" ".join(clause.replace(",", " ").split()[:_OWN_WORDS]))


def _match(
    figure: FigureMention, indicators: list[Indicator], text: str
) -> tuple[Indicator | None, tuple[float, float]]:
    """The best indicator for a figure, and how well it matches (comparable across figures).

    An indicator qualifies when its name covers at least 60 % of the label's words and shares
    a quarter of all words; among those, the figure's own key words (the words right after its
    number) decide: "65 hộ chỉnh trang, làm đẹp cổng ngõ" is the gates, not the gardens.
    """
    label = _words(figure.label)
    own = own_words(figure, text)
    best, best_score = None, (0.0, 0.0)
    for indicator in indicators:
        if figure.unit and get_unit(figure.unit).family != get_unit(indicator.unit).family:
            continue
        name = _words(indicator.name)
        if not name or not label:
            continue
        shared = len(label & name)
        coverage, overlap = shared / len(label), shared / len(label | name)
        if coverage < 0.6 or overlap < 0.25:
            continue  # a wrong suggestion costs more than none
        score = (coverage + (len(own & name) / len(own) if own else coverage), overlap)
        if score > best_score:
            best, best_score = indicator, score
    return best, best_score


def suggest_indicator(
    figure: FigureMention, indicators: list[Indicator], text: str = ""
) -> Indicator | None:
    """The indicator whose name covers most of the figure's label, among those whose unit the
    figure's unit converts to ("hàng rào tạp" → "Hàng rào tạp phá bỏ, …", not "Hàng rào xanh").

    With the document's text, the words right after the figure's number weigh in too.
    """
    return _match(figure, indicators, text)[0]


def suggest_indicators(extraction: Extraction, indicators: list[Indicator]) -> list:
    """One suggestion per figure, each indicator suggested at most once: when several figures
    match one indicator, the best match keeps it (the first on a tie) and the others get none,
    so the pre-filled review never sends two figures to one indicator."""
    matches = [_match(figure, indicators, extraction.text) for figure in extraction.figures]
    kept: dict[int, int] = {}
    for index, (indicator, score) in enumerate(matches):
        if indicator is not None:
            holder = kept.get(indicator.pk)
            if holder is None or score > matches[holder][1]:
                kept[indicator.pk] = index
    return [
        indicator if indicator is not None and kept[indicator.pk] == index else None
        for index, (indicator, _score) in enumerate(matches)
    ]


def find_unit_within(host: OrgUnit, text: str) -> list[OrgUnit]:
    """Units inside the host's subtree (the host included) named by code or by name."""
    return units_named(text, OrgUnit.objects.filter(path__startswith=host.path))


@dataclass
class ImportedFigure:
    index: int
    label: str
    value: Decimal
    unit_text: str  # the figure's unit as written
    indicator: Indicator | None
    unit: OrgUnit | None
    period: str
    estimated: bool
    role: str = "result"  # "target": became a target (or a proposed one), not a result
    source: str = ""  # the target's source, a TargetSource code

    @property
    def source_label(self) -> str:
        return TargetSource(self.source).label if self.source in TargetSource.values else ""


def import_record(document: SourceDocument) -> list[ImportedFigure]:
    """What the import made of each figure, as recorded then (not as read today)."""
    rows = document.imported_figures or []
    indicators = Indicator.objects.in_bulk({row["indicator"] for row in rows})
    units = OrgUnit.objects.in_bulk({row["unit"] for row in rows})
    return [
        ImportedFigure(
            index=row["index"],
            label=row["label"],
            value=Decimal(row["value"]),
            unit_text=row.get("unit_text", ""),
            indicator=indicators.get(row["indicator"]),
            unit=units.get(row["unit"]),
            period=row.get("period", ""),
            estimated=row["estimated"],
            role=row.get("role", "result"),  # imports before roles were results
            source=row.get("source", ""),
        )
        for row in rows
    ]
