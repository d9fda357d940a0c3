"""Earlier reorganisations followed back (issue 22): a 2018 figure of a commune merged in 2020
reaches today's commune through two steps — Phú Mỹ and the first Điền Mỹ became Điền Mỹ on
01/01/2020, which with Hà Linh became today's Xã Hà Linh on 01/07/2025. Expected values are
worked out here from the raw values recorded."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest

from tests.factories import make_indicator, make_unit
from xaso import cli
from xaso.figures import over_time
from xaso.figures.lineage import through_lineage
from xaso.figures.models import Result
from xaso.figures.selectors import unit_overview
from xaso.figures.services import record_result, set_target
from xaso.org.models import Lineage, OrgUnit, UnitKind
from xaso.periods import parse_period

pytestmark = pytest.mark.django_db

MERGED_2020 = dt.date(2020, 1, 1)
MERGED_2025 = dt.date(2025, 7, 1)


@pytest.fixture
def chain():
    """Under the old district (hk): the first Điền Mỹ (d0) and Phú Mỹ (p), to 31/12/2019;
    Điền Mỹ (b), 01/01/2020 – 30/06/2025, from both; Hà Linh (a), to 30/06/2025; today's
    Xã Hà Linh (n), from 01/07/2025, from a and b."""
    province = make_unit("Hà Tĩnh", UnitKind.PROVINCE, code="42")
    district = make_unit("Hương Khê", UnitKind.DISTRICT, province, code="hk")
    units = {
        "a": make_unit("Hà Linh", UnitKind.COMMUNE, district, code="a"),
        "d0": make_unit("Điền Mỹ", UnitKind.COMMUNE, district, code="d0"),
        "p": make_unit("Phú Mỹ", UnitKind.COMMUNE, district, code="p"),
        "b": make_unit("Điền Mỹ", UnitKind.COMMUNE, district, code="b"),
        "n": make_unit("Hà Linh", UnitKind.COMMUNE, province, code="n"),
    }
    OrgUnit.objects.filter(code__in=["d0", "p"]).update(valid_to=dt.date(2019, 12, 31))
    OrgUnit.objects.filter(code="b").update(valid_from=MERGED_2020, valid_to=dt.date(2025, 6, 30))
    OrgUnit.objects.filter(code__in=["hk", "a"]).update(valid_to=dt.date(2025, 6, 30))
    OrgUnit.objects.filter(code="n").update(valid_from=MERGED_2025)
    units = {code: OrgUnit.objects.get(code=code) for code in units}
    for old in ("d0", "p"):
        Lineage.objects.create(
            predecessor=units[old], successor=units["b"], kind="merge", date=MERGED_2020
        )
    for old in ("a", "b"):
        Lineage.objects.create(
            predecessor=units[old], successor=units["n"], kind="merge", date=MERGED_2025
        )
    return units


def _record(units, values: dict, period: str, indicator):
    for code, value in values.items():
        record_result(unit=units[code], indicator=indicator, period=period, value=value)


def test_a_2018_figure_reaches_today_s_commune_through_two_steps(chain):
    road = make_indicator("road", name="Đường giao thông", unit="m", rollup="sum")
    _record(chain, {"a": "200", "d0": "40", "p": "100"}, "2018", road)
    recorded = sorted(Result.objects.values_list("unit__code", "period", "value"))

    [line] = unit_overview(chain["n"], parse_period("2018")).lines

    assert line.figure.value == Decimal(200 + 40 + 100)
    assert line.via.words == "tính từ 2 xã cũ: Hà Linh, Điền Mỹ (tính từ 2 xã cũ: Điền Mỹ, Phú Mỹ)"
    # The 2020 commune answers for 2018 the same way; nothing recorded changes.
    [middle] = unit_overview(chain["b"], parse_period("2018")).lines
    assert middle.figure.value == Decimal(140)
    assert middle.via.words == "tính từ 2 xã cũ: Điền Mỹ, Phú Mỹ"
    assert sorted(Result.objects.values_list("unit__code", "period", "value")) == recorded


def test_a_predecessor_that_existed_then_answers_with_its_own_figure(chain):
    road = make_indicator("road", name="Đường giao thông", unit="m", rollup="sum")
    _record(chain, {"a": "70", "b": "50"}, "2022", road)

    [line] = unit_overview(chain["n"], parse_period("2022")).lines

    assert line.figure.value == Decimal(120)
    assert line.via.words == "tính từ 2 xã cũ: Hà Linh, Điền Mỹ"


def test_xaso_show_json_gives_the_earlier_step_in_the_words(chain, capsys):
    road = make_indicator("road", name="Đường giao thông", unit="m", rollup="sum")
    _record(chain, {"a": "200", "p": "100"}, "2018", road)

    assert cli.main(["show", "n", "--period", "2018", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)["rows"]

    assert (row["result"], row["via_lineage"]) == (300, True)
    assert row["lineage"] == "tính từ 2 xã cũ: Hà Linh, Điền Mỹ (tính từ 1 xã cũ: Phú Mỹ)"
    assert [(s["code"], s["result"]) for s in row["sources"]] == [("a", 200), ("b", 100)]


def test_a_2018_target_reaches_today_s_commune_through_two_steps(chain):
    road = make_indicator("road", name="Đường giao thông", unit="m", rollup="sum")
    _record(chain, {"a": "200", "d0": "40", "p": "100"}, "2018", road)
    for code, value in {"a": "400", "d0": "100", "p": "300"}.items():
        set_target(
            unit=chain[code], indicator=road, period="2018", source="district_plan", value=value
        )

    [line] = unit_overview(chain["n"], parse_period("2018")).lines
    [item] = line.achievements

    assert item.target.value == Decimal(400 + 100 + 300)
    assert item.via.words == "tính từ 2 xã cũ: Hà Linh, Điền Mỹ (tính từ 2 xã cũ: Điền Mỹ, Phú Mỹ)"
    assert item.percent == Decimal("42.5")  # 340 of 800


def test_a_cycle_in_the_links_is_not_followed_again(chain):
    # A mistake in the data: the first Điền Mỹ recorded as formed in 2019 from today's unit.
    OrgUnit.objects.filter(code="d0").update(valid_from=dt.date(2019, 1, 1))
    Lineage.objects.create(
        predecessor=chain["n"], successor=OrgUnit.objects.get(code="d0"), kind="rename",
        date=dt.date(2019, 1, 1),
    )  # fmt: skip
    road = make_indicator("road", name="Đường giao thông", unit="m", rollup="sum")
    _record(chain, {"a": "200", "p": "100"}, "2018", road)
    n = OrgUnit.objects.get(code="n")

    found = through_lineage(n, over_time.single(parse_period("2018")), [road])

    # d0 would answer from n, which is being answered: not followed; a + p only.
    assert found[road.pk].figure.value == Decimal(300)


def test_a_role_on_today_s_commune_reads_and_finds_the_commune_merged_in_2020(chain, client):
    from tests.factories import make_user
    from xaso.org import policy
    from xaso.org.models import Role

    user = make_user("xem", unit=chain["n"], role=Role.VIEWER)
    stranger = make_user("khac", unit=OrgUnit.objects.get(code="a"), role=Role.VIEWER)

    assert policy.can_read(user, chain["p"]) and policy.can_read(user, chain["d0"])
    assert not policy.can_read(stranger, chain["p"])
    client.force_login(user)
    page = client.get("/units/?q=Phú Mỹ").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", "", page).split())
    assert (
        "Xã Phú Mỹ p đơn vị cũ, đến 31/12/2019 — nay thuộc Xã Hà Linh, từ 01/07/2025 "
        "(qua Xã Điền Mỹ)" in text
    )
