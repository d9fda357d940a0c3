"""The demo's plans (data/plans.toml): documents cited as far as the reports know them, the
township's budget revised mid-year with its original kept, and targets handed down by
households — Hương Khê to its tổ dân phố, Hà Linh to its 12 villages, seed 002's campaign to
Trang Giang's villages and on to their tổ liên gia — adding up exactly.

Every expected share is worked out by hand from the household counts in plans.toml (largest
remainder: each share gets its exact proportion rounded down, the units left over go to the
largest remainders), not by running the code. The demo is loaded once for the module (in a
transaction rolled back at the end) and each test runs in a savepoint on top of it.
"""

import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import transaction
from django.db.models import Sum

from xaso import cli
from xaso.demo import loader
from xaso.figures.models import Allocation, PlanDocument, Result, Target, TargetSource
from xaso.figures.services import set_target
from xaso.org.models import OrgUnit, UnitKind

pytestmark = pytest.mark.django_db

TOWNSHIP = "42.huong-khe.tt"
HA_LINH = "42.huong-khe.ha-linh"
TRANG_GIANG = "42.x002"
CAMPAIGN = "2022-04-15..2022-05-30"
VILLAGES = ["cam-trang", "bong-giang", "van-giang", "hop-phat"]
HOUSEHOLD_ITEMS = [
    "ho-chinh-trang-vuon",
    "ho-hang-rao-xanh",
    "ho-cong-ngo",
    "ho-ho-lang-loc",
    "ho-nha-ve-sinh",
    "ho-chuong-trai",
]


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    from xaso.demo.loader import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def data(name: str) -> dict:
    with (Path(loader.__file__).parent / "data" / name).open("rb") as handle:
        return tomllib.load(handle)


def target(unit: str, indicator: str, period: str, source: str) -> Target:
    return Target.objects.select_related("document", "original_document").get(
        unit__code=unit, indicator__code=indicator, period=period, source=source
    )


def shares(parent: Target) -> dict[str, Decimal]:
    """The shares handed down from a target, by the last part of their unit's code."""
    return {
        share.unit.code.removeprefix(f"{parent.unit.code}."): share.value
        for share in Target.objects.filter(allocated_from=parent).select_related("unit")
    }


def whole(values: list[int | str]) -> dict[str, Decimal]:
    return {str(key): Decimal(str(value)) for key, value in enumerate(values, start=1)}


# --- Thị trấn Hương Khê, 2020 -------------------------------------------------------------


def test_the_townships_documents_cite_only_what_the_report_says_of_them():
    citations = set(
        PlanDocument.objects.filter(unit__code=TOWNSHIP).values_list(
            "kind", "number", "issued_on", "issuer"
        )
    )

    # Report 004 names the district's plan and the council's, with no number and no date; the
    # revising resolution is illustrative and dated, and still has no number.
    assert citations == {
        ("decision", "", None, "UBND huyện Hương Khê"),
        ("resolution", "", None, "HĐND thị trấn Hương Khê"),
        ("resolution", "", date(2020, 7, 24), "HĐND thị trấn Hương Khê"),
    }
    district = target(TOWNSHIP, "thu-ngan-sach", "2020", TargetSource.DISTRICT_PLAN)
    assert district.document.citation == "Quyết định của UBND huyện Hương Khê"
    assert (district.value, district.revised) == (Decimal(15511), False)


def test_the_budget_revised_mid_year_keeps_the_councils_first_figure_and_document():
    budget = target(TOWNSHIP, "thu-ngan-sach", "2020", TargetSource.COUNCIL_RESOLUTION)

    assert budget.revised
    assert budget.original_value == Decimal(16477)  # the report's figure (22,8% = 3.750/16.477)
    assert budget.original_document.citation == "Nghị quyết của HĐND thị trấn Hương Khê"
    assert budget.value == Decimal(15840)  # illustrative
    assert budget.document.citation == "Nghị quyết ngày 24/07/2020 của HĐND thị trấn Hương Khê"
    assert budget.note == "Mức điều chỉnh là số minh họa cho bản demo"


def test_the_revised_budget_is_handed_to_the_18_residential_groups_by_households():
    budget = target(TOWNSHIP, "thu-ngan-sach", "2020", TargetSource.COUNCIL_RESOLUTION)

    # 15.840 triệu đồng over 3.600 households is exactly 4,4 triệu per household:
    # 212 × 4,4 = 932,8 · 187 → 822,8 · 245 → 1.078 · 168 → 739,2 · 196 → 862,4 · 231 → 1.016,4
    # 174 → 765,6 · 209 → 919,6 · 190 → 836 · 223 → 981,2 · 158 → 695,2 · 201 → 884,4
    # 186 → 818,4 · 240 → 1.056 · 177 → 778,8 · 214 → 941,6 · 195 → 858 · 194 → 853,6
    assert shares(budget) == whole(
        [
            "932.8", "822.8", "1078", "739.2", "862.4", "1016.4", "765.6", "919.6", "836",
            "981.2", "695.2", "884.4", "818.4", "1056", "778.8", "941.6", "858", "853.6",
        ]
    )  # fmt: skip
    assert sum(shares(budget).values()) == Decimal(15840)
    allocation = Allocation.objects.get(target=budget)
    assert (allocation.method, allocation.base_indicator.code, allocation.to_kind) == (
        "base",
        "so-ho",
        UnitKind.RESIDENTIAL_GROUP,
    )
    assert allocation.confirmed_difference is None
    # The district's figure stays the township's own: it is not handed down.
    district = target(TOWNSHIP, "thu-ngan-sach", "2020", TargetSource.DISTRICT_PLAN)
    assert not Target.objects.filter(allocated_from=district).exists()


def test_the_cultural_household_target_is_shared_by_households_to_the_last_household():
    cultural = target(TOWNSHIP, "ho-gia-dinh-van-hoa", "2020", TargetSource.COUNCIL_RESOLUTION)

    # 2.880 of 3.600 households is 0,8 of each group's households:
    #   212 → 169,6 · 187 → 149,6 · 245 → 196 · 168 → 134,4 · 196 → 156,8 · 231 → 184,8
    #   174 → 139,2 · 209 → 167,2 · 190 → 152 · 223 → 178,4 · 158 → 126,4 · 201 → 160,8
    #   186 → 148,8 · 240 → 192 · 177 → 141,6 · 214 → 171,2 · 195 → 156 · 194 → 155,2
    # The floors add up to 2.873; the 7 left go to the remainders 0,8 (groups 5, 6, 12, 13)
    # and 0,6 (groups 1, 2, 15).
    assert shares(cultural) == whole(
        [170, 150, 196, 134, 157, 185, 139, 167, 152, 178, 126, 161, 149, 192, 142, 171, 156, 155]
    )
    assert sum(shares(cultural).values()) == Decimal(2880)
    assert cultural.document.citation == "Nghị quyết của HĐND thị trấn Hương Khê"


# --- Xã Hà Linh, 2022 -----------------------------------------------------------------------


def test_ha_linhs_2022_plan_is_handed_to_its_12_villages_by_households():
    # Households of villages 1–12: 105 92 118 87 134 99 76 112 141 95 83 108 = 1.250.
    gardens = target(HA_LINH, "vuon-ho", "2022", TargetSource.ANNUAL_PLAN)
    latrines = target(HA_LINH, "ve-sinh-tu-hoai", "2022", TargetSource.ANNUAL_PLAN)
    hedges = target(HA_LINH, "hang-rao-xanh", "2022", TargetSource.ANNUAL_PLAN)

    # 500 gardens: 0,4 per household → 42 36,8 47,2 34,8 53,6 39,6 30,4 44,8 56,4 38 33,2 43,2;
    # floors 495, the 5 left to the remainders 0,8 (villages 2, 4, 8) and 0,6 (5, 6).
    assert shares(gardens) == whole([42, 37, 47, 35, 54, 40, 30, 45, 56, 38, 33, 43])
    # 250 latrines: 0,2 per household → 21 18,4 23,6 17,4 26,8 19,8 15,2 22,4 28,2 19 16,6 21,6;
    # floors 245, the 5 left to the remainders 0,8 (villages 5, 6) and 0,6 (3, 11, 12).
    assert shares(latrines) == whole([21, 18, 24, 17, 27, 20, 15, 22, 28, 19, 17, 22])
    # 30.000 m of hedge: exactly 24 m per household.
    assert shares(hedges) == whole(
        [2520, 2208, 2832, 2088, 3216, 2376, 1824, 2688, 3384, 2280, 1992, 2592]
    )
    for plan, total in ((gardens, 500), (latrines, 250), (hedges, 30000)):
        assert sum(shares(plan).values()) == Decimal(total)
        assert Allocation.objects.get(target=plan).to_kind == UnitKind.VILLAGE


# --- Seed 002: the campaign of Xã Trang Giang ------------------------------------------------


def test_the_campaign_targets_are_the_reports_with_their_launching_plan():
    campaign = {
        item["indicator"]: Decimal(item["value"])
        for item in data("figures.toml")["campaign"]["household_targets"]
    }

    targets = {
        t.indicator.code: t
        for t in Target.objects.filter(
            unit__code=TRANG_GIANG, period=CAMPAIGN, source=TargetSource.CAMPAIGN
        ).select_related("indicator", "document")
    }

    expected = dict(zip(HOUSEHOLD_ITEMS, [77, 140, 65, 70, 38, 50], strict=True))
    assert {code: targets[code].value for code in HOUSEHOLD_ITEMS} == {
        code: Decimal(value) for code, value in expected.items()
    }
    assert campaign == {code: targets[code].value for code in HOUSEHOLD_ITEMS}
    assert {targets[code].document.citation for code in HOUSEHOLD_ITEMS} == {
        "Kế hoạch của Ban Chỉ đạo xã"
    }


def test_the_campaign_is_handed_to_the_villages_by_households():
    # Households (the tổ liên gia's, summed): Cẩm Trang 215, Bồng Giang 248, Văn Giang 187,
    # Hợp Phát 150 = 800. Share = target × households / 800:
    #   77:  20,69375  23,87   17,99875  14,4375 → floors 74; +1 to VG, BG, CT  → 21 24 18 14
    #   140: 37,625    43,4    32,725    26,25   → floors 138; +1 to VG, CT     → 38 43 33 26
    #   65:  17,46875  20,15   15,19375  12,1875 → floors 64; +1 to CT         → 18 20 15 12
    #   70:  18,8125   21,7    16,3625   13,125  → floors 68; +1 to CT, BG     → 19 22 16 13
    #   38:  10,2125   11,78   8,8825    7,125   → floors 36; +1 to VG, BG     → 10 12 9 7
    #   50:  13,4375   15,5    11,6875   9,375   → floors 48; +1 to VG, BG     → 13 16 12 9
    expected = {
        "ho-chinh-trang-vuon": [21, 24, 18, 14],
        "ho-hang-rao-xanh": [38, 43, 33, 26],
        "ho-cong-ngo": [18, 20, 15, 12],
        "ho-ho-lang-loc": [19, 22, 16, 13],
        "ho-nha-ve-sinh": [10, 12, 9, 7],
        "ho-chuong-trai": [13, 16, 12, 9],
    }
    for code, values in expected.items():
        commune = target(TRANG_GIANG, code, CAMPAIGN, TargetSource.CAMPAIGN)
        assert shares(commune) == {
            village: Decimal(value) for village, value in zip(VILLAGES, values, strict=True)
        }, code
        assert sum(shares(commune).values()) == commune.value
        allocation = Allocation.objects.get(target=commune)
        assert (allocation.to_kind, allocation.base_indicator.code) == (UnitKind.VILLAGE, "so-ho")


def test_cam_trang_hands_its_shares_to_its_three_inter_household_groups():
    # Households of its tổ liên gia: 80, 70, 65 = 215. Share = village's target × h / 215:
    #   21: 7,814  6,837  6,349 → floors 19; +1 to tổ 2, tổ 1 → 8 7 6
    #   38: 14,140 12,372 11,488 → floors 37; +1 to tổ 3      → 14 12 12
    #   18: 6,698  5,860  5,442 → floors 16; +1 to tổ 2, tổ 1 → 7 6 5
    #   19: 7,070  6,186  5,744 → floors 18; +1 to tổ 3       → 7 6 6
    #   10: 3,721  3,256  3,023 → floors 9;  +1 to tổ 1       → 4 3 3
    #   13: 4,837  4,233  3,930 → floors 11; +1 to tổ 3, tổ 1 → 5 4 4
    expected = {
        "ho-chinh-trang-vuon": [8, 7, 6],
        "ho-hang-rao-xanh": [14, 12, 12],
        "ho-cong-ngo": [7, 6, 5],
        "ho-ho-lang-loc": [7, 6, 6],
        "ho-nha-ve-sinh": [4, 3, 3],
        "ho-chuong-trai": [5, 4, 4],
    }
    for code, values in expected.items():
        village = target(f"{TRANG_GIANG}.cam-trang", code, CAMPAIGN, TargetSource.CAMPAIGN)
        assert shares(village) == {
            f"tlg{n}": Decimal(value) for n, value in enumerate(values, start=1)
        }, code
        assert Allocation.objects.get(target=village).to_kind == UnitKind.HOUSEHOLD_GROUP


def test_every_village_hands_its_whole_share_on_to_its_groups():
    for slug in VILLAGES:
        for code in HOUSEHOLD_ITEMS:
            village = target(f"{TRANG_GIANG}.{slug}", code, CAMPAIGN, TargetSource.CAMPAIGN)
            handed = Target.objects.filter(allocated_from=village)
            assert handed.count() == 3, (slug, code)
            assert handed.aggregate(total=Sum("value"))["total"] == village.value, (slug, code)
            assert {share.unit.kind for share in handed} == {UnitKind.HOUSEHOLD_GROUP}


# --- Marked as illustrative; loading again; refused into a database that holds data ---------


def test_the_household_counts_say_they_are_illustrative():
    counts = Result.objects.filter(indicator__code="so-ho")
    notes = set(counts.values_list("note", flat=True))

    # 18 tổ dân phố, 12 villages of Hà Linh, 12 tổ liên gia of Trang Giang.
    assert counts.count() == 18 + 12 + 12
    assert notes == {"Số liệu minh họa cho bản demo (báo cáo không nêu)"}


def test_loading_the_plans_again_changes_nothing():
    from xaso.demo.plans import load_plans

    before = sorted(
        Target.objects.values_list(
            "unit__code", "indicator__code", "period", "source", "value", "original_value"
        )
    )
    documents, allocations = PlanDocument.objects.count(), Allocation.objects.count()

    load_plans()

    after = sorted(
        Target.objects.values_list(
            "unit__code", "indicator__code", "period", "source", "value", "original_value"
        )
    )
    assert after == before
    assert (PlanDocument.objects.count(), Allocation.objects.count()) == (documents, allocations)


def test_the_demo_is_still_refused_into_a_database_that_holds_data(capsys):
    # A manager changes a tổ dân phố's share; running the demo again must not put it back.
    group = OrgUnit.objects.get(code=f"{TOWNSHIP}.1")
    budget = target(TOWNSHIP, "thu-ngan-sach", "2020", TargetSource.COUNCIL_RESOLUTION)
    share = Target.objects.get(allocated_from=budget, unit=group)
    set_target(
        unit=group,
        indicator=share.indicator,
        period="2020",
        source=TargetSource.COUNCIL_RESOLUTION,
        value="900 triệu đồng",
    )
    allocations = Allocation.objects.count()

    code = cli.main(["demo", "--no-serve"])

    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("Cơ sở dữ liệu đã có dữ liệu (")
    assert "giữ nguyên, không nạp lại dữ liệu mẫu." in out
    assert Target.objects.get(pk=share.pk).value == Decimal(900)
    assert Allocation.objects.count() == allocations
