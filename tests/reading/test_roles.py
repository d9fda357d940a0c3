"""A figure stated as a plan or goal is read as a target, never as a result (issue 19).

Expected roles worked out by hand from the grammar around each number: the nearest cue before
it in its sentence, a plan noun naming it, or the heading of the list it is an item of.
"""

from decimal import Decimal

import pytest

from xaso.reading import read_text
from xaso.reading.figures import find_figures


def _roles(text: str) -> list[tuple[Decimal, str, str | None]]:
    return [(figure.value, figure.role, figure.plan_source) for figure in find_figures(text)]


# --- seed 002: the campaign's targets, a list under "đề ra chỉ tiêu Phấn đấu …:" -------------


def test_seed_002_campaign_targets_are_targets_of_the_campaign_and_the_rest_results(seeds_dir):
    text = next(seeds_dir.glob("002_*.txt")).read_text(encoding="utf-8")

    figures = read_text(text).figures

    # "Tại hội nghị đã đề ra chỉ tiêu Phấn đấu trong đợt phát động thi đua cao điểm:" then
    # "- Hoàn thành thêm 01 khu dân cư mẫu, 04 vườn sinh thái (… 01 vườn)." and "- 77 hộ …; 140
    # hộ …, 65 hộ …; 70 hộ …; 38 hộ …, 50 hộ …": nine targets of the campaign ("phát động").
    targets = [(f.value, f.unit, f.plan_source) for f in figures if f.role == "target"]
    assert targets == [
        (Decimal(1), "khu_dan_cu", "campaign"),
        (Decimal(4), "vuon", "campaign"),
        (Decimal(1), "vuon", "campaign"),
        *((Decimal(n), "ho", "campaign") for n in (77, 140, 65, 70, 38, 50)),
    ]
    # "Kết quả thực hiện phong trào … nhất là giữ vững 20 tiêu chí xã NTM": a result cue.
    results = [(f.value, f.unit) for f in figures if f.role == "result"]
    assert results == [(Decimal(20), "tieu_chi")]


def test_seed_000_monthly_results_are_all_results(seeds_dir):
    text = next(seeds_dir.glob("000_*.txt")).read_text(encoding="utf-8")
    figures = read_text(text).figures
    assert len(figures) == 16
    assert {figure.role for figure in figures} == {"result"}
    assert {figure.plan_source for figure in figures} == {None}


# --- the grammar around the number -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a plan verb governs it; no source named
        ("Năm 2024, xã phấn đấu trồng mới 2.000 m hàng rào xanh.", [(2000, "target", None)]),
        # a plan noun names it, with its issuer
        (
            "Kế hoạch huyện giao năm 2023 là 500 cây bóng mát.",
            [(500, "target", "district_plan")],
        ),
        (
            "Chỉ tiêu Nghị quyết Đại hội: 80 % hộ dùng nước sạch.",
            [(80, "target", "congress_resolution")],
        ),
        ("Dự toán HĐND giao thu ngân sách 12 tỷ đồng.", [(12, "target", "council_resolution")]),
        ("Xã dự kiến làm mới 3 km đường giao thông nông thôn.", [(3, "target", None)]),
        # "mỗi năm": a plan for each year
        ("Nhiệm kỳ tới, Hội đề ra mỗi năm kết nạp 10 hội viên.", [(10, "target", "annual_plan")]),
        # the nearest cue wins: a result cue after the plan word takes the figure back
        (
            "Kế hoạch giao 500 cây, đến nay đã trồng 520 cây.",
            [(500, "target", None), (520, "result", None)],
        ),
        (
            "Xã phấn đấu trồng 500 cây, hiện trồng được 520 cây.",
            [(500, "target", None), (520, "result", None)],
        ),
        (
            "Kế hoạch năm 2024 trồng 500 cây; 6 tháng ước đạt 300 cây.",
            [(500, "target", "annual_plan"), (300, "result", None)],
        ),
        # a percent of a plan (and its issuer) is an achievement, not a plan cue
        (
            "Thu ngân sách đạt 14.250 triệu đồng, bằng 61,3% dự toán huyện giao; chi 9.000 "
            "triệu đồng.",
            [(14250, "result", "district_plan"), (9000, "result", None)],
        ),
        # … unless the plan noun names the next number
        (
            "Toàn tỉnh giải ngân 601 tỷ đồng, mới đạt gần 24% kế hoạch vốn 2.512 tỷ đồng.",
            [(601, "result", None), (2512, "target", None)],
        ),
        ("Xã hoàn thành 12/12 chỉ tiêu; giúp 60 hộ thoát nghèo.", [(60, "result", None)]),
        # a document named by its number, a budget line named after a goal: no cue
        ("Thực hiện Kế hoạch số 45/KH-UBND, xã trồng 300 cây.", [(300, "result", None)]),
        ("Thu trợ cấp mục tiêu: 500 triệu đồng.", [(500, "result", None)]),
        # measured against its plan: a result with the plan
        ("Hàng rào xanh trồng mới được 500 m/800 m (đạt 62,5% kế hoạch).", [(500, "result", None)]),
    ],
)
def test_role_from_the_grammar_around_the_number(text, expected):
    assert _roles(text) == [(Decimal(value), role, source) for value, role, source in expected]


def test_a_result_against_its_plan_keeps_the_plan():
    (figure,) = find_figures("Thu ngân sách ước đạt 3.750 triệu đồng/15.511 triệu đồng.")
    assert (figure.role, figure.value, figure.plan) == ("result", Decimal(3750), Decimal(15511))


# --- lists under a heading --------------------------------------------------------------------


def test_the_items_of_a_list_under_a_plan_heading_are_targets_and_the_list_ends_at_a_paragraph():
    text = (
        "Chỉ tiêu năm 2023:\n"
        "- Trồng 300 cây bóng mát;\n"
        "\n"
        "- Làm mới 5 hệ thống xử lý nước thải.\n"
        "Trồng 120 cây bóng mát ở thôn 2.\n"
    )
    assert _roles(text) == [
        (Decimal(300), "target", "annual_plan"),
        (Decimal(5), "target", "annual_plan"),
        (Decimal(120), "result", None),  # no longer a list item: outside the list
    ]


def test_a_heading_of_results_about_targets_gives_results():
    text = "Kết quả thực hiện các chỉ tiêu:\n- Trồng 215 cây bóng mát;\n- Làm mới 12 hệ thống.\n"
    assert [role for _value, role, _source in _roles(text)] == ["result", "result"]


def test_an_item_with_its_own_result_cue_is_a_result_inside_a_plan_list():
    text = "Phấn đấu trong năm:\n- Trồng 300 cây;\n- Đến nay đã làm 2 km đường.\n"
    assert _roles(text) == [(Decimal(300), "target", "annual_plan"), (Decimal(2), "result", None)]


# --- the JSON output --------------------------------------------------------------------------


def test_json_shows_role_plan_source_and_both_unit_forms():
    extraction = read_text("Năm 2024 phấn đấu trồng 1,5 km hàng rào. Đã trồng 800 m hàng rào.")

    figures = extraction.to_json()["figures"]

    assert [(f["value"], f["role"], f["plan_source"]) for f in figures] == [
        (1.5, "target", None),  # the source is read from "phấn đấu" on: none named
        (800, "result", None),
    ]
    assert [(f["unit"], f["unit_text"]) for f in figures] == [("km", "km"), ("m", "m")]
