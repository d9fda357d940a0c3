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
from decimal import Decimal

from xaso.reading import budget
from xaso.reading.counting import CLAUSE_PUNCTUATION, PUNCTUATION, counted_noun
from xaso.reading.figure_hits import Hit, candidates, plan_hit, quantity_hit
from xaso.reading.figure_labels import figure_label, is_estimated
from xaso.reading.model import FigureMention
from xaso.reading.plans import SP, assign_roles
from xaso.reading.ratios import WORD_RATIO, find_ratios
from xaso.vn.text import nfc

__all__ = ["find_figures", "find_ratios"]

_I = re.IGNORECASE
# "… 02 tiêu chí còn lại trong 24 bộ tiêu chí": the number after "trong (tổng số)" that counts
# the noun of the count before it, in the same clause, is the whole that count is part of.
_WHOLE_OF = re.compile(rf"(?<![^\W_])trong(?:{SP}+tổng)?(?:{SP}+số)?{SP}*+$", _I)
_WHOLE_WORDS = 3  # the noun of the part may come this many words after the whole's number
_LETTER = re.compile(r"[^\W\d_]")


def _hits(text: str) -> list[Hit]:
    """Results against plans and quantities, in order; one pass over the numbers."""
    hits: list[Hit] = []
    covered = 0  # numbers before this offset were read as part of a figure
    for start in candidates(text):
        if start < covered:
            continue
        budget.check()
        ratio = WORD_RATIO.match(text, start)
        if ratio and counted_noun(text, ratio.end()):
            covered = ratio.end()  # "12 trên 15 xã" is a ratio: neither number is a figure
            continue
        hit = plan_hit(text, start) if text.find("/", start, start + 48) >= 0 else None
        if hit is None:
            hit = quantity_hit(text, start, hits)
        if hit is not None and hits and _whole_of(text, hits[-1], hit):
            covered = hit.figure.end  # the whole a count is part of, not a figure of its own
            continue
        if hit is not None:
            hits.append(hit)
            covered = hit.figure.end
    return hits


def _whole_of(text: str, part: Hit, hit: Hit) -> bool:
    """Whether ``hit`` is the whole the count ``part`` is a part of: "3 tiêu chí còn lại
    trong 24 bộ tiêu chí" (one clause, "trong" before the number, the part's noun after it)."""
    if not part.count or hit.figure.plan is not None or hit.figure.percent_stated is not None:
        return False
    between = text[part.unit_end : hit.number_start]
    if len(between) > 80 or any(mark in between for mark in CLAUSE_PUNCTUATION + "\n()"):
        return False
    if not _WHOLE_OF.search(between):
        return False
    noun = part.written_unit.lower().split()
    after = text[hit.number_start : hit.number_start + 80].split()[1:]
    words = [word.strip(PUNCTUATION).lower() for word in after]
    window = words[: _WHOLE_WORDS + len(noun) - 1]
    return any(window[i : i + len(noun)] == noun for i in range(len(window)))


def find_figures(text: str) -> list[FigureMention]:
    """Every quantity with a unit in ``text``, in order, with plan and percent when stated."""
    text = nfc(text)
    hits = _hits(text)
    figures: list[FigureMention] = []
    previous: Hit | None = None
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
            figure.label, extent = figure_label(hit, text, floor)
            figure.estimated = is_estimated(text, hit.number_start, floor)
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
