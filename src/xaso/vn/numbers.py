"""Reading and writing numbers the way Vietnamese reports write them.

Vietnamese uses a dot (or a space) to group thousands and a comma as the decimal
mark: ``15.511`` is fifteen thousand five hundred eleven and ``24,2`` is twenty-four
point two. Reports typed on English keyboards also contain ``9.2`` meaning 9,2, so a
dot followed by anything other than exactly three digits is read as a decimal mark.
The full rule, and when a reading is flagged as ambiguous, is in ``docs/numbers.md``.

Floats are never used: every value is an exact :class:`~decimal.Decimal`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import cache

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

from xaso.vn.text import nfc

__all__ = ["NumberError", "ParsedNumber", "format_number", "format_percent", "parse_number"]

MAX_LENGTH = 40
_PRECISION = 80  # decimal digits; comfortably above anything MAX_LENGTH allows
_MINUS_SIGNS = "-\u2212"  # ASCII hyphen-minus and the Unicode minus sign
_ALLOWED = re.compile(r"[0-9.,\s]+")
_TOKENS = re.compile(r"[0-9]+|\s+|[.,]")


class NumberError(ValueError):
    """A number could not be read; ``message`` is shown to the user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ParsedNumber:
    value: Decimal
    ambiguous: bool = False
    note: str | None = None


def _split(body: str) -> tuple[list[str], list[str]]:
    """Split ``body`` into digit groups and the separators between them.

    Runs of whitespace count as one separator, written as a single space.
    """
    groups: list[str] = []
    seps: list[str] = []
    for token in _TOKENS.findall(body):
        if token[0].isdigit():
            groups.append(token)
        else:
            seps.append(" " if token.isspace() else token)
    return groups, seps


def _read(shown: str, body: str, sign: str) -> ParsedNumber:
    """Read the unsigned ``body``; ``shown`` is quoted in messages, ``sign`` is "" or "-"."""
    if not _ALLOWED.fullmatch(body) or not any(ch.isdigit() for ch in body):
        raise NumberError(f"‘{shown}’ không phải là số.")
    groups, seps = _split(body)
    if len(groups) != len(seps) + 1:
        if body[0] in ".,":
            raise NumberError(f"‘{shown}’ thiếu chữ số đứng trước dấu ‘{body[0]}’.")
        if body[-1] in ".,":
            raise NumberError(f"‘{shown}’ thiếu chữ số đứng sau dấu ‘{body[-1]}’.")
        raise NumberError(f"‘{shown}’ có hai dấu phân cách đứng liền nhau.")

    if seps.count(",") > 1:
        raise NumberError(
            f"‘{shown}’ có nhiều dấu phẩy. Dấu phẩy là dấu thập phân nên chỉ có một; "
            "hàng nghìn phân cách bằng dấu chấm (ví dụ 1.234.567)."
        )
    fraction = ""
    if "," in seps:
        if seps[-1] != ",":
            raise NumberError(
                f"‘{shown}’ có dấu chấm hoặc khoảng trắng sau dấu phẩy thập phân. "
                "Hãy viết theo kiểu Việt Nam, ví dụ 1.234,5."
            )
        fraction = groups.pop()
        seps.pop()
    elif seps and seps[-1] == "." and len(groups[-1]) != 3:
        # A dot not followed by exactly three digits is a decimal mark ("9.2").
        if len(seps) > 1:
            raise NumberError(
                f"‘{shown}’ không đúng cách viết: sau dấu chấm phân cách hàng nghìn "
                "phải có đúng ba chữ số."
            )
        fraction = groups.pop()
        seps.pop()

    # What is left is the integer part: a head group and thousands groups.
    head, tail = groups[0], groups[1:]
    if len(set(seps)) > 1:
        raise NumberError(f"‘{shown}’ dùng lẫn dấu chấm và khoảng trắng để phân cách hàng nghìn.")
    if any(len(group) != 3 for group in tail):
        raise NumberError(
            f"‘{shown}’ không đúng cách viết: mỗi nhóm hàng nghìn phải có đúng ba chữ số."
        )
    lone_dot = seps == ["."] and not fraction
    if tail and head.strip("0") == "" and lone_dot:
        # "0.500" cannot be five hundred: a grouped number does not start with 0.
        fraction, tail = tail[0], []
    elif tail and (len(head) > 3 or head.strip("0") == ""):
        raise NumberError(
            f"‘{shown}’ không đúng cách viết: nhóm đầu tiên trước dấu phân cách hàng nghìn "
            "phải có từ 1 đến 3 chữ số và khác 0."
        )

    integer = head + "".join(tail)
    value = Decimal(f"{sign}{integer}.{fraction}" if fraction else f"{sign}{integer}")
    plain = sign + (integer.lstrip("0") or "0")
    if tail and lone_dot:
        note = (
            f"Hiểu ‘{shown}’ là {plain} (dấu chấm phân cách hàng nghìn), "
            f"không phải {plain[:-3]},{tail[0]}."
        )
        return ParsedNumber(value, True, note)
    if not seps and len(fraction) == 3 and len(head) <= 3 and head.strip("0"):
        units = sign + head.lstrip("0")
        note = (
            f"Hiểu ‘{shown}’ là {units},{fraction} (dấu phẩy thập phân), "
            f"không phải {units}{fraction}."
        )
        return ParsedNumber(value, True, note)
    return ParsedNumber(value)


def parse_number(text: str, *, allow_negative: bool = False) -> ParsedNumber:
    """Read a number written in a Vietnamese report.

    Raises :class:`NumberError` with a Vietnamese message when ``text`` is not a
    number, is negative while ``allow_negative`` is false, or is written in a way
    that cannot be read safely (``1,234,567``, ``1,234.5``, ``1.2.3``, ``1..2``).
    """
    shown = nfc(text or "").strip()
    if not shown:
        raise NumberError("Chưa nhập số.")
    if len(shown) > MAX_LENGTH:
        raise NumberError("Số quá dài.")
    body, sign = shown, ""
    if body[0] == "+":
        body = body[1:].lstrip()
    elif body[0] in _MINUS_SIGNS:
        body, sign = body[1:].lstrip(), "-"
    if not body:
        raise NumberError(f"‘{shown}’ không phải là số.")
    parsed = _read(shown, body, sign)
    if parsed.value.is_zero():
        # "-0" is just zero: drop the sign rather than refuse it.
        return ParsedNumber(abs(parsed.value), parsed.ambiguous, parsed.note)
    if sign and not allow_negative:
        raise NumberError("Không được nhập số âm.")
    return parsed


def _to_decimal(value: object) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("format_number() does not accept booleans")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))  # the shortest decimal that reads back as value
    else:
        raise TypeError(f"format_number() expects a number, not {type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"cannot format {result}")
    return result


@cache
def _pattern(pattern: str) -> NumberPattern:
    # Parsed once: Babel's format_decimal parses its pattern and locale on every call,
    # which is most of the cost on a page with a thousand numbers.
    return parse_pattern(pattern)


@cache
def _vietnamese() -> Locale:
    return Locale.parse("vi")


def format_number(value: Decimal | int | float, *, decimals: int | None = None) -> str:
    """Write ``value`` the Vietnamese way: ``Decimal("3750.5")`` -> ``"3.750,5"``.

    ``decimals=None`` shows as many decimals as needed, at most two (rounded half
    up, trailing zeros dropped); an integer ``decimals`` shows exactly that many.
    """
    if decimals is not None and decimals < 0:
        raise ValueError("decimals must not be negative")
    places = 2 if decimals is None else decimals
    pattern = "#,##0"
    if places:
        pattern += "." + ("#" if decimals is None else "0") * places
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        number = _to_decimal(value).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
        if number.is_zero():
            number = abs(number)  # never print "-0"
        return _pattern(pattern).apply(number, _vietnamese())


def plain_number(value: Decimal | None) -> int | float | None:
    """A Decimal as a plain JSON number: 3750 stays an integer, 1.8 becomes a float."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def format_percent(value: Decimal | int | float, *, decimals: int | None = 1) -> str:
    """Write a value that is already in percent: ``Decimal("24.19")`` -> ``"24,2%"``."""
    return format_number(value, decimals=decimals) + "%"


def format_quantity(value: Decimal | int | float, unit_name: str) -> str:
    """A number with its unit as texts write it: "3.750 triệu đồng", "42,4%" (no space)."""
    number = format_number(value)
    if unit_name == "%":
        return f"{number}%"
    return f"{number} {unit_name}".strip()
