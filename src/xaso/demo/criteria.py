"""Loads the demo's criteria (data/criteria.toml): the shipped sets, Hà Tĩnh's own sets, the
regions, recognitions, assessments and the few figures the criteria are computed from.

Through the criteria and figures services, as an officer's work would go; loading twice
changes nothing (the services store a repeated write once).
"""

import tomllib
from pathlib import Path

from xaso.catalog.models import Indicator
from xaso.criteria.loading import load_shipped
from xaso.criteria.models import CriteriaSet, Status
from xaso.criteria.services import assess, recognise, set_grouping
from xaso.figures.models import EntryChannel
from xaso.figures.services import record_result
from xaso.org.models import OrgUnit

DATA = Path(__file__).parent / "data"
PROVINCE_SETS_OWNER = "42"  # Hà Tĩnh: the seeds' provincial sets are its own


def _read() -> dict:
    with (DATA / "criteria.toml").open("rb") as handle:
        return tomllib.load(handle)


def load_criteria() -> None:
    load_shipped()
    load_shipped(owner=OrgUnit.objects.get(code=PROVINCE_SETS_OWNER))
    data = _read()
    sets = {s.code: s for s in CriteriaSet.objects.all()}
    units = {}

    def unit(code: str) -> OrgUnit:
        if code not in units:
            units[code] = OrgUnit.objects.get(code=code)
        return units[code]

    for item in data.get("groupings", []):
        set_grouping(
            unit=unit(item["unit"]),
            criteria_set=sets[item["set"]],
            group=item["group"],
            channel="demo",
        )
    for item in data.get("figures", []):
        record_result(
            unit=unit(item["unit"]),
            indicator=Indicator.objects.get(code=item["indicator"]),
            period=item["period"],
            value=item["value"],
            channel=EntryChannel.DEMO,
            note=item.get("note", ""),
        )
    for item in data.get("recognitions", []):
        recognise(
            unit=unit(item["unit"]),
            criteria_set=sets[item["set"]],
            on=item["on"],
            decision=item.get("decision", ""),
            channel="demo",
        )
    for item in data.get("assessments", []):
        _assess(unit(item["unit"]), sets[item["set"]], item)


def _assess(unit: OrgUnit, criteria_set: CriteriaSet, item: dict) -> None:
    """One day's assessment of a unit: the listed criteria, or all but those said otherwise."""
    criteria = list(criteria_set.criteria.order_by("position"))
    not_met, review = set(item.get("not_met", [])), set(item.get("under_review", []))
    met = item.get("met", [])
    for criterion in criteria:
        number = criterion.number
        if number in not_met:
            status, evidence = Status.NOT_MET, item.get("not_met_evidence", item["evidence"])
        elif number in review:
            status, evidence = Status.UNDER_REVIEW, item["evidence"]
        elif met == "all" or number in met:
            status, evidence = Status.MET, item["evidence"]
        else:
            continue
        assess(
            unit=unit,
            criterion=criterion,
            on=item["on"],
            status=status,
            evidence=evidence,
            channel="demo",
        )
