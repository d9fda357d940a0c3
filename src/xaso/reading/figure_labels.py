"""The label of a figure: what the number counts or measures, from the words after its unit
or the subject before it, and whether it is an estimate ("ước đạt"); see `figures` for the
rules. Pure: no Django.
"""

from __future__ import annotations

import re

from xaso.reading.figure_hits import SENTENCE_END, Hit, tidy
from xaso.reading.plans import SP

_I = re.IGNORECASE
_ESTIMATED = re.compile(r"\bước(?:\s+(?:đạt|thực\s+hiện|tính|thu|khoảng))(?![^\W_])", _I)
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


def _lower_first(label: str) -> str:
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return label
    return label[:1].lower() + label[1:]


def _strip_tail(phrase: str, pattern: re.Pattern) -> str:
    """Drop trailing words ``pattern`` (anchored at the end, short) matches, repeatedly."""
    while found := pattern.search(phrase, max(0, len(phrase) - 32)):
        phrase = tidy(phrase[: found.start()])
    return phrase


def _clean_subject(piece: str, keep_verb: bool = False) -> str:
    """The noun phrase a subject clause names, or "" if it names none.

    With ``keep_verb``, a clause that is only a verb ("Huy động") is kept as the label.
    """
    phrase = _strip_tail(tidy(piece), _TRAILING)
    lowered = phrase.lower()
    if "tháng" in lowered or "năm" in lowered or "quý" in lowered:
        phrase = _strip_tail(tidy(_PERIOD.sub(" ", phrase)), _TRAILING)
    generic = _GENERIC_TAIL.search(phrase, max(0, len(phrase) - 32))
    if generic and generic.start() > 0:
        phrase = tidy(phrase[: generic.start()])
    if len(phrase.split()) > _MAX_WORDS and ", " in phrase:
        last = phrase.rsplit(", ", 1)[1]
        if len(last.split()) > 1:
            phrase = last  # "…được quan tâm, thực hiện việc chi trả…": the last clause
    verb = phrase
    while leading := _LEADING.match(phrase):
        phrase = phrase[leading.end() :]
    if not phrase and keep_verb and not generic:
        phrase = verb
    phrase = tidy(_CUT.sub("", phrase))
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
    return _lower_first(tidy(" ".join(words)))


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


def is_estimated(text: str, start: int, floor: int) -> bool:
    """Whether the sentence before ``start`` (not crossing ``floor``) says "ước đạt", …"""
    low = max(floor, start - 240)
    window = text[low:start].lower()
    if "ước" not in window:
        return False
    ends = list(SENTENCE_END.finditer(window))
    return bool(_ESTIMATED.search(window, ends[-1].end() if ends else 0))


def figure_label(hit: Hit, text: str, floor: int) -> tuple[str, int]:
    """The label of ``hit`` and where the text it was taken from ends."""
    figure = hit.figure
    following = _FOLLOWING.match(text, hit.unit_end)
    after = tidy(following.group()) if following else ""
    extent = max(figure.end, following.end() if following else 0)
    if hit.is_plan or figure.percent_stated is not None:
        subject = _subject(text, hit.number_start, floor, keep_verb=not hit.count)
        if subject:
            return subject, figure.end
        return _lower_first(tidy(f"{hit.written_unit} {after}")), extent
    if hit.count:
        return _lower_first(tidy(f"{hit.written_unit} {after}")), extent
    before = text[max(floor, hit.number_start - 40) : hit.number_start]
    if _RESULT_MARKER.search(before) or not after:
        subject = _subject(text, hit.number_start, floor)
        if subject or not after:
            return subject, figure.end
    return _lower_first(after), extent
