"""Expanding the abbreviations of party and government titles ("PBT TT Đảng ủy" →
"Phó Bí thư Thường trực Đảng ủy"). Pure: reads a data file shipped with the package."""

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from xaso.vn.text import nfc

DATA = Path(__file__).parent / "data" / "abbreviations.toml"
# A token boundary: not a letter or digit on either side (Vietnamese letters included).
_EDGE_BEFORE = r"(?<![\w/])"
_EDGE_AFTER = r"(?![\w])"


@dataclass(frozen=True)
class Abbreviation:
    short: str
    expand: str
    note: str = ""


@cache
def abbreviations() -> dict[str, Abbreviation]:
    with DATA.open("rb") as handle:
        data = tomllib.load(handle)
    return {
        nfc(short): Abbreviation(nfc(short), nfc(item["expand"]), item.get("note", ""))
        for short, item in data["terms"].items()
    }


@cache
def _spelling() -> dict[str, str]:
    with DATA.open("rb") as handle:
        return {nfc(k): nfc(v) for k, v in tomllib.load(handle)["spelling"].items()}


def _spaced(short: str) -> str:
    """A regex for an abbreviation whose words may be separated by any run of spaces."""
    return r"\s+".join(re.escape(word) for word in short.split())


@cache
def _pattern() -> re.Pattern:
    # Longest first, so "PBT TT" is taken before "PBT" and "UVBCH" before "BCH".
    shorts = sorted(abbreviations(), key=len, reverse=True)
    alternatives = "|".join(_spaced(short) for short in shorts)
    return re.compile(f"{_EDGE_BEFORE}({alternatives}){_EDGE_AFTER}")


@cache
def _spelling_pattern() -> re.Pattern:
    # Whole syllables only: "Hoà" is respelled, "hoàn" is not.
    alternatives = "|".join(re.escape(old) for old in _spelling())
    return re.compile(rf"(?<!\w)({alternatives})(?!\w)")


def normalise_spelling(text: str) -> str:
    return _spelling_pattern().sub(lambda match: _spelling()[match.group(1)], nfc(text))


def expand_abbreviations(text: str) -> str:
    """Write out every known abbreviation in a title, keep the rest as written.

    "UVBCH Đảng bộ huyện, PCN UBKT Huyện ủy" →
    "Ủy viên Ban Chấp hành Đảng bộ huyện, Phó Chủ nhiệm Ủy ban Kiểm tra Huyện ủy".
    """
    text = normalise_spelling(text)
    expanded = _pattern().sub(
        lambda match: abbreviations()[" ".join(match.group(1).split())].expand, text
    )
    return " ".join(expanded.split())


def normalise_title(text: str) -> str:
    """A title as a comparable phrase: abbreviations expanded, separators tidied, the first
    letter capitalised ("HUV, Bí thư Đảng ủy Thị trấn" → "Huyện ủy viên, Bí thư Đảng ủy Thị trấn").
    """
    text = expand_abbreviations(text)
    text = re.sub(r"\s*[-–—]\s*", " - ", text)  # "Ủy viên BTV- Trưởng ban" → " - "
    text = re.sub(r"\s*,\s*", ", ", text).strip(" ,-")
    return text[:1].upper() + text[1:] if text else text
