"""A report pasted as a chat message, read into a form's sheet (the Django side of
`xaso.reading.chat`).

`chat_entries(form, text)` returns the entries `services.save_report` takes and notes for the
officer: the words each value was read from, the unit and period the message names, what was
not taken and why. It saves nothing: the sheet shows the values, the officer checks them and
saves (and later submits) as for values typed by hand.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError

from xaso.catalog.models import Indicator
from xaso.reading.chat import ChatError, IndicatorSpec, LeftOver, read_chat_report
from xaso.reporting.models import ReportForm
from xaso.reporting.selectors import form_indicators
from xaso.vn.numbers import format_number
from xaso.vn.text import fold, nfc

__all__ = ["ChatNotes", "alias_table", "chat_entries", "value_text"]

ALIASES = Path(__file__).parent / "data" / "aliases.toml"
_KINDS = ("thon", "xom", "to dan pho", "tdp", "khu pho", "ban", "ap", "to")


@cache
def alias_table() -> dict[str, tuple[str, ...]]:
    """Indicator code → the short names chat messages use for it (data/aliases.toml)."""
    with ALIASES.open("rb") as handle:
        data = tomllib.load(handle)
    return {code: tuple(nfc(a) for a in names) for code, names in data["aliases"].items()}


@dataclass
class ChatNotes:
    sources: dict[Indicator, str] = field(default_factory=dict)  # the words of each value
    value_notes: dict[Indicator, str] = field(default_factory=dict)  # how a number was read
    unit_name: str | None = None  # "Thôn Cẩm Trang", as the message writes it
    period: str | None = None  # "tuần 3", as the message writes it
    period_code: str | None = None  # "2022-W15" when the message writes the year
    left_over: list[LeftOver] = field(default_factory=list)  # numbers not taken
    warnings: list[str] = field(default_factory=list)

    def messages(self) -> list[str]:
        """Everything the officer should read before saving, one Vietnamese line each."""
        lines = list(self.warnings)
        lines += [f"{name}: {note}" for name, note in self._named(self.value_notes)]
        lines += [f"Chưa lấy “{item.text}”: {item.reason}" for item in self.left_over]
        return lines

    @staticmethod
    def _named(notes: dict[Indicator, str]) -> list[tuple[str, str]]:
        return [(indicator.name, note) for indicator, note in notes.items()]


def value_text(value: Decimal) -> str:
    """A value as the sheet's box shows it and `save_report` reads it back exactly:
    Vietnamese decimal comma, thousands grouped ("1.250", "0,6", "1.234,125")."""
    exponent = value.normalize().as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_number(value, decimals=decimals)


def _key(name: str) -> str:
    words = fold(name)
    for kind in _KINDS:
        if words.startswith(kind + " "):
            return words[len(kind) + 1 :]
    return words


def chat_entries(
    form: ReportForm, text: str, *, unit=None
) -> tuple[dict[Indicator, tuple[str, str]], ChatNotes]:
    """Read a chat message into {indicator: (value text, "final")} for the form's indicators.

    With `unit` (the sheet's OrgUnit), a message that names another unit says so in the
    warnings. Raises ValidationError({"chat": …}) when the message is too long to read.
    """
    indicators = form_indicators(form)
    table = alias_table()
    specs = [IndicatorSpec(i.code, i.name, i.unit, table.get(i.code, ())) for i in indicators]
    try:
        reading = read_chat_report(text, specs)
    except ChatError as error:
        raise ValidationError({"chat": error.message}) from None
    by_code = {i.code: i for i in indicators}
    entries: dict[Indicator, tuple[str, str]] = {}
    notes = ChatNotes(
        unit_name=reading.unit_name,
        period=reading.period,
        period_code=reading.period_code,
        left_over=list(reading.left_over),
    )
    for value in reading.values:
        indicator = by_code[value.code]
        entries[indicator] = (value_text(value.value), "final")
        notes.sources[indicator] = value.source
        if value.note:
            notes.value_notes[indicator] = value.note
    if unit is not None and reading.unit_name and _key(reading.unit_name) != _key(unit.name):
        notes.warnings.append(
            f"Tin nhắn báo cáo cho “{reading.unit_name}”, còn trang này nhập cho "
            f"{unit.full_name}: hãy kiểm tra lại."
        )
    if not entries:
        notes.warnings.append("Không đọc được số liệu nào của biểu mẫu từ tin nhắn.")
    return entries, notes
