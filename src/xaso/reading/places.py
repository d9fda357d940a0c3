"""Administrative places named in a text: "xã Hà Linh", "Thị trấn Hương Khê", "huyện Lâm Bình",
"thôn Cẩm Trang", "thôn 9", "tổ dân phố 3"."""

import re

from xaso.reading import budget
from xaso.reading.people import NAME_SYLLABLE

_KIND = (
    r"(?P<kind>[Xx]ã|[Tt]hị\s+[Tt]rấn|[Hh]uyện|[Tt]ỉnh|[Tt]hôn|[Tt]ổ\s+dân\s+phố|[Pp]hường|[Bb]ản)"
)
_NAME = rf"{NAME_SYLLABLE}(?:[ \t]+{NAME_SYLLABLE}){{0,3}}|\d{{1,3}}(?!\d)"
_PLACE = re.compile(rf"(?<![\w]){_KIND}[ \t]+(?P<name>{_NAME})")
# Capitalised words that follow a kind word but are not place names.
_NOT_NAMES = {"Đảng", "Ủy", "Uỷ", "Hội", "Ban", "Nông", "Ngày", "Thị", "Bí", "Phó", "Chủ"}


# After "các thôn A": more names of the same kind, ", B", " và C".
_MORE = re.compile(rf"(?:[ \t]*,[ \t]*|[ \t]+và[ \t]+)(?P<name>{_NAME})")
_PLURAL = re.compile(r"(?:các|những|hai|ba|bốn|năm)\s+$", re.IGNORECASE)


def find_places(text: str) -> list[str]:
    """Distinct places in order of first mention, written "<kind> <Name>" in lower-case kind."""
    seen: dict[str, str] = {}
    for match in _PLACE.finditer(text):
        budget.check()
        if text[max(0, match.start() - 4) : match.start()].lower().endswith("thị "):
            continue  # "thị xã Hoàng Mai" is a town, not a commune
        kind = " ".join(match.group("kind").lower().split())
        names = [match.group("name")]
        if _PLURAL.search(text[max(0, match.start() - 12) : match.start()]):
            cursor = match.end()
            while more := _MORE.match(text, cursor):
                names.append(more.group("name"))
                cursor = more.end()
        for name in names:
            if name.split()[0] not in _NOT_NAMES:
                seen.setdefault(f"{kind} {name}".lower(), f"{kind} {name}")
    return list(seen.values())
