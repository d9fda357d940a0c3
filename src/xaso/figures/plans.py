"""A unit's plan: the documents that set its targets, and its targets by source for a year
or a term (the plan page, `xaso targets`).

Writes of single targets are `services.set_target`; handing a target down is `allocation`.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum

from xaso.catalog.models import Indicator
from xaso.figures.models import PlanDocument, Target, TargetSource
from xaso.org import policy
from xaso.org.models import OrgUnit
from xaso.periods import Period, PeriodKind
from xaso.vn.citations import Citation, CitationError, read_citation
from xaso.vn.text import nfc


@transaction.atomic
def record_plan_document(
    *, unit: OrgUnit, citation: str | Citation, user=None, title: str = ""
) -> PlanDocument:
    """The document behind a unit's targets, from its citation ("Quyết định số 15/QĐ-UBND
    ngày 10/01/2020 của UBND huyện"); the same citation twice is one document."""
    if user is not None:
        policy.require_manage(user, unit, what="ghi văn bản giao chỉ tiêu")
    if isinstance(citation, str):
        try:
            citation = read_citation(citation)
        except CitationError as error:
            raise ValidationError({"document": str(error)}) from None
    document, _ = PlanDocument.objects.get_or_create(
        unit=unit,
        kind=citation.kind,
        number=citation.number,
        issued_on=citation.issued_on,
        issuer=citation.issuer,
        defaults={"title": nfc(title or citation.rest)[:300], "created_by": user},
    )
    return document


def find_target(unit: OrgUnit, indicator: Indicator, period: Period, source: str = "") -> Target:
    """The unit's target for exactly this indicator and period (from `source`, needed when
    several sources set one); a ValidationError in Vietnamese when there is none or several."""
    targets = Target.objects.filter(unit=unit, indicator=indicator, period=period.code)
    if source:
        targets = targets.filter(source=source)
    found = list(targets.select_related("document", "indicator", "unit"))
    where = f"{indicator.name} của {unit.full_name}, {period.label}"
    if not found:
        raise ValidationError({"indicator": f"Chưa có chỉ tiêu {where}."})
    if len(found) > 1:
        sources = ", ".join(target.get_source_display() for target in found)
        raise ValidationError(
            {"source": f"Chỉ tiêu {where} có nhiều nguồn ({sources}): hãy chọn một nguồn."}
        )
    return found[0]


@dataclass(frozen=True)
class HandedDown:
    """What a target's shares add up to, and how far that is from the target."""

    count: int
    total: Decimal
    difference: Decimal


@dataclass
class PlanLine:
    """One indicator of a plan: its targets for the period, and the term's beside them."""

    indicator: Indicator
    targets: list[Target] = field(default_factory=list)
    term_targets: list[Target] = field(default_factory=list)


@dataclass(frozen=True)
class Plan:
    unit: OrgUnit
    period: Period
    lines: list[PlanLine]
    documents: list[PlanDocument]


def _source_order(target: Target) -> tuple[int, str]:
    return TargetSource.values.index(target.source), target.period


def unit_plan(unit: OrgUnit, period: Period, indicators: list[Indicator]) -> Plan:
    """The unit's targets for `period` by indicator and source, with the targets of the
    terms (Nghị quyết Đại hội) that contain the period beside them, and what each target's
    shares handed down add up to (`handed_down`). Four queries."""
    targets = Target.objects.filter(unit=unit, indicator__in=indicators).select_related(
        "document", "original_document", "allocated_from__unit", "allocation"
    )
    own = targets.filter(period=period.code)
    terms = targets.filter(
        period_kind=PeriodKind.TERM, period_start__lte=period.start, period_end__gte=period.end
    ).exclude(period=period.code)
    lines = {indicator.pk: PlanLine(indicator) for indicator in indicators}
    own = sorted(own, key=_source_order)
    handed = (
        Target.objects.filter(allocated_from__in=own)
        .values("allocated_from")
        .annotate(count=Count("pk"), total=Sum("value"))
    )
    handed = {row["allocated_from"]: (row["count"], row["total"]) for row in handed}
    for target in own:
        count, total = handed.get(target.pk, (0, None))
        target.handed_down = HandedDown(count, total, total - target.value) if count else None
        lines[target.indicator_id].targets.append(target)
    for target in sorted(terms, key=_source_order):
        lines[target.indicator_id].term_targets.append(target)
    documents = list(
        PlanDocument.objects.filter(unit=unit).order_by("-issued_on", "kind", "number")
    )
    return Plan(unit, period, list(lines.values()), documents)


def target_json(target: Target) -> dict:
    """A target in the `xaso targets --json` contract."""
    from xaso.vn.numbers import plain_number

    return {
        "indicator": target.indicator.code,
        "unit": target.indicator.unit_name,
        "source": target.source,
        "value": plain_number(target.value),
        "document": target.document.citation if target.document_id else None,
        "revised_from": plain_number(target.original_value),
    }
