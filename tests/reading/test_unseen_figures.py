"""Figures on reports the reader was not built on (issue 19): counts of any noun, scaled
counts, rates, big money units, percentages that are results or percentages of a plan, x/y in
figures and in words, and plans against results.

Every sentence is our own; the expected values are read off the sentence by hand.
"""

from decimal import Decimal

import pytest

from xaso.reading.figures import find_figures, find_ratios


def counted(text: str) -> list[tuple[Decimal, str]]:
    return [(figure.value, figure.unit_text) for figure in find_figures(text)]


def ratios(text: str) -> list[tuple[str, int | None, int]]:
    return [(ratio.what, ratio.achieved, ratio.total) for ratio in find_ratios(text)]


def roles(text: str) -> list[tuple[Decimal, str, str | None]]:
    return [(figure.value, figure.role, figure.plan_source) for figure in find_figures(text)]


# --- counts of any noun ------------------------------------------------------------------------


def test_a_count_of_communes():
    assert counted("Toàn tỉnh đã có 148 xã đạt chuẩn nông thôn mới.") == [(148, "xã")]


def test_a_count_of_comrades_is_read_with_its_two_syllable_noun():
    assert counted("Hội nghị có 42 đồng chí trong Ban Chấp hành tham dự.") == [(42, "đồng chí")]


def test_a_count_of_turns_names_what_the_turns_are_of():
    text = "Năm qua, huyện giải quyết việc làm cho 3.500 lượt lao động."
    (figure,) = find_figures(text)
    assert (figure.value, figure.unit) == (3500, "luot")
    assert figure.label.startswith("lượt lao động")


def test_two_counts_side_by_side_are_two_figures():
    text = "UBND huyện tặng giấy khen cho 5 cá nhân, 2 tập thể có thành tích xuất sắc."
    assert counted(text) == [(5, "cá nhân"), (2, "tập thể")]


def test_a_count_of_an_unlisted_noun_of_two_syllables_reads_both():
    (figure,) = find_figures("Xã huy động 30 doanh nghiệp ủng hộ quỹ.")
    assert (figure.value, figure.unit_text) == (30, "doanh nghiệp")
    assert figure.label == "doanh nghiệp ủng hộ quỹ"


def test_a_one_syllable_head_noun_counts_on_its_own():
    # "ấp" heads its phrase: what follows describes the hamlets, it is not part of the noun.
    (figure,) = find_figures("Huyện có 16 ấp phản ánh tình trạng ô nhiễm.")
    assert (figure.value, figure.unit_text) == (16, "ấp")


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Chi đoàn kết nạp 12 đoàn viên mới.", "đoàn viên"),
        ("Hội nghị có 3 bộ trưởng dự.", "bộ trưởng"),
    ],
)
def test_a_one_syllable_noun_with_a_suffix_of_persons_is_one_noun(text, written):
    (figure,) = find_figures(text)
    assert figure.unit_text == written


def test_a_count_written_with_a_scale_word_is_scaled():
    (figure,) = find_figures("Lễ hội năm nay đón 1,5 triệu lượt khách.")
    assert (figure.value, figure.unit) == (1_500_000, "luot")


def test_a_scaled_measure_is_converted_and_named_by_its_subject():
    (figure,) = find_figures("Sản lượng cá nuôi đạt 5,2 nghìn tấn.")
    assert (figure.value, figure.unit, figure.label) == (5200, "tan", "sản lượng cá nuôi")


# --- numbers that are not counts ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Năm 2024 các đoàn thể đều hoàn thành nhiệm vụ.",  # a year
        "Ngày 15 các thôn đồng loạt ra quân.",  # a day of the month
        "Thôn 9 dẫn đầu phong trào thi đua.",  # a village's number
        "Thực hiện Nghị quyết số 12 của Hội đồng nhân dân xã.",  # a decree's number
        "Thực hiện Kết luận 62 của Ban Thường vụ.",  # a conclusion's number, no "số"
        "Hội nghị lần thứ 3 Ban Chấp hành diễn ra sáng nay.",  # an ordinal
        "Tổ 4 và tổ 5 đã họp dân.",  # a group's number
    ],
)
def test_a_number_that_names_a_time_or_a_thing_is_no_count(text):
    assert find_figures(text) == []


def test_a_year_before_a_unit_is_no_quantity_of_it():
    # topic first: "Năm 2024, hộ nghèo giảm 40 hộ" without its comma
    assert counted("Năm 2024 hộ nghèo giảm 40 hộ.") == [(40, "hộ")]


def test_the_number_of_a_decree_before_a_noun_is_no_count():
    assert find_figures("Tuyên truyền Nghị định 168 xử phạt vi phạm giao thông.") == []


def test_a_clause_end_before_the_number_lets_it_count_again():
    # "thôn." closes the clause: the 9 that follows counts households, it does not name a village.
    assert counted("Đoàn đã kiểm tra tại thôn. 9 hộ xin thêm thời gian.") == [(9, "hộ")]


# --- rates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "written"),
    [
        ("Năng suất lúa vụ xuân đạt 62 tạ/ha.", Decimal(62), "tạ/ha"),
        (
            "Thu nhập bình quân đạt 58 triệu đồng/người/năm.",
            Decimal(58),
            "triệu đồng/người/năm",
        ),
        ("Bình quân toàn huyện đạt 17,5 tiêu chí/xã.", Decimal("17.5"), "tiêu chí/xã"),
    ],
)
def test_a_rate_is_one_figure_with_no_unit_of_its_own(text, value, written):
    (figure,) = find_figures(text)
    assert (figure.value, figure.unit_text) == (value, written)
    assert (figure.unit, figure.plan) == (None, None)


def test_a_value_over_its_plan_is_no_rate():
    (figure,) = find_figures("Thu ngân sách đạt 2.300 triệu đồng/KH 3.000 triệu đồng.")
    assert (figure.value, figure.unit, figure.plan) == (2300, "trieu_dong", 3000)
    assert figure.plan_source_text == "KH"


def test_a_value_over_the_wording_of_its_plan_is_no_rate():
    (figure,) = find_figures("Đã giải ngân 800 triệu đồng/kế hoạch vốn được giao.")
    assert (figure.value, figure.unit, figure.unit_text) == (800, "trieu_dong", "triệu đồng")


def test_two_amounts_of_one_unit_over_a_slash_are_a_result_and_its_plan():
    (figure,) = find_figures("Xã đã giải ngân 800 triệu đồng/1.000 triệu đồng (đạt 80%).")
    assert (figure.value, figure.unit, figure.plan, figure.percent_stated) == (
        800,
        "trieu_dong",
        1000,
        80,
    )
    assert figure.consistent is True


# --- big money units ------------------------------------------------------------------------


@pytest.mark.parametrize("scale", ["nghìn", "ngàn"])
def test_thousands_of_billions_of_dong_are_one_unit(scale):
    (figure,) = find_figures(f"Tổng vốn đầu tư toàn xã hội đạt 1,2 {scale} tỷ đồng.")
    assert (figure.value, figure.unit) == (Decimal("1.2"), "nghin_ty_dong")


def test_a_billion_of_dong_is_not_taken_for_a_thousand_billions():
    (figure,) = find_figures("Vốn đối ứng của xã là 3 tỷ đồng.")
    assert (figure.value, figure.unit) == (3, "ty_dong")


# --- percentages ------------------------------------------------------------------------------


def test_a_percentage_that_is_the_result_itself_is_a_figure():
    (figure,) = find_figures("Đến cuối năm, tỷ lệ hộ nghèo còn 3,2%.")
    assert (figure.value, figure.unit) == (Decimal("3.2"), "percent")
    assert (figure.plan, figure.percent_stated, figure.role) == (None, None, "result")


def test_a_percentage_of_a_plan_belongs_to_the_value_before_it():
    (figure,) = find_figures("Thu ngân sách ước đạt 6,3 tỷ đồng, bằng 105,2% dự toán.")
    assert (figure.value, figure.unit) == (Decimal("6.3"), "ty_dong")
    assert (figure.percent_stated, figure.plan_source_text) == (Decimal("105.2"), "dự toán")
    assert figure.role == "result"


def test_a_percentage_of_a_plan_later_in_the_sentence_belongs_to_the_value_too():
    (figure,) = find_figures("Thu ngân sách 6,3 tỷ đồng, tăng so với cùng kỳ, đạt 105% dự toán.")
    assert (figure.value, figure.percent_stated, figure.plan_source_text) == (
        Decimal("6.3"),
        105,
        "dự toán",
    )


def test_a_percentage_of_a_plan_with_no_value_gives_nothing():
    assert find_figures("Công tác thu thuế đạt 96% kế hoạch.") == []


# --- x/y in figures and in words --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Xã đã đạt 17/19 tiêu chí nông thôn mới.", [("tiêu chí", 17, 19)]),
        ("Có 11 trên 14 xã hoàn thành kế hoạch.", [("xã", 11, 14)]),
        ("Năm qua 8/8 chi bộ hoàn thành tốt nhiệm vụ.", [("chi bộ", 8, 8)]),
        ("Hội nghị tiếp thu 63/70 ý kiến góp ý.", [("ý kiến", 63, 70)]),
        ("Có 5 trong tổng số 6 thôn đã làm xong.", [("thôn", 5, 6)]),
    ],
)
def test_a_part_of_a_whole_is_a_ratio_and_no_figure(text, expected):
    assert ratios(text) == expected
    assert find_figures(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Từ ngày 20/11 các thôn tổng vệ sinh.",  # a date
        "Ngày 1/5 toàn xã ra quân dọn vệ sinh.",  # a date whose day is below its month
        "Nghỉ lễ 30/4 và 1/5 theo quy định.",  # dates
        "Thu 1.200/2.000 triệu đồng, đạt 60%.",  # an amount against its plan
        "Tổ chức được 15/12 hội nghị.",  # more achieved than the whole
        "Theo Quyết định 05/2024/QĐ-UBND của tỉnh.",  # a code
    ],
)
def test_pairs_that_are_not_parts_of_a_whole_are_no_ratio(text):
    assert [ratio for ratio in find_ratios(text) if ratio.achieved is not None] == []


@pytest.mark.parametrize(
    "text",
    ["Năm nay huyện xếp thứ 3/12 huyện, thị xã.", "Xã đứng thứ 2 trên 15 xã của huyện."],
)
def test_a_rank_is_no_ratio(text):
    assert [ratio for ratio in find_ratios(text) if ratio.achieved is not None] == []


# --- plans and targets against results --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kế hoạch huyện giao trồng 3.000 cây xanh.", [(3000, "target", "district_plan")]),
        ("Chỉ tiêu tỉnh giao là 45 hộ thoát nghèo.", [(45, "target", "province_plan")]),
        (
            "Dự toán HĐND xã giao thu ngân sách 8 tỷ đồng.",
            [(8, "target", "council_resolution")],
        ),
        ("Hội phấn đấu kết nạp thêm 50 hội viên mới.", [(50, "target", None)]),
        ("Chỉ tiêu phát động thi đua là 40 hố rác.", [(40, "target", "campaign")]),
    ],
)
def test_a_plan_or_goal_is_a_target_with_its_source(text, expected):
    assert roles(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đến nay đã trồng 3.200 cây xanh, vượt kế hoạch.", [(3200, "result", None)]),
        ("Kết quả thực hiện chỉ tiêu: 47 hộ thoát nghèo.", [(47, "result", None)]),
        (
            "Kế hoạch giao 30 hố rác, đến nay đã làm 34 hố rác.",
            [
                (30, "target", None),
                (34, "result", None),
            ],
        ),
        # measured against its plan: a result, with the source of that plan
        (
            "Thu ngân sách được 4 tỷ đồng, đạt 80% kế hoạch huyện giao.",
            [(4, "result", "district_plan")],
        ),
    ],
)
def test_what_was_done_is_a_result_even_beside_a_plan(text, expected):
    assert roles(text) == expected


def test_a_value_measured_against_its_plan_stays_a_result_under_a_plan_word():
    text = "Theo kế hoạch, xã giải ngân 1.200 triệu đồng/2.000 triệu đồng (đạt 60%)."
    (figure,) = find_figures(text)
    assert (figure.value, figure.plan, figure.role) == (1200, 2000, "result")


# --- a headline that the body restates ------------------------------------------------------


def test_a_headline_figure_the_body_states_again_is_read_once():
    text = (
        "Xã Tân Lập làm mới 4 nhà văn hóa trong quý I\n"
        "Ngày 2/4, UBND xã cho biết trong quý I đã làm mới 4 nhà văn hóa, trồng 300 cây."
    )
    figures = find_figures(text)
    assert counted(text) == [(4, "nhà"), (300, "cây")]
    assert figures[0].start > text.index("\n")


def test_a_headline_figure_the_body_restates_as_a_ratio_is_left_to_the_ratio():
    text = "12 thôn ra quân làm đường\nĐến nay 12/15 thôn đã ra quân làm đường giao thông."
    assert find_figures(text) == []
    assert ratios(text) == [("thôn", 12, 15)]


@pytest.mark.parametrize(
    "text",
    [
        # the body does not state the headline's figure again
        "Xã Tân Lập làm mới 4 nhà văn hóa\nNgày 2/4, xã cho biết đã trồng 300 cây.",
        # a first line with a full stop is a sentence of the body, not a headline
        "Xã Tân Lập làm mới 4 nhà văn hóa.\nTrong quý I đã làm mới 4 nhà văn hóa, trồng 300 cây.",
    ],
)
def test_a_figure_of_the_first_line_stays_unless_a_headline_restated(text):
    assert (4, "nhà") in [(f.value, f.unit_text) for f in find_figures(text) if f.start < 40]


# --- seed 004: "02 tiêu chí còn lại trong 24 bộ tiêu chí" -------------------------------------


def test_the_whole_a_count_is_part_of_is_no_figure_of_its_own():
    # "2 of the 24 criteria remain": 24 is how many criteria the set has, not 24 sets ("bộ").
    text = "Kết quả còn thấp, nhất là 03 tiêu chí còn lại trong 22 bộ tiêu chí đô thị."
    assert counted(text) == [(3, "tiêu chí")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # another noun after "trong": a count of its own
        ("Có 40 hộ trong 3 thôn được hỗ trợ.", [(40, "hộ"), (3, "thôn")]),
        # a clause ends before "trong": no longer the whole of the count before it
        (
            "Đã sửa 4 cầu; trong 6 cầu còn lại có 2 cầu xuống cấp.",
            [(4, "cầu"), (6, "cầu"), (2, "cầu")],
        ),
        # sets counted as sets
        ("Hội tặng 40 bộ quần áo cho học sinh.", [(40, "bộ")]),
    ],
)
def test_a_count_after_trong_that_is_not_the_whole_of_the_count_before_stays(text, expected):
    assert counted(text) == expected


def test_seed_004_has_no_figure_of_24_sets(seeds_dir):
    text = next(seeds_dir.glob("004_*.txt")).read_text(encoding="utf-8")
    figures = find_figures(text)
    assert [f for f in figures if f.unit_text == "bộ"] == []
    # "02 tiêu chí còn lại trong 24 bộ tiêu chí": the two remaining criteria stay a figure
    assert [(f.value, f.unit) for f in figures if f.unit == "tieu_chi"] == [(2, "tieu_chi")]
