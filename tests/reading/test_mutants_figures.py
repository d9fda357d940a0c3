"""Labels, spans, notes and ratios of the figure reader on short report sentences, each
pinning one rule the suite did not (mutants of xaso.reading.figures)."""

from decimal import Decimal

from xaso.reading.figures import find_figures, find_ratios

NOTE_1500 = "Hiểu ‘1.500’ là 1500 (dấu chấm phân cách hàng nghìn), không phải 1,500."


def read(text):
    return [(f.label, f.value, f.unit) for f in find_figures(text)]


def ratios(text):
    return [(r.what, r.achieved, r.total, r.text, r.start, r.end) for r in find_ratios(text)]


# --- What a number after a date word is ------------------------------------------------------


def test_a_year_or_month_before_a_unit_is_not_a_quantity():
    assert read("Trong năm 2024 hộ nghèo giảm còn 15 hộ.") == [("hộ", Decimal(15), "ho")]
    assert read("Năm 2024 hộ nghèo giảm còn 15 hộ.") == [("hộ", Decimal(15), "ho")]
    assert read("Trong tháng 3 người dân đã hiến 500 m2 đất.") == [("đất", Decimal(500), "m2")]
    # The word before is read with its punctuation dropped and in any case.
    assert read("Kế hoạch (Năm 2025) hộ nghèo phấn đấu giảm 10 hộ.") == [("hộ", Decimal(10), "ho")]


def test_a_number_at_the_very_start_is_read():
    assert read("12 hộ được hỗ trợ sửa nhà.") == [("hộ", Decimal(12), "ho")]


# --- Labels taken from the subject before the number -----------------------------------------


def test_periods_are_dropped_from_the_subject():
    assert read("Thu ngân sách tháng 6 ước đạt 520 triệu đồng.") == [
        ("thu ngân sách", Decimal(520), "trieu_dong")
    ]
    assert read("Thu ngân sách năm 2024 đạt 6.150 triệu đồng.") == [
        ("thu ngân sách", Decimal(6150), "trieu_dong")
    ]
    assert read("Thu ngân sách quý III đạt 1.520 triệu đồng.") == [
        ("thu ngân sách", Decimal(1520), "trieu_dong")
    ]
    assert read("Thu ngân sách 6 tháng đầu năm 2024 đạt 2.900 triệu đồng.") == [
        ("thu ngân sách", Decimal(2900), "trieu_dong")
    ]


def test_a_generic_tail_of_the_subject_is_dropped():
    assert read("Nâng cấp đường trục thôn Đông tổng giá trị 2,5 tỷ đồng.") == [
        ("đường trục thôn Đông", Decimal("2.5"), "ty_dong")
    ]
    assert read("Tổng giá trị ước đạt 8,4 tỷ đồng.") == [
        ("tổng giá trị", Decimal("8.4"), "ty_dong")
    ]


def test_a_subject_that_is_only_a_generic_tail_after_a_verb_is_named_by_the_tail():
    assert read("Hỗ trợ số tiền 50 triệu đồng.") == [("số tiền", Decimal(50), "trieu_dong")]


def test_a_long_subject_is_its_last_clause():
    text = "Công tác cứu trợ được các cấp, các ngành quan tâm thường xuyên, hỗ trợ gạo được 3 tấn."
    assert read(text) == [("gạo", Decimal(3), "tan")]
    text = (
        "Công tác đền ơn đáp nghĩa tiếp tục được các ngành, đoàn thể quan tâm, vận động ủng hộ "
        "quỹ đền ơn đáp nghĩa được 45 triệu đồng."
    )
    assert read(text) == [("ủng hộ quỹ đền ơn đáp nghĩa", Decimal(45), "trieu_dong")]


def test_a_short_subject_with_commas_is_kept_whole():
    assert read("Thu phí chợ, bến bãi được 120 triệu đồng.") == [
        ("thu phí chợ, bến bãi", Decimal(120), "trieu_dong")
    ]
    # Ten words: still short.
    assert read("Kinh phí sửa chữa trường học, trạm y tế xã được 300 triệu đồng.") == [
        ("kinh phí sửa chữa trường học, trạm y tế xã", Decimal(300), "trieu_dong")
    ]


def test_a_last_clause_of_one_word_is_not_a_subject():
    text = "Hỗ trợ xây dựng nhà văn hóa cho các thôn Đông, Tây, Nam, Bắc được 800 triệu đồng."
    assert read(text) == [("nhà văn hóa", Decimal(800), "trieu_dong")]


def test_a_subject_longer_than_ten_words_is_cut_at_and_or_at_a_comma():
    text = "Đường làng và mương nội đồng ở các thôn vùng trũng được cứng hóa là 3,5 km."
    assert read(text) == [("đường làng", Decimal("3.5"), "km")]
    text = (
        "Kinh phí sửa chữa đường trục chính và cầu tràn qua suối thôn Đông được duyệt là "
        "900 triệu đồng."
    )
    assert read(text) == [("kinh phí sửa chữa đường trục chính", Decimal(900), "trieu_dong")]
    text = "Kinh phí mua sắm bàn ghế, máy tính, máy chiếu, loa đài, tủ, kệ là 210 triệu đồng."
    assert read(text) == [("kinh phí mua sắm bàn ghế", Decimal(210), "trieu_dong")]


def test_a_subject_of_ten_words_is_kept_whole():
    text = "Kinh phí sửa chữa đường và cầu tràn thôn Đông là 350 triệu đồng."
    assert read(text) == [
        ("kinh phí sửa chữa đường và cầu tràn thôn Đông", Decimal(350), "trieu_dong")
    ]


def test_a_place_after_the_subject_is_cut():
    assert read("Làm đường bê tông tại thôn Bắc được 800 m.") == [
        ("đường bê tông", Decimal(800), "m")
    ]


def test_a_verb_alone_names_a_result_against_a_plan_but_not_a_plain_amount():
    assert read("Huy động được 1,5 tỷ đồng.") == [("", Decimal("1.5"), "ty_dong")]
    (figure,) = find_figures("Huy động được 1,5 tỷ đồng/KH 2 tỷ đồng.")
    assert (figure.label, figure.value, figure.plan) == ("huy động", Decimal("1.5"), Decimal(2))
    # A noun after the verb is the label, the verb dropped.
    (figure,) = find_figures("Trồng mới rừng được 12 ha/KH 15 ha.")
    assert (figure.label, figure.value, figure.plan) == ("rừng", Decimal(12), Decimal(15))


def test_the_subject_before_a_colon():
    assert read("Thu phí chợ: 95 triệu đồng.") == [("thu phí chợ", Decimal(95), "trieu_dong")]
    assert read("Thu ngân sách: ước đạt 6.150 triệu đồng.") == [
        ("thu ngân sách", Decimal(6150), "trieu_dong")
    ]
    # Only a colon is looked past: a semicolon ends the subject.
    assert read("Năm nay thu khá; được 95 triệu đồng.") == [("", Decimal(95), "trieu_dong")]


def test_a_second_plan_right_after_a_first_repeats_its_label():
    text = (
        "Thu ngân sách ước đạt 4.200 triệu đồng/16.000 triệu đồng (đạt 26,3% kế hoạch huyện "
        "giao), 4.200 triệu đồng/17.500 triệu đồng (đạt 24% kế hoạch HĐND xã giao)."
    )
    first, second = find_figures(text)
    assert (first.label, first.plan, first.plan_source) == (
        "thu ngân sách",
        Decimal(16000),
        "district_plan",
    )
    assert (second.label, second.plan, second.plan_source) == (
        "thu ngân sách",
        Decimal(17500),
        "council_resolution",
    )
    assert first.estimated and second.estimated
    assert first.consistent and second.consistent


def test_a_second_plan_after_words_has_its_own_label():
    text = (
        "Thu ngân sách đạt 4.200 triệu đồng/16.000 triệu đồng; chi ngân sách ước đạt "
        "3.900 triệu đồng/15.000 triệu đồng."
    )
    first, second = find_figures(text)
    assert (first.label, first.estimated) == ("thu ngân sách", False)
    assert (second.label, second.estimated) == ("chi ngân sách", True)


def test_a_count_against_a_plan_with_no_subject_is_named_by_its_unit():
    (figure,) = find_figures("  Kết nạp 12/15 đảng viên, đạt 80% chỉ tiêu.")
    assert (figure.label, figure.value, figure.plan, figure.unit) == (
        "đảng viên",
        Decimal(12),
        Decimal(15),
        "dang_vien",
    )


# --- Labels after the unit ---------------------------------------------------------------------


def test_a_count_is_named_by_its_unit_and_the_words_after_it():
    assert read("Xã có 12 thôn đạt chuẩn nông thôn mới; toàn xã có 14 thôn.") == [
        ("thôn đạt chuẩn nông thôn mới", Decimal(12), "thon")
    ]
    assert read("Trồng 320 cây sao đen và 150 cây lát hoa.") == [
        ("cây sao đen", Decimal(320), "cay"),
        ("cây lát hoa", Decimal(150), "cay"),
    ]


def test_a_measure_is_named_by_the_words_after_it_unless_stated_as_a_result():
    assert read("Tiếp nhận 40 tấn gạo cứu trợ.") == [("gạo cứu trợ", Decimal(40), "tan")]
    assert read("Diện tích lúa đạt 120 ha.") == [("diện tích lúa", Decimal(120), "ha")]
    # A result marker more than forty characters before the number does not count.
    text = "Giá trị sản xuất được nâng lên nhờ áp dụng cơ giới hóa đồng bộ 120 ha lúa."
    assert read(text) == [("lúa", Decimal(120), "ha")]
    # Nothing after the unit: the subject, without leading verbs.
    assert read("Làm mới kênh mương nội đồng dài 2,4 km") == [
        ("kênh mương nội đồng dài", Decimal("2.4"), "km")
    ]


def test_a_label_starting_with_an_abbreviation_keeps_its_capitals():
    assert read("UBND xã chi hỗ trợ được 25 triệu đồng.") == [
        ("UBND xã chi hỗ trợ", Decimal(25), "trieu_dong")
    ]
    assert read("Xây dựng Nhà văn hóa được 1,2 tỷ đồng.") == [
        ("nhà văn hóa", Decimal("1.2"), "ty_dong")
    ]
    assert read("Xây dựng A được 1,2 tỷ đồng.") == [("a", Decimal("1.2"), "ty_dong")]


# --- Spans, notes, percent ---------------------------------------------------------------------


def test_a_quantity_spans_its_number_and_unit():
    text = "Kênh mương được kiên cố hóa 1.500 m, tiếp nhận 12  triệu  đồng hỗ trợ."
    canal, support = find_figures(text)
    assert (canal.text, canal.start, canal.end) == ("1.500 m", text.index("1.500"), 35)
    assert (canal.unit_text, canal.ambiguous, canal.note) == ("m", True, NOTE_1500)
    assert support.text == "12  triệu  đồng"
    assert support.unit_text == "triệu đồng"
    assert (support.start, support.end) == (text.index("12"), text.index(" hỗ trợ"))
    assert (support.ambiguous, support.note) == (False, None)
    assert support.label == "hỗ trợ"


def test_an_approximate_number_says_so():
    (figure,) = find_figures("Đã giải ngân khoảng 1.500 triệu đồng.")
    assert figure.note == f"{NOTE_1500} Số gần đúng (‘khoảng’)."
    (figure,) = find_figures("Thu từ đấu giá đất được hơn 2 tỷ đồng.")
    assert figure.note == "Số gần đúng (‘hơn’)."
    assert figure.label == "thu từ đấu giá đất"
    (figure,) = find_figures("Thu từ đấu giá đất được xấp  xỉ 2 tỷ đồng.")
    assert figure.note == "Số gần đúng (‘xấp  xỉ’)."
    (figure,) = find_figures("Khoảng 2 tỷ đồng đã được giải ngân.")
    assert figure.note == "Số gần đúng (‘Khoảng’)."
    # Only a word right before the number.
    (figure,) = find_figures("Gần đây thu thêm được 2 tỷ đồng.")
    assert figure.note is None


def test_a_percent_of_plan_after_a_result():
    text = "Thu phí vệ sinh được 85 triệu đồng, đạt 106% kế hoạch năm; chi 40 triệu đồng."
    fee, spending = find_figures(text)
    assert (fee.percent_stated, fee.plan, fee.plan_source) == (Decimal(106), None, "annual_plan")
    assert fee.plan_source_text == "kế hoạch năm"
    assert fee.text == "85 triệu đồng, đạt 106% kế hoạch năm"
    assert fee.end == text.index(";")
    assert fee.label == "thu phí vệ sinh"
    assert spending.percent_stated is None


def test_a_percent_without_a_plan_wording_stays_a_figure_of_its_own():
    text = "Thu phí vệ sinh được 85 triệu đồng (bằng 106%)."
    assert [(f.value, f.unit, f.percent_stated) for f in find_figures(text)] == [
        (Decimal(85), "trieu_dong", None),
        (Decimal(106), "percent", None),
    ]


def test_a_percent_of_plan_a_few_words_later_joins_the_figure_before_it():
    text = "Trồng 800 cây keo lai trên đất đồi, đạt 110% kế hoạch huyện giao."
    (figure,) = find_figures(text)
    assert (figure.value, figure.label, figure.percent_stated) == (
        Decimal(800),
        "cây keo lai",
        Decimal(110),
    )
    assert (figure.plan_source, figure.plan_source_text) == (
        "district_plan",
        "kế hoạch huyện giao",
    )
    assert figure.text == "800 cây keo lai trên đất đồi, đạt 110% kế hoạch huyện giao"
    assert figure.end == len(text) - 1


def test_a_percent_of_plan_joins_nothing_across_a_sentence_or_a_stated_percent():
    (figure,) = find_figures("Trồng 800 cây keo lai. Cả năm đạt 110% kế hoạch.")
    assert figure.percent_stated is None and figure.text == "800 cây"
    (figure,) = find_figures("Trồng 800 cây keo lai, bằng 95% kế hoạch, cả năm đạt 110% kế hoạch.")
    assert figure.percent_stated == Decimal(95)
    (figure,) = find_figures("Trồng 800 cây/KH 1.000 cây keo lai, đạt 80% kế hoạch tỉnh giao.")
    # A result against a plan keeps its own comparison; the later percent is not its.
    assert (figure.plan, figure.percent_stated) == (Decimal(1000), None)
    assert figure.plan_source_text == "KH"


def test_estimated_only_in_the_same_sentence():
    first, second = find_figures(
        "Thu ngân sách ước đạt 5 tỷ đồng. Chi thường xuyên được 4 tỷ đồng."
    )
    assert first.estimated and not second.estimated
    (figure,) = find_figures("Ước tính sản lượng lúa cả năm đạt 1.200 tấn.")
    assert figure.estimated
    # "ước" inside a word or without what follows is no estimate.
    (figure,) = find_figures("Hội thi hát về Tổ quốc nhận được 15 triệu đồng.")
    assert not figure.estimated
    (figure,) = find_figures("Chi trả theo mong ước: 15 triệu đồng.")
    assert not figure.estimated


def test_estimated_looks_back_no_further_than_the_figure_before():
    first, second = find_figures("Thu ngân sách ước đạt 5 tỷ đồng, chi thường xuyên 4 tỷ đồng.")
    assert first.estimated
    assert second.estimated is False


def test_figures_in_a_list_are_read_in_order_once_each():
    text = (
        "Kết quả: trồng 120 cây, đào 30 m mương, đắp 2 km đê; giải ngân 1,2 tỷ đồng/KH 2 tỷ đồng."
    )
    got = [(f.value, f.unit, f.text) for f in find_figures(text)]
    assert got == [
        (Decimal(120), "cay", "120 cây"),
        (Decimal(30), "m", "30 m"),
        (Decimal(2), "km", "2 km"),
        (Decimal("1.2"), "ty_dong", "1,2 tỷ đồng/KH 2 tỷ đồng"),
    ]


def test_a_slash_far_after_the_number_does_not_make_a_plan():
    text = "Thu 5 tỷ đồng tiền sử dụng đất của các hộ dân trong khu tái định cư số 2/2024."
    (figure,) = find_figures(text)
    assert (figure.value, figure.plan, figure.text) == (Decimal(5), None, "5 tỷ đồng")


# --- Ratios and bare counts -----------------------------------------------------------------


def test_a_ratio_with_its_span():
    text = "Đến nay 9/11 thôn đạt chuẩn văn hóa."
    assert ratios(text) == [("thôn", 9, 11, "9/11 thôn", 8, 17)]
    text = "Có 17/17  Chi  bộ hoàn thành tốt nhiệm vụ."
    assert ratios(text) == [("chi bộ", 17, 17, "17/17  Chi  bộ", 3, 17)]


def test_pairs_that_are_not_ratios():
    # Nothing of nothing, more than all, a date, a plan.
    assert find_ratios("Số vụ vi phạm được xử lý 0/0 vụ.") == []
    assert find_ratios("Có 12/10 thôn báo cáo.") == []
    assert find_ratios("Ngày 5/12 thôn Bắc tổ chức hội nghị.") == []
    assert find_ratios("Vận động 45/60 hộ, đạt 75% kế hoạch.") == []


def test_all_of_them_is_a_ratio():
    assert ratios("Có 3/3 hợp tác xã có lãi.")[0][:3] == ("hợp tác xã", 3, 3)
    assert ratios("Có 1/3 hợp tác xã có lãi.")[0][:3] == ("hợp tác xã", 1, 3)


def test_a_bare_count_with_its_span():
    text = "Họp với trưởng 4 thôn trực thuộc."
    assert ratios(text) == [("thôn", None, 4, "4 thôn", 15, 21)]
    text = "Ban chỉ đạo gồm bí thư 6 Chi  bộ."
    assert ratios(text) == [("chi bộ", None, 6, "6 Chi  bộ", 23, 32)]


def test_a_bare_count_after_a_date_word_is_not_one():
    assert find_ratios("Hội nghị kết thúc chiều 4 thôn.") == []
    assert find_ratios("Mô hình được nhân rộng từ 5 thôn đến 12 thôn.") == []
    assert ratios("Mô hình được nhân rộng ra 12 thôn.")[0][:3] == ("thôn", None, 12)


def test_a_pair_that_fails_as_a_ratio_is_no_bare_count():
    # "5/12 thôn." after a date word: neither a ratio nor "12 thôn".
    assert find_ratios("Hội nghị ngày 5/12 thôn.") == []


def test_a_date_word_in_quotes_or_brackets_is_still_a_date_word():
    assert read("Kết quả giảm nghèo: “Năm 2024 hộ nghèo giảm còn 15 hộ”.") == [
        ("hộ", Decimal(15), "ho")
    ]


def test_a_last_clause_of_two_words_is_the_subject():
    text = "Công tác cứu trợ được các cấp, các ngành quan tâm thường xuyên, cấp gạo được 3 tấn."
    assert read(text) == [("cấp gạo", Decimal(3), "tan")]


def test_a_long_subject_whose_first_part_is_one_word_is_cut_at_the_comma():
    text = "Cầu và đường dẫn hai đầu cầu qua thôn Đông, Tây là 2,4 tỷ đồng."
    assert read(text) == [("cầu và đường dẫn hai đầu cầu qua thôn Đông", Decimal("2.4"), "ty_dong")]


def test_a_plan_wording_after_a_measure_is_its_label_not_a_percent_of_plan():
    assert read("Phân bổ 20 tỷ đồng kế hoạch vốn đầu tư công.") == [
        ("kế hoạch vốn đầu tư công", Decimal(20), "ty_dong")
    ]


def test_a_percent_of_plan_in_brackets_is_part_of_the_figure():
    text = "Thu phí vệ sinh được 85 triệu đồng (đạt 106% kế hoạch năm)."
    (figure,) = find_figures(text)
    assert (figure.percent_stated, figure.plan_source) == (Decimal(106), "annual_plan")
    assert figure.text == "85 triệu đồng (đạt 106% kế hoạch năm)"
    assert figure.end == len(text) - 1
    # The same far into a paragraph.
    text = (
        "Trong năm, tổ thu gom rác thải của xã thu phí vệ sinh được 85 triệu đồng "
        "(đạt 106% kế hoạch năm)."
    )
    (figure,) = find_figures(text)
    assert figure.text == "85 triệu đồng (đạt 106% kế hoạch năm)"
    assert figure.percent_stated == Decimal(106)


def test_an_estimate_in_an_earlier_sentence_is_not_this_ones():
    first, second = find_figures(
        "Thu ngân sách được 5 tỷ đồng, ước tính cả năm vượt dự toán. Chi thường xuyên được "
        "4 tỷ đồng."
    )
    assert not first.estimated
    assert not second.estimated


def test_the_words_after_a_figure_are_not_the_subject_of_the_next():
    assert read("Làm 2 km đường bê tông, kinh phí được 1,2 tỷ đồng.") == [
        ("đường bê tông", Decimal(2), "km"),
        ("kinh phí", Decimal("1.2"), "ty_dong"),
    ]


def test_a_result_marker_makes_the_subject_the_label_even_with_words_after():
    assert read("Diện tích gieo cấy đạt 120 ha lúa xuân.") == [
        ("diện tích gieo cấy", Decimal(120), "ha")
    ]
    # …unless the subject is only a verb: then the words after.
    assert read("Hỗ trợ được 2 tấn gạo.") == [("gạo", Decimal(2), "tan")]


def test_a_bullet_is_not_part_of_the_label():
    assert read("- Thu phí chợ được 95 triệu đồng.") == [("thu phí chợ", Decimal(95), "trieu_dong")]


def test_a_label_starting_with_a_two_letter_abbreviation_keeps_it():
    assert read("HS nghèo: 50 triệu đồng.") == [("HS nghèo", Decimal(50), "trieu_dong")]


def test_one_of_one_is_a_ratio():
    assert ratios("Có 1/1 hợp tác xã có lãi.")[0][:3] == ("hợp tác xã", 1, 1)
