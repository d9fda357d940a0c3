"""Results against a plan: rounding, notes, spans and units the suite did not pin down
(mutants of xaso.reading.plans)."""

import re
from decimal import Decimal

from xaso.reading.figures import find_figures
from xaso.reading.plans import PLAN_PAIR, alternation, check_percent, read_plan

NOTE_1250 = "Hiểu ‘1.250’ là 1250 (dấu chấm phân cách hàng nghìn), không phải 1,250."
NOTE_2500 = "Hiểu ‘2.500’ là 2500 (dấu chấm phân cách hàng nghìn), không phải 2,500."


# --- check_percent ------------------------------------------------------------------------


def test_a_computed_percent_on_a_half_tenth_is_rounded_up():
    # 49 / 400 = 12.25 %: half up gives 12.3 (half even would give 12.2).
    assert check_percent(Decimal(49), Decimal(400), None) == (Decimal("12.3"), None)
    (figure,) = find_figures("Thu phí vệ sinh môi trường được 49 triệu đồng/KH năm 400 triệu đồng.")
    assert (figure.value, figure.plan) == (Decimal(49), Decimal(400))
    assert figure.percent_stated is None and figure.consistent is None
    assert figure.percent_computed == Decimal("12.3")


def test_a_stated_percent_on_a_half_is_checked_against_the_half_up_rounding():
    (figure,) = find_figures(
        "Thu phí vệ sinh môi trường được 49 triệu đồng/400 triệu đồng, đạt 12,3% kế hoạch năm."
    )
    assert (figure.percent_stated, figure.percent_computed) == (Decimal("12.3"), Decimal("12.3"))
    assert figure.consistent is True
    # 1 / 8 = 12.5 %, written 13 %.
    (figure,) = find_figures("Kết nạp được 1 đảng viên/chỉ tiêu 8 đảng viên, đạt 13%.")
    assert (figure.value, figure.plan, figure.unit) == (Decimal(1), Decimal(8), "dang_vien")
    assert (figure.percent_computed, figure.consistent) == (Decimal(13), True)


def test_a_stated_percent_with_a_positive_exponent_is_compared_to_whole_percents():
    # 47 % is not 50 %, however 50 is written.
    assert check_percent(Decimal(47), Decimal(100), Decimal("5E+1")) == (Decimal(47), False)
    assert check_percent(Decimal(50), Decimal(100), Decimal("5E+1")) == (Decimal(50), True)


# --- read_plan ----------------------------------------------------------------------------


def test_read_plan_leaves_the_label_empty_and_returns_the_percent_clause():
    text = "Thu ngân sách xã đạt 1.200/2.000 triệu đồng (bằng 60%)."
    match = PLAN_PAIR.search(text)
    figure, percent = read_plan(match, text)
    assert figure.label == ""
    assert percent.group() == " (bằng 60%)"
    assert (figure.value, figure.plan, figure.percent_stated) == (
        Decimal(1200),
        Decimal(2000),
        Decimal(60),
    )


def test_a_plan_figure_spans_its_percent_and_nothing_after():
    text = (
        "Thu ngân sách xã đạt 1.200/2.000 triệu đồng (bằng 60%); chi thường xuyên 900 triệu đồng."
    )
    budget, spending = find_figures(text)
    assert budget.text == "1.200/2.000 triệu đồng (bằng 60%)"
    assert budget.start == text.index("1.200")
    assert budget.end == text.index(";")
    assert budget.unit_text == "triệu đồng"
    # No wording anywhere: neither a source nor a source text.
    assert budget.plan_source is None and budget.plan_source_text is None
    assert (spending.value, spending.plan) == (Decimal(900), None)


def test_the_unit_text_of_a_plan_is_the_unit_as_written_with_single_spaces():
    (figure,) = find_figures("Thu ngân sách đạt 800 triệu  đồng/1.000 triệu đồng.")
    assert figure.unit_text == "triệu đồng"
    assert (figure.value, figure.plan, figure.unit) == (Decimal(800), Decimal(1000), "trieu_dong")


def test_notes_of_both_numbers_are_kept_in_order():
    (figure,) = find_figures("Vận động xã hội hóa được 1.250 triệu đồng/2.500 triệu đồng.")
    assert figure.ambiguous is True
    assert figure.note == f"{NOTE_1250} {NOTE_2500}"


def test_one_doubtful_number_makes_the_plan_figure_doubtful():
    (figure,) = find_figures("Vận động xã hội hóa được 1.250 triệu đồng/3000 triệu đồng.")
    assert figure.ambiguous is True and figure.note == NOTE_1250
    (figure,) = find_figures("Vận động xã hội hóa được 1250 triệu đồng/2.500 triệu đồng.")
    assert figure.ambiguous is True and figure.note == NOTE_2500


def test_a_plan_figure_without_doubt_has_no_note():
    (figure,) = find_figures("Vận động xã hội hóa được 1250 triệu đồng/3000 triệu đồng.")
    assert figure.ambiguous is False
    assert figure.note is None


def test_a_misprinted_number_gives_no_plan():
    # The result misprinted: nothing is read (the plan after the slash is no figure alone).
    assert find_figures("Thu ngân sách đạt 1.20.000 triệu đồng/2.000.000 triệu đồng.") == []
    # The plan misprinted: the result is read alone.
    (figure,) = find_figures("Thu ngân sách đạt 1.200 triệu đồng/2.00.000 triệu đồng.")
    assert (figure.value, figure.unit, figure.plan) == (Decimal(1200), "trieu_dong", None)
    assert figure.label == "thu ngân sách"


def test_a_percent_against_a_percent_is_two_rates_not_a_plan():
    figures = find_figures("Tỷ lệ hộ dùng nước sạch đạt 85%/KH 90%.")
    assert [(f.value, f.unit, f.plan) for f in figures] == [
        (Decimal(85), "percent", None),
        (Decimal(90), "percent", None),
    ]


def test_a_plan_without_a_unit_of_its_own_takes_the_results():
    (figure,) = find_figures("Vốn đầu tư công giải ngân 18 tỷ đồng/KH 24, đạt 75%.")
    assert (figure.value, figure.plan, figure.unit) == (Decimal(18), Decimal(24), "ty_dong")
    assert (figure.percent_stated, figure.percent_computed, figure.consistent) == (
        Decimal(75),
        Decimal(75),
        True,
    )
    assert figure.plan_source_text == "KH"


def test_a_plan_in_a_unit_that_is_no_unit_gives_no_plan():
    # "Ha" in capitals is a name ("thôn Ha Linh"), not hectares: 6,2 tấn has no plan.
    (figure,) = find_figures("Năng suất lúa bình quân đạt 6,2 tấn/1 Ha.")
    assert (figure.value, figure.unit, figure.plan) == (Decimal("6.2"), "tan", None)


def test_a_bare_multiplier_before_the_slash_is_money():
    (figure,) = find_figures("Vốn giải ngân đạt 12 tỷ/15 tỷ đồng, bằng 80%.")
    assert (figure.value, figure.plan, figure.unit, figure.unit_text) == (
        Decimal(12),
        Decimal(15),
        "ty_dong",
        "tỷ",
    )
    assert (figure.percent_computed, figure.consistent) == (Decimal(80), True)
    assert figure.label == "vốn giải ngân"


def test_the_wording_after_the_percent_names_the_source_when_it_names_one():
    (figure,) = find_figures(
        "Sản lượng lúa ước đạt 2.400 tấn/KH năm 3.000 tấn (đạt 80% kế hoạch huyện giao)."
    )
    assert figure.plan_source == "district_plan"
    assert figure.plan_source_text == "kế hoạch huyện giao"
    (figure,) = find_figures("Sản lượng lúa ước đạt 2.400 tấn/KH năm 3.000 tấn, đạt 80% kế hoạch.")
    assert figure.plan_source == "annual_plan"
    assert figure.plan_source_text == "KH năm"


# --- alternation --------------------------------------------------------------------------


def test_an_alternation_matches_the_longest_form_and_any_run_of_spaces():
    pattern = re.compile(alternation(["tạ", "tấn", "triệu", "triệu đồng", "tỷ đồng"]))
    assert pattern.match("triệu đồng").group() == "triệu đồng"
    assert pattern.match("triệu   đồng").group() == "triệu   đồng"
    assert pattern.match("triệu cây").group() == "triệu"
    assert pattern.match("tấn").group() == "tấn"
    assert pattern.match("tạ").group() == "tạ"
    assert pattern.fullmatch("tỷ đồng")
    assert pattern.fullmatch("tỷ") is None  # "tỷ" alone is not one of these forms
    assert pattern.match("t") is None
    assert pattern.match("đồng") is None


def test_an_alternation_escapes_what_regular_expressions_read_specially():
    pattern = re.compile(alternation(["m.", "m2", "m"]))
    assert pattern.match("m.").group() == "m."
    assert pattern.match("mx").group() == "m"
    assert pattern.match("m2").group() == "m2"
    assert re.compile(alternation(["a+b"])).fullmatch("a+b")
    assert re.compile(alternation(["a+b"])).fullmatch("aab") is None


def test_an_alternation_of_one_form():
    assert re.compile(alternation(["hộ"])).fullmatch("hộ")
    assert re.compile(alternation(["hộ"])).fullmatch("h") is None


def test_an_amount_in_dong_against_a_plan_in_dong_is_read():
    # "đồng/" before a number or a plan wording is a plan, not "đ/c" nor a price per unit.
    (figure,) = find_figures(
        "Quỹ khuyến học vận động được 45.000.000 đồng/50.000.000 đồng, đạt 90%."
    )
    assert (figure.value, figure.plan, figure.unit, figure.unit_text) == (
        Decimal(45000000),
        Decimal(50000000),
        "dong",
        "đồng",
    )
    assert (figure.percent_stated, figure.consistent) == (Decimal(90), True)
    assert figure.label == "quỹ khuyến học vận động"
    (figure,) = find_figures("Quỹ vì người nghèo thu được 8.000.000 đ/Kế hoạch 10.000.000 đ.")
    assert (figure.value, figure.plan, figure.unit) == (Decimal(8000000), Decimal(10000000), "dong")
    assert figure.plan_source_text == "Kế hoạch"
    # Still no amount of money: a price per kilogram is a rate, "đ/c" a comrade.
    (price,) = find_figures("Giá lúa tươi 7.000 đồng/kg; có 5 đ/c dự họp.")
    assert (price.value, price.unit, price.unit_text, price.plan) == (
        Decimal(7000),
        None,
        "đồng/kg",
        None,
    )


def test_a_misprinted_percent_is_left_out():
    (figure,) = find_figures("Thu ngân sách đạt 1.200/2.000 triệu đồng (đạt 60,0,5%).")
    assert (figure.value, figure.plan, figure.percent_stated) == (
        Decimal(1200),
        Decimal(2000),
        None,
    )
    assert figure.percent_computed == Decimal("60.0")
    assert figure.text == "1.200/2.000 triệu đồng"


def test_a_bare_multiplier_before_a_money_unit_is_money():
    figures = find_figures("Quỹ khuyến học thu được 5 triệu VNĐ.")
    assert [(f.value, f.unit) for f in figures] == [(Decimal(5), "trieu_dong")]
