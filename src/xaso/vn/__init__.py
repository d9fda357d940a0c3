"""Pure helpers for Vietnamese text, numbers, units and quantities (no Django)."""

from xaso.vn.numbers import (
    NumberError,
    ParsedNumber,
    format_number,
    format_percent,
    format_quantity,
    parse_number,
)
from xaso.vn.quantities import Quantity, parse_quantity
from xaso.vn.text import fold, nfc
from xaso.vn.units import UNITS, Unit, UnitError, convert, get_unit, unit_for_text

__all__ = [
    "UNITS",
    "NumberError",
    "ParsedNumber",
    "Quantity",
    "Unit",
    "UnitError",
    "convert",
    "fold",
    "format_number",
    "format_percent",
    "format_quantity",
    "get_unit",
    "nfc",
    "parse_number",
    "parse_quantity",
    "unit_for_text",
]
