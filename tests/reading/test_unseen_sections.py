"""Limitations and directives on reports the reader was not built on (issue 19): shortcomings in
running text after "Tuy nhiên", "Bên cạnh đó, vẫn còn", or stated with "còn chậm", "chưa
đạt"; instructions given with "đề nghị", "yêu cầu", "trong thời gian tới cần", in sentences and
in dashed or bulleted lists under a heading with no colon. And what is neither.

Every text is our own; the expected items are read off the text by hand.
"""

import pytest

from xaso.reading.sections import find_directives, find_limitations

# --- limitations: each opener -----------------------------------------------------------------


def test_a_shortcoming_after_tuy_nhien():
    text = (
        "Năm qua xã hoàn thành các chỉ tiêu chủ yếu. Tuy nhiên, công tác thu gom rác thải ở "
        "một số thôn còn chậm."
    )
    assert find_limitations(text) == ["Công tác thu gom rác thải ở một số thôn còn chậm"]


def test_a_shortcoming_after_ben_canh_do_van_con():
    text = (
        "Phong trào thể thao phát triển mạnh. Bên cạnh đó, vẫn còn một số hộ chưa chấp hành "
        "quy định về phòng cháy."
    )
    assert find_limitations(text) == ["Vẫn còn một số hộ chưa chấp hành quy định về phòng cháy"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tuy vậy, một số chi bộ sinh hoạt chưa đều.", "Một số chi bộ sinh hoạt chưa đều"),
        ("Song, việc thu phí vệ sinh còn thấp.", "Việc thu phí vệ sinh còn thấp"),
    ],
)
def test_other_contrasts_open_a_shortcoming_too(text, expected):
    assert find_limitations(text) == [expected]


def test_an_addition_whose_subject_still_remains_states_a_shortcoming():
    text = "Mặt khác, tình trạng lấn chiếm hành lang giao thông vẫn còn xảy ra."
    assert find_limitations(text) == ["Tình trạng lấn chiếm hành lang giao thông vẫn còn xảy ra"]


def test_con_cham_states_a_shortcoming_with_no_opener():
    text = "Các đoàn thể hoạt động sôi nổi. Tiến độ giải ngân vốn đầu tư công còn chậm."
    assert find_limitations(text) == ["Tiến độ giải ngân vốn đầu tư công còn chậm"]


def test_a_remedy_after_the_shortcoming_leaves_it_stated():
    text = "Việc thu phí vệ sinh môi trường còn chậm, cần có giải pháp khắc phục."
    assert find_limitations(text) == [
        "Việc thu phí vệ sinh môi trường còn chậm, cần có giải pháp khắc phục"
    ]


def test_chua_dat_states_a_shortcoming_with_no_opener():
    text = "Tỷ lệ thu học phí chưa đạt kế hoạch đề ra."
    assert find_limitations(text) == ["Tỷ lệ thu học phí chưa đạt kế hoạch đề ra"]


def test_each_clause_after_a_semicolon_is_a_shortcoming_of_its_own():
    text = (
        "Tuy nhiên, việc chuyển đổi cây trồng còn chậm; một số thôn chưa quan tâm đến vệ sinh "
        "môi trường."
    )
    assert find_limitations(text) == [
        "Việc chuyển đổi cây trồng còn chậm",
        "Một số thôn chưa quan tâm đến vệ sinh môi trường",
    ]


def test_an_announced_run_of_shortcomings_ends_at_the_causes():
    text = (
        "Bên cạnh những kết quả đạt được, công tác cải cách hành chính còn một số hạn chế. Hồ "
        "sơ trễ hạn vẫn còn nhiều. Cán bộ một cửa thiếu kinh nghiệm. Nguyên nhân là do "
        "thiếu người."
    )
    assert find_limitations(text) == [
        "Hồ sơ trễ hạn vẫn còn nhiều",
        "Cán bộ một cửa thiếu kinh nghiệm",
    ]


def test_a_headed_list_of_shortcomings_with_no_colon():
    text = (
        "Năm qua công tác xây dựng nông thôn mới còn một số hạn chế sau\n"
        "- Vốn đối ứng của nhân dân ít\n"
        "- Công trình vệ sinh ở trường học xuống cấp"
    )
    assert find_limitations(text) == [
        "Vốn đối ứng của nhân dân ít",
        "Công trình vệ sinh ở trường học xuống cấp",
    ]


# --- limitations: what is none ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # "Tuy nhiên" before a difficulty overcome
        "Tuy nhiên, nhờ sự nỗ lực của cán bộ và nhân dân, xã đã vượt qua những khó khăn.",
        # "Tuy nhiên" before a plain statement
        "Tuy nhiên, được sự quan tâm của huyện, xã đã hoàn thành đường liên thôn.",
        # a concession: the sentence states what was done
        "Mặc dù còn nhiều khó khăn, xã vẫn hoàn thành kế hoạch thu ngân sách.",
        # a shortcoming conceded on the way to a success
        "Mặc dù việc giải ngân còn chậm, xã vẫn hoàn thành kế hoạch thu.",
        # "khó khăn" as an adjective of need, with or without an opener or a heading
        "Xã đã rà soát 20 hộ có hoàn cảnh khó khăn để hỗ trợ.",
        "Tuy nhiên, xã đã lập danh sách 20 hộ có hoàn cảnh khó khăn.",
        "Danh sách hộ có hoàn cảnh khó khăn:\n- Hộ ông Lê Văn Tư\n- Hộ bà Trần Thị Hoa",
        # "Bên cạnh đó" adds a success
        "Bên cạnh đó, xã tổ chức tốt lễ hội truyền thống.",
        "Bên cạnh đó, xã vẫn duy trì tốt phong trào văn nghệ.",
        # an order to fix a shortcoming is no statement of it
        "Đồng chí Bí thư yêu cầu khắc phục ngay tình trạng thu gom rác còn chậm.",
        "Các thôn cần khắc phục tình trạng thu phí còn chậm.",
    ],
)
def test_no_shortcoming_is_stated(text):
    assert find_limitations(text) == []


# --- directives: each form ----------------------------------------------------------------------


def test_a_dashed_list_after_de_nghi_with_no_colon():
    text = (
        "Phát biểu chỉ đạo, đồng chí Chủ tịch UBND huyện đề nghị xã trong thời gian tới\n"
        "- Đẩy mạnh tuyên truyền về phòng chống dịch bệnh\n"
        "- Hoàn thành dứt điểm việc cấp giấy chứng nhận quyền sử dụng đất"
    )
    assert find_directives(text) == [
        "Đẩy mạnh tuyên truyền về phòng chống dịch bệnh",
        "Hoàn thành dứt điểm việc cấp giấy chứng nhận quyền sử dụng đất",
    ]


def test_a_bulleted_list_after_yeu_cau_with_no_colon():
    text = (
        "Kết luận hội nghị, đồng chí Bí thư Đảng ủy yêu cầu các chi bộ\n"
        "• Nâng cao chất lượng sinh hoạt chi bộ\n"
        "• Quan tâm phát triển đảng viên ở thôn\n"
        "• Kiểm tra việc thu nộp đảng phí"
    )
    assert len(find_directives(text)) == 3


def test_a_dashed_list_after_trong_thoi_gian_toi_can():
    text = (
        "Để về đích nông thôn mới nâng cao, trong thời gian tới các thôn cần\n"
        "- Chỉnh trang khuôn viên nhà văn hóa\n"
        "- Trồng hàng rào xanh dọc các tuyến đường"
    )
    assert find_directives(text) == [
        "Chỉnh trang khuôn viên nhà văn hóa",
        "Trồng hàng rào xanh dọc các tuyến đường",
    ]


def test_a_list_pointed_at_with_nhu_sau():
    text = (
        "Hội nghị thống nhất các nhiệm vụ trọng tâm như sau.\n"
        "1. Tập trung thu ngân sách\n"
        "2. Giải phóng mặt bằng dự án cụm công nghiệp"
    )
    assert len(find_directives(text)) == 2


def test_an_instruction_in_a_sentence_counts_once_per_clause():
    text = (
        "Đồng chí Phó Chủ tịch đề nghị các thôn rà soát lại danh sách hộ nghèo; hoàn thành "
        "việc chi trả trợ cấp trước ngày 20."
    )
    assert find_directives(text) == [
        "Các thôn rà soát lại danh sách hộ nghèo",
        "Hoàn thành việc chi trả trợ cấp trước ngày 20",
    ]


def test_trong_thoi_gian_toi_can_in_a_sentence_is_an_instruction():
    text = "Trong thời gian tới, các xã cần tập trung hoàn thiện hồ sơ đề nghị công nhận."
    assert find_directives(text) == ["Các xã cần tập trung hoàn thiện hồ sơ đề nghị công nhận"]


# --- directives: what is none -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # "yêu cầu" as a noun
        "Các công trình đều đạt yêu cầu kỹ thuật.",
        # "đề nghị" as a noun
        "Theo đề nghị của Phòng Nội vụ, UBND huyện ban hành quyết định thành lập tổ công tác.",
        # a petition
        "Cử tri đề nghị huyện sớm sửa chữa tuyến đường liên thôn bị sạt lở.",
        # an ask from a lower tier to a higher one
        "UBND xã đề nghị huyện hỗ trợ kinh phí làm đường giao thông nội đồng.",
        # an ask for honours or recognition
        "Hội nghị đề nghị khen thưởng các tập thể có thành tích xuất sắc.",
        "Hội nghị đề nghị công nhận xã đạt chuẩn nông thôn mới nâng cao.",
        "Hội nghị thống nhất đề nghị Chủ tịch UBND huyện tặng Giấy khen cho 5 tập thể.",
        # a past report of an ask
        "Năm trước xã đã đề nghị các thôn rà soát hộ nghèo.",
    ],
)
def test_an_ask_that_is_no_instruction(text):
    assert find_directives(text) == []


def test_a_list_under_a_heading_of_results_is_no_directive():
    text = (
        "Kết quả nổi bật trong năm\n- Làm mới 3 km đường bê tông\n- Trồng 500 cây xanh ở các thôn"
    )
    assert find_directives(text) == []
    assert find_limitations(text) == []


def test_a_list_of_who_attended_is_no_directive():
    text = (
        "Dự và chỉ đạo hội nghị có các đồng chí\n"
        "- Nguyễn Văn Hòa, Phó Bí thư Huyện ủy\n"
        "- Trần Thị Mai, Phó Chủ tịch UBND huyện"
    )
    assert find_directives(text) == []


def test_a_list_of_who_attended_is_no_directive_even_with_a_cue_in_its_heading():
    text = (
        "Về dự và phát biểu định hướng có các đồng chí\n"
        "- Nguyễn Văn Hòa, Phó Bí thư Huyện ủy\n"
        "- Trần Thị Mai, Phó Chủ tịch UBND huyện"
    )
    assert find_directives(text) == []


def test_a_list_after_a_finished_sentence_is_not_the_asked_list():
    # The heading ends with a full stop: the instruction is the sentence itself; the dashed
    # list after it reports results.
    text = (
        "Đồng chí Bí thư đề nghị các chi bộ quan tâm công tác phát triển đảng viên.\n"
        "- Năm nay kết nạp được 12 đảng viên\n"
        "- Chuyển sinh hoạt cho 4 đảng viên"
    )
    assert find_directives(text) == ["Các chi bộ quan tâm công tác phát triển đảng viên"]


@pytest.mark.parametrize(
    "heading",
    [
        "Để đáp ứng yêu cầu nhiệm vụ, năm qua xã đã thực hiện",  # "yêu cầu" a noun
        "Thực hiện đề nghị của huyện, xã đã triển khai",  # "đề nghị" a noun
        "Các công trình hoàn thành đạt yêu cầu gồm",  # "đạt yêu cầu"
    ],
)
def test_a_list_under_a_heading_where_the_ask_is_a_noun_is_no_directive(heading):
    text = f"{heading}\n- Làm mới 3 km đường bê tông\n- Trồng 500 cây xanh ở các thôn"
    assert find_directives(text) == []


def test_a_list_under_a_reported_ask_with_a_colon_is_the_asked_list():
    text = (
        "Ban Thường vụ Đảng ủy đã đề nghị:\n"
        "- Rà soát hồ sơ đảng viên\n"
        "- Báo cáo kết quả trước ngày 30"
    )
    assert find_directives(text) == ["Rà soát hồ sơ đảng viên", "Báo cáo kết quả trước ngày 30"]
