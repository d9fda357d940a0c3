"""Administrative places named in a text: "xã Hà Linh", "Thị trấn Hương Khê", "huyện Lâm Bình",
"thôn Cẩm Trang", "thôn 9", "tổ dân phố 3"."""

import re

from xaso.reading.people import NAME_SYLLABLE

_KIND = (
    r"(?P<kind>[Xx]ã|[Tt]hị\s+[Tt]rấn|[Hh]uyện|[Tt]ỉnh|[Tt]hôn|[Tt]ổ\s+dân\s+phố|[Pp]hường|[Bb]ản)"
)
_NAME = rf"{NAME_SYLLABLE}(?:[ \t]+{NAME_SYLLABLE}){{0,3}}|\d{{1,3}}(?!\d)"
_PLACE = re.compile(rf"(?<![\w]){_KIND}[ \t]+(?P<name>{_NAME})")
# Capitalised words that follow a kind word but are not place names.
_NOT_NAMES = {"Đảng", "Ủy", "Uỷ", "Hội", "Ban", "Nông", "Ngày", "Thị", "Bí", "Phó", "Chủ"}


def find_places(text: str) -> list[str]:
    """Distinct places in order of first mention, written "<kind> <Name>" in lower-case kind."""
    seen: dict[str, str] = {}
    for match in _PLACE.finditer(text):
        name = match.group("name")
        if name.split()[0] in _NOT_NAMES:
            continue
        kind = " ".join(match.group("kind").lower().split())
        place = f"{kind} {name}"
        seen.setdefault(place.lower(), place)
    return list(seen.values())
