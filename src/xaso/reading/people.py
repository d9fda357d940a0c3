"""People and their positions: "Đ/c Phan Đình Tâm, PBT Thường trực Đảng ủy", "đồng chí Hồ Văn
Dần - Ủy viên BTV - Trưởng ban tổ chức huyện ủy", "Bí thư Huyện ủy Lê Văn A chủ trì", "Trung
tướng Hà Văn B", "Tác giả: Phạm Hồng Lĩnh"; with the role they played in the meeting where the
sentence says it (chủ trì, phát biểu chỉ đạo, kết luận, …).

A person is found four ways:
- after an honorific or a rank ("đồng chí", "ông", "bà", "Đ/c", "Đại tá", "Trung tướng"), the
  position written after the name; "các đồng chí A, …; B, …" goes on through the list;
- after a kinship word used as a title ("anh", "chị", "cháu" …) when the name starts with a
  family name;
- after a position written before the name, with no honorific: one or more titles, each a head
  word ("Bí thư", "Phó Chủ tịch", "Ủy viên", "Giám đốc" …) and its organ, separated by commas or
  dashes ("Bí thư Thị ủy, Chủ tịch UBND thị xã Đức Phổ Trần Văn A"). The name is the run of
  capitalised syllables that starts with a family name; a place written before it (after a
  kind word, the longest name the gazetteer knows) stays in the position;
- in a byline: "Tác giả:", "Thực hiện:", "Nguồn tin:" …, or a last line that is only a name.
"""

import re
import unicodedata

from xaso.reading import budget, gazetteer
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


_UPPER, _LOWER = _letters(upper=True), _letters(upper=False)
# One syllable of a personal name: a capital letter then lowercase letters; syllables on one line.
NAME_SYLLABLE = f"[{_UPPER}][{_LOWER}]+"
_SYLLABLE = re.compile(NAME_SYLLABLE)
# Vietnamese family names: the first syllable of a name that no honorific introduces (a closed
# class for this purpose; the common ones cover nearly everyone).
_FAMILY_WORDS = """Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Lương
Đinh Trịnh Đoàn Đào Cao Lâm Mai Trương Hà Tô Tạ Lưu Chu Châu Quách Thái Tăng La Kiều Triệu Đàm
Nông Lò Lữ Lại Mạc Khúc Hứa Từ Vương Phùng Thân Tống Giang Doãn Âu Cù Diệp Lục Nghiêm Quan Tôn
Đồng Hầu Bạch Bế Ninh Viên Khổng Mẫn Ma Sầm Lường Quàng Cầm Vi Lộc Thạch Kim Đường Ksor Rah"""
FAMILY_NAMES = frozenset(_FAMILY_WORDS.split())
_FAMILY = "(?:" + "|".join(sorted(FAMILY_NAMES, key=len, reverse=True)) + ")"
# Capitalised words that begin a title, not a name: "Đồng chí Phạm Thị Yến Chủ tịch UBND". A
# word that is also a name's syllable ("Trung", "Đại", "Thành") stops a name only before the
# word that makes it a title.
_TITLE_WORD = (
    r"(?:(?:Chủ|Phó|Bí|Ủy|Uỷ|Giám|Chánh|Tổng|Trưởng|Huyện|Tỉnh)(?!\w)|Thường[ \t]+(?:trực|vụ)"
    r"|(?:Thiếu|Trung|Thượng|Đại)[ \t]+(?:tá|tướng|úy|uý)|Trung[ \t]+ương|Đại[ \t]+(?:biểu|diện)"
    r"|(?:Thành|Thị|Đảng)[ \t]+(?:ủy|uỷ)(?!\w))"
)
_NAME = rf"(?P<name>{NAME_SYLLABLE}(?:[ \t]+(?!{_TITLE_WORD}){NAME_SYLLABLE}){{1,4}})"
_RANK_WORDS = r"(?:[Tt]hiếu|[Tt]rung|[Tt]hượng|[Đđ]ại)\s+(?:tá|úy|uý|tướng)|[Cc]huẩn\s+(?:úy|uý)"
# (Each pattern first looks at one character: a quick way past most of the text.)
_HONORIFIC = (
    rf"(?=[ĐđÔôBbTtCc])(?<!\w)(?P<honorific>[Đđ]/[cC]|[Đđ]ồng\s+chí|[Ôô]ng|[Bb]à|{_RANK_WORDS})"
)
_MENTION = re.compile(rf"{_HONORIFIC}\s*:?\s+{_NAME}")
# A kinship word used as a title ("cháu Nguyễn Văn A", "chị Hà Thị B"): only before a full name.
_KIN = re.compile(
    rf"(?=[AaCcEeBb])(?<!\w)(?:[Aa]nh|[Cc]hị|[Ee]m|[Cc]háu|[Cc]ô|[Cc]hú|[Bb]ác|[Cc]ụ)[ \t]+"
    rf"(?P<name>{_FAMILY}(?:[ \t]+(?!{_TITLE_WORD}){NAME_SYLLABLE}){{1,3}})(?!\w)"
)
# "các đồng chí: A, Bí thư …; B, Phó Bí thư …": the next name of the list.
_NEXT_ITEM = re.compile(
    rf"[ \t]*(?:[,;][ \t]*(?:và[ \t]+)?|[ \t]+và[ \t]+)(?:(?:{_RANK_WORDS}|đồng\s+chí|ông|bà)\s+)?"
    rf"{_NAME}(?=[ \t]*(?:[,;.\n\-–]|$))"
)
_PLURAL_BEFORE = re.compile(r"(?<!\w)[Cc]ác\s*$")
# A writer's byline: the label, then a name alone ("Thực hiện: Minh Châu"), not an office's.
_BYLINE = re.compile(
    r"(?=[TẢBN])(?<!\w)(?P<label>Tác\s+giả|Ảnh\s+và\s+tin\s+bài|Tin\s+và\s+ảnh|Tin,\s*ảnh|Bài\s+và\s+ảnh"
    r"|Bài,\s*ảnh|Thực\s+hiện|Nguồn\s+tin|Người\s+viết)[ \t]*:[ \t]*"
    rf"{_NAME}(?=[ \t]*(?:$|[\n,(\-–]))",
    re.MULTILINE,
)
# A last line that is only a name: the writer's byline ("Thanh Nhàn").
_LAST_LINE = re.compile(rf"\n[ \t]*(?P<name>{NAME_SYLLABLE}(?:[ \t]+{NAME_SYLLABLE}){{1,3}})\s*$")

# Words that end a position: what the person did, or the next item of a list.
_POSITION_END = re.compile(
    r"\s*(?:[;.\n(]|\s-\s*Nguồn|,\s*(?:các|cùng|đồng\s+thời|đại\s+diện\s+lãnh\s+đạo)\s"
    rf"|[,;]\s*(?=(?-i:{_FAMILY}(?:[ \t]+{NAME_SYLLABLE}){{1,3}})[ \t]*[,;\-–])"
    r"|\s(?:và|đã|đánh\s+giá|phát\s+biểu|chủ\s+trì|thông\s+qua|trình\s+bày|tham\s+luận|tha\s+luận"
    r"|báo\s+cáo|kết\s+luận|làm\s+việc|về\s+dự|dự|tham\s+dự|nêu|nhấn\s+mạnh|cho\s+biết|đề\s+nghị"
    r"|yêu\s+cầu|tặng|trao|chỉ\s+đạo\s+(?:hội|buổi|tại)|với|tiếp\s+thu|ghi\s+nhận|khai\s+mạc"
    r"|bế\s+mạc|phát\s+động|khẳng\s+định|biểu\s+dương|chúc\s+mừng|giải\s+trình|quán\s+triệt"
    r"|tiếp\s+tục|tái\s+cử|trúng\s+cử|được|ở)\b)",
    re.IGNORECASE,
)
# A position given by the meeting itself: "bà X tiếp tục được bầu làm Chủ tịch Hội", "ông Y tái
# cử Chủ tịch Hội": the position is the title after the verb.
_ELECTED = re.compile(
    r"(?:tiếp\s+tục\s+)?(?:được\s+)?(?:bầu|tái\s+cử|trúng\s+cử|tái\s+đắc\s+cử|bổ\s+nhiệm)"
    rf"(?:\s+(?:giữ\s+)?(?:chức(?:\s+vụ)?|làm|là))?\s+(?=[{_UPPER}])"
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

# --------------------------------------------------------------- a position before the name
# The head word of a title written before a name, capitalised ("Phó Chủ tịch UBND tỉnh",
# "Ủy viên Ban Thường vụ Huyện ủy", "Chỉ huy trưởng Bộ CHQS tỉnh", "PCT UBND xã").
_HEAD = re.compile(
    r"(?<!\w)(?:Phó|Bí\s+thư|Chủ\s+(?:tịch|nhiệm)|(?:Ủy|Uỷ)\s+viên|(?:Huyện|Tỉnh|Thành|Đảng)\s+(?:ủy|uỷ)"
    r"\s+viên|Trưởng|Giám\s+đốc|Chánh|Tổng\s+(?:[Bb]í\s+thư|[Gg]iám|[Tt]ham|[Bb]iên|[Cc]ục|[Tt]hư)"
    r"|(?:Thứ|Bộ|Viện|Cục|Vụ|Hiệu|Chi\s+hội|Hội)\s+trưởng|Thủ\s+tướng|Chỉ\s+huy|Chính\s+(?:ủy|uỷ)|Tư\s+lệnh"
    r"|Thư\s+ký|Đại\s+biểu\s+Quốc\s+hội|Nguyên|P?BT|P?CT|HUV|TUV|UVBTV|UVBCH)(?!\w)"
)
# Words that cannot stand between a title's head and the name it is of: verbs, prepositions,
# honorifics ("Chủ tịch UBND xã biểu dương anh Hà Văn A" names no Chủ tịch).
_NOT_TITLE = re.compile(
    r"(?<!\w)(?:đã|đang|sẽ|vừa|là|của|cho|với|tại|trong|khi|được|bị|có|nhận|trao|tặng|giao|gửi"
    r"|mời|khen|chúc|thăm|gặp|tiếp|hỏi|ký|chủ\s+trì|phát\s+biểu|báo\s+cáo|kết\s+luận|đề\s+nghị"
    r"|yêu\s+cầu|cho\s+biết|nhấn\s+mạnh|làm\s+việc|biểu\s+dương|giới\s+thiệu|đánh\s+giá"
    r"|phân\s+công|chỉ\s+định|quyết\s+định|thay\s+mặt|cảm\s+ơn|động\s+viên|dự|cùng|đến|về|ở"
    r"|theo|để|gồm|các|những|này|đó|thì|mà|nhưng|hoặc|đồng\s+chí|ông|bà|anh|chị|em|cháu|cô|chú"
    rf"|bác|và(?![ \t]+[{_UPPER}]))(?!\w)"
)
# A clause boundary before a title: the title is inside one clause.
_CLAUSE_END = re.compile(r"[.;:!?()\"“”\n]")
# Titles of a list are joined by a comma or a dash.
_TITLE_JOINT = re.compile(r",|\s[-–]\s")
# A kind word just before the run of capitalised words: a place's name may come first.
_KIND_BEFORE = re.compile(
    r"(?<!\w)(?P<kind>thành\s+phố|thị\s+xã|thị\s+trấn|tỉnh|huyện|quận|xã|phường|thôn|xóm|bản|ấp"
    r"|khu\s+phố|tổ\s+dân\s+phố)[ \t]+$"
)
# A run of capitalised syllables, where a name after a position may be.
_RUN = re.compile(rf"(?<![\w/'’]){NAME_SYLLABLE}(?:[ \t]+{NAME_SYLLABLE})+(?![\w'’])")
# The person an anniversary is of ("132 năm ngày sinh Chủ tịch …") is no one at the meeting.
_ANNIVERSARY = re.compile(r"(?:ngày\s+(?:sinh|mất|giỗ)|kỷ\s+niệm|[Tt]heo\s+gương)\s*$")
_LOOK_BACK = 240  # characters: the titles before a name


def _name_in_run(words: list[str], kind: str | None) -> int | None:
    """Where the person's name starts among a run's words, or None when it holds none: a
    family name with one to three more syllables, after the place's name the gazetteer knows
    ("Đức Phổ Trần Văn A" after "thị xã"; "Hà Giang Lê Văn B" after "Tỉnh ủy")."""
    if kind:
        first = gazetteer.known_prefix(kind, words)
    else:  # after an organ ("Huyện ủy", "Hội CCB"): a place of any level may come first
        first = max(gazetteer.known_prefix(level, words) for level in ("tỉnh", "huyện", "xã"))
        if first == len(words):
            return None  # "Bí thư Tỉnh ủy Hà Giang"
        if not (first and words[first] in FAMILY_NAMES and len(words) - first >= 2):
            first = 0  # a name the gazetteer also knows ("Trần Phú Quang")
    for index in range(first, len(words)):
        left = len(words) - index
        if words[index] in FAMILY_NAMES and 2 <= left <= 4:
            # After a kind word a short run is a place's name ("xã Lương Sơn"), not a person.
            if index == 0 and kind and left < 3:
                return None
            return index
    return None


def _titles_before(text: str, end: int) -> int | None:
    """Where the titles written just before `end` begin, or None when none is: each clause
    piece (split at commas and dashes), from the last back, is a title when it holds a head word
    followed by no verb; a piece with other words before its head is the last one taken."""
    window = text[max(0, end - _LOOK_BACK) : end]
    cut = max((m.end() for m in _CLAUSE_END.finditer(window)), default=0)
    offset = end - len(window) + cut
    window = window[cut:]
    pieces, last = [], 0
    for joint in _TITLE_JOINT.finditer(window):
        pieces.append((last, joint.start()))
        last = joint.end()
    pieces.append((last, len(window)))
    start = None
    for a, b in reversed(pieces):
        piece = window[a:b]
        head = next(
            (h for h in _HEAD.finditer(piece) if not _NOT_TITLE.search(piece, h.end())), None
        )
        if head is None:
            break
        start = offset + a + head.start()
        if piece[: head.start()].strip():
            break
    return start


def _titled(text: str) -> list[tuple[int, int, str, str]]:
    """Names written after their position: (start of the position, end of the name, name,
    position)."""
    found = []
    for run in _RUN.finditer(text):
        budget.check()
        words = run.group().split()
        if not any(word in FAMILY_NAMES for word in words):
            continue
        start = _titles_before(text, run.start())
        if start is None or _ANNIVERSARY.search(text, max(0, start - 30), start):
            continue
        kind = _KIND_BEFORE.search(text, max(0, run.start() - 20), run.start())
        kind = " ".join(kind.group("kind").split()) if kind else None
        index = _name_in_run(words, kind)
        if index is None:
            continue
        name_start = run.start() + [m.start() for m in _SYLLABLE.finditer(run.group())][index]
        position = text[start:name_start].strip(" ,-–")
        found.append((start, run.end(), " ".join(words[index:]), position))
    return found


# ------------------------------------------------------------------------------ reading them
# "Cùng dự có các Phó Tổng Tham mưu trưởng: Trung tướng A; Trung tướng B": the list's title.
_PLURAL_TITLE = re.compile(
    rf"(?<!\w)[Cc]ác\s+(?P<title>(?:{_HEAD.pattern})[^:;.\n]{{0,80}}?)\s*:[^.\n]*$"
)


def _position(after: str) -> tuple[str, str]:
    """Split what follows a name into (position, the rest of the sentence)."""
    after = after.lstrip()
    if after[:1] in {",", "-", "–", ":"}:
        after = after[1:]
    if elected := _ELECTED.match(after):
        after = after[elected.end() :]
    after = " " + after  # a verb right after the name ends an empty position
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


def _after(text: str, start: int, end: int) -> tuple[str, str | None, int]:
    """The position written after a name ending at `end` and the role its sentence gives;
    where the position ends."""
    after = text[end : end + 260].split("\n", 1)[0]
    position, rest = _position(after)
    if len(position) > 160:
        position = ""
    before = text[max(0, start - 60) : start]
    return position, _role(rest, before), end + len(after) - len(rest)


def _list_title(text: str, start: int) -> str:
    """The title a list's items share, "các Phó Chủ tịch: A; B", when the item at `start`
    follows it in the same sentence."""
    plural = _PLURAL_TITLE.search(text, max(0, start - 200), start)
    return " ".join(plural.group("title").split()) if plural else ""


def _is_place(words: list[str]) -> bool:
    return any(gazetteer.known_prefix(kind, words) >= 2 for kind in ("tỉnh", "huyện", "xã"))


def find_people(text: str) -> list[PersonMention]:
    """Every person named with an honorific, a position before the name, a kinship word or a
    byline, merged by name: the first position written for them, and the strongest role any
    sentence gives them."""
    mentions: list[tuple[int, int, str, str, str | None]] = []  # start, end, name, position, role
    for match in _MENTION.finditer(text):
        budget.check()
        name = match.group("name")
        honorific = match.group("honorific")
        if honorific.lower() in {"ông", "bà"} and _is_place([honorific, *name.split()]):
            continue  # "tỉnh Bà Rịa Vũng Tàu"
        cursor = _mention(text, match.start(), match.end(), name, mentions)
        if not _PLURAL_BEFORE.search(text, max(0, match.start() - 6), match.start()):
            continue
        while item := _NEXT_ITEM.match(text, cursor):  # "các đồng chí A, …; B, …"
            budget.check()
            cursor = _mention(text, item.start("name"), item.end(), item.group("name"), mentions)
    for match in _KIN.finditer(text):
        budget.check()
        _mention(text, match.start(), match.end(), match.group("name"), mentions)
    for start, end, name, position in _titled(text):
        role = _role(text[end : end + 260], text[max(0, start - 60) : start])
        mentions.append((start, end, name, position, role))
    for match in _BYLINE.finditer(text):
        budget.check()
        label = match.group("label")
        mentions.append((match.start(), match.end(), match.group("name"), label, "author"))
    last = _LAST_LINE.search(text)
    if last and not gazetteer.known_prefix("tỉnh", last.group("name").split()):
        mentions.append((last.start("name"), last.end(), last.group("name"), "", "author"))
    people: dict[str, PersonMention] = {}
    for start, end, name, position, role in sorted(mentions, key=lambda m: m[0]):
        _add(people, name, position, role, start, end)
    return sorted(people.values(), key=lambda person: person.start)


def _mention(text: str, start: int, end: int, name: str, mentions: list) -> int:
    """Record the person named at `start`; where what is written of them ends."""
    position, role, stop = _after(text, start, end)
    if not _ANNIVERSARY.search(text, max(0, start - 30), start):
        position = position or _list_title(text, start)
        mentions.append((start, end, name, position, role))
    return stop


def _add(people: dict, name: str, position: str, role: str | None, start: int, end: int) -> None:
    name = " ".join(name.split())
    known = people.get(name)
    if known is None:
        people[name] = PersonMention(
            name=name,
            position=position,
            position_normalised=normalise_title(position) if position else "",
            role=role,
            start=start,
            end=end,
        )
        return
    if not known.position and position:
        known.position, known.position_normalised = position, normalise_title(position)
    if role and (known.role is None or _RANK[role] < _RANK[known.role]):
        known.role = role
