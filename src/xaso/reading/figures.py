"""Figures and ratios in review reports and news articles.

:func:`find_figures` reads quantities that carry a unit ("1.135m", "12 hệ thống", "209 tỷ
đồng"), with the plan and percent they are measured against when the text gives them
(see :mod:`xaso.reading.plans`). :func:`find_ratios` reads "17/17 chi bộ" and bare counts
of units such as "thôn trưởng 12 thôn". Numbers are read by
:func:`xaso.vn.numbers.parse_number` (a dot before exactly three digits groups thousands).

What is left out, for precision: numbers without a unit, so dates ("30/11/2022", "15/4"),
times ("10:01"), years ("năm 2022"), codes ("03-NQ/HU", "05/2022/QĐ-UBND"), ordinals
("lần thứ 2") and anniversaries ("155 năm thành lập": "năm" is not a unit) give nothing;
so does a percent of a plan ("đạt 95% kế hoạch") that no value can be attached to.

Labels name what the number counts:

* a count unit is the head of its own noun phrase: "Trồng 215 cây bóng mát" → "cây bóng
  mát", "Làm mới 12 hệ thống xử lý nước thải sinh hoạt" → "hệ thống xử lý nước thải sinh hoạt";
* a measure ("m", "tấn", "tỷ đồng") is labelled by the noun phrase after it ("tiếp nhận 211
  tấn xi măng" → "xi măng"), or, when the number is introduced as a result ("được", "đạt",
  "ước đạt", "trị giá", ":") or nothing follows it, by the subject before it, without leading
  verbs, periods or "tổng": "Mở rộng hành lang GT được 1.135m" → "hành lang GT", "Thu trợ cấp
  cân đối: 986 triệu đồng" → "thu trợ cấp cân đối", "Tổng thu ngân sách 6 tháng đầu năm 2020
  ước đạt 3.750 triệu đồng/…" → "thu ngân sách";
* a second plan comparison that directly follows a first one ("…giao), 3.750 triệu
  đồng/16.477 triệu đồng (…)") repeats its label.

Offsets refer to the NFC form of the text (the reader normalises before reading).
Pure: no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from xaso.reading import budget
from xaso.reading.model import FigureMention, RatioMention
from xaso.reading.plans import (
    FIRST_NUMBER,
    PERCENT_CLAUSE,
    PLAN_PAIR,
    SOURCE,
    SP,
    START,
    UNIT,
    alternation,
    assign_roles,
    plan_source,
    read_number,
    read_plan,
    resolve_unit,
)
from xaso.vn.text import nfc
from xaso.vn.units import ALIASES, Unit

__all__ = ["find_figures", "find_ratios"]

_I = re.IGNORECASE
# A number followed by a unit; not the first half of "30/11" or "10:01".
_QUANTITY = re.compile(
    rf"(?P<num>{FIRST_NUMBER})(?!{SP}*+/{SP}*+\d)(?!:\d){SP}*+(?P<unit>{UNIT})", _I
)
# A number that may start a figure or a ratio: a unit, a "%" or a "/" follows it. Most
# numbers in reports (years, dates) are left out by this one scan.
_CANDIDATE = re.compile(FIRST_NUMBER + rf"(?={SP}{{0,3}}(?:[^\W\d_]|%)|{SP}*+/)")
# An achievement percent with no value of its own: "95% kế hoạch".
_OF_PLAN = re.compile(rf"{SP}*+{SOURCE}", _I)

# Units whose bare count is the number of units there are: "thôn trưởng 12 thôn".
_ORG_UNITS = ("thôn", "xóm", "bản", "tổ dân phố", "khu dân cư", "chi bộ", "tổ liên gia")
_BARE_COUNT = re.compile(
    rf"(?P<n>{START}\d*)(?![.,]?\d){SP}+(?P<what>{alternation(_ORG_UNITS)})(?![^\W_])"
    rf"(?:{SP}+(?:trực{SP}+thuộc|trên{SP}+địa{SP}+bàn|toàn{SP}+xã|của{SP}+xã|trong{SP}+xã))?"
    rf"(?={SP}*+(?:[.;,:)\n]|$))",
    _I,
)
_ORG_CODES = frozenset(ALIASES[form].code for form in _ORG_UNITS if form in ALIASES)
# What a ratio counts: any count unit, and units of organisation that are not units of measure.
_RATIO_NOUNS = [form for form, unit in ALIASES.items() if unit.is_count] + [
    *_ORG_UNITS,
    *("xã", "thị trấn", "đơn vị", "cơ quan", "hợp tác xã", "tổ chức cơ sở đảng", "chi hội"),
    *("chi đoàn", "chỉ tiêu", "nội dung", "thành viên", "doanh nghiệp", "tổ chức"),
]
_RATIO = re.compile(
    rf"(?P<a>{START}\d*){SP}*+/{SP}*+(?P<t>\d+)(?![.,]?\d)(?!{SP}*+/)"
    rf"{SP}*+(?P<what>{alternation(_RATIO_NOUNS)})(?![^\W_])",
    _I,
)

# A number right after these words is a date, a year or an ordinal, not a quantity.
_NOT_QUANTITY_AFTER = frozenset(
    {"năm", "ngày", "tháng", "quý", "số", "thứ", "khóa", "khoá", "kỳ", "thôn", "xóm", "tổ"}
)
_DATE_WORDS = frozenset({"ngày", "sáng", "chiều", "tối", "trưa", "đêm", "hôm", "từ", "đến"})
# A pair after an ordinal is a rank, not a part of a whole: "xếp thứ 3/12 huyện", "hạng 2/9".
_NOT_RATIO_AFTER = _DATE_WORDS | {"thứ", "hạng"}

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
_NAMING_WORDS = _NOT_QUANTITY_AFTER | {
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
# "… 02 tiêu chí còn lại trong 24 bộ tiêu chí": the number after "trong (tổng số)" that counts
# the noun of the count before it, in the same clause, is the whole that count is part of.
_WHOLE_OF = re.compile(rf"(?<![^\W_])trong(?:{SP}+tổng)?(?:{SP}+số)?{SP}*+$", _I)
_WHOLE_WORDS = 3  # the noun of the part may come this many words after the whole's number
_SCALES = {"nghìn": 1000, "ngàn": 1000, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
_WORD = r"[^\W\d_]\w*"
_NOUN = re.compile(rf"(?P<w1>{_WORD})(?:{SP}++(?P<w2>{_WORD}))?")
_COUNT = re.compile(
    rf"(?P<num>{FIRST_NUMBER})(?!{SP}*+/{SP}*+\d)(?!:\d)"
    rf"(?:{SP}++(?P<scale>{alternation(_SCALES)})(?![^\W_]))?{SP}++(?=[^\W\d_])",
    _I,
)
_KNOWN_UNIT = re.compile(UNIT, _I)
# After a unit, what it is per: "triệu đồng/người/năm", "tạ/ha", "tiêu chí/xã", "người/km²";
# not a plan ("tỷ đồng/KH năm …", read as a plan pair) nor "đ/c" (đồng chí).
_PER = re.compile(
    rf"(?:{SP}*+/{SP}*+(?!{SOURCE})(?:{UNIT}|[^\W\d_]{{2,}}(?![^\W_])|[^\W\d_]{{2,}}²)){{1,2}}"
    rf"(?!{SP}*+/)",
    _I,
)
_COUNT_NUMBER = re.compile(FIRST_NUMBER)
# Any other x/y pair of a counted noun: "71/84 ý kiến", "21/25 đảng bộ".
_OPEN_RATIO = re.compile(
    rf"(?P<a>{START}\d*){SP}*+/{SP}*+(?P<t>\d+)(?![.,]?\d)(?!{SP}*+/){SP}++(?=[^\W\d_])", _I
)
_RANGE_BEFORE = re.compile(r"\d[^\S\n]*[-–—][^\S\n]*$")
# "12 trên 15 xã", "9 trong tổng số 12 chi bộ": a ratio written in words.
_WORD_RATIO = re.compile(
    rf"(?P<a>{START}\d*){SP}++(?:trên|trong)(?:{SP}++tổng)?(?:{SP}++số)?{SP}++(?P<t>\d+)"
    rf"(?![.,]?\d){SP}++(?=[^\W\d_])",
    _I,
)
_PUNCTUATION = "\"'“”‘’()[],;:.!?-–—…"
_CLAUSE_PUNCTUATION = ".,;:!?…"
# Nouns that make "số" a quantity rather than "number N": "dân số", "tổng số", "con số".
_SỐ_NOUNS = frozenset({"dân", "tổng", "con"})
_LETTER = re.compile(r"[^\W\d_]")
_APPROXIMATE = re.compile(rf"(?:^|\s)(hơn|trên|gần|khoảng|xấp{SP}+xỉ){SP}*+$", _I)
_ESTIMATED = re.compile(r"\bước(?:\s+(?:đạt|thực\s+hiện|tính|thu|khoảng))(?![^\W_])", _I)
_SENTENCE_END = re.compile(r"[;!?\n]|\.(?!\d)")
_BOUNDARY = re.compile(r"[;!?\n()\[\]]|\.(?!\d)|:(?!\d)")
# The number is stated as a result of the phrase before it.
_RESULT_MARKER = re.compile(
    rf"(?:được|đạt|là|:|trị{SP}+giá(?:{SP}+đầu{SP}+tư)?|số{SP}+tiền|ước{SP}+\w+)"
    rf"(?:{SP}+(?:hơn|trên|gần|khoảng))?{SP}*+$",
    _I,
)
_STOP_WORDS = (
    "và|hoặc|để|với|trong|tại|theo|qua|của|cho|từ|trên|nhằm|thay|bằng|đến|tới|so|nhưng"
    rf"|được|là|ước|trị|đạt(?!{SP}+chuẩn)"
)
_FOLLOWING = re.compile(rf"(?:{SP}+(?!(?:{_STOP_WORDS})(?![^\W_]))[^\W\d_][\w-]*){{1,8}}", _I)

# Cleaning a subject ("Tổng thu ngân sách 6 tháng đầu năm 2020 ước đạt" → "thu ngân sách").
_TRAILING = re.compile(
    r"(?:^|\s)(?:ước(?:\s+(?:đạt|thực\s+hiện|tính|thu|khoảng))?|đạt|được|là|còn|chiếm|tăng"
    r"|giảm|gồm|có|trị\s+giá(?:\s+đầu\s+tư)?|giá\s+trị\s+đầu\s+tư|hơn|trên|gần|khoảng"
    r"|xấp\s+xỉ)[\s,:;–-]*$",
    _I,
)
_GENERIC_TAIL = re.compile(r"(?:^|\s)(?:với\s+)?(tổng\s+giá\s+trị|giá\s+trị|số\s+tiền)$", _I)
_PERIOD = re.compile(
    r"\b\d{1,2}\s+tháng(?:\s+(?:đầu|cuối))?\s+năm(?:\s+\d{4})?|\bnăm\s+(?:19|20)\d\d\b"
    r"|\btháng\s+\d{1,2}(?:[/-]\d{4})?\b|\bquý\s+(?:[IV]+|\d)(?:[/-]\d{4})?\b",
    _I,
)
_LEADING = re.compile(
    r"^(?:mở\s+rộng|làm\s+mới|làm|xây\s+dựng|xây|trồng\s+mới|trồng\s+bổ\s+sung|trồng"
    r"|hoàn\s+thành|di\s+dời|che\s+chắn|chỉnh\s+trang|phá\s+bỏ|đắp|tiếp\s+nhận"
    r"|thực\s+hiện\s+việc|thực\s+hiện|triển\s+khai|vận\s+động|huy\s+động|hỗ\s+trợ"
    r"|nâng\s+cấp|sửa\s+chữa|kết\s+nạp|giải\s+ngân|với|cho|và|của|trong|đã|đang"
    r"|tiếp\s+tục|đều|tổng(?=\s+(?!giá\s+trị$)\w+\s+\w))(?:\s+|$)",
    _I,
)
_CUT = re.compile(r"\s(?:tại|cho|với|theo|của|trên\s+địa\s+bàn)\s.*$", _I)
_MAX_WORDS = 10


@dataclass
class _Hit:
    figure: FigureMention
    number_start: int
    unit_end: int
    unit: Unit | None  # None: a noun no unit names ("đại biểu"), or a rate ("tạ/ha")
    written_unit: str
    is_plan: bool = False
    count: bool = False  # what is counted names the figure ("36 đồng chí")


def _word_before(text: str, pos: int) -> str:
    """The word right before ``pos``, lower case, without the quotes or brackets around it;
    "" when a clause ends between them ("… của 7 thôn.\n7 chị": nothing names the 7)."""
    words = text[max(0, pos - 16) : pos].split()
    if not words or words[-1][-1] in _CLAUSE_PUNCTUATION:
        return ""
    word = words[-1].strip(_PUNCTUATION).lower()
    if word == "số" and len(words) > 1 and words[-2].lower() in _SỐ_NOUNS:
        return ""  # "dân số 179.889 người", "tổng số 50 hộ": a quantity, not a number's name
    return word


def _lower_first(label: str) -> str:
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return label
    return label[:1].lower() + label[1:]


def _tidy(phrase: str) -> str:
    return " ".join(phrase.split()).strip(" ,;:-–")


def _strip_tail(phrase: str, pattern: re.Pattern) -> str:
    """Drop trailing words ``pattern`` (anchored at the end, short) matches, repeatedly."""
    while found := pattern.search(phrase, max(0, len(phrase) - 32)):
        phrase = _tidy(phrase[: found.start()])
    return phrase


def _clean_subject(piece: str, keep_verb: bool = False) -> str:
    """The noun phrase a subject clause names, or "" if it names none.

    With ``keep_verb``, a clause that is only a verb ("Huy động") is kept as the label.
    """
    phrase = _strip_tail(_tidy(piece), _TRAILING)
    lowered = phrase.lower()
    if "tháng" in lowered or "năm" in lowered or "quý" in lowered:
        phrase = _strip_tail(_tidy(_PERIOD.sub(" ", phrase)), _TRAILING)
    generic = _GENERIC_TAIL.search(phrase, max(0, len(phrase) - 32))
    if generic and generic.start() > 0:
        phrase = _tidy(phrase[: generic.start()])
    if len(phrase.split()) > _MAX_WORDS and ", " in phrase:
        last = phrase.rsplit(", ", 1)[1]
        if len(last.split()) > 1:
            phrase = last  # "…được quan tâm, thực hiện việc chi trả…": the last clause
    verb = phrase
    while leading := _LEADING.match(phrase):
        phrase = phrase[leading.end() :]
    if not phrase and keep_verb and not generic:
        phrase = verb
    phrase = _tidy(_CUT.sub("", phrase))
    if not phrase and generic:
        phrase = " ".join(generic.group(1).split())
    words = phrase.split()
    if len(words) > _MAX_WORDS:
        for separator in (" và ", ", "):
            head = phrase.split(separator, 1)[0]
            if 1 < len(head.split()) <= _MAX_WORDS:
                words = head.split()
                break
        words = words[:_MAX_WORDS]
    return _lower_first(_tidy(" ".join(words)))


def _subject(text: str, start: int, floor: int, keep_verb: bool = False) -> str:
    """The subject named before ``start``, looking no further back than ``floor``."""
    low = max(floor, start - 160)
    end = start
    bounds = list(_BOUNDARY.finditer(text, low, start))
    for bound in [*reversed(bounds), None]:
        piece = text[bound.end() if bound else low : end]
        label = _clean_subject(piece, keep_verb)
        if label:
            return label
        if bound is None or bound.group() != ":":
            return ""
        end = bound.start()
    return ""


def _estimated(text: str, start: int, floor: int) -> bool:
    """Whether the sentence before ``start`` (not crossing ``floor``) says "ước đạt", …"""
    low = max(floor, start - 240)
    window = text[low:start].lower()
    if "ước" not in window:
        return False
    ends = list(_SENTENCE_END.finditer(window))
    return bool(_ESTIMATED.search(window, ends[-1].end() if ends else 0))


def _label(hit: _Hit, text: str, floor: int) -> tuple[str, int]:
    """The label of ``hit`` and where the text it was taken from ends."""
    figure = hit.figure
    following = _FOLLOWING.match(text, hit.unit_end)
    after = _tidy(following.group()) if following else ""
    extent = max(figure.end, following.end() if following else 0)
    if hit.is_plan or figure.percent_stated is not None:
        subject = _subject(text, hit.number_start, floor, keep_verb=not hit.count)
        if subject:
            return subject, figure.end
        return _lower_first(_tidy(f"{hit.written_unit} {after}")), extent
    if hit.count:
        return _lower_first(_tidy(f"{hit.written_unit} {after}")), extent
    before = text[max(floor, hit.number_start - 40) : hit.number_start]
    if _RESULT_MARKER.search(before) or not after:
        subject = _subject(text, hit.number_start, floor)
        if subject or not after:
            return subject, figure.end
    return _lower_first(after), extent


def _plan_hit(text: str, start: int) -> _Hit | None:
    match = PLAN_PAIR.match(text, start)
    read = read_plan(match, text) if match else None
    if read is None:
        return None
    written = match["vunit"] or match["punit"]
    unit_end = match.end("vunit") if match["vunit"] else match.end("punit")
    unit = resolve_unit(written, text, unit_end)
    return _Hit(read[0], start, unit_end, unit, written, is_plan=True, count=_counts(unit))


def _with_percent(
    figure: FigureMention, text: str, pct: str, wording: str, end: int
) -> FigureMention:
    """``figure`` with an achievement percent of a plan whose value is not given."""
    stated = read_number(pct)
    if stated is None:
        return figure
    wording = " ".join(wording.split())
    end = figure.start + len(text[figure.start : end].rstrip())
    return replace(
        figure,
        percent_stated=stated.value,
        plan_source=plan_source(wording),
        plan_source_text=wording,
        text=text[figure.start : end],
        end=end,
    )


def _quantity_hit(text: str, start: int, hits: list[_Hit]) -> _Hit | None:
    if _word_before(text, start) in _NOT_QUANTITY_AFTER:
        return None
    match = _QUANTITY.match(text, start)
    unit = resolve_unit(match["unit"], text, match.end()) if match else None
    if unit is None:
        return _count_hit(text, start)
    number = read_number(match["num"])
    if number is None:
        return None
    if unit.code in _ORG_CODES and _BARE_COUNT.match(text, start):
        return None  # "12 thôn" is a ratio: the number of villages there are
    of_plan = _OF_PLAN.match(text, match.end()) if unit.family == "percent" else None
    if of_plan:
        # "đạt 95% kế hoạch": the percent of a value stated just before, if any.
        previous = hits[-1].figure if hits else None
        if (
            previous is not None
            and previous.plan is None
            and previous.percent_stated is None
            and not _SENTENCE_END.search(text, previous.end, start)
        ):
            hits[-1].figure = _with_percent(
                previous, text, match["num"], of_plan.group(), of_plan.end()
            )
        return None
    written = " ".join(match["unit"].split())
    if unit.family == "percent":
        return _hit(text, start, number.value, unit, written, match.end(), [number.note])
    return _per_hit(text, start, number.value, unit, written, match.end(), [number.note])


def _count_hit(text: str, start: int) -> _Hit | None:
    """A count of a noun no unit names ("36 đồng chí", "249 đơn vị"), or a scaled count
    ("1,3 triệu lượt khách", "22 ngàn m2"), unless the number names something ("thôn 9")."""
    match = _COUNT.match(text, start)
    if match is None or _names_number(text, start):
        return None
    number = read_number(match["num"])
    if number is None:
        return None
    value, notes = number.value, [number.note]
    known = _KNOWN_UNIT.match(text, match.end())
    unit = resolve_unit(known.group(), text, known.end()) if known else None
    if unit is not None:
        if not match["scale"] or unit.family in ("money", "percent", "usd"):
            return None  # a unit the quantity reading refused ("5 đ/c", "2 Ha Tân")
        written, end = " ".join(known.group().split()), known.end()
    else:
        noun = _counted_noun(text, match.end())
        if noun is None:
            return None
        written, end = noun
    if match["scale"]:
        value = _scaled(value, _SCALES[match["scale"].lower()])
        notes.append(f"Hiểu ‘{_tidy(text[start : match.end()])}’ là {value}.")
    # a count of a noun, or a scaled quantity labelled like any other ("5,2 nghìn tấn")
    count = unit is None or _counts(unit)
    return _per_hit(text, start, value, unit, written, end, notes, count=count)


def _counted_noun(text: str, pos: int) -> tuple[str, int] | None:
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
        or _KNOWN_UNIT.fullmatch(second)
    ):
        return first, match.end("w1")
    return f"{first} {second}", match.end("w2")


def _names_number(text: str, start: int) -> bool:
    """Whether the number at ``start`` is part of a name, a code, an ordinal or a range:
    "thôn 9", "Kết luận 62", "lần 2", "2020 - 2025"."""
    before = text[max(0, start - 32) : start]
    if _RANGE_BEFORE.search(before):
        return True
    last = _word_before(text, start)
    if not last:
        return False
    if last in _NAMING_WORDS:
        return True
    words = before.split()
    return len(words) > 1 and f"{words[-2].lstrip(_PUNCTUATION).lower()} {last}" in _NAMING_PAIRS


def _scaled(value: Decimal, factor: int) -> Decimal:
    scaled = value * factor
    return scaled.quantize(Decimal(1)) if scaled == scaled.to_integral_value() else scaled


def _per_hit(
    text: str,
    start: int,
    value: Decimal,
    unit: Unit | None,
    written: str,
    end: int,
    notes: list,
    count: bool = False,
) -> _Hit:
    """The hit, read as a rate when "/what" follows the unit ("tạ/ha", "tiêu chí/xã")."""
    per = _PER.match(text, end) if text.startswith("/", end) or "/" in text[end : end + 3] else None
    if per is not None:
        written += "".join(per.group().split())
        return _hit(text, start, value, None, written, per.end(), notes)
    return _hit(text, start, value, unit, written, end, notes, count=count or _counts(unit))


def _hit(
    text: str,
    start: int,
    value: Decimal,
    unit: Unit | None,
    written: str,
    end: int,
    notes: list,
    count: bool = False,
) -> _Hit:
    approximate = _APPROXIMATE.search(text, max(0, start - 16), start)
    notes = [note for note in notes if note]
    if approximate:
        notes.append(f"Số gần đúng (‘{approximate.group(1)}’).")
    number = read_number(_COUNT_NUMBER.match(text, start).group())
    figure = FigureMention(
        label="",
        value=value,
        unit=unit.code if unit else None,
        unit_text=written,
        ambiguous=number.ambiguous if number else False,
        note=" ".join(notes) or None,
        text=text[start:end],
        start=start,
        end=end,
    )
    percent = None
    is_percent = unit is not None and unit.family == "percent"
    if not is_percent and text.find("%", end, end + 40) >= 0:
        percent = PERCENT_CLAUSE.match(text, end)
    if percent and percent["src"]:
        figure = _with_percent(figure, text, percent["pct"], percent["src"], percent.end())
    return _Hit(figure, start, end, unit, written, count=count)


def _counts(unit: Unit | None) -> bool:
    return unit is not None and unit.is_count and unit.family != "percent"


@lru_cache(maxsize=4)
def _candidates(text: str) -> tuple[int, ...]:
    """Where the numbers that may start a figure or ratio are; shared by both finders."""
    return tuple(match.start() for match in _CANDIDATE.finditer(text))


def _hits(text: str) -> list[_Hit]:
    """Results against plans and quantities, in order; one pass over the numbers."""
    hits: list[_Hit] = []
    covered = 0  # numbers before this offset were read as part of a figure
    for start in _candidates(text):
        if start < covered:
            continue
        budget.check()
        ratio = _WORD_RATIO.match(text, start)
        if ratio and _counted_noun(text, ratio.end()):
            covered = ratio.end()  # "12 trên 15 xã" is a ratio: neither number is a figure
            continue
        hit = _plan_hit(text, start) if text.find("/", start, start + 48) >= 0 else None
        if hit is None:
            hit = _quantity_hit(text, start, hits)
        if hit is not None and hits and _whole_of(text, hits[-1], hit):
            covered = hit.figure.end  # the whole a count is part of, not a figure of its own
            continue
        if hit is not None:
            hits.append(hit)
            covered = hit.figure.end
    return hits


def _whole_of(text: str, part: _Hit, hit: _Hit) -> bool:
    """Whether ``hit`` is the whole the count ``part`` is a part of: "3 tiêu chí còn lại
    trong 24 bộ tiêu chí" (one clause, "trong" before the number, the part's noun after it)."""
    if not part.count or hit.figure.plan is not None or hit.figure.percent_stated is not None:
        return False
    between = text[part.unit_end : hit.number_start]
    if len(between) > 80 or any(mark in between for mark in _CLAUSE_PUNCTUATION + "\n()"):
        return False
    if not _WHOLE_OF.search(between):
        return False
    noun = part.written_unit.lower().split()
    after = text[hit.number_start : hit.number_start + 80].split()[1:]
    words = [word.strip(_PUNCTUATION).lower() for word in after]
    window = words[: _WHOLE_WORDS + len(noun) - 1]
    return any(window[i : i + len(noun)] == noun for i in range(len(window)))


def find_figures(text: str) -> list[FigureMention]:
    """Every quantity with a unit in ``text``, in order, with plan and percent when stated."""
    text = nfc(text)
    hits = _hits(text)
    figures: list[FigureMention] = []
    previous: _Hit | None = None
    floor = 0  # where the text the previous figure was read from ends
    for hit in hits:
        budget.check()
        figure = hit.figure
        repeat = (
            hit.is_plan
            and previous is not None
            and previous.is_plan
            and not _LETTER.search(text[floor : hit.number_start])
        )
        if repeat:
            figure.label, figure.estimated = previous.figure.label, previous.figure.estimated
            extent = figure.end
        else:
            figure.label, extent = _label(hit, text, floor)
            figure.estimated = _estimated(text, hit.number_start, floor)
        floor = max(floor, extent)
        figures.append(figure)
        previous = hit
    assign_roles(text, figures)
    return _without_restated_headline(text, figures)


def _without_restated_headline(text: str, figures: list[FigureMention]) -> list[FigureMention]:
    """``figures`` less those of the headline that the body states again: "HĐND huyện tổ chức
    3 kỳ họp …" above "… đã tổ chức 3 kỳ họp", "111 xã … hoàn thành" above "111/152 xã". The
    headline is the first line when it has no closing stop (as in `sections`)."""
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    headline = text[start:end].rstrip()
    if end < 0 or not headline or headline.endswith((".", "!", "?", ":", ";")):
        return figures
    head = [figure for figure in figures if figure.end <= end]
    if not head:
        return figures
    stated = {(f.value, f.unit_text.lower()) for f in figures if f.start > end}
    stated |= {
        (Decimal(r.achieved), r.what)
        for r in find_ratios(text)
        if r.start > end and r.achieved is not None
    }
    return [
        figure
        for figure in figures
        if figure.end > end or (figure.value, figure.unit_text.lower()) not in stated
    ]


def find_ratios(text: str) -> list[RatioMention]:
    """Ratios ("17/17 chi bộ", "12 trên 15 xã": achieved of total) and bare counts ("12
    thôn"), in order.

    A pair is a ratio only when a count noun follows it and the first number does not
    exceed the second, so dates ("30/4 và", "ngày 1/5"), codes ("05/2022/QĐ-TTg") and
    amounts against a plan ("1.200/2.000 triệu đồng", "45/60 hộ, đạt 75% KH") are not.
    """
    text = nfc(text)
    ratios: list[RatioMention] = []
    for start in _candidates(text):
        budget.check()
        ratio = _ratio(text, start)
        if ratio is not None:
            if ratio.total > 0 and ratio.achieved <= ratio.total:
                ratios.append(ratio)
            continue
        match = _BARE_COUNT.match(text, start)
        if match and _word_before(text, start) not in _DATE_WORDS:
            what = " ".join(match["what"].lower().split())
            end = match.end("what")
            ratios.append(RatioMention(what, None, int(match["n"]), text[start:end], start, end))
    return ratios


def _ratio(text: str, start: int) -> RatioMention | None:
    """The x/y pair or "x trên y" ratio of a counted noun starting at ``start``, if any."""
    match = _RATIO.match(text, start)
    if match:
        if _word_before(text, start) in _NOT_RATIO_AFTER or _plan_hit(text, start) is not None:
            return RatioMention("", 1, 0)  # neither a ratio nor a bare count
        what, end = " ".join(match["what"].lower().split()), match.end()
    else:
        match = _OPEN_RATIO.match(text, start) or _WORD_RATIO.match(text, start)
        if match is None:
            return None
        if _word_before(text, start) in _NOT_RATIO_AFTER:
            return RatioMention("", 1, 0)  # a rank ("thứ 2 trên 15 xã") is no bare count either
        noun = _counted_noun(text, match.end())
        if noun is None or (match.re is _OPEN_RATIO and _plan_hit(text, start) is not None):
            return None
        what, end = noun[0].lower(), noun[1]
    return RatioMention(what, int(match["a"]), int(match["t"]), text[start:end], start, end)
