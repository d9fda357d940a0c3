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


@cache
def _pattern() -> re.Pattern:
    # Longest first, so "PBT TT" is taken before "PBT" and "UVBCH" before "BCH".
    shorts = sorted(abbreviations(), key=len, reverse=True)
    alternatives = "|".join(re.escape(short) for short in shorts)
    return re.compile(f"{_EDGE_BEFORE}({alternatives}){_EDGE_AFTER}")


def normalise_spelling(text: str) -> str:
    text = nfc(text)
    for old, new in _spelling().items():
        text = text.replace(old, new)
    return text


def expand_abbreviations(text: str) -> str:
    """Write out every known abbreviation in a title, keep the rest as written.

    "UVBCH Đảng bộ huyện, PCN UBKT Huyện ủy" →
    "Ủy viên Ban Chấp hành Đảng bộ huyện, Phó Chủ nhiệm Ủy ban Kiểm tra Huyện ủy".
    """
    text = normalise_spelling(text)
    expanded = _pattern().sub(lambda match: abbreviations()[match.group(1)].expand, text)
    return " ".join(expanded.split())


def normalise_title(text: str) -> str:
    """A title as a comparable phrase: abbreviations expanded, separators tidied, the first
    letter capitalised ("HUV, Bí thư Đảng ủy Thị trấn" → "Huyện ủy viên, Bí thư Đảng ủy Thị trấn").
    """
    text = expand_abbreviations(text)
    text = re.sub(r"\s*[-–—]\s*", " - ", text)  # "Ủy viên BTV- Trưởng ban" → " - "
    text = re.sub(r"\s*,\s*", ", ", text).strip(" ,-")
    return text[:1].upper() + text[1:] if text else text
