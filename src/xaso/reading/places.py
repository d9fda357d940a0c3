"""Administrative places named in a text: "xã Hà Linh", "Thị trấn Hương Khê", "thị xã Sa Pa",
"thôn Cẩm Trang", "thôn 9", "tổ dân phố 3", "khu Cầu Mười", and lists sharing one kind word ("các
xã Tân Kỳ, Nam Tân và Nghĩa Hoàn", "2 huyện A và B").

A place is a kind word then a capitalised name. Where the name ends is decided by the gazetteer
of official names (the longest one known wins), else by the grammar around it: a title word or a
person's name after the place ends it ("Chủ tịch UBND xã Thọ Thanh Nguyễn Văn A"), and a kind word
that ends a position is followed by a person, not a place ("Chủ tịch UBND tỉnh Lê Văn B")."""

import re

from xaso.reading import budget, gazetteer
from xaso.reading.people import NAME_SYLLABLE

# Longest first where one kind begins another ("khu phố" before "khu").
_KINDS = (
    "tổ dân phố",
    "khu phố",
    "thành phố",
    "thị trấn",
    "thị xã",
    "tỉnh",
    "huyện",
    "quận",
    "phường",
    "xã",
    "thôn",
    "xóm",
    "bản",
    "ấp",
    "khóm",
    "khu",
)


def _either_case(kind: str) -> str:
    words = kind.split()
    first = f"[{words[0][0].upper()}{words[0][0]}]{words[0][1:]}"
    return r"[ \t]+".join([first, *words[1:]])


_KIND = "(?P<kind>" + "|".join(_either_case(kind) for kind in _KINDS) + ")"
# "TP Hà Nội", "TP. Biên Hòa", "TX Sa Pa": the kind word abbreviated.
_ABBREVIATIONS = {"tp": "thành phố", "tx": "thị xã"}
_ABBREVIATION = r"(?P<abbreviation>T[Pp]|TX)(?:\.[ \t]*|[ \t]+)"
# A syllable of a place's name; Central Highlands names keep an apostrophe ("Cư M'gar", "Ea
# H'leo", "Đắk R'Lấp").
_SYLLABLE = rf"(?:(?:{NAME_SYLLABLE}|[A-ZĐ])['’]\w+|{NAME_SYLLABLE})"
_SYLLABLES = re.compile(_SYLLABLE)
# Between syllables: spaces, or the dash of a joined name ("Bà Rịa - Vũng Tàu").
_JOINT = r"(?:[ \t]+|[ \t]*[-–][ \t]*)"
_MORE_SYLLABLES = gazetteer.LONGEST_NAME - 1
_NAME = rf"{_SYLLABLE}(?:{_JOINT}{_SYLLABLE}){{0,{_MORE_SYLLABLES}}}|\d{{1,3}}(?!\d)"
# "các xã: A, B và C": a colon may stand between the kind word and the names.
_PLACE = re.compile(rf"(?<!\w)(?:{_KIND}[ \t]*:?[ \t]+|{_ABBREVIATION})(?P<name>{_NAME})(?!\w)")
_NUMBER = re.compile(r"\d+")

# "thị xã X" is a town, not the commune "xã X"; "hợp tác xã X" a cooperative; "đặc khu X" is not
# the zone "khu X".
_LONGER_KIND_BEFORE = re.compile(r"(?<!\w)(?:thị|hợp[ \t]+tác|đặc)[ \t]+$", re.IGNORECASE)
# Before the kind word, a plural: the names after it all share that kind.
_PLURAL = re.compile(
    r"(?<!\w)(?:các|những|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|(?<![\d/.,])\d{1,3})[ \t]+$",
    re.IGNORECASE,
)
# The next name of a list: ", B", " và C", ", và D".
_NEXT = re.compile(rf"(?P<joint>[ \t]*,[ \t]*(?:và[ \t]+)?|[ \t]+và[ \t]+)(?P<name>{_NAME})(?!\w)")

# Capitalised words that begin a title or an organisation, never a place's name.
_TITLE_WORDS = {"Đảng", "Ủy", "Uỷ", "Hội", "Ban", "Nông", "Ngày", "Thị", "Bí", "Phó", "Chủ"}
_TITLE_WORDS |= {"Trưởng", "Giám", "Chánh", "Tổng", "Thường", "Đồng", "Ông", "Bà", "Đ/c"}
# Vietnamese family names, the first syllable of a person's name (an open class, but these few
# cover most people: surveys put the first fourteen at nine in ten Vietnamese).
_FAMILY_NAMES = {
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đàm", "Lữ", "Lương", "Đinh", "Trịnh", "Mai", "Đoàn", "Cao",
    "Lâm", "Tạ", "Hà", "Chu", "Quách", "Tô", "Lưu", "Vương", "Triệu", "Kiều", "Nông", "Lục",
    "Hứa", "Tăng", "Khổng", "Mạc", "Thái", "Trương", "Đào", "Đường", "Hầu", "Tống", "Vi",
}  # fmt: skip
# A title in the clause before the kind word: the kind ends a position ("Chủ tịch UBND tỉnh").
_TITLE_BEFORE = re.compile(
    r"(?:chủ\s+tịch|chủ\s+nhiệm|bí\s+thư|phó|trưởng|giám\s+đốc|[uủ]ỷ?\s+viên|chánh|thư\s+ký"
    r"|tổng|đại\s+biểu|đbqh)(?!\w)[^,;.:\n()–]*$",
    re.IGNORECASE,
)
# Kind words that are also common nouns ("Khu di tích", "bản đồ"): a lone unknown syllable then
# a lower-case word is such a noun, not a place.
_NOUN_KINDS = {"khu", "khu phố", "bản", "ấp", "khóm"}
_LOWER_WORD_AFTER = re.compile(r"[ \t]+[^\W\dA-ZĐ]", re.UNICODE)


def find_places(text: str) -> list[str]:
    """Distinct places in order of first mention, written "<kind> <Name>" in lower-case kind."""
    seen: dict[str, str] = {}
    cursor = 0
    for match in _PLACE.finditer(text):
        budget.check()
        if match.start() < cursor:
            continue  # a name already read as part of a list
        if _LONGER_KIND_BEFORE.search(text[max(0, match.start() - 12) : match.start()]):
            continue
        kind = _kind(match)
        clause = text[max(0, match.start() - 80) : match.start()]
        name, end = _read_name(text, match.start("name"), match.group("name"), kind, clause)
        if name is None:
            continue
        _add(seen, kind, name)
        plural = bool(_PLURAL.search(clause[-16:]))
        while (more := _NEXT.match(text, end)) and (plural or "và" in more.group("joint")):
            start = more.start("name")
            name, end = _read_name(text, start, more.group("name"), kind, "", listed=not plural)
            if name is None:
                break
            _add(seen, kind, name)
            cursor = end
    return list(seen.values())


def _kind(match: re.Match) -> str:
    if match.group("abbreviation"):
        return _ABBREVIATIONS[match.group("abbreviation").lower()]
    return " ".join(match.group("kind").lower().split())


def _add(seen: dict[str, str], kind: str, name: str) -> None:
    seen.setdefault(f"{kind} {name}".lower(), f"{kind} {name}")


def _read_name(
    text: str, start: int, written: str, kind: str, clause: str, *, listed: bool = False
) -> tuple[str | None, int]:
    """The place's name among the capitalised words after a kind word, and where it ends.

    `listed`: a name joined by "và" to a place with no plural before it ("huyện Thạch Hà và Can
    Lộc") is taken only when it is an official name."""
    spans = [syllable.span() for syllable in _SYLLABLES.finditer(written)]
    if not spans:
        spans = [_NUMBER.match(written).span()]
    words = [written[a:b] for a, b in spans]
    size = gazetteer.known_prefix(kind, words)
    if not size and not listed:
        # A name the gazetteer does not know stops at a dash: "thôn Nà Pồng - xã Tân Lập".
        dash = next((i for i in range(1, len(spans)) if "-" in _joint(written, spans, i)), None)
        size = _unknown_name_size(words[:dash], kind, clause)
        if size == 1 and not words[0].isdigit() and _lone_word_is_no_name(text, start, spans, kind):
            size = 0
    if not size:
        return None, start
    name = " ".join(written[spans[0][0] : spans[size - 1][1]].split())
    return name, start + spans[size - 1][1]


def _lone_word_is_no_name(text: str, start: int, spans: list, kind: str) -> bool:
    """One unknown capitalised word after a kind word: no unit's name (those of one syllable are
    all in the gazetteer: "HĐND tỉnh Khóa XV"), nor a noun's first word ("Khu di tích")."""
    if kind in gazetteer.KIND_LEVELS:
        return True
    return kind in _NOUN_KINDS and bool(_LOWER_WORD_AFTER.match(text, start + spans[0][1]))


def _joint(written: str, spans: list[tuple[int, int]], index: int) -> str:
    """What separates syllable `index` from the one before, with the en dash read as "-"."""
    return written[spans[index - 1][1] : spans[index][0]].replace("–", "-")


def _unknown_name_size(words: list[str], kind: str, clause: str) -> int:
    """How many words make a name the gazetteer does not know (a village, an old commune)."""
    if words[0].isdigit():
        return 1
    # "Chủ tịch HĐND tỉnh Trần Văn B": a person after a position. The gazetteer knows nearly
    # every unit, so after a unit's kind word such a name is a person even with no title before
    # it; a village may be named so ("thôn Hoàng Xá Đông").
    person_like = len(words) >= 3 and words[0] in _FAMILY_NAMES
    if person_like and (kind in gazetteer.KIND_LEVELS or _TITLE_BEFORE.search(clause)):
        return 0
    for index, word in enumerate(words):
        if word in _TITLE_WORDS:
            return index
        if index and word in _FAMILY_NAMES and len(words) - index >= 2:
            return index  # "xã Tân Phúc Nguyễn Văn A": a person glued after the place
    return len(words)
