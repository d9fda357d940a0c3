"""Normalising the titles written in commune reports: abbreviations expanded, spelling and
separators tidied, NFC out. Pure: no database."""

import unicodedata

import pytest

from xaso.vn.abbreviations import expand_abbreviations, normalise_spelling, normalise_title

# Titles as the source reports write them, with the written-out form we compare on.
REPORT_TITLES = [
    ("PBT Thường trực Đảng ủy", "Phó Bí thư Thường trực Đảng ủy"),
    (
        "UVBCH Đảng bộ huyện, Phó Chủ nhiệm UBKT Huyện ủy",
        "Ủy viên Ban Chấp hành Đảng bộ huyện, Phó Chủ nhiệm Ủy ban Kiểm tra Huyện ủy",
    ),
    ("HUV, Bí thư Đảng ủy Thị trấn", "Huyện ủy viên, Bí thư Đảng ủy Thị trấn"),
    (
        "Ủy viên BTV- Trưởng ban tổ chức huyện ủy",
        "Ủy viên Ban Thường vụ - Trưởng ban tổ chức huyện ủy",
    ),
    ("PCN UBKT Huyện ủy", "Phó Chủ nhiệm Ủy ban Kiểm tra Huyện ủy"),
    ("Phó Ban Tuyên giáo HU", "Phó Ban Tuyên giáo Huyện ủy"),
    ("BT chi bộ 1 Bồng Giang", "Bí thư chi bộ 1 Bồng Giang"),
    ("BT Chi bộ 2 Văn Giang", "Bí thư Chi bộ 2 Văn Giang"),
    ("thôn trưởng thôn Cẩm Trang", "Thôn trưởng thôn Cẩm Trang"),
    ("Bí thư huyện ủy", "Bí thư huyện ủy"),
    (
        "UVBCH Đảng bộ huyện, Phó Chủ nhiệm UBKT Huyện ủy, phó đoàn công tác của BTV HU "
        "chỉ đạo xã Hà Linh",
        "Ủy viên Ban Chấp hành Đảng bộ huyện, Phó Chủ nhiệm Ủy ban Kiểm tra Huyện ủy, "
        "phó đoàn công tác của Ban Thường vụ Huyện ủy chỉ đạo xã Hà Linh",
    ),
]


@pytest.mark.parametrize(("written", "expected"), REPORT_TITLES)
def test_titles_of_the_reports_are_written_out_in_full(written, expected):
    assert normalise_title(written) == expected


def test_the_longest_abbreviation_is_taken_first():
    assert normalise_title("PBT TT Đảng ủy") == "Phó Bí thư Thường trực Đảng ủy"
    assert normalise_title("PBTTT Đảng ủy") == "Phó Bí thư Thường trực Đảng ủy"
    assert normalise_title("UV BTV Huyện ủy") == "Ủy viên Ban Thường vụ Huyện ủy"


def test_abbreviations_are_expanded_wherever_they_stand_in_the_title():
    assert (
        normalise_title("Phó Bí thư ĐU - Chủ tịch UBND xã")
        == "Phó Bí thư Đảng ủy - Chủ tịch Ủy ban nhân dân xã"
    )
    assert normalise_title("Chủ tịch UBMTTQ xã") == "Chủ tịch Ủy ban Mặt trận Tổ quốc xã"
    assert normalise_title("Đ/c Nguyễn Văn An") == "Đồng chí Nguyễn Văn An"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Ủy viên BTV- Trưởng ban", "Ủy viên Ban Thường vụ - Trưởng ban"),
        ("Ủy viên BTV -Trưởng ban", "Ủy viên Ban Thường vụ - Trưởng ban"),
        ("Ủy viên BTV-Trưởng ban", "Ủy viên Ban Thường vụ - Trưởng ban"),
        ("Ủy viên BTV – Trưởng ban", "Ủy viên Ban Thường vụ - Trưởng ban"),
        ("Ủy viên BTV—Trưởng ban", "Ủy viên Ban Thường vụ - Trưởng ban"),
        ("Ủy viên BTV - Trưởng ban", "Ủy viên Ban Thường vụ - Trưởng ban"),
    ],
)
def test_every_dash_between_two_titles_becomes_a_spaced_hyphen(written, expected):
    assert normalise_title(written) == expected


def test_commas_get_one_space_after_and_none_before():
    assert normalise_title("HUV ,Bí thư Đảng ủy") == "Huyện ủy viên, Bí thư Đảng ủy"
    assert normalise_title("HUV,Bí thư Đảng ủy") == "Huyện ủy viên, Bí thư Đảng ủy"


def test_runs_of_spaces_and_stray_separators_at_the_ends_are_removed():
    assert normalise_title("  Phó Ban   Tuyên giáo HU ,  ") == "Phó Ban Tuyên giáo Huyện ủy"
    assert normalise_title("- PBT Đảng ủy -") == "Phó Bí thư Đảng ủy"


def test_the_first_letter_is_capitalised_and_the_rest_kept_as_written():
    assert normalise_title("phó bí thư Chi bộ") == "Phó bí thư Chi bộ"


def test_an_empty_title_stays_empty():
    assert normalise_title("") == ""
    assert normalise_title("  ,  ") == ""


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Uỷ viên", "Ủy viên"),
        ("Phó Chủ nhiệm Uỷ ban Kiểm tra", "Phó Chủ nhiệm Ủy ban Kiểm tra"),
        ("Bí thư Đảng uỷ xã", "Bí thư Đảng ủy xã"),
        ("Chủ tịch UBND xã Thuỷ Hoà", "Chủ tịch Ủy ban nhân dân xã Thủy Hòa"),
        ("Ủy viên BCH khoá XX", "Ủy viên Ban Chấp hành khóa XX"),
    ],
)
def test_the_old_tone_mark_placement_is_written_the_current_way(written, expected):
    assert normalise_title(written) == expected


@pytest.mark.parametrize(
    "word",
    [
        "Hoàng",  # a common family and place name: "oà" followed by a consonant keeps its mark
        "hoàn thành",
        "Khoáng sản",
    ],
)
def test_the_spelling_fix_leaves_words_that_only_contain_an_old_form_untouched(word):
    # "Hoà" → "Hòa" is right for the word "Hoà", wrong inside "Hoàng" ("Hòang" is misspelt).
    assert normalise_spelling(f"Bí thư Đảng ủy xã {word}") == f"Bí thư Đảng ủy xã {word}"
    assert normalise_title(f"Bí thư Đảng ủy xã {word}") == f"Bí thư Đảng ủy xã {word}"


@pytest.mark.parametrize(
    "title",
    [
        "Cán bộ BTVH",  # not BTV
        "CTV Đài truyền thanh",  # not CT
        "Trưởng ban HUVX",  # not HUV
        "Tổ trưởng TDPX",  # not TDP
        "Chuyên viên UBNDX",  # not UBND
        "Phụ trách NTMs",  # not NTM
        "Thôn 1/BT",  # a slash before: part of a code, not a title
    ],
)
def test_words_that_contain_an_abbreviation_are_left_alone(title):
    assert normalise_title(title) == title


def test_abbreviations_are_only_matched_in_capitals():
    assert normalise_title("Bí thư chi bộ thôn bt") == "Bí thư chi bộ thôn bt"


def test_an_abbreviation_next_to_a_vietnamese_letter_is_not_a_word_of_its_own():
    # \w must include Vietnamese letters: "BTĐ" is not "BT" followed by something.
    assert normalise_title("Cán bộ BTĐ") == "Cán bộ BTĐ"
    assert normalise_title("ĐBT") == "ĐBT"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("UV  BTV Huyện ủy", "Ủy viên Ban Thường vụ Huyện ủy"),  # two spaces
        ("UV\u00a0BTV Huyện ủy", "Ủy viên Ban Thường vụ Huyện ủy"),  # copied from a web page
        ("PBT\u00a0TT Đảng ủy", "Phó Bí thư Thường trực Đảng ủy"),
    ],
)
def test_a_two_word_abbreviation_is_found_whatever_space_separates_its_words(written, expected):
    assert normalise_title(written) == expected


def test_decomposed_input_gives_composed_output():
    written = unicodedata.normalize("NFD", "Uỷ viên BTV, PCN UBKT Huyện ủy")

    title = normalise_title(written)

    assert title == "Ủy viên Ban Thường vụ, Phó Chủ nhiệm Ủy ban Kiểm tra Huyện ủy"
    assert unicodedata.is_normalized("NFC", title)


@pytest.mark.parametrize(("written", "_"), REPORT_TITLES)
def test_every_normalised_report_title_is_nfc_and_normalising_again_changes_nothing(written, _):
    title = normalise_title(written)

    assert unicodedata.is_normalized("NFC", title)
    assert normalise_title(title) == title


def test_expanding_keeps_the_case_and_separators_as_written():
    assert expand_abbreviations("ủy viên BTV- Trưởng ban") == "ủy viên Ban Thường vụ- Trưởng ban"
