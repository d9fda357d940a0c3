"""Places on reports the reader was not built on (issue 19): lists, kinds, villages and zones, a
kind word ending a position, and the gazetteer of official names. Sentences are our own."""

import pytest

from xaso.reading import gazetteer
from xaso.reading.places import find_places


# --- lists sharing one kind word ---------------------------------------------------------------
def test_a_plural_kind_word_gives_its_kind_to_every_name_of_the_list():
    text = "Đoàn công tác làm việc tại các tỉnh Bắc Ninh, Thái Bình và Nam Định."
    assert find_places(text) == ["tỉnh Bắc Ninh", "tỉnh Thái Bình", "tỉnh Nam Định"]


def test_a_colon_may_stand_between_the_plural_kind_word_and_its_names():
    text = "Khen thưởng các xã: Kỳ Sơn, Đạp Thanh và Thanh Lâm."
    assert find_places(text) == ["xã Kỳ Sơn", "xã Đạp Thanh", "xã Thanh Lâm"]


def test_a_count_before_the_kind_word_is_a_plural_too():
    text = "Huyện hỗ trợ 2 xã Đạp Thanh và Thanh Lâm làm đường."
    assert find_places(text) == ["xã Đạp Thanh", "xã Thanh Lâm"]


def test_a_list_of_villages_needs_no_gazetteer():
    text = "Điện lưới đã về các thôn Nà Pồng, Khuổi Lác và Pác Nặm."
    assert find_places(text) == ["thôn Nà Pồng", "thôn Khuổi Lác", "thôn Pác Nặm"]


def test_without_a_plural_a_name_after_a_comma_is_not_of_the_same_kind():
    # "xã Kỳ Sơn, Ba Chẽ": the second name is where the commune lies, not a second commune.
    assert find_places("Buổi lễ ở xã Kỳ Sơn, Ba Chẽ có 50 người.") == ["xã Kỳ Sơn"]


def test_a_year_before_the_kind_word_is_not_a_count():
    assert find_places("Trong năm 2023 huyện Can Lộc, Thạch Hà đều đạt.") == ["huyện Can Lộc"]


def test_without_a_plural_and_joins_an_official_name_only():
    assert find_places("Đảng bộ huyện Thạch Hà và Can Lộc được khen.") == [
        "huyện Thạch Hà",
        "huyện Can Lộc",
    ]
    assert find_places("Huyện Can Lộc và Trạm Khuyến nông ký kết.") == ["huyện Can Lộc"]


# --- kinds --------------------------------------------------------------------------------------
def test_every_kind_of_unit_village_and_zone():
    text = (
        "UBND thị xã Đức Phổ họp với quận Ba Đình và thành phố Biên Hòa; xóm Đình, ấp Tân Lập, "
        "khóm 3, khu phố Hòa Bình, tổ dân phố 5, khu Cầu Mười, thôn 9."
    )
    assert find_places(text) == [
        "thị xã Đức Phổ",
        "quận Ba Đình",
        "thành phố Biên Hòa",
        "xóm Đình",
        "ấp Tân Lập",
        "khóm 3",
        "khu phố Hòa Bình",
        "tổ dân phố 5",
        "khu Cầu Mười",
        "thôn 9",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thị xã An Khê tổng kết.", ["thị xã An Khê"]),  # a town, never "xã An Khê"
        ("Hợp tác xã Tân Tiến chia lãi.", []),  # a cooperative
        ("Xã viên hợp tác xã, xã Tân Tiến", ["xã Tân Tiến"]),
        ("Đặc khu Phú Quốc đón khách.", []),  # not the zone "khu Phú Quốc"
    ],
)
def test_a_longer_kind_word_is_not_read_as_its_last_word(text, expected):
    assert find_places(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đoàn thăm Khu di tích lịch sử của tỉnh.", []),
        ("Bản Kế hoạch số 12 đã ban hành.", []),
        ("Người dân bản Khe Mằn góp công.", ["bản Khe Mằn"]),
        ("Trưởng khu Cầu Mười báo cáo.", ["khu Cầu Mười"]),
        ("UBND huyện đã chỉ đạo các xã.", []),  # a kind word with no name
        ("Kỳ họp HĐND tỉnh Khóa XV bế mạc.", []),  # one unknown word is no unit's name
        ("Ủy ban phường Láng giao ban.", ["phường Láng"]),  # one known word is
        ("Hội viên xóm Chùa góp quỹ.", ["xóm Chùa"]),  # and a village's may be
    ],
)
def test_a_kind_word_that_is_also_a_noun_needs_a_name(text, expected):
    assert find_places(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Họp tại TP. Biên Hòa và TX Sa Pa.", ["thành phố Biên Hòa", "thị xã Sa Pa"]),
        ("Đoàn đến TP Hà Nội.", ["thành phố Hà Nội"]),
        ("Chỉ số TPI của tỉnh", []),
    ],
)
def test_an_abbreviated_kind_word(text, expected):
    assert find_places(text) == expected


def test_names_with_an_apostrophe_or_a_dash():
    text = "Huyện Cư M'gar, huyện Ea H’leo và tỉnh Bà Rịa - Vũng Tàu, tỉnh Bà Rịa–Vũng Tàu."
    assert find_places(text) == [
        "huyện Cư M'gar",
        "huyện Ea H’leo",
        "tỉnh Bà Rịa - Vũng Tàu",
        "tỉnh Bà Rịa–Vũng Tàu",
    ]
    # A name the gazetteer does not know ends at a dash.
    assert find_places("Thôn Nà Pồng - Tân Lập có 80 hộ.") == ["thôn Nà Pồng"]


# --- people after a position --------------------------------------------------------------------
def test_a_kind_word_ending_a_position_is_followed_by_a_person():
    assert find_places("Chủ tịch UBND tỉnh Lê Văn Thành chủ trì hội nghị.") == []
    assert find_places("Phó Chủ tịch Hội Nông dân xã Đỗ Thị Hằng phát biểu.") == []


def test_after_a_units_kind_word_a_persons_name_is_never_a_place():
    # No title before: the gazetteer knows the units, a family name and two more is a person.
    assert find_places("Hồ sơ trình UBND xã Nguyễn Văn Bình ký duyệt.") == []
    assert find_places("Hồ sơ trình UBND xã Tân Bình ký duyệt.") == ["xã Tân Bình"]


def test_a_village_named_with_a_family_name_stays_a_village():
    # No title before the kind word: "Hoàng" opens a village's name here.
    assert find_places("Hội viên ở thôn Hoàng Xá Đông dự lễ.") == ["thôn Hoàng Xá Đông"]
    # A title in an earlier clause does not make the kind word end a position.
    text = "Phó Chủ tịch UBND huyện đến thăm, tặng quà ở thôn Hoàng Xá Đông."
    assert find_places(text) == ["thôn Hoàng Xá Đông"]


def test_a_persons_name_glued_after_the_place_is_cut_off():
    assert find_places("Chủ tịch UBND xã Thọ Thanh Nguyễn Văn Hòa phát biểu.") == ["xã Thọ Thanh"]
    # Not in the gazetteer: the family name that opens the person ends the place.
    assert find_places("Chủ tịch Hội Nông dân xã Khe Lim Trần Văn Hậu phát biểu.") == ["xã Khe Lim"]
    assert find_places("Ủy ban xã Khe Lim Phó Chủ tịch dự.") == ["xã Khe Lim"]


def test_the_gazetteer_ends_a_known_name_before_any_person():
    # "Giàng" is a family name the grammar does not know; the official name ends the place.
    text = "Chủ tịch UBND huyện Si Ma Cai Giàng Seo Vàng dự."
    assert find_places(text) == ["huyện Si Ma Cai"]
    # The same words after a village kind (no gazetteer there) stay glued.
    assert find_places("Thôn Si Ma Cai Giàng Seo Vàng") == ["thôn Si Ma Cai Giàng Seo Vàng"]


# --- the gazetteer --------------------------------------------------------------------------------
def test_the_gazetteer_holds_every_name_the_package_ships():
    # Counted on vietnamadminunits 1.0.4 through its own query API, not through gazetteer.py.
    database = pytest.importorskip("vietnamadminunits.database")
    legacy = database.query("SELECT province, districtShort, wardShort FROM admin_units_legacy")
    current = database.query("SELECT provinceShort, wardShort FROM admin_units")
    assert len(legacy) == 10_040
    assert len(current) == 3_321
    assert len({row["province"] for row in legacy}) == 63
    assert len({row["provinceShort"] for row in current}) == 34
    assert all(gazetteer.is_known("tỉnh", row["provinceShort"]) for row in current)
    districts = _plain(row["districtShort"] for row in legacy)
    assert all(gazetteer.is_known("huyện", name) for name in districts)
    wards = _plain(row["wardShort"] for row in legacy + current if row["wardShort"])
    assert all(gazetteer.is_known("xã", name) for name in wards)
    # Distinct names per level, old and new together (brackets dropped, numbered units left out).
    sizes = {level: len(names) for level, names in gazetteer.names().items()}
    assert sizes == {"province": 63, "district": 661, "ward": 7520}


def _plain(names) -> set[str]:
    """Names without a type in brackets or a number ("Quận 1", "Phường 2" are left out)."""
    return {name for name in names if "(" not in name and not any(c.isdigit() for c in name)}


def test_the_gazetteer_knows_old_and_new_names_by_level():
    assert gazetteer.is_known("huyện", "Hương Khê")  # a district until 2025
    assert gazetteer.is_known("xã", "Thượng Giáp")  # a commune of the old map only
    assert gazetteer.is_known("phường", "Thư Lâm")  # a ward of the new map only
    assert gazetteer.is_known("thị xã", "Sa Pa")
    assert not gazetteer.is_known("tỉnh", "Hương Khê")  # wrong level
    assert not gazetteer.is_known("thôn", "Hà Linh")  # villages are not in it


def test_the_gazetteer_ignores_case_and_where_the_tone_mark_sits_only():
    assert gazetteer.is_known("tỉnh", "Khánh Hoà")
    assert gazetteer.is_known("tỉnh", "khánh hòa")
    assert gazetteer.is_known("xã", "Hà Linh")
    assert not gazetteer.is_known("xã", "Ha Linh")  # the marks themselves count
    assert not gazetteer.is_known("xã", "Đảng")


def test_the_longest_known_name_wins():
    assert gazetteer.known_prefix("huyện", ["Si", "Ma", "Cai", "Giàng"]) == 3
    assert gazetteer.known_prefix("thị xã", ["Đức", "Phổ", "Trần", "Phước"]) == 2
    assert gazetteer.known_prefix("thôn", ["Đức", "Phổ"]) == 0
