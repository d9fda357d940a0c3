"""Units of measure used in commune plans and reports, and exact conversion.

Each unit belongs to a *family*. Units of one family convert into each other through
``factor``, the multiplier to the family's base unit (đồng, metre, square metre,
kilogram). A count unit such as "hộ" or "cây" is a family of its own: households do
not convert into trees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, Inexact, localcontext

from xaso.vn.text import nfc

__all__ = ["UNITS", "Unit", "UnitError", "convert", "get_unit", "unit_for_text", "unit_key"]


class UnitError(ValueError):
    """A unit is unknown or a conversion is impossible; ``message`` is Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    family: str
    factor: Decimal
    aliases: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.name

    @property
    def is_count(self) -> bool:
        """True for a counted thing ("hộ", "cây"), whose family is its own code."""
        return self.family == self.code


def _measure(code: str, name: str, family: str, factor: str, *aliases: str) -> Unit:
    return Unit(code, name, family, Decimal(factor), aliases)


def _count(code: str, name: str, *aliases: str) -> Unit:
    return Unit(code, name, code, Decimal(1), aliases)


_ALL = (
    # Money; base unit: đồng.
    _measure("dong", "đồng", "money", "1", "đ", "vnđ", "vnd"),
    _measure("nghin_dong", "nghìn đồng", "money", "1000", "ngàn đồng", "nghìn đ", "ngàn đ"),
    _measure(
        "trieu_dong",
        "triệu đồng",
        "money",
        "1000000",
        *("triệu", "triệu đ", "tr", "trđ", "tr.đ", "tr đ", "tr.đồng", "tr đồng"),
    ),
    _measure("ty_dong", "tỷ đồng", "money", "1000000000", "tỉ đồng", "tỷ", "tỉ", "tỷ đ", "tỉ đ"),
    _measure(
        "nghin_ty_dong",
        "nghìn tỷ đồng",
        "money",
        "1000000000000",
        *("ngàn tỷ đồng", "nghìn tỉ đồng", "ngàn tỉ đồng", "nghìn tỷ", "ngàn tỷ", "nghìn tỉ"),
        "ngàn tỉ",
    ),
    # Money in US dollars ("triệu USD"): a family of its own, never converted into đồng.
    _measure("usd", "USD", "usd", "1", "đô la Mỹ"),
    _measure("trieu_usd", "triệu USD", "usd", "1000000"),
    _measure("ty_usd", "tỷ USD", "usd", "1000000000", "tỉ USD"),
    # Length; base unit: metre.
    _measure("m", "m", "length", "1", "mét", "met"),
    _measure("km", "km", "length", "1000", "ki-lô-mét", "kilômét", "kilomet", "cây số"),
    # Area; base unit: square metre.
    _measure("m2", "m²", "area", "1", "m2", "mét vuông"),
    _measure("ha", "ha", "area", "10000", "héc-ta", "hécta", "hecta", "héc ta"),
    _measure("km2", "km²", "area", "1000000", "km2", "ki-lô-mét vuông"),
    # Mass; base unit: kilogram.
    _measure("kg", "kg", "mass", "1", "ki-lô-gam", "kilôgam", "kilogam"),
    _measure("ta", "tạ", "mass", "100"),
    _measure("tan", "tấn", "mass", "1000"),
    # Percent.
    _measure("percent", "%", "percent", "1", "phần trăm"),
    # Counts: each is its own family.
    _count("ho", "hộ", "hộ gia đình"),
    _count("nguoi", "người"),
    _count("nhan_khau", "nhân khẩu"),
    _count("dang_vien", "đảng viên"),
    _count("hoi_vien", "hội viên"),
    _count("hoc_sinh", "học sinh"),
    _count("doi_tuong", "đối tượng"),
    _count("lao_dong", "lao động"),
    _count("thon", "thôn"),
    _count("khu_dan_cu", "khu dân cư", "kdc"),
    _count("chi_bo", "chi bộ"),
    _count("truong", "trường"),
    _count("lop", "lớp"),
    _count("truong_hop", "trường hợp"),
    _count("vu", "vụ"),
    _count("cong_trinh", "công trình"),
    _count("he_thong", "hệ thống"),
    _count("tuyen", "tuyến"),
    _count("nha", "nhà", "căn nhà", "ngôi nhà"),
    _count("vuon", "vườn"),
    _count("mo_hinh", "mô hình"),
    _count("san_pham", "sản phẩm"),
    _count("tieu_chi", "tiêu chí"),
    _count("ho_so", "hồ sơ"),
    _count("van_ban", "văn bản"),
    _count("cay", "cây"),
    _count("con", "con"),
    _count("cai", "cái", "chiếc"),
    _count("lan", "lần"),
    _count("luot", "lượt"),
    _count("cuoc", "cuộc"),
    _count("buoi", "buổi"),
    _count("ngay_cong", "ngày công"),
)

UNITS: dict[str, Unit] = {unit.code: unit for unit in _ALL}

_SPACES = re.compile(r"\s+")


def unit_key(text: str) -> str:
    """The form in which written units are compared: NFC, lowercase, single spaces."""
    return _SPACES.sub(" ", nfc(text).strip().lower())


def _index() -> dict[str, Unit]:
    index: dict[str, Unit] = {}
    for unit in _ALL:
        for written in (unit.name, *unit.aliases):
            key = unit_key(written)
            if index.setdefault(key, unit) is not unit:
                raise AssertionError(f"unit alias {written!r} is used twice")
    return index


#: Every written form (name or alias, in :func:`unit_key` form) -> its unit.
ALIASES: dict[str, Unit] = _index()


def get_unit(code: str) -> Unit:
    """Return the unit with this code; raise :class:`UnitError` if there is none."""
    try:
        return UNITS[code]
    except KeyError:
        raise UnitError(f"Không có đơn vị tính ‘{code}’.") from None


def unit_for_text(text: str) -> Unit | None:
    """Recognise a written unit ("triệu đồng", "tr.đ", "Km", "m²"); ``None`` if unknown."""
    key = unit_key(text)
    unit = ALIASES.get(key)
    if unit is None and key.endswith(".") and len(key) > 1:
        unit = ALIASES.get(key[:-1])  # "tr." is "tr" with an abbreviation dot
    return unit


def convert(value: Decimal | int, from_code: str, to_code: str) -> Decimal:
    """Convert ``value`` between two units of one family, exactly.

    >>> convert(Decimal("15511"), "trieu_dong", "ty_dong")
    Decimal('15.511')
    """
    source, target = get_unit(from_code), get_unit(to_code)
    if source.family != target.family:
        raise UnitError(
            f"Không thể đổi từ ‘{source.name}’ sang ‘{target.name}’ vì hai đơn vị khác loại."
        )
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"convert() expects a Decimal or an int, not {type(value).__name__}")
    with localcontext() as ctx:
        ctx.prec = 100
        ctx.traps[Inexact] = True  # factors are powers of ten: the result must be exact
        result = Decimal(value) * source.factor / target.factor
        if result == result.to_integral_value():
            return result.quantize(Decimal(1))
        return result.normalize()
