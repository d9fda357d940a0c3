"""People named without an honorific (issue 19): a position written before the name, ranks,
lists after "các đồng chí", bylines; and, on the other side, places after a title, kinship
words and anniversaries that are no one. Every sentence is our own, names invented."""

import pytest

from xaso.reading.people import find_people


def _people(text: str) -> dict[str, tuple[str, str | None]]:
    return {person.name: (person.position, person.role) for person in find_people(text)}


# ------------------------------------------------------------------ a position before the name


def test_a_title_then_a_name_is_a_person_with_that_position():
    text = "Sáng 3/4, Phó Chủ tịch UBND huyện Đinh Quốc Bảo chủ trì buổi làm việc với xã."
    assert _people(text) == {"Đinh Quốc Bảo": ("Phó Chủ tịch UBND huyện", "chair")}


def test_a_list_of_titles_before_one_name_is_one_position():
    text = (
        "Dự hội nghị có Ủy viên Ban Thường vụ Huyện ủy, Trưởng ban Dân vận Huyện ủy Tạ Minh "
        "Khôi cùng 40 đại biểu."
    )
    assert _people(text) == {
        "Tạ Minh Khôi": ("Ủy viên Ban Thường vụ Huyện ủy, Trưởng ban Dân vận Huyện ủy", "attendee")
    }


def test_a_clause_before_the_titles_is_not_part_of_the_position():
    text = "Thay mặt Ban Chấp hành, Phó Bí thư Đảng ủy xã Kiều Văn Phúc đọc diễn văn khai mạc."
    assert _people(text) == {"Kiều Văn Phúc": ("Phó Bí thư Đảng ủy xã", None)}


def test_a_place_written_between_the_title_and_the_name_stays_in_the_position():
    # "Lâm Hà" is a district whose two syllables are both family names: the gazetteer tells.
    text = "Bí thư Huyện ủy, Chủ tịch UBND huyện Lâm Hà Đỗ Văn Tín phát biểu tại lễ khánh thành."
    assert _people(text) == {"Đỗ Văn Tín": ("Bí thư Huyện ủy, Chủ tịch UBND huyện Lâm Hà", None)}


def test_titles_joined_by_dashes_and_a_village_before_the_name():
    text = (
        "Theo Ủy viên BTV Huyện ủy - Trưởng ban Tuyên giáo Huyện ủy Mẫn Đức Toàn, huyện có 12 "
        "thôn văn hóa. Trưởng thôn Khe Mọc Đinh Văn Tư cho biết thôn đã làm 2 km đường."
    )
    assert {name: position for name, (position, _) in _people(text).items()} == {
        "Mẫn Đức Toàn": "Ủy viên BTV Huyện ủy - Trưởng ban Tuyên giáo Huyện ủy",
        "Đinh Văn Tư": "Trưởng thôn Khe Mọc",
    }


def test_a_title_written_after_a_name_without_a_comma_ends_the_name():
    text = "Đồng chí Lã Thị Thu Trưởng Ban Tổ chức Huyện ủy trao quyết định."
    assert _people(text) == {"Lã Thị Thu": ("Trưởng Ban Tổ chức Huyện ủy", None)}


def test_after_an_organ_a_known_place_is_not_glued_to_the_name():
    text = "Bí thư Tỉnh ủy Hà Giang Lục Văn Sơn kết luận hội nghị."
    assert _people(text) == {"Lục Văn Sơn": ("Bí thư Tỉnh ủy Hà Giang", "concluding")}


@pytest.mark.parametrize(
    "text",
    [
        "Phó Chủ tịch UBND huyện Hoàng Su Phì phát biểu tại hội nghị.",  # a district, three words
        "Chủ tịch UBND xã Lương Sơn kiểm tra tiến độ làm đường.",  # a commune the gazetteer knows
        "Chủ tịch UBND xã Cao Khê kiểm tra tiến độ làm đường.",  # two words it does not know
        "Bí thư Tỉnh ủy Hà Giang đến dự.",  # a province after an organ
        "Giám đốc Sở Nội vụ Hà Tĩnh trình bày tờ trình.",
        "Bí thư Chi bộ thôn Đồng Tâm đọc báo cáo.",  # a village of two words after "thôn"
    ],
)
def test_a_place_after_a_title_is_not_a_person(text):
    assert _people(text) == {}


def test_a_verb_between_the_title_and_a_name_makes_no_position():
    text = "Chủ tịch UBND xã giao Hà Văn Lực theo dõi công trình."
    assert _people(text) == {}


@pytest.mark.parametrize(
    "text",
    [
        "Hội nghị chào mừng 135 năm ngày sinh Chủ tịch Hồ Chí Minh.",  # also a city's name
        "Đoàn viên ôn lại truyền thống nhân kỷ niệm ngày sinh Tổng Bí thư Lưu Quang Vịnh.",
        "Chi bộ tổ chức kỷ niệm 110 năm ngày sinh đồng chí Triệu Khắc Dũng.",
    ],
)
def test_an_anniversary_names_no_one_at_the_meeting(text):
    assert _people(text) == {}


# ------------------------------------------------------------------------------- honorifics


@pytest.mark.parametrize(
    ("text", "name", "position"),
    [
        ("Thiếu tướng Phan Đại Thắng - Phó Tư lệnh Quân khu phát biểu.", "Phan Đại Thắng",
         "Phó Tư lệnh Quân khu"),
        ("Thượng tá Nguyễn Trung Kiên, Trưởng Công an huyện báo cáo.", "Nguyễn Trung Kiên",
         "Trưởng Công an huyện"),
        ("Đại úy Lò Văn Thành phát biểu.", "Lò Văn Thành", ""),
    ],
)  # fmt: skip
def test_a_rank_introduces_a_name_that_may_hold_a_ranks_word(text, name, position):
    assert {n: p for n, (p, _) in _people(text).items()} == {name: position}


def test_a_list_after_cac_dong_chi_gives_each_their_position():
    text = (
        "Dự có các đồng chí: Lê Hữu Tài, Bí thư Huyện ủy; Đào Thị Lan, Phó Chủ tịch UBND huyện "
        "và Quách Văn Sĩ, Trưởng phòng Nội vụ."
    )
    positions = {name: position for name, (position, _) in _people(text).items()}
    assert positions == {
        "Lê Hữu Tài": "Bí thư Huyện ủy",
        "Đào Thị Lan": "Phó Chủ tịch UBND huyện",
        "Quách Văn Sĩ": "Trưởng phòng Nội vụ",
    }


def test_a_list_joined_by_commas_splits_at_the_next_name():
    text = (
        "Các đồng chí Vi Thị Hạnh, Chủ tịch HĐND huyện, Mạc Đình Khang, Chủ tịch UBND huyện "
        "chủ trì."
    )
    assert _people(text) == {
        "Vi Thị Hạnh": ("Chủ tịch HĐND huyện", "chair"),
        "Mạc Đình Khang": ("Chủ tịch UBND huyện", "chair"),
    }


def test_a_plural_title_before_a_list_is_each_ones_position():
    text = "Cùng dự có các Phó Chủ tịch UBND tỉnh: ông Trần Phúc Lộc; bà Khúc Thị Oanh."
    assert {name: position for name, (position, _) in _people(text).items()} == {
        "Trần Phúc Lộc": "Phó Chủ tịch UBND tỉnh",
        "Khúc Thị Oanh": "Phó Chủ tịch UBND tỉnh",
    }


def test_an_election_gives_the_title_after_the_verb():
    text = "Ông Cao Văn Dũng tái cử Chủ tịch Hội Cựu chiến binh xã."
    assert _people(text) == {"Cao Văn Dũng": ("Chủ tịch Hội Cựu chiến binh xã", None)}


@pytest.mark.parametrize(
    "text",
    [
        "Bà con thôn Đông góp 200 ngày công làm đường.",
        "Con cháu về quê thăm ông bà dịp Tết.",
        "Hội thăm hỏi các ông, bà có công với cách mạng.",
        "Tỉnh Bà Rịa Vũng Tàu có 8 đơn vị hành chính cấp huyện.",
    ],
)
def test_kinship_words_and_places_are_not_people(text):
    assert _people(text) == {}


def test_a_kinship_word_before_a_full_name_is_a_person():
    text = "Hội trao học bổng cho cháu Trương Gia Huy ở thôn 3."
    assert _people(text) == {"Trương Gia Huy": ("", None)}


def test_ong_inside_a_word_is_no_honorific():
    text = "Tác giả: Nông Văn Bình"
    assert list(_people(text)) == ["Nông Văn Bình"]


# ---------------------------------------------------------------------------------- bylines


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Hội nghị kết thúc lúc 11 giờ.\nThực hiện: Minh Châu\n", "Minh Châu"),
        ("Hội nghị kết thúc lúc 11 giờ.\nNguồn tin: Hải Yến", "Hải Yến"),
        ("Hội nghị kết thúc lúc 11 giờ.\nBảo Ngọc\n", "Bảo Ngọc"),  # a last line that is a name
    ],
)
def test_a_byline_is_the_author(text, name):
    assert _people(text) == {name: (_people(text)[name][0], "author")}


@pytest.mark.parametrize(
    "text",
    [
        "Hội nghị kết thúc lúc 11 giờ.\nNguồn tin: Văn phòng HĐND-UBND xã",
        "Hội nghị kết thúc lúc 11 giờ.\nHà Nam\n",  # a province on the last line
        "Hội nghị kết thúc lúc 11 giờ.\nThực hiện: Đài Truyền thanh huyện",
    ],
)
def test_a_byline_of_an_office_or_a_place_is_no_person(text):
    assert _people(text) == {}
