"""Text normalisation helpers for Vietnamese input.

Every piece of text that enters the system should pass through :func:`nfc` so that
composed and decomposed spellings of the same word ("ệ" as one code point or as
"e" + two combining marks) compare equal. :func:`fold` goes further and produces a
loose matching key for names.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "nfc"]

_WHITESPACE = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode normalisation form C (composed)."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Return a loose matching key: lowercase, no diacritics, single spaces.

    >>> fold("  Xã   Hà Linh ")
    'xa ha linh'
    >>> fold("Đảng ủy")
    'dang uy'
    """
    lowered = nfc(text).lower().replace("đ", "d")
    # Decompose, then drop every combining mark (tones and vowel hats alike).
    decomposed = unicodedata.normalize("NFD", lowered)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", stripped)).strip()
