"""The unit registry: recognising written units and converting exactly."""

from decimal import Decimal

import pytest

from xaso.vn.text import fold, nfc
from xaso.vn.units import UNITS, UnitError, convert, get_unit, unit_for_text


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        ("15511", "trieu_dong", "ty_dong", "15.511"),
        ("1.8", "km", "m", "1800"),
        ("1", "ha", "m2", "10000"),
        ("211", "tan", "kg", "211000"),
        ("5", "ta", "tan", "0.5"),
        ("2", "ty_dong", "trieu_dong", "2000"),
        ("3750", "nghin_dong", "trieu_dong", "3.75"),
        ("250", "m", "km", "0.25"),
        ("7", "ho", "ho", "7"),
    ],
)
def test_conversions_are_exact(value, source, target, expected):
    result = convert(Decimal(value), source, target)
    assert isinstance(result, Decimal)
    assert result == Decimal(expected)
    assert str(result) == expected


def test_converting_integers_works_too():
    assert convert(1, "km", "m") == Decimal(1000)


def test_units_of_different_families_do_not_convert_and_the_error_names_both():
    with pytest.raises(UnitError) as caught:
        convert(Decimal(1), "ho", "cay")
    assert caught.value.message == "Không thể đổi từ ‘hộ’ sang ‘cây’ vì hai đơn vị khác loại."
    with pytest.raises(UnitError, match="‘km’ sang ‘ha’"):
        convert(Decimal(1), "km", "ha")


def test_an_unknown_code_is_a_unit_error_in_vietnamese():
    with pytest.raises(UnitError) as caught:
        get_unit("x")
    assert caught.value.message == "Không có đơn vị tính ‘x’."
    with pytest.raises(UnitError):
        convert(Decimal(1), "x", "m")


def test_get_unit_returns_the_registered_unit():
    unit = get_unit("trieu_dong")
    assert (unit.code, unit.name, unit.family, unit.factor) == (
        "trieu_dong",
        "triệu đồng",
        "money",
        Decimal(1000000),
    )
    assert {"tr", "triệu"} <= set(unit.aliases)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("triệu đồng", "trieu_dong"),
        ("Triệu  Đồng", "trieu_dong"),
        ("tr.đ", "trieu_dong"),
        ("trđ", "trieu_dong"),
        ("tr", "trieu_dong"),
        ("tr.", "trieu_dong"),
        ("tỷ", "ty_dong"),
        ("tỷ đồng", "ty_dong"),
        ("tỉ đồng", "ty_dong"),
        ("ngàn đồng", "nghin_dong"),
        ("đồng", "dong"),
        ("m", "m"),
        ("mét", "m"),
        ("km", "km"),
        ("KM", "km"),
        ("m2", "m2"),
        ("m²", "m2"),
        ("ha", "ha"),
        ("kg", "kg"),
        ("tấn", "tan"),
        ("tạ", "ta"),
        ("hộ", "ho"),
        ("cây", "cay"),
        ("công trình", "cong_trinh"),
        ("hệ thống", "he_thong"),
        ("nhà", "nha"),
        ("vườn", "vuon"),
        ("khu dân cư", "khu_dan_cu"),
        ("chi bộ", "chi_bo"),
        ("người", "nguoi"),
        ("đảng viên", "dang_vien"),
        ("%", "percent"),
        ("  % ", "percent"),
    ],
)
def test_written_units_are_recognised(text, code):
    assert unit_for_text(text).code == code


def test_decomposed_unicode_is_recognised_as_the_composed_unit():
    decomposed = "trie\u0302\u0323u \u0111o\u0302\u0300ng"
    assert decomposed != "triệu đồng"
    assert unit_for_text(decomposed).code == "trieu_dong"


@pytest.mark.parametrize("text", ["", "xe", "m³", "tan", "ty", "trieu_dong", "."])
def test_unknown_written_units_give_none(text):
    assert unit_for_text(text) is None


REQUIRED = {
    "dong": "money",
    "nghin_dong": "money",
    "trieu_dong": "money",
    "ty_dong": "money",
    "m": "length",
    "km": "length",
    "m2": "area",
    "ha": "area",
    "kg": "mass",
    "ta": "mass",
    "tan": "mass",
    "percent": "percent",
}
COUNTS = [
    "ho",
    "nguoi",
    "cay",
    "cong_trinh",
    "he_thong",
    "nha",
    "vuon",
    "khu_dan_cu",
    "chi_bo",
    "dang_vien",
    "thon",
    "tieu_chi",
    "san_pham",
    "con",
    "lan",
    "luot",
    "doi_tuong",
    "hoc_sinh",
    "mo_hinh",
    "cai",
]


def test_every_required_unit_is_registered_in_its_family():
    for code, family in REQUIRED.items():
        assert UNITS[code].family == family
    for code in COUNTS:
        assert UNITS[code].family == code
        assert UNITS[code].factor == 1


def test_every_code_is_ascii_and_every_name_is_recognised():
    for code, unit in UNITS.items():
        assert unit.code == code
        assert code.isascii()
        assert unit_for_text(unit.name) is unit
        for alias in unit.aliases:
            assert unit_for_text(alias) is unit


def test_the_money_scale_is_right():
    assert [UNITS[c].factor for c in ("dong", "nghin_dong", "trieu_dong", "ty_dong")] == [
        Decimal(1),
        Decimal(10**3),
        Decimal(10**6),
        Decimal(10**9),
    ]


# Text normalisation, on which unit and name matching rest.


def test_nfc_composes_decomposed_vietnamese():
    assert nfc("Ha\u0300 Linh") == "Hà Linh"
    assert len(nfc("e\u0302\u0323")) == 1


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Xã Hà Linh", "xa ha linh"),
        ("  Đảng   ủy\txã ", "dang uy xa"),
        ("Ha\u0300 Linh", "ha linh"),
        ("THÔN ĐỒNG TÂM", "thon dong tam"),
    ],
)
def test_fold_gives_a_loose_matching_key(text, key):
    assert fold(text) == key
