"""The demo loader: idempotent, consistent campaign split and roll-ups, organisations, login.

Loading the demo takes about ten seconds, so this module loads it once (module scope, in a
transaction rolled back at the end) and each test runs in a savepoint on top of it.
"""

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import transaction
from django.db.models import Sum
from django.test import Client

import xaso.criteria
from xaso.demo import loader
from xaso.figures.models import Result, ResultChange, Target, TargetSource
from xaso.org.models import OrgUnit, UnitKind
from xaso.org.selectors import children

pytestmark = pytest.mark.django_db

CAMPAIGN = "2022-04-15..2022-05-30"
ORGANISATIONS = {
    UnitKind.PARTY_COMMITTEE,
    UnitKind.FATHERLAND_FRONT,
    UnitKind.YOUTH_UNION,
    UnitKind.FARMERS_UNION,
    UnitKind.WOMENS_UNION,
    UnitKind.VETERANS_ASSOCIATION,
}


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    from xaso.demo.loader import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    return {
        "units": OrgUnit.objects.count(),
        "targets": Target.objects.count(),
        "results": Result.objects.count(),
        "changes": ResultChange.objects.count(),
    }


def test_loading_the_demo_again_changes_nothing(demo):
    from xaso.demo.loader import load_demo

    before = counts()
    values = sorted(Result.objects.values_list("unit__code", "indicator__code", "period", "value"))

    again = load_demo()

    assert counts() == before
    assert again == demo
    after = sorted(Result.objects.values_list("unit__code", "indicator__code", "period", "value"))
    assert after == values
    # Every result was written once: one audit entry each, none from the second run.
    assert before["changes"] == before["results"]


def data(name: str) -> dict:
    with (Path(loader.__file__).parent / "data" / name).open("rb") as handle:
        return tomllib.load(handle)


def pack_indicators() -> set[str]:
    """The indicator codes the shipped criteria packs name, read from the YAML itself."""
    import yaml

    codes = set()
    for path in (Path(xaso.criteria.__file__).parent / "packs").glob("*.yaml"):
        for criterion in yaml.safe_load(path.read_text(encoding="utf-8"))["criteria"]:
            for requirement in criterion.get("requirements") or []:
                if requirement.get("indicator"):
                    codes.add(requirement["indicator"])
    return codes


def test_the_report_counts_what_the_data_files_describe(demo):
    places = data("places.toml")["units"]
    # Worked out from the data files by hand: each commune, township or ward gets its six
    # organisations; each village itself, its party cell and three household groups; each
    # residential group itself and its party cell.
    units = len(places)
    for place in places:
        if place["kind"] in {"commune", "township", "ward"}:
            villages = place.get("villages", [])
            villages = villages if isinstance(villages, int) else len(villages)
            units += 6 + villages * (1 + 1 + 3) + place.get("residential_groups", 0) * 2
    # Today's communes the demo's old ones went into (demo.lineage, from the package), without
    # children: Hà Linh, Hương Khê, Hương Phố, Thường Xuân, Bình An, Minh Quang.
    units += 6
    figures = data("figures.toml")

    assert (demo.units, demo.indicators, demo.meetings) == (
        units,
        # the catalog, the indicators only the plans need (households…), and those the
        # criteria packs measure their requirements by
        len(data("indicators.toml")["indicators"])
        + len(data("plans.toml")["indicators"])
        + len(pack_indicators()),
        5,  # the five source reports' meetings
    )
    # 332 before Hương Khê's four communes of the blocs (+ 4 × (1 + 6 + 4 × 5)) and today's six
    # communes (+ 6)
    assert units == 446
    # The reports' own figures are among the targets and results, and the generated ones too.
    assert demo.targets > len(figures["targets"])
    assert demo.results > len(figures["results"])
    stored = set(Result.objects.values_list("unit__code", "indicator__code", "period"))
    assert {(r["unit"], r["indicator"], r["period"]) for r in figures["results"]} <= stored
    assert demo.results >= 1000  # so the summary shows the Vietnamese thousands separator
    results = f"{demo.results:,}".replace(",", ".")
    assert demo.summary() == (
        f"Dữ liệu mẫu: 446 đơn vị, {demo.indicators} chỉ tiêu, {demo.targets} chỉ tiêu kế "
        f"hoạch, {results} kết quả, 5 hội nghị."
    )


def test_the_campaign_commune_has_its_household_targets_and_its_villages_share_them_exactly():
    commune = OrgUnit.objects.get(code="42.x002")
    household = {
        "ho-chinh-trang-vuon": 77,
        "ho-hang-rao-xanh": 140,
        "ho-cong-ngo": 65,
        "ho-ho-lang-loc": 70,
        "ho-nha-ve-sinh": 38,
        "ho-chuong-trai": 50,
    }

    own = dict(
        Target.objects.filter(
            unit=commune, period=CAMPAIGN, source=TargetSource.CAMPAIGN
        ).values_list("indicator__code", "value")
    )

    assert {code: own[code] for code in household} == {
        code: Decimal(value) for code, value in household.items()
    }
    assert own["tieu-chi-ntm"] == Decimal(20)
    villages = list(children(commune).filter(kind=UnitKind.VILLAGE))
    assert [v.name for v in villages] == ["Cẩm Trang", "Bồng Giang", "Văn Giang", "Hợp Phát"]
    shared = dict(
        # (the campaign's model residential area is the villages' too: demo/campaigns.py)
        Target.objects.filter(
            unit__in=villages,
            period=CAMPAIGN,
            source=TargetSource.CAMPAIGN,
            indicator__code__in=household,
        )
        .values("indicator__code")
        .annotate(total=Sum("value"))
        .values_list("indicator__code", "total")
    )
    assert shared == {code: Decimal(value) for code, value in household.items()}
    for village in villages:
        groups = children(village).filter(kind=UnitKind.HOUSEHOLD_GROUP)
        for code in household:
            village_target = Target.objects.get(
                unit=village, indicator__code=code, period=CAMPAIGN
            ).value
            group_total = Target.objects.filter(
                unit__in=groups, indicator__code=code, period=CAMPAIGN
            ).aggregate(total=Sum("value"))["total"]
            assert group_total == village_target, (village.name, code)


def test_ha_linhs_villages_planted_exactly_the_trees_the_commune_reported_in_november():
    commune = OrgUnit.objects.get(code="42.huong-khe.ha-linh")
    villages = children(commune).filter(kind=UnitKind.VILLAGE)

    own = Result.objects.get(unit=commune, indicator__code="cay-bong-mat", period="2022-11")
    total = Result.objects.filter(
        unit__in=villages, indicator__code="cay-bong-mat", period="2022-11"
    ).aggregate(total=Sum("value"))["total"]

    assert villages.count() == 12
    assert own.value == Decimal(215)
    assert total == Decimal(215)


def test_every_demo_commune_has_its_party_committee_and_mass_organisations():
    communes = OrgUnit.objects.filter(
        kind__in=[UnitKind.COMMUNE, UnitKind.TOWNSHIP, UnitKind.WARD], valid_from__isnull=True
    ).order_by("path")  # today's communes (demo.lineage) are there for their history

    assert communes.count() == 13  # the seeds' nine and Hương Khê's four of the blocs
    for commune in communes:
        kinds = set(children(commune).values_list("kind", flat=True))
        assert kinds >= ORGANISATIONS, commune.full_name
    party = OrgUnit.objects.get(code="42.huong-khe.ha-linh.dang-bo")
    assert party.full_name == "Đảng bộ xã Hà Linh"


def test_the_demo_user_can_log_in_and_open_a_commune():
    client = Client()

    assert client.login(username="demo", password="xaso-demo") is True
    response = client.get("/units/42.huong-khe.ha-linh/?period=2022-11")
    assert response.status_code == 200
    assert "Nhập số liệu" in response.content.decode()
