"""How criteria facts are written for people: thresholds, values, statuses, dates typed in.

Shared by the pages and the `xaso criteria` command, so both say the same thing.
"""

from decimal import Decimal

from xaso.criteria.verdict import LABELS
from xaso.formkit import read_day  # noqa: F401 — the pages' and commands' date reader
from xaso.vn.numbers import format_quantity
from xaso.vn.units import get_unit

SIGNS = {"at_least": "≥", "at_most": "≤", "equals": "="}
STATUS_WORDS = {"met": "Đạt", "not_met": "Chưa đạt", "under_review": "Đang thẩm định"}
NO_THRESHOLD = "chưa có ngưỡng"


def amount(value: Decimal | None, unit: str) -> str:
    if value is None:
        return ""
    return format_quantity(value, get_unit(unit).name if unit else "")


def threshold(test: str, value: Decimal | None, unit: str) -> str:
    """ "≥ 85%", "≤ 5%", "đạt" for a yes/no requirement, or "chưa có ngưỡng"."""
    if test == "reached":
        return "đạt (≥ 1)" if unit else "đạt"
    if value is None:
        return NO_THRESHOLD
    return f"{SIGNS[test]} {amount(value, unit)}"


def status(word: str | None) -> str:
    if word is None:
        return "Chưa xác định"
    return STATUS_WORDS.get(word) or LABELS.get(word, word)
