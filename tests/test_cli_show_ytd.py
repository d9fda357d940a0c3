"""`xaso show --ytd` and `--compare last-year`, text and JSON; a revised plan's two percents
and its document. Values worked out by hand."""

import json

import pytest

from tests.factories import make_commune_tree, make_indicator, make_user
from xaso import cli
from xaso.figures.plans import record_plan_document
from xaso.figures.services import record_result, set_target

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune():
    _, _, commune, villages = make_commune_tree()
    trees = make_indicator("cay", unit="cay", name="Cây bóng mát trồng mới")
    households = make_indicator("so-ho", unit="ho", name="Số hộ", over_time="stock")
    for period, values in [("2022-01", (10, 5)), ("2022-02", (7, 0)), ("2021-01", (4, 4))]:
        for village, value in zip(villages, values, strict=False):  # the third: none
            if value:
                record_result(unit=village, indicator=trees, period=period, value=value)
    record_result(unit=villages[0], indicator=households, period="2022-01", value="100")
    record_result(unit=villages[0], indicator=households, period="2022-02", value="103")
    plan = record_plan_document(
        unit=commune, citation="Quyết định số 15/QĐ-UBND ngày 10/01/2022 của UBND huyện"
    )
    set_target(unit=commune, indicator=trees, period="2022", source="district_plan", value="88")
    set_target(
        unit=commune,
        indicator=trees,
        period="2022",
        source="district_plan",
        value="80",
        revision=True,
        document=plan,
    )
    return commune


def show(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["show", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_ytd_text(capsys, commune):
    code, out, err = show(capsys, "hl", "--period", "2022-02", "--ytd")

    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == (
        "Xã Hà Linh — tháng 2/2022 (2022-02), lũy kế 2 tháng đầu năm 2022 (01/01/2022 – 28/02/2022)"
    )
    # 10 + 5 + 7 = 22 trees; 22 / 88 = 25,0% of the plan as set, 22 / 80 = 27,5% as revised.
    assert "Cây bóng mát trồng mới: 22 cây [cộng dồn theo thời gian]" in lines
    assert (
        "    kế hoạch 80 cây (điều chỉnh, ban đầu 88) — Kế hoạch huyện giao năm 2022, "
        "đạt 25,0% kế hoạch, 27,5% kế hoạch điều chỉnh"
    ) in lines
    assert "        theo Quyết định số 15/QĐ-UBND ngày 10/01/2022 của UBND huyện" in lines
    # A stock: February's 103 households, not 100 + 103.
    assert "Số hộ: 103 hộ [số cuối kỳ]" in lines


def test_ytd_json_adds_keys_and_keeps_the_old_ones(capsys, commune):
    code, out, err = show(capsys, "hl", "--period", "2022-02", "--ytd", "--json")

    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["period"] == {"code": "2022-02", "label": "tháng 2/2022"}
    assert data["year_to_date"] == {
        "label": "lũy kế 2 tháng đầu năm 2022",
        "start": "2022-01-01",
        "end": "2022-02-28",
        "periods": ["2022-01", "2022-02"],
    }
    [trees] = [r for r in data["rows"] if r["indicator_code"] == "cay"]
    assert (trees["result"], trees["status"], trees["own"]) == (22, "final", False)
    assert trees["over_time"] == "flow"
    assert trees["targets"] == [
        {
            "source": "Kế hoạch huyện giao",
            "source_code": "district_plan",
            "period": "2022",
            "value": 80,
            "percent": 27.5,
            "original_value": 88,
            "original_percent": 25.0,
            "document": "Quyết định số 15/QĐ-UBND ngày 10/01/2022 của UBND huyện",
        }
    ]
    [households] = [r for r in data["rows"] if r["indicator_code"] == "so-ho"]
    assert (households["result"], households["over_time"]) == (103, "stock")


def test_a_target_never_revised_has_nulls(capsys, commune):
    trees = make_indicator("cay", unit="cay", name="Cây bóng mát trồng mới")
    set_target(unit=commune, indicator=trees, period="2022", source="annual_plan", value="44")

    _, out, _ = show(capsys, "hl", "--period", "2022-02", "--json")

    [row] = [r for r in json.loads(out)["rows"] if r["indicator_code"] == "cay"]
    annual = row["targets"][1]
    # February alone: 7 trees; 7 / 44 = 15,9%.
    assert (row["result"], annual["value"], annual["percent"]) == (7, 44, 15.9)
    assert (annual["original_value"], annual["original_percent"], annual["document"]) == (
        None,
        None,
        None,
    )


def test_compare_last_year(capsys, commune):
    code, out, err = show(capsys, "hl", "--period", "2022-01", "--compare", "last-year")

    assert (code, err) == (0, "")
    # January: 15 trees against 8 a year before: +7, 87,5%.
    assert "    cùng kỳ năm trước: 8 cây, +7 cây (tăng 87,5%)" in out.splitlines()
    _, out, _ = show(
        capsys, "hl", "--period", "2022-02", "--ytd", "--compare", "last-year", "--json"
    )
    data = json.loads(out)
    assert data["last_year"]["periods"] == ["2021-01", "2021-02"]
    [trees] = [r for r in data["rows"] if r["indicator_code"] == "cay"]
    # 22 against 8: +14, 175,0%.
    assert trees["last_year"] == {"result": 8, "status": "final", "own": False}
    assert (trees["change"], trees["change_percent"]) == (14, 175.0)


def test_no_year_to_date_for_a_term(capsys, commune):
    code, _, err = show(capsys, "hl", "--period", "2020..2025", "--ytd")

    assert code != 0
    assert "Không có lũy kế từ đầu năm cho nhiệm kỳ 2020–2025." in err


def test_ytd_obeys_as(capsys, commune):
    make_user("stranger")

    code, out, err = show(capsys, "hl", "--period", "2022-02", "--ytd", "--as", "stranger")

    assert code != 0
    assert out == ""
    assert "không có quyền xem" in err


def test_a_yearly_plan_is_named_once(capsys, commune):
    trees = make_indicator("cay", unit="cay", name="Cây bóng mát trồng mới")
    set_target(unit=commune, indicator=trees, period="2022", source="annual_plan", value="44")

    _, out, _ = show(capsys, "hl", "--period", "2022-02")

    assert "    kế hoạch 44 cây — Kế hoạch năm 2022, đạt 15,9%" in out.splitlines()
    assert "năm năm" not in out
