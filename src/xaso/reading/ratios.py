"""Ratios in review reports: "17/17 chi bộ", "71/84 ý kiến", "12 trên 15 xã" (achieved of
total), and bare counts of units such as "thôn trưởng 12 thôn". Pure: no Django.
"""

from __future__ import annotations

import re

from xaso.reading import budget
from xaso.reading.counting import DATE_WORDS, counted_noun, word_before
from xaso.reading.figure_hits import BARE_COUNT, ORG_UNITS, candidates, plan_hit
from xaso.reading.model import RatioMention
from xaso.reading.plans import SP, START, alternation
from xaso.vn.text import nfc
from xaso.vn.units import ALIASES

__all__ = ["find_ratios"]

_I = re.IGNORECASE
# What a ratio counts: any count unit, and units of organisation that are not units of measure.
_RATIO_NOUNS = [form for form, unit in ALIASES.items() if unit.is_count] + [
    *ORG_UNITS,
    *("xã", "thị trấn", "đơn vị", "cơ quan", "hợp tác xã", "tổ chức cơ sở đảng", "chi hội"),
    *("chi đoàn", "chỉ tiêu", "nội dung", "thành viên", "doanh nghiệp", "tổ chức"),
]
_RATIO = re.compile(
    rf"(?P<a>{START}\d*){SP}*+/{SP}*+(?P<t>\d+)(?![.,]?\d)(?!{SP}*+/)"
    rf"{SP}*+(?P<what>{alternation(_RATIO_NOUNS)})(?![^\W_])",
    _I,
)
# A pair after an ordinal is a rank, not a part of a whole: "xếp thứ 3/12 huyện", "hạng 2/9".
_NOT_RATIO_AFTER = DATE_WORDS | {"thứ", "hạng"}
# Any other x/y pair of a counted noun: "71/84 ý kiến", "21/25 đảng bộ".
_OPEN_RATIO = re.compile(
    rf"(?P<a>{START}\d*){SP}*+/{SP}*+(?P<t>\d+)(?![.,]?\d)(?!{SP}*+/){SP}++(?=[^\W\d_])", _I
)
# "12 trên 15 xã", "9 trong tổng số 12 chi bộ": a ratio written in words.
WORD_RATIO = re.compile(
    rf"(?P<a>{START}\d*){SP}++(?:trên|trong)(?:{SP}++tổng)?(?:{SP}++số)?{SP}++(?P<t>\d+)"
    rf"(?![.,]?\d){SP}++(?=[^\W\d_])",
    _I,
)


def find_ratios(text: str) -> list[RatioMention]:
    """Ratios ("17/17 chi bộ", "12 trên 15 xã": achieved of total) and bare counts ("12
    thôn"), in order.

    A pair is a ratio only when a count noun follows it and the first number does not
    exceed the second, so dates ("30/4 và", "ngày 1/5"), codes ("05/2022/QĐ-TTg") and
    amounts against a plan ("1.200/2.000 triệu đồng", "45/60 hộ, đạt 75% KH") are not.
    """
    text = nfc(text)
    ratios: list[RatioMention] = []
    for start in candidates(text):
        budget.check()
        ratio = _ratio(text, start)
        if ratio is not None:
            if ratio.total > 0 and ratio.achieved <= ratio.total:
                ratios.append(ratio)
            continue
        match = BARE_COUNT.match(text, start)
        if match and word_before(text, start) not in DATE_WORDS:
            what = " ".join(match["what"].lower().split())
            end = match.end("what")
            ratios.append(RatioMention(what, None, int(match["n"]), text[start:end], start, end))
    return ratios


def _ratio(text: str, start: int) -> RatioMention | None:
    """The x/y pair or "x trên y" ratio of a counted noun starting at ``start``, if any."""
    match = _RATIO.match(text, start)
    if match:
        if word_before(text, start) in _NOT_RATIO_AFTER or plan_hit(text, start) is not None:
            return RatioMention("", 1, 0)  # neither a ratio nor a bare count
        what, end = " ".join(match["what"].lower().split()), match.end()
    else:
        match = _OPEN_RATIO.match(text, start) or WORD_RATIO.match(text, start)
        if match is None:
            return None
        if word_before(text, start) in _NOT_RATIO_AFTER:
            return RatioMention("", 1, 0)  # a rank ("thứ 2 trên 15 xã") is no bare count either
        noun = counted_noun(text, match.end())
        if noun is None or (match.re is _OPEN_RATIO and plan_hit(text, start) is not None):
            return None
        what, end = noun[0].lower(), noun[1]
    return RatioMention(what, int(match["a"]), int(match["t"]), text[start:end], start, end)
