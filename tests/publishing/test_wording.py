"""Sentences of a report from plain values; expected texts written by hand."""

from decimal import Decimal as D

import pytest

from xaso.publishing.wording import (
    PlanFigure,
    criteria_sentence,
    is_placeholder,
    plan_words,
    quantity,
    remaining_sentence,
    result_sentence,
    target_sentence,
)


def sentence(value, *plans, estimated=False, change=""):
    return result_sentence(
        name="Thu ngân sách",
        period_label="6 tháng đầu năm 2020",
        unit_name="triệu đồng",
        value=value,
        estimated=estimated,
        plans=list(plans),
        change_words=change,
    )


def test_an_estimate_against_two_plans_as_the_seed_writes_it():
    district = PlanFigure(D("15511"), "district_plan", D("24.2"))
    council = PlanFigure(D("16477"), "council_resolution", D("22.8"))
    assert sentence(D("3750"), district, council, estimated=True) == (
        "Thu ngân sách 6 tháng đầu năm 2020 ước đạt 3.750 triệu đồng/15.511 triệu đồng, "
        "đạt 24,2% kế hoạch huyện giao; đạt 22,8% kế hoạch HĐND giao."
    )


def test_a_final_figure_says_dat_not_uoc_dat():
    assert sentence(D("986")) == "Thu ngân sách 6 tháng đầu năm 2020 đạt 986 triệu đồng."


def test_a_revised_plan_names_both_percentages():
    revised = PlanFigure(D("15840"), "council_resolution", D("23.7"), D("16477"), D("22.8"))
    assert sentence(D("3750"), revised).endswith(
        "đạt 23,7% kế hoạch HĐND giao (kế hoạch điều chỉnh; bằng 22,8% kế hoạch ban đầu)."
    )


def test_a_plan_of_zero_has_no_percentage():
    assert sentence(D("5"), PlanFigure(D("0"), "annual_plan", None)) == (
        "Thu ngân sách 6 tháng đầu năm 2020 đạt 5 triệu đồng/0 triệu đồng."
    )


def test_the_change_on_last_year_closes_the_sentence():
    assert sentence(D("3750"), change="tăng 25,0%").endswith(
        "đạt 3.750 triệu đồng; tăng 25,0% so với cùng kỳ năm trước."
    )


def test_no_figure_is_a_marked_gap():
    text = sentence(None, PlanFigure(D("15511"), "district_plan", None))
    assert text == (
        "[Cần bổ sung: kết quả thu ngân sách 6 tháng đầu năm 2020 (kế hoạch 15.511 triệu đồng)]"
    )
    assert is_placeholder(text) and not is_placeholder("Thu ngân sách đạt 5 triệu đồng.")


def test_quantities_and_plan_words():
    assert quantity(D("42.4"), "%") == "42,4%"
    assert quantity(D("1135"), "m") == "1.135 m"
    assert plan_words("annual_plan", "năm 2020") == "kế hoạch năm 2020"
    assert plan_words("annual_plan", "nhiệm kỳ 2020–2025") == "kế hoạch năm nhiệm kỳ 2020–2025"
    assert plan_words("district_plan", "năm 2020") == "kế hoạch huyện giao năm 2020"
    assert plan_words("unknown", "năm 2020") == "kế hoạch năm 2020"


def test_criteria_and_remaining_sentences():
    assert criteria_sentence(
        set_name="Bộ tiêu chí xã nông thôn mới", achieved=20, total=20, kept=True
    ) == ("Giữ vững 20/20 tiêu chí theo bộ tiêu chí xã nông thôn mới.")
    assert criteria_sentence(set_name="Bộ X", achieved=22, total=24, kept=False).startswith(
        "Đạt 22/24 tiêu chí"
    )
    done = remaining_sentence(
        name="Thu", unit_name="tấn", target=D("560"), source="annual_plan",
        period_label="năm 2020", left=D("0"),
    )  # fmt: skip
    assert done == "Thu: phấn đấu hoàn thành 560 tấn (kế hoạch năm 2020); đã hoàn thành kế hoạch."


def test_a_plan_without_a_percentage_says_nothing_of_it():
    assert PlanFigure(D("0"), "district_plan", None).achieved_words() == ""
    assert PlanFigure(D("10"), "district_plan", D("50.0")).achieved_words() == (
        "đạt 50,0% kế hoạch huyện giao"
    )


def test_without_a_change_or_a_plan_the_sentence_is_bare():
    text = result_sentence(
        name="Nhà văn hóa", period_label="năm 2022", unit_name="nhà",
        value=D("3"), estimated=False, plans=[],
    )  # fmt: skip
    assert text == "Nhà văn hóa năm 2022 đạt 3 nhà."
    gap = result_sentence(
        name="Nhà văn hóa", period_label="năm 2022", unit_name="nhà",
        value=None, estimated=False, plans=[],
    )  # fmt: skip
    assert gap == "[Cần bổ sung: kết quả nhà văn hóa năm 2022]"


@pytest.mark.parametrize(("left", "tail"), [
    (D("1"), ", còn phải thực hiện 1 tấn."),
    (D("0.5"), ", còn phải thực hiện 0,5 tấn."),
    (D("0"), "; đã hoàn thành kế hoạch."),
    (D("-3"), "; đã hoàn thành kế hoạch."),
])  # fmt: skip
def test_what_is_left_on_both_sides_of_zero(left, tail):
    text = remaining_sentence(
        name="Lương thực", unit_name="tấn", target=D("560"), source="district_plan",
        period_label="năm 2020", left=left,
    )  # fmt: skip
    assert text == f"Lương thực: phấn đấu hoàn thành 560 tấn (kế hoạch huyện giao năm 2020){tail}"


def test_a_target_for_the_next_period_names_its_source():
    assert target_sentence(
        name="Hộ văn hóa", unit_name="hộ", target=D("2880"), source="council_resolution",
        period_label="năm 2020",
    ) == "Hộ văn hóa: phấn đấu đạt 2.880 hộ (kế hoạch HĐND giao năm 2020)."  # fmt: skip


def test_a_lower_is_better_figure_is_held_against_limits_not_percentages():
    text = result_sentence(
        name="Tỷ lệ hộ nghèo", period_label="năm 2022", unit_name="%", value=D("4.5"),
        estimated=True, plans=[PlanFigure(D("5"), "district_plan", D("90.0"))],
        lower_is_better=True,
    )  # fmt: skip
    assert text == "Tỷ lệ hộ nghèo năm 2022: ước 4,5% (kế hoạch huyện giao không quá 5%)."
    final = result_sentence(
        name="Tỷ lệ hộ nghèo", period_label="năm 2022", unit_name="%", value=D("4.5"),
        estimated=False, plans=[], lower_is_better=True,
    )  # fmt: skip
    assert final == "Tỷ lệ hộ nghèo năm 2022: 4,5%."


def test_a_name_that_says_dat_takes_its_figure_after_a_colon():
    plan = PlanFigure(D("24"), "annual_plan", D("91.7"))
    text = result_sentence(
        name="Tiêu chí văn minh đô thị đạt", period_label="6 tháng đầu năm 2020",
        unit_name="tiêu chí", value=D("22"), estimated=False, plans=[plan],
    )  # fmt: skip
    assert text == (
        "Tiêu chí văn minh đô thị đạt 6 tháng đầu năm 2020: 22 tiêu chí/24 tiêu chí, "
        "đạt 91,7% kế hoạch năm."
    )
    # "đạt" inside another word is not the verb.
    assert result_sentence(
        name="Số hộ đạtchuẩn", period_label="", unit_name="hộ", value=D("3"),
        estimated=True, plans=[],
    ) == "Số hộ đạtchuẩn ước đạt 3 hộ."  # fmt: skip


def test_an_article_leaves_out_the_ratio_and_the_period():
    plan = PlanFigure(D("15511"), "district_plan", D("24.2"))
    assert result_sentence(
        name="Thu ngân sách", period_label="", unit_name="triệu đồng", value=D("3750"),
        estimated=True, plans=[plan], ratio=False,
    ) == "Thu ngân sách ước đạt 3.750 triệu đồng, đạt 24,2% kế hoạch huyện giao."  # fmt: skip


def test_an_estimate_after_a_colon_and_two_limits():
    assert result_sentence(
        name="Tiêu chí đạt", period_label="năm 2022", unit_name="tiêu chí", value=D("22"),
        estimated=True, plans=[],
    ) == "Tiêu chí đạt năm 2022: ước đạt 22 tiêu chí."  # fmt: skip
    limits = [
        PlanFigure(D("5"), "district_plan", None),
        PlanFigure(D("4"), "council_resolution", None),
    ]
    assert result_sentence(
        name="Tỷ lệ hộ nghèo", period_label="năm 2022", unit_name="%", value=D("4.5"),
        estimated=False, plans=limits, lower_is_better=True,
    ) == (
        "Tỷ lệ hộ nghèo năm 2022: 4,5% "
        "(kế hoạch huyện giao không quá 5%; kế hoạch HĐND giao không quá 4%)."
    )  # fmt: skip
