"""Quantities as reports write them: a number, then usually a unit.

``"15.511 triệu đồng"``, ``"1,8km đường GTNT"``, ``"24,2%"``. The number is read by
:func:`xaso.vn.numbers.parse_number`; the unit is the longest known written form that
starts the rest of the text and ends at a word boundary. Words after the unit
("xi măng", "đường GTNT") describe the thing measured and are ignored here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from xaso.vn.numbers import NumberError, parse_number
from xaso.vn.text import nfc
from xaso.vn.units import ALIASES, Unit, unit_key

__all__ = ["Quantity", "parse_quantity"]

MAX_LENGTH = 200

# The number: an optional sign, then digits and separators; whitespace only between
# digit groups ("15 511"), so "15.511 triệu" stops before "triệu".
_NUMBER = re.compile(r"[+\-\u2212]?\s*[0-9.,]+(?:\s+[0-9][0-9.,]*)*")

# Bare multipliers: "2 triệu" means money, but "2 triệu cây" would not.
_MULTIPLIERS = frozenset({"triệu", "tr", "tỷ", "tỉ"})

# Longest written forms first, so "triệu đồng" wins over "triệu" and "m²" over "m".
_BY_LENGTH = sorted(ALIASES, key=len, reverse=True)


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    unit: Unit | None = None
    ambiguous: bool = False
    note: str | None = None


def _match_unit(key: str) -> tuple[str, Unit] | None:
    """Find the longest written unit that starts ``key`` and ends at a word boundary."""
    for written in _BY_LENGTH:
        if key.startswith(written):
            after = key[len(written) : len(written) + 1]
            if not after or not after.isalnum():
                return written, ALIASES[written]
    return None


def parse_quantity(text: str, *, allow_negative: bool = False) -> Quantity:
    """Split ``text`` into a number and an optional trailing unit.

    Raises :class:`~xaso.vn.numbers.NumberError` (Vietnamese message) when the number
    cannot be read or the word after it is not a known unit.
    """
    shown = nfc(text or "").strip()
    if not shown:
        raise NumberError("Chưa nhập số.")
    if len(shown) > MAX_LENGTH:
        raise NumberError(f"Nội dung quá dài (tối đa {MAX_LENGTH} ký tự).")
    found = _NUMBER.match(shown)
    if found is None:
        raise NumberError(f"‘{shown}’ không phải là số.")
    number = parse_number(found.group(), allow_negative=allow_negative)
    rest = unit_key(shown[found.end() :])
    if not rest:
        return Quantity(number.value, None, number.ambiguous, number.note)

    matched = _match_unit(rest)
    if matched is None:
        raise NumberError(f"Không nhận ra đơn vị ‘{rest.split()[0]}’.")
    written, unit = matched
    if written in _MULTIPLIERS:
        following = _match_unit(rest[len(written) :].lstrip())
        if following is not None and following[1].family != unit.family:
            raise NumberError(
                f"Không rõ ‘{written} {following[0]}’: nếu là tiền thì ghi "
                f"‘{unit.name}’, nếu là số lượng thì viết số đầy đủ "
                f"(ví dụ 2.000.000 {following[1].name})."
            )
    return Quantity(number.value, unit, number.ambiguous, number.note)
