"""Official names of Vietnam's administrative units, old and new, to tell where a place's name ends.

The names come from the `vietnamadminunits` package (PyPI), which ships them offline in a SQLite
file (`vietnamadminunits/data/dataset.db`):

- `admin_units_legacy`: the 63-province map in force until mid-2025, one row per ward: 10,040
  rows (10,035 wards, communes and townships — phường, xã, thị trấn — under 696 districts: huyện,
  quận, thị xã, thành phố; five island districts have no ward);
- `admin_units`: the 34-province map from 1 July 2025, two levels only: 3,321 wards, communes
  and special zones (phường, xã, đặc khu).

It also ships JSON tables for its address parser and converter (keywords without diacritics,
coordinates, the mapping from old to new units, aliases of former names without their marks);
none is used here. Villages and zones (thôn, xóm, bản, ấp, khu, tổ dân phố) are not in it, nor
units merged away before its legacy map (some communes of 2019-2020 mergers).

Names are kept per level (province, district, ward), old and new together, each unit by its
short name and by its full name without the type ("Tỉnh Thừa Thiên Huế"), and looked up with the
kind word's level, not its exact type: a huyện that became a thị xã, a xã that became a phường
keeps its name. Names with a number ("Phường 1", "Quận 3") are left to the place grammar. Lookups
ignore case, where the tone mark sits ("Hoà" and "Hòa" are the same name) and the dash of a joined
name ("Bà Rịa - Vũng Tàu"), nothing else ("Đảng" is not "Đăng").

The database is read once, on first use (about 0.15 s: 63 province, 661 district and 7,520 ward
names), without importing the package itself (its import loads its parser, about 0.3 s); a lookup
then takes a few microseconds.
"""

import importlib.util
import re
import sqlite3
import unicodedata
from functools import cache
from pathlib import Path

from xaso.vn.text import nfc

# The levels a kind word may name: "thành phố" is a province (Hà Nội) or a district-level city.
KIND_LEVELS: dict[str, tuple[str, ...]] = {
    "tỉnh": ("province",),
    "thành phố": ("province", "district"),
    "huyện": ("district",),
    "quận": ("district",),
    "thị xã": ("district",),
    "xã": ("ward",),
    "phường": ("ward",),
    "thị trấn": ("ward",),
    "đặc khu": ("ward",),
}
# Each unit's short name and its full name without the type ("Tỉnh Thừa Thiên Huế" is short
# "Huế").
_QUERIES = {
    "province": [
        "SELECT DISTINCT provinceShort FROM admin_units_legacy",
        "SELECT DISTINCT province FROM admin_units_legacy",
        "SELECT DISTINCT provinceShort FROM admin_units",
    ],
    "district": [
        "SELECT DISTINCT districtShort FROM admin_units_legacy",
        "SELECT DISTINCT district FROM admin_units_legacy",
    ],
    "ward": [
        "SELECT DISTINCT wardShort FROM admin_units_legacy",
        "SELECT DISTINCT ward FROM admin_units_legacy",
        "SELECT DISTINCT wardShort FROM admin_units",
        "SELECT DISTINCT ward FROM admin_units",
    ],
}
_TYPE = re.compile(r"^(?:Tỉnh|Thành phố|Huyện|Quận|Thị xã|Xã|Phường|Thị trấn|Đặc khu)\s+")
# "Yên Viên (Thị trấn)": the package tells same-named units apart with their type in brackets.
_BRACKETS = re.compile(r"\s*\([^)]*\)\s*$")
# "Phường 1", "Mỹ Đình 1": numbered units are read by the place grammar itself.
_HAS_DIGIT = re.compile(r"\d")
# Between syllables: spaces, and the dash of a joined name ("Bà Rịa - Vũng Tàu", "Bà Rịa–Vũng Tàu").
_JOINTS = re.compile(r"[\s\-–—]+")
# The five tone marks, as combining characters: where one sits varies between writers.
_TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}
LONGEST_NAME = 6  # syllables ("Văn Miếu Quốc Tử Giám" has five)


def name_key(name: str) -> str:
    """A name's lookup key: lower case, each syllable's tone mark moved to its end.

    "Thanh Hoà" and "Thanh Hòa" both give "thanh hoa2"; dashes between syllables are dropped,
    apostrophes kept as one ("Cư M’gar" is "Cư M'gar")."""
    syllables = []
    for syllable in _JOINTS.split(unicodedata.normalize("NFD", name.lower().replace("’", "'"))):
        tone = "".join(_TONES.get(char, "") for char in syllable)
        bare = "".join(char for char in syllable if char not in _TONES)
        syllables.append(unicodedata.normalize("NFC", bare) + tone)
    return " ".join(syllables)


def _database() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("vietnamadminunits is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "dataset.db"


@cache
def names() -> dict[str, frozenset[str]]:
    """Folded official names per level ("province", "district", "ward"), old and new."""
    found: dict[str, set[str]] = {level: set() for level in _QUERIES}
    with sqlite3.connect(f"file:{_database()}?mode=ro", uri=True) as connection:
        for level, queries in _QUERIES.items():
            for query in queries:
                for (name,) in connection.execute(query):
                    if name and not _HAS_DIGIT.search(name):
                        found[level].add(name_key(_TYPE.sub("", _BRACKETS.sub("", name))))
    return {level: frozenset(keys) for level, keys in found.items()}


def is_known(kind: str, name: str) -> bool:
    """Whether `name` is an official name at the level of `kind` ("huyện", "Can Lộc")."""
    key = name_key(nfc(name))
    return any(key in names()[level] for level in KIND_LEVELS.get(kind, ()))


def known_prefix(kind: str, words: list[str]) -> int:
    """How many of `words` make the longest official name at the level of `kind`; 0 if none.

    ["Đức", "Phổ", "Trần", "Phước", "Hiệp"] after "thị xã" gives 2.
    """
    if kind not in KIND_LEVELS:
        return 0
    for size in range(min(len(words), LONGEST_NAME), 0, -1):
        if is_known(kind, " ".join(words[:size])):
            return size
    return 0
