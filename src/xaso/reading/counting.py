"""What the words beside a number say about it (reading figures and ratios): the noun it
counts ("36 đồng chí", "25 đại biểu", "14 dự thảo nghị quyết" → "dự thảo"), and when it names
something instead of counting ("thôn 9", "Kết luận 62", "lần 2", "2020 - 2025", "năm 2022").
Pure: no Django.
"""

from __future__ import annotations

import re

from xaso.reading.plans import SP, UNIT

_I = re.IGNORECASE
# A number right after these words is a date, a year or an ordinal, not a quantity.
NOT_QUANTITY_AFTER = frozenset(
    {"năm", "ngày", "tháng", "quý", "số", "thứ", "khóa", "khoá", "kỳ", "thôn", "xóm", "tổ"}
)
DATE_WORDS = frozenset({"ngày", "sáng", "chiều", "tối", "trưa", "đêm", "hôm", "từ", "đến"})

# --- Counts of anything ("36 đồng chí", "249 đơn vị", "1,3 triệu lượt khách") ----------------
#
# A number followed by a noun counts that noun. Counting nouns are an open class, so what is
# listed here is the closed classes that are NOT counted nouns: words of time and duration
# ("6 tháng", "5 ngày", "95 năm"), ordinals and terms ("khóa", "nhiệm kỳ"), and the function
# words and verbs of degree that may follow a number ("12 trên 15", "3 và", "2 tăng").
_NOT_COUNTED = frozenset(
    {
        *("năm", "tháng", "ngày", "tuần", "quý", "giờ", "phút", "giây", "tuổi", "thế", "thập"),
        *("sáng", "chiều", "tối", "trưa", "đêm", "hôm", "giai", "thứ", "khóa", "khoá", "nhiệm"),
        *("và", "hoặc", "hay", "với", "của", "cho", "tại", "trong", "ngoài", "trên", "dưới"),
        *("về", "từ", "đến", "tới", "theo", "sau", "trước", "qua", "bằng", "so", "để", "do"),
        *("bởi", "vì", "như", "là", "thì", "mà", "nhưng", "nên", "còn", "cũng", "đã", "đang"),
        *("sẽ", "được", "bị", "có", "không", "chưa", "vẫn", "đều", "cùng", "gồm", "thuộc", "ở"),
        *("này", "đó", "kia", "nào", "ấy", "nữa", "rồi", "lại", "ra", "vào", "lên", "xuống"),
        *("khi", "mỗi", "các", "những", "mọi", "tăng", "giảm", "đạt", "vượt", "hơn"),
        *("gần", "khoảng", "trở", "mới", "cũ", "khác", "lúc", "tính", "kể", "nay"),
    }
)
# Nouns of one syllable that head their phrase ("16 ấp phản ánh" counts "ấp"): kinds of
# place and unit, people, and classifiers. Any other noun is read with the word after it
# when that is a noun too ("25 đại biểu", "14 dự thảo nghị quyết" → "dự thảo").
_ONE_SYLLABLE_NOUNS = frozenset(
    {
        *("xã", "phường", "huyện", "tỉnh", "quận", "ấp", "khóm", "xóm", "bản", "buôn", "làng"),
        *("khu", "người", "chị", "anh", "em", "cháu", "vị", "cụ", "ông", "bà"),
        *("ca", "liều", "suất", "phần", "bộ", "căn", "tấm", "lá", "quyển", "cuốn", "bài"),
        *("câu", "tin", "đợt", "điểm", "ổ", "đàn", "bao", "thùng", "chai", "gói", "phiếu"),
        *("ngành", "sở", "ban", "nước", "đoàn", "hội", "món", "giải", "nơi", "chỗ", "bảng"),
    }
)
# A number after these is part of a name, a code or an ordinal: "thôn 9", "Kết luận 62",
# "lần 2", "khu phố 3", "Quốc lộ 1"; the open class of counts is not read there.
_NAMING_WORDS = NOT_QUANTITY_AFTER | {
    *("xã", "ấp", "khóm", "khu", "phố", "bản", "đội", "phường", "quận", "điều", "khoản"),
    *("chương", "mục", "lô", "tầng", "phòng", "lớp", "lộ", "lần", "đợt", "đoạn", "giờ"),
    *("lúc", "tuần", "covid", "luật", "khoá", "sáng", "chiều", "tối", "trưa", "hôm"),
}
_NAMING_PAIRS = frozenset(
    {
        *("kết luận", "nghị quyết", "nghị định", "quyết định", "chỉ thị", "thông tư"),
        *("công văn", "kế hoạch", "thông báo", "hướng dẫn", "tờ trình", "văn bản", "quy định"),
        *("đề án", "dự án", "chương trình", "báo cáo", "quốc gia", "trung ương"),
    }
)
# Suffixes that make one noun of persons with the syllable before: "đoàn viên", "hội viên",
# "bộ trưởng", "tổ phó"; a one-syllable head is then not counted on its own.
_PERSON_SUFFIXES = frozenset({"viên", "trưởng", "phó"})
_WORD = r"[^\W\d_]\w*"
_NOUN = re.compile(rf"(?P<w1>{_WORD})(?:{SP}++(?P<w2>{_WORD}))?")
KNOWN_UNIT = re.compile(UNIT, _I)
_RANGE_BEFORE = re.compile(r"\d[^\S\n]*[-–—][^\S\n]*$")
PUNCTUATION = "\"'“”‘’()[],;:.!?-–—…"
CLAUSE_PUNCTUATION = ".,;:!?…"
# Nouns that make "số" a quantity rather than "number N": "dân số", "tổng số", "con số".
_SỐ_NOUNS = frozenset({"dân", "tổng", "con"})


def word_before(text: str, pos: int) -> str:
    """The word right before ``pos``, lower case, without the quotes or brackets around it;
    "" when a clause ends between them ("… của 7 thôn.\n7 chị": nothing names the 7)."""
    words = text[max(0, pos - 16) : pos].split()
    if not words or words[-1][-1] in CLAUSE_PUNCTUATION:
        return ""
    word = words[-1].strip(PUNCTUATION).lower()
    if word == "số" and len(words) > 1 and words[-2].lower() in _SỐ_NOUNS:
        return ""  # "dân số 179.889 người", "tổng số 50 hộ": a quantity, not a number's name
    return word


def counted_noun(text: str, pos: int) -> tuple[str, int] | None:
    """The counted noun at ``pos`` as written (one word, or two when the first needs the
    second: "đại biểu", "ý kiến") and where it ends; None when no noun starts there."""
    match = _NOUN.match(text, pos)
    if match is None:
        return None
    first, second = match["w1"], match["w2"]
    if not first[0].islower() or first in _NOT_COUNTED or (len(first) == 1 and not second):
        return None  # a one-letter word only heads a pair ("ý kiến"); "đ/c" is no count
    if second in _PERSON_SUFFIXES:
        return f"{first} {second}", match.end("w2")
    if (
        first in _ONE_SYLLABLE_NOUNS
        or not second
        or not second[0].islower()
        or second in _NOT_COUNTED
        or KNOWN_UNIT.fullmatch(second)
    ):
        return first, match.end("w1")
    return f"{first} {second}", match.end("w2")


def names_number(text: str, start: int) -> bool:
    """Whether the number at ``start`` is part of a name, a code, an ordinal or a range:
    "thôn 9", "Kết luận 62", "lần 2", "2020 - 2025"."""
    before = text[max(0, start - 32) : start]
    if _RANGE_BEFORE.search(before):
        return True
    last = word_before(text, start)
    if not last:
        return False
    if last in _NAMING_WORDS:
        return True
    words = before.split()
    return len(words) > 1 and f"{words[-2].lstrip(PUNCTUATION).lower()} {last}" in _NAMING_PAIRS
