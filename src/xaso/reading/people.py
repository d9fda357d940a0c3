"""People and their positions: "Đ/c Phan Đình Tâm, PBT Thường trực Đảng ủy", "đồng chí Hồ Văn
Dần - Ủy viên BTV - Trưởng ban tổ chức huyện ủy", "Tác giả: Phạm Hồng Lĩnh"; with the role they
played in the meeting where the sentence says it (chủ trì, phát biểu chỉ đạo, kết luận, …)."""

import re
import unicodedata

from xaso.reading import budget
from xaso.reading.model import PersonMention
from xaso.vn.abbreviations import normalise_title


def _letters(upper: bool) -> str:
    """Latin letters with Vietnamese diacritics, of one case (a regex range would mix cases)."""
    chars = {
        c
        for c in map(chr, range(0x41, 0x1EFA))
        if (c.isupper() if upper else c.islower())
        and unicodedata.normalize("NFD", c)[0].upper() in "ABCDEGHIKLMNOPQRSTUVXY"
    }
    chars |= {"Đ"} if upper else {"đ"}
    return "".join(sorted(chars))


# One syllable of a personal name: a capital letter then lowercase letters; syllables on one line.
NAME_SYLLABLE = f"[{_letters(upper=True)}][{_letters(upper=False)}]+"
# Capitalised words that begin a title, not a name: "Đồng chí Phạm Thị Yến Chủ tịch UBND".
_TITLE_WORD = r"(?:Chủ|Phó|Bí|Trưởng|Ủy|Uỷ|Giám|Chánh|Tổng|Thường|Trung|Đại|Huyện|Tỉnh)(?!\w)"
_NAME = rf"(?P<name>{NAME_SYLLABLE}(?:[ \t]+(?!{_TITLE_WORD}){NAME_SYLLABLE}){{1,4}})"
_RANK = r"(?:Thiếu|Trung|Thượng|Đại)\s+(?:tá|úy|uý)"
_HONORIFIC = rf"(?:[Đđ]/[cC]|[Đđ]ồng\s+chí|các\s+đồng\s+chí|[Ôô]ng|[Bb]à|{_RANK})"
_MENTION = re.compile(rf"{_HONORIFIC}\s*:?\s+{_NAME}(?=(?P<after>[^\n]{{0,260}}))")
_BYLINE = re.compile(
    rf"(?P<label>Tác\s+giả|Ảnh\s+và\s+tin\s+bài|Tin\s+và\s+ảnh|Tin,\s*ảnh|Bài\s+và\s+ảnh)\s*:\s*{_NAME}"
)

# Words that end a position: what the person did, or the next item of a list.
_POSITION_END = re.compile(
    r"\s*(?:[;.\n(]|\s-\s*Nguồn|,\s*(?:các|cùng|đồng\s+thời|đại\s+diện\s+lãnh\s+đạo)\s"
    r"|\s(?:và|đã|đánh\s+giá|phát\s+biểu|chủ\s+trì|thông\s+qua|trình\s+bày|tham\s+luận|tha\s+luận"
    r"|báo\s+cáo|kết\s+luận|làm\s+việc|về\s+dự|dự|tham\s+dự|nêu|nhấn\s+mạnh|cho\s+biết|đề\s+nghị"
    r"|yêu\s+cầu|tặng|trao|chỉ\s+đạo\s+(?:hội|buổi|tại)|với)\b)",
    re.IGNORECASE,
)
_ROLES = [  # checked in order on the words after the position, up to the end of the sentence
    ("chair", re.compile(r"\bchủ\s+trì\b", re.IGNORECASE)),
    ("concluding", re.compile(r"\bkết\s+luận\b", re.IGNORECASE)),
    ("directing", re.compile(r"\bchỉ\s+đạo\b", re.IGNORECASE)),
    ("reporting", re.compile(r"\b(?:thông\s+qua\s+)?báo\s+cáo\b", re.IGNORECASE)),
    ("speaker", re.compile(r"\bth?a\s+luận\b|\btham\s+luận\b", re.IGNORECASE)),
    ("attendee", re.compile(r"\b(?:về\s+)?(?:tham\s+)?dự\b", re.IGNORECASE)),
]
_ROLE_BEFORE = [  # "dưới sự chủ trì của đồng chí X", "Dự và chỉ đạo hội nghị có đồng chí X"
    ("chair", re.compile(r"chủ\s+trì\s+của\s*$", re.IGNORECASE)),
    ("concluding", re.compile(r"kết\s+luận[^.;\n]{0,60},\s*$", re.IGNORECASE)),
    ("directing", re.compile(r"chỉ\s+đạo\s*hội\s+nghị\s+có\s*$", re.IGNORECASE)),
    ("attendee", re.compile(r"(?:tham\s+)?dự[^.;\n]{0,30}\s+có\s*$", re.IGNORECASE)),
]
_RANK = {
    "chair": 0,
    "concluding": 1,
    "directing": 2,
    "reporting": 3,
    "speaker": 4,
    "attendee": 5,
    "author": 6,
}


def _position(after: str) -> tuple[str, str]:
    """Split what follows a name into (position, the rest of the sentence)."""
    after = after.lstrip()
    if after[:1] in {",", "-", "–", ":"}:
        after = after[1:]
    stop = _POSITION_END.search(after)
    position = after[: stop.start()] if stop else after
    return position.strip(" ,-–"), after[stop.start() :] if stop else ""


def _role(rest: str, before: str) -> str | None:
    sentence = re.split(r"[.;\n]", rest, maxsplit=1)[0]
    for role, pattern in _ROLES:
        if pattern.search(sentence):
            return role
    for role, pattern in _ROLE_BEFORE:
        if pattern.search(before):
            return role
    return None


def find_people(text: str) -> list[PersonMention]:
    """Every person named with an honorific or a byline, merged by name: the first position
    written for them, and the strongest role any sentence gives them."""
    people: dict[str, PersonMention] = {}
    for match in _MENTION.finditer(text):
        budget.check()
        position, rest = _position(match.group("after"))
        if len(position) > 160:
            position = ""
        before = text[max(0, match.start() - 60) : match.start()]
        _add(people, match.group("name"), position, _role(rest, before), match)
    for match in _BYLINE.finditer(text):
        budget.check()
        _add(people, match.group("name"), match.group("label"), "author", match)
    return sorted(people.values(), key=lambda person: person.start)


def _add(people: dict, name: str, position: str, role: str | None, match) -> None:
    name = " ".join(name.split())
    known = people.get(name)
    if known is None:
        people[name] = PersonMention(
            name=name,
            position=position,
            position_normalised=normalise_title(position) if position else "",
            role=role,
            start=match.start(),
            end=match.end(),
        )
        return
    if not known.position and position:
        known.position, known.position_normalised = position, normalise_title(position)
    if role and (known.role is None or _RANK[role] < _RANK[known.role]):
        known.role = role
