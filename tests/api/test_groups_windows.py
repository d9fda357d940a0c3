"""A group's figures for a span of months (the year-to-date, "lũy kế 6 tháng đầu năm") and
beside the same window a year earlier, on its page and through the API — worked out here
from the raw monthly values.

The world is tests/api/conftest's (42 > hk > hl > hl-1..3) with a second commune hm (hm-1,
hm-2) and hk's cluster of hl and hm.
"""

from decimal import Decimal

import pytest
from django.test import Client

from tests.factories import make_indicator, make_unit
from xaso.figures.services import record_result
from xaso.groups.services import group_save
from xaso.org.models import UnitKind

# (village, month) -> value, for a flow (months add up) and a stock (the last month stands).
MONTHS = {
    ("hl-1", "2022-03"): Decimal("5"),
    ("hm-1", "2022-03"): Decimal("1"),
    ("hl-1", "2022-06"): Decimal("10"),
    ("hm-2", "2022-06"): Decimal("4"),
    ("hl-1", "2021-03"): Decimal("2"),
    ("hm-1", "2021-06"): Decimal("3"),
    ("hl-2", "2022-07"): Decimal("100"),  # after the half-year: in no window asked for
}


def _sum(communes, months) -> Decimal:
    return sum(
        (v for (village, month), v in MONTHS.items()
         if village.split("-")[0] in communes and month in months),
        Decimal(0),
    )  # fmt: skip


H1_2022 = [f"2022-{m:02d}" for m in range(1, 7)]
H1_2021 = [f"2021-{m:02d}" for m in range(1, 7)]


@pytest.fixture
def cluster(world):
    units = world.units
    hm = make_unit("Hương Minh", UnitKind.COMMUNE, units["hk"], code="hm")
    for n in (1, 2):
        units[f"hm-{n}"] = make_unit(str(n), UnitKind.VILLAGE, hm, code=f"hm-{n}")
    flow = make_indicator("w-flow", unit="ha", rollup="sum", over_time="flow")
    stock = make_indicator("w-stock", unit="ha", rollup="sum", over_time="stock")
    for (village, month), value in MONTHS.items():
        for indicator in (flow, stock):
            record_result(unit=units[village], indicator=indicator, period=month, value=value)
    return group_save(owner=units["hk"], code="cum-hk", name="Cụm Hương Khê", kind="cluster",
                      members=[hm, units["hl"]])  # fmt: skip


def _rows(body):
    return {row["indicator_code"]: row for row in body["rows"]}


def _members(row, field="result"):
    return {m["code"]: None if m[field] is None else Decimal(m[field]) for m in row["members"]}


def test_the_year_to_date_of_a_group(cluster, api):
    answer = api("province").get("/api/groups/cum-hk/figures", period="2022-H1", ytd="true")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["year_to_date"]["label"] == "lũy kế 6 tháng đầu năm 2022"
    assert body["year_to_date"]["periods"] == H1_2022
    flow, stock = _rows(body)["w-flow"], _rows(body)["w-stock"]
    assert Decimal(flow["result"]) == _sum(["hl", "hm"], H1_2022)  # 5 + 1 + 10 + 4
    assert _members(flow) == {"hl": _sum(["hl"], H1_2022), "hm": _sum(["hm"], H1_2022)}
    # A stock is what stands at the last month: June's.
    assert Decimal(stock["result"]) == _sum(["hl", "hm"], ["2022-06"])
    assert _members(stock) == {"hl": Decimal(10), "hm": Decimal(4)}
    # Without ytd, 2022-H1 has no figure of its own: the months are not added.
    single = api("province").get("/api/groups/cum-hk/figures", period="2022-H1").json()
    assert single["rows"] == [] and single["year_to_date"] is None


def test_a_group_beside_the_same_period_last_year(cluster, api):
    body = (
        api("province")
        .get("/api/groups/cum-hk/figures", period="2022-H1", ytd="true", compare="last-year")
        .json()
    )
    assert body["last_year"]["label"] == "lũy kế 6 tháng đầu năm 2021"
    flow = _rows(body)["w-flow"]
    now, before = _sum(["hl", "hm"], H1_2022), _sum(["hl", "hm"], H1_2021)
    assert (Decimal(flow["last_year"]), Decimal(flow["change"])) == (before, now - before)
    assert Decimal(flow["change_percent"]) == Decimal("300.0")  # 20 against 5
    assert _members(flow, "last_year") == {"hl": Decimal(2), "hm": Decimal(3)}
    # One month: June 2022 against June 2021, where only hm had a figure.
    june = (
        api("province")
        .get("/api/groups/cum-hk/figures", period="2022-06", compare="last-year")
        .json()
    )
    flow = _rows(june)["w-flow"]
    assert (Decimal(flow["result"]), Decimal(flow["last_year"])) == (Decimal(14), Decimal(3))
    assert _members(flow, "last_year") == {"hl": None, "hm": Decimal(3)}


def test_a_span_the_group_cannot_have_names_the_field(cluster, api):
    term = api("province").get("/api/groups/cum-hk/figures", period="2020..2025", ytd="true")
    assert (term.status_code, term.json()["error"]["field"]) == (422, "ytd")
    compare = api("province").get(
        "/api/groups/cum-hk/figures", period="2020..2025", compare="last-year"
    )
    assert (compare.status_code, compare.json()["error"]["field"]) == (422, "compare")
    other = api("province").get("/api/groups/cum-hk/figures", period="2022-06", compare="x")
    assert (other.status_code, other.json()["error"]["field"]) == (422, "compare")


def test_a_members_reader_sees_the_window_of_the_members_it_reads(cluster, api):
    body = (
        api("commune")
        .get("/api/groups/cum-hk/figures", period="2022-H1", ytd="true", compare="last-year")
        .json()
    )
    flow = _rows(body)["w-flow"]
    assert Decimal(flow["result"]) == _sum(["hl"], H1_2022)
    assert Decimal(flow["last_year"]) == _sum(["hl"], H1_2021)
    assert list(_members(flow)) == ["hl"]


def test_the_group_page_offers_the_year_to_date_and_last_year(cluster, world):
    client = Client()
    client.force_login(world.users["province"])
    page = client.get("/groups/cum-hk/", {"period": "2022-H1", "view": "ytd"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Số liệu lũy kế 6 tháng đầu năm 2022" in text
    assert "<strong>20</strong>" in text  # the flow's year-to-date, 5 + 1 + 10 + 4
    assert 'aria-current="page">Lũy kế năm' in text
    page = client.get("/groups/cum-hk/", {"period": "2022-06", "view": "last-year"})
    text = page.content.decode()
    assert "Số liệu tháng 6/2022, so với tháng 6/2021" in text
    assert "cùng kỳ 3" in text and "tăng 366,7%" in text  # 14 against 3
    term = client.get("/groups/cum-hk/", {"period": "2020..2025", "view": "ytd"})
    assert "Không tính lũy kế từ đầu năm" in term.content.decode()
