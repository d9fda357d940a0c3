"""The generated part of the demo: villages, groups, cells and organisations beneath the
report places, and plausible monthly and yearly figures for them (seed 002's campaign is
demo/campaigns.py's).

Deterministic (a fixed seed), so loading twice writes the same values and changes nothing.
Generated figures are labelled as such in their note; only the report figures are real.
"""

import random
from decimal import Decimal

from xaso.catalog.models import Indicator
from xaso.figures.models import EntryChannel, ResultStatus, TargetSource
from xaso.figures.services import record_result, set_target
from xaso.org.models import OrgUnit, UnitKind
from xaso.org.services import unit_upsert
from xaso.periods import expand_periods
from xaso.vn.text import fold

GENERATED = "Số liệu sinh tự động cho bản demo"
# A generated place's note, shown under its name on the unit page.
GENERATED_UNIT = "Nguồn: đơn vị minh họa, sinh tự động cho bản demo"
GROUPS_PER_VILLAGE = 3
COMMUNE_ORGANISATIONS = [
    ("dang-bo", UnitKind.PARTY_COMMITTEE),
    ("mttq", UnitKind.FATHERLAND_FRONT),
    ("doan-tn", UnitKind.YOUTH_UNION),
    ("hoi-nd", UnitKind.FARMERS_UNION),
    ("hoi-pn", UnitKind.WOMENS_UNION),
    ("hoi-ccb", UnitKind.VETERANS_ASSOCIATION),
]
MONTHLY = {  # indicator code -> (low, high) per village and month
    "cay-bong-mat": (0, 30),
    "hang-rao-xanh": (0, 400),
    "vuon-ho": (0, 8),
    "ve-sinh-tu-hoai": (0, 4),
    "duong-gtnt": (0, 0.4),
}


def slug(text: str) -> str:
    return "-".join(fold(text).split())


def _village_names(item: dict) -> list[str]:
    villages = item.get("villages", [])
    return (
        [str(number) for number in range(1, villages + 1)]
        if isinstance(villages, int)
        else villages
    )


def generate_units(places: list[dict]) -> None:
    for item in places:
        if item["kind"] not in {UnitKind.COMMUNE, UnitKind.TOWNSHIP, UnitKind.WARD}:
            continue
        commune = OrgUnit.objects.get(code=item["code"])
        place_word = commune.get_kind_display().lower()
        for key, kind in COMMUNE_ORGANISATIONS:
            unit_upsert(
                code=f"{commune.code}.{key}",
                name=f"{place_word} {commune.name}",
                kind=kind,
                parent=commune,
            )
        places_below = [(name, UnitKind.VILLAGE) for name in _village_names(item)]
        places_below += [
            (str(number), UnitKind.RESIDENTIAL_GROUP)
            for number in range(1, item.get("residential_groups", 0) + 1)
        ]
        for name, kind in places_below:
            place = unit_upsert(
                code=f"{commune.code}.{slug(name)}",
                name=name,
                kind=kind,
                parent=commune,
                note=""
                if "villages" in item and not isinstance(item["villages"], int)
                else GENERATED_UNIT,
            )
            cell_name = f"{'thôn' if kind == UnitKind.VILLAGE else 'tổ dân phố'} {name}"
            unit_upsert(
                code=f"{place.code}.cb", name=cell_name, kind=UnitKind.PARTY_CELL, parent=place
            )
            if kind == UnitKind.VILLAGE:
                for number in range(1, GROUPS_PER_VILLAGE + 1):
                    unit_upsert(
                        code=f"{place.code}.tlg{number}",
                        name=f"{number} thôn {name}",
                        kind=UnitKind.HOUSEHOLD_GROUP,
                        parent=place,
                    )


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """Split an integer total into `parts` non-negative integers that add up to it exactly."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    shares = [int(total * w / sum(weights)) for w in weights]
    for index in range(total - sum(shares)):
        shares[index % parts] += 1
    return shares


def _record(unit, indicator, period, value, status=ResultStatus.FINAL) -> None:
    record_result(
        unit=unit,
        indicator=indicator,
        period=period,
        value=Decimal(str(value)),
        status=status,
        channel=EntryChannel.DEMO,
        note=GENERATED,
    )


def _villages(commune: OrgUnit) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(
            path__startswith=commune.path, depth=commune.depth + 1, kind=UnitKind.VILLAGE
        ).order_by("path")
    )


def generate_monthly(places: list[dict], indicators: dict[str, Indicator]) -> None:
    """Monthly NTM work per village over 2022; Hà Linh's November matches its report."""
    rng = random.Random(2022)
    november_totals = {"cay-bong-mat": 215, "vuon-ho": 59, "ve-sinh-tu-hoai": 21, "duong-gtnt": 18}
    for item in places:
        if "villages" not in item:
            continue
        villages = _villages(OrgUnit.objects.get(code=item["code"]))
        for month in expand_periods("2022"):
            status = ResultStatus.ESTIMATED if month.code == "2022-12" else ResultStatus.FINAL
            for code, (low, high) in MONTHLY.items():
                if month.code == "2022-11" and item["code"].endswith("ha-linh"):
                    if code not in november_totals:
                        continue
                    shares = _split(november_totals[code], len(villages), rng)
                    values = [Decimal(s) / 10 if code == "duong-gtnt" else s for s in shares]
                else:
                    values = [round(rng.uniform(low, high), 1 if high < 1 else 0) for _ in villages]
                for village, value in zip(villages, values, strict=True):
                    if value:
                        _record(village, indicators[code], month, value, status)


def generate_poverty(places: list[dict], indicators: dict[str, Indicator]) -> None:
    """Poverty rate per village for 2022 (lower is better, averaged) in the Lâm Bình communes."""
    rng = random.Random(2020)
    indicator = indicators["ty-le-ho-ngheo"]
    for item in places:
        if not item["code"].startswith("08.lam-binh.") or "villages" not in item:
            continue
        commune = OrgUnit.objects.get(code=item["code"])
        set_target(
            unit=commune,
            indicator=indicator,
            period="2022",
            source=TargetSource.CONGRESS_RESOLUTION,
            value=Decimal("25"),
            note=GENERATED,
            channel=EntryChannel.DEMO,
        )
        for village in _villages(commune):
            _record(village, indicator, "2022", round(rng.uniform(18, 40), 1))


def generate_figures(
    places: list[dict], indicators: dict[str, Indicator], campaign: dict | None = None
) -> None:
    """The monthly and yearly figures. Seed 002's campaign (`campaign`, figures.toml's
    [campaign]) is not generated here any more: its targets, shares and daily results come
    from the campaigns app's demo alone (demo/campaigns.py, after the plans)."""
    generate_monthly(places, indicators)
    generate_poverty(places, indicators)
