"""`xaso show`, run in-process on the demo data: text and JSON output, unit lookup, errors."""

import json

import pytest
from django.db import transaction

from xaso import cli
from xaso.demo.loader import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module (about ten seconds) inside a transaction that is
    rolled back when the module is done; each test runs in a savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def show(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["show", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def show_json(capsys, *args: str) -> dict:
    code, out, err = show(capsys, *args, "--json")
    assert (code, err) == (0, "")
    return json.loads(out)


def row(data: dict, indicator: str) -> dict:
    [found] = [r for r in data["rows"] if r["indicator"] == indicator]
    return found


def test_show_prints_the_township_revenue_against_both_plans(capsys):
    code, out, err = show(capsys, "Thị trấn Hương Khê", "--period", "2020-H1")

    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Thị trấn Hương Khê — 6 tháng đầu năm 2020 (2020-H1)"
    assert "Thu ngân sách trên địa bàn: 3.750 triệu đồng (ước đạt)" in lines
    assert "    kế hoạch 15.511 triệu đồng — Kế hoạch huyện giao năm 2020, đạt 24,2%" in lines
    # The council's 16.477 was revised mid-year to 15.840 (the demo's illustrative revision):
    # 3.750 / 16.477 = 22,8 % of the plan as first set, 3.750 / 15.840 = 23,7 % as revised.
    assert (
        "    kế hoạch 15.840 triệu đồng (điều chỉnh, ban đầu 16.477) — Nghị quyết HĐND năm 2020, "
        "đạt 22,8% kế hoạch, 23,7% kế hoạch điều chỉnh"
    ) in lines


def test_show_json_gives_numbers_as_json_numbers(capsys):
    data = show_json(capsys, "Thị trấn Hương Khê", "--period", "2020-H1")

    assert data["unit"] == {
        "code": "42.huong-khe.tt",
        "name": "Thị trấn Hương Khê",
        "kind": "township",
    }
    assert data["period"] == {"code": "2020-H1", "label": "6 tháng đầu năm 2020"}
    revenue = row(data, "Thu ngân sách trên địa bàn")
    assert revenue["unit"] == "triệu đồng"
    assert revenue["result"] == 3750
    assert type(revenue["result"]) is int
    assert revenue["status"] == "estimated"
    assert [(t["source"], t["value"], t["percent"]) for t in revenue["targets"]] == [
        ("Kế hoạch huyện giao", 15511, 24.2),
        ("Nghị quyết HĐND", 15840, 23.7),
    ]
    council = revenue["targets"][1]
    assert (council["original_value"], council["original_percent"]) == (16477, 22.8)
    assert all(type(t["value"]) is int for t in revenue["targets"])
    assert all(type(t["percent"]) is float for t in revenue["targets"])
    trade = row(data, "Tổng giá trị thương mại, dịch vụ")
    assert (trade["result"], trade["unit"]) == (209, "tỷ đồng")
    assert [(t["value"], t["percent"]) for t in trade["targets"]] == [(598, 34.9)]
    assert row(data, "Thu trợ cấp cân đối")["status"] == "final"


def test_show_json_gives_ha_linhs_november_in_each_indicators_unit(capsys):
    data = show_json(capsys, "42.huong-khe.ha-linh", "--period", "2022-11")

    assert data["unit"]["code"] == "42.huong-khe.ha-linh"
    corridor = row(data, "Mở rộng hành lang giao thông")
    assert (corridor["result"], corridor["unit"]) == (1135, "m")
    road = row(data, "Đường giao thông nông thôn làm mới")
    assert (road["result"], road["unit"]) == (1.8, "km")
    assert type(road["result"]) is float
    assert row(data, "Cây bóng mát trồng mới")["result"] == 215


def test_a_name_without_its_kind_word_finds_the_unit(capsys):
    data = show_json(capsys, "Điền Mỹ", "--period", "2022-11")

    assert data["unit"]["name"] == "Xã Điền Mỹ"


def test_a_name_typed_without_diacritics_finds_the_unit(capsys):
    data = show_json(capsys, "thi tran huong khe", "--period", "2020-H1")

    assert data["unit"]["code"] == "42.huong-khe.tt"


def test_a_code_finds_the_unit(capsys):
    data = show_json(capsys, "42.huong-khe.tt", "--period", "2020-H1")

    assert data["unit"]["name"] == "Thị trấn Hương Khê"


def test_an_ambiguous_name_lists_the_matches_and_fails(capsys):
    code, out, err = show(capsys, "Hương Khê", "--period", "2020-H1")

    assert code != 0
    assert out == ""
    assert err.splitlines() == [
        # Namesakes across the 2025 merger: the district ended (the districts were
        # abolished) and the township became part of today's Xã Hương Khê, the day before
        # it began (the demo's links, from the vietnamadminunits package).
        "‘Hương Khê’ khớp với 3 đơn vị, hãy dùng mã:",
        "  42.huong-khe\tHuyện Hương Khê (đến 30/06/2025; không còn từ 01/07/2025)",
        "  42.huong-khe.tt\tThị trấn Hương Khê (đến 30/06/2025; nay thuộc Xã Hương Khê, từ "
        "01/07/2025)",
        "  18496\tXã Hương Khê (từ 01/07/2025)",
    ]


def test_an_unknown_unit_fails(capsys):
    code, out, err = show(capsys, "Xã Không Có", "--period", "2022-11")

    assert code != 0
    assert out == ""
    assert err == "Không tìm thấy đơn vị ‘Xã Không Có’.\n"


def test_a_bad_period_fails_with_a_vietnamese_message(capsys):
    code, out, err = show(capsys, "42.huong-khe.ha-linh", "--period", "2022-13")

    assert code != 0
    assert out == ""
    assert err.startswith("Không hiểu kỳ ‘2022-13’: tháng phải từ 1 đến 12.")


def test_a_period_without_data_says_so(capsys):
    code, out, _ = show(capsys, "42.huong-khe.ha-linh", "--period", "2019")

    assert code == 0
    assert out.splitlines() == [
        "Xã Hà Linh — năm 2019 (2019)",
        # The former Hà Linh (the demo's links, from the package), and what it is now.
        "Đơn vị cũ, đến 30/06/2025; nay thuộc Xã Hà Linh, từ 01/07/2025 (mã 18502).",
        "",
        "Chưa có số liệu cho kỳ này.",
    ]


def test_show_without_a_period_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["show", "42.huong-khe.ha-linh"])

    assert exited.value.code == 2
    assert "--period" in capsys.readouterr().err


def test_show_takes_a_period_as_officers_write_it(capsys):
    data = show_json(capsys, "Thị trấn Hương Khê", "--period", "6 tháng đầu năm 2020")
    assert data["period"] == {"code": "2020-H1", "label": "6 tháng đầu năm 2020"}
