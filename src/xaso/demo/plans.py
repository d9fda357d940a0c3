"""Loads the demo's plans (data/plans.toml): the documents behind targets, a mid-year
revision, and targets handed down the tree by households.

Runs last, once the places, the generated units and the report figures are in, and writes
only through the services the plan page uses: `record_plan_document`, `set_target`
(`document=`, `revision=`) and `allocation.allocate` (shares by a base indicator). Loading
again gives the same plans: documents are found by their citation, unchanged targets and
base figures are not rewritten, and an allocation whose shares are unchanged writes nothing.
"""

import tomllib
from decimal import Decimal
from pathlib import Path

from xaso.catalog.models import Indicator
from xaso.catalog.services import indicator_upsert
from xaso.figures.allocation import allocate
from xaso.figures.models import AllocationMethod, EntryChannel, PlanDocument
from xaso.figures.plans import find_target, record_plan_document
from xaso.figures.services import record_result, set_target
from xaso.org.models import OrgUnit
from xaso.periods import parse_period
from xaso.vn.citations import Citation

DATA = Path(__file__).parent / "data"
ILLUSTRATIVE_BASE = "Số liệu minh họa cho bản demo (báo cáo không nêu)"


def _read(name: str) -> dict:
    with (DATA / name).open("rb") as handle:
        return tomllib.load(handle)


def _load_indicators(entries: list[dict]) -> None:
    """The indicators the plans need beyond data/indicators.toml, listed after them."""
    after = len(_read("indicators.toml")["indicators"])
    for offset, item in enumerate(entries, start=1):
        indicator_upsert(
            code=item["code"],
            name=item["name"],
            unit=item["unit"],
            rollup=item.get("rollup", "sum"),
            direction=item.get("direction", "up"),
            group=item.get("group", ""),
            position=(after + offset) * 10,
            # how months make a year (flow, stock…), once the catalog knows it; else its default
            **({"over_time": item["over_time"]} if "over_time" in item else {}),
        )


def _load_documents(entries: list[dict], units: dict[str, OrgUnit]) -> dict[str, PlanDocument]:
    """The documents by their key in the file. Built from their parts (not a citation's text)
    so that a document known by its date but not its number keeps exactly that."""
    documents = {}
    for item in entries:
        citation = Citation(
            kind=item["kind"],
            number=item.get("number", ""),
            issued_on=item.get("issued_on"),
            issuer=item.get("issuer", ""),
        )
        documents[item["key"]] = record_plan_document(
            unit=units[item["unit"]], citation=citation, title=item.get("title", "")
        )
    return documents


def _load_households(entries: list[dict], indicator: Indicator) -> None:
    for item in entries:
        for key, value in item["values"].items():
            record_result(
                unit=OrgUnit.objects.get(code=f"{item['under']}.{key}"),
                indicator=indicator,
                period=item["period"],
                value=Decimal(value),
                channel=EntryChannel.DEMO,
                note=ILLUSTRATIVE_BASE,
            )


def load_plans() -> None:
    data = _read("plans.toml")
    _load_indicators(data.get("indicators", []))
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    documents = _load_documents(data.get("documents", []), units)
    _load_households(data.get("households", []), indicators["so-ho"])
    for item in data.get("targets", []):
        for code, value in item["values"].items():
            set_target(
                unit=units[item["unit"]],
                indicator=indicators[code],
                period=item["period"],
                source=item["source"],
                value=str(value),  # read as a form entry: "15.511 triệu đồng", 77
                note=item.get("note", ""),
                document=documents[item["document"]] if "document" in item else None,
                channel=EntryChannel.DEMO,
            )
    for item in data.get("revisions", []):
        unit, indicator = units[item["unit"]], indicators[item["indicator"]]
        target = find_target(unit, indicator, parse_period(item["period"]), item["source"])
        document = documents[item["document"]]
        if target.revised and target.document_id == document.pk:
            continue  # revised already (the demo loaded before)
        set_target(
            unit=unit,
            indicator=indicator,
            period=item["period"],
            source=item["source"],
            value=str(item["value"]),
            note=item.get("note", ""),
            document=document,
            revision=True,
            reason=item.get("reason", ""),
            channel=EntryChannel.DEMO,
        )
    for item in data.get("allocations", []):
        period = parse_period(item["period"])
        for unit_code in item["units"]:
            for code in item["indicators"]:
                allocate(
                    target=find_target(units[unit_code], indicators[code], period, item["source"]),
                    method=AllocationMethod.BASE,
                    base_indicator=indicators[item["by"]],
                    to_kind=item["to_kind"],
                    channel=EntryChannel.DEMO,
                )
