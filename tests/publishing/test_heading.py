"""The formal parts of a report, per NĐ 30/2020 (state) and HD 36 (party): checked against
shared/domain/document_layout.md, written out here by hand."""

import datetime as dt

import pytest

from xaso.publishing.heading import PARTY, STATE, Unit, heading, place_date

TOWNSHIP = Unit("Thị trấn", "Hương Khê", "Huyện", "Hương Khê")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2020, 7, 10), "Hương Khê, ngày 10 tháng 7 năm 2020"),
        (dt.date(2020, 1, 5), "Hương Khê, ngày 05 tháng 01 năm 2020"),  # zero: day < 10, month < 3
        (dt.date(2022, 2, 28), "Hương Khê, ngày 28 tháng 02 năm 2022"),
        (dt.date(2022, 3, 9), "Hương Khê, ngày 09 tháng 3 năm 2022"),  # month 3: no zero
        (dt.date(2022, 12, 31), "Hương Khê, ngày 31 tháng 12 năm 2022"),
    ],
)
def test_the_place_and_date_line(day, expected):
    assert place_date("Hương Khê", day) == expected


def test_a_peoples_committee_heading():
    head = heading(TOWNSHIP, STATE, dt.date(2020, 7, 10), signer_name="Nguyễn Văn A")
    assert head.parent_line == ""  # a People's Committee is itself the issuing body
    assert head.body_lines == ("ỦY BAN NHÂN DÂN", "THỊ TRẤN HƯƠNG KHÊ")
    assert head.motto == ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
    assert head.number.startswith("Số:") and head.number.endswith("/BC-UBND")
    assert (head.authority, head.signer_title) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    assert head.recipients == (
        "- UBND huyện Hương Khê;",
        "- Thường trực Đảng ủy, HĐND thị trấn;",
        "- Lưu: VT, VP.",
    )
    assert head.end_mark == "./." and not head.is_party
    assert (head.issuer, head.separator) == (STATE, "")
    assert head.place_date == "Hương Khê, ngày 10 tháng 7 năm 2020"
    assert head.signer_name == "Nguyễn Văn A"


def test_a_party_committee_heading():
    head = heading(TOWNSHIP, PARTY, dt.date(2020, 7, 10))
    assert head.parent_line == "ĐẢNG BỘ HUYỆN HƯƠNG KHÊ"
    assert head.body_lines == ("ĐẢNG ỦY THỊ TRẤN HƯƠNG KHÊ",)
    assert head.separator == "*"
    assert head.motto == ("ĐẢNG CỘNG SẢN VIỆT NAM",)
    # HD 36: no colon after "Số", a hyphen before the type, a slash before the body.
    assert head.number.startswith("Số ") and ":" not in head.number
    assert head.number.endswith("-BC/ĐU")
    assert (head.authority, head.signer_title) == ("T/M ĐẢNG ỦY", "BÍ THƯ")
    assert head.recipients == (
        "- Ban Thường vụ Huyện ủy;",
        "- Các đồng chí Đảng ủy viên;",
        "- Các chi bộ trực thuộc;",
        "- Lưu Văn phòng Đảng ủy.",
    )
    assert head.end_mark == "" and head.is_party
    assert head.place_date == "Hương Khê, ngày 10 tháng 7 năm 2020"
    assert head.signer_name == ""  # not known: the renderers leave a marked gap


def test_after_2025_a_commune_answers_to_its_province():
    commune = Unit("Xã", "Hà Linh", "Tỉnh", "Hà Tĩnh")
    assert heading(commune, PARTY, dt.date(2026, 1, 5)).parent_line == "ĐẢNG BỘ TỈNH HÀ TĨNH"
    assert heading(commune, PARTY, dt.date(2026, 1, 5)).recipients[0] == (
        "- Ban Thường vụ Tỉnh ủy;"
    )
    assert heading(commune, STATE, dt.date(2026, 1, 5)).recipients[0] == "- UBND tỉnh Hà Tĩnh;"


def test_a_unit_without_a_parent_has_no_parent_line_nor_upward_recipient():
    alone = Unit("Xã", "Hà Linh")
    head = heading(alone, PARTY, dt.date(2026, 1, 5))
    assert head.parent_line == ""
    assert head.recipients[0] == "- Các đồng chí Đảng ủy viên;"
    assert heading(alone, STATE, dt.date(2026, 1, 5)).recipients == (
        "- Thường trực Đảng ủy, HĐND xã;",
        "- Lưu: VT, VP.",
    )


@pytest.mark.parametrize(
    ("parent_kind", "parent_name", "committee"),
    [
        ("Thành phố", "Hà Tĩnh", "- Ban Thường vụ Thành ủy;"),
        ("Huyện", "Lâm Bình", "- Ban Thường vụ Huyện ủy;"),
        ("Thị xã", "Hồng Lĩnh", "- Ban Thường vụ cấp ủy cấp trên;"),  # a kind not named
    ],
)
def test_the_party_committee_above_is_named_after_the_parents_kind(
    parent_kind, parent_name, committee
):
    unit = Unit("Phường", "Bắc Hà", parent_kind, parent_name)
    assert heading(unit, PARTY, dt.date(2024, 1, 5)).recipients[0] == committee
