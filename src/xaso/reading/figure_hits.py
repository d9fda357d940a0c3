"""Reading one figure at a number (for `figures.find_figures`): a result against a plan
("3.750 triệu đồng/15.511 triệu đồng (đạt 24,2% …)", `plans`), a quantity with a unit
("1.135m", "209 tỷ đồng"), a rate ("tạ/ha", "triệu đồng/người/năm"), a count of any noun
("36 đồng chí") or a scaled count ("1,3 triệu lượt khách"), with the percent of a plan stated
after it. The label is set afterwards (`figure_labels`). Pure: no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from xaso.reading.counting import (
    KNOWN_UNIT,
    NOT_QUANTITY_AFTER,
    counted_noun,
    names_number,
    word_before,
)
from xaso.reading.model import FigureMention
from xaso.reading.plans import (
    FIRST_NUMBER,
    PERCENT_CLAUSE,
    PLAN_PAIR,
    SOURCE,
    SP,
    START,
    UNIT,
    alternation,
    plan_source,
    read_number,
    read_plan,
    resolve_unit,
)
from xaso.vn.units import ALIASES, Unit

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
ORG_UNITS = ("thôn", "xóm", "bản", "tổ dân phố", "khu dân cư", "chi bộ", "tổ liên gia")
BARE_COUNT = re.compile(
    rf"(?P<n>{START}\d*)(?![.,]?\d){SP}+(?P<what>{alternation(ORG_UNITS)})(?![^\W_])"
    rf"(?:{SP}+(?:trực{SP}+thuộc|trên{SP}+địa{SP}+bàn|toàn{SP}+xã|của{SP}+xã|trong{SP}+xã))?"
    rf"(?={SP}*+(?:[.;,:)\n]|$))",
    _I,
)
_ORG_CODES = frozenset(ALIASES[form].code for form in ORG_UNITS if form in ALIASES)
_SCALES = {"nghìn": 1000, "ngàn": 1000, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
_COUNT = re.compile(
    rf"(?P<num>{FIRST_NUMBER})(?!{SP}*+/{SP}*+\d)(?!:\d)"
    rf"(?:{SP}++(?P<scale>{alternation(_SCALES)})(?![^\W_]))?{SP}++(?=[^\W\d_])",
    _I,
)
# After a unit, what it is per: "triệu đồng/người/năm", "tạ/ha", "tiêu chí/xã", "người/km²";
# not a plan ("tỷ đồng/KH năm …", read as a plan pair) nor "đ/c" (đồng chí).
_PER = re.compile(
    rf"(?:{SP}*+/{SP}*+(?!{SOURCE})(?:{UNIT}|[^\W\d_]{{2,}}(?![^\W_])|[^\W\d_]{{2,}}²)){{1,2}}"
    rf"(?!{SP}*+/)",
    _I,
)
_COUNT_NUMBER = re.compile(FIRST_NUMBER)
_APPROXIMATE = re.compile(rf"(?:^|\s)(hơn|trên|gần|khoảng|xấp{SP}+xỉ){SP}*+$", _I)
SENTENCE_END = re.compile(r"[;!?\n]|\.(?!\d)")


@dataclass
class Hit:
    """A figure read at a number, before it is labelled."""

    figure: FigureMention
    number_start: int
    unit_end: int
    unit: Unit | None  # None: a noun no unit names ("đại biểu"), or a rate ("tạ/ha")
    written_unit: str
    is_plan: bool = False
    count: bool = False  # what is counted names the figure ("36 đồng chí")


def tidy(phrase: str) -> str:
    return " ".join(phrase.split()).strip(" ,;:-–")


def plan_hit(text: str, start: int) -> Hit | None:
    match = PLAN_PAIR.match(text, start)
    read = read_plan(match, text) if match else None
    if read is None:
        return None
    written = match["vunit"] or match["punit"]
    unit_end = match.end("vunit") if match["vunit"] else match.end("punit")
    unit = resolve_unit(written, text, unit_end)
    return Hit(read[0], start, unit_end, unit, written, is_plan=True, count=_counts(unit))


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


def quantity_hit(text: str, start: int, hits: list[Hit]) -> Hit | None:
    if word_before(text, start) in NOT_QUANTITY_AFTER:
        return None
    match = _QUANTITY.match(text, start)
    unit = resolve_unit(match["unit"], text, match.end()) if match else None
    if unit is None:
        return _count_hit(text, start)
    number = read_number(match["num"])
    if number is None:
        return None
    if unit.code in _ORG_CODES and BARE_COUNT.match(text, start):
        return None  # "12 thôn" is a ratio: the number of villages there are
    of_plan = _OF_PLAN.match(text, match.end()) if unit.family == "percent" else None
    if of_plan:
        # "đạt 95% kế hoạch": the percent of a value stated just before, if any.
        previous = hits[-1].figure if hits else None
        if (
            previous is not None
            and previous.plan is None
            and previous.percent_stated is None
            and not SENTENCE_END.search(text, previous.end, start)
        ):
            hits[-1].figure = _with_percent(
                previous, text, match["num"], of_plan.group(), of_plan.end()
            )
        return None
    written = " ".join(match["unit"].split())
    if unit.family == "percent":
        return _hit(text, start, number.value, unit, written, match.end(), [number.note])
    return _per_hit(text, start, number.value, unit, written, match.end(), [number.note])


def _count_hit(text: str, start: int) -> Hit | None:
    """A count of a noun no unit names ("36 đồng chí", "249 đơn vị"), or a scaled count
    ("1,3 triệu lượt khách", "22 ngàn m2"), unless the number names something ("thôn 9")."""
    match = _COUNT.match(text, start)
    if match is None or names_number(text, start):
        return None
    number = read_number(match["num"])
    if number is None:
        return None
    value, notes = number.value, [number.note]
    known = KNOWN_UNIT.match(text, match.end())
    unit = resolve_unit(known.group(), text, known.end()) if known else None
    if unit is not None:
        if not match["scale"] or unit.family in ("money", "percent", "usd"):
            return None  # a unit the quantity reading refused ("5 đ/c", "2 Ha Tân")
        written, end = " ".join(known.group().split()), known.end()
    else:
        noun = counted_noun(text, match.end())
        if noun is None:
            return None
        written, end = noun
    if match["scale"]:
        value = _scaled(value, _SCALES[match["scale"].lower()])
        notes.append(f"Hiểu ‘{tidy(text[start : match.end()])}’ là {value}.")
    # a count of a noun, or a scaled quantity labelled like any other ("5,2 nghìn tấn")
    count = unit is None or _counts(unit)
    return _per_hit(text, start, value, unit, written, end, notes, count=count)


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
) -> Hit:
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
) -> Hit:
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
    return Hit(figure, start, end, unit, written, count=count)


def _counts(unit: Unit | None) -> bool:
    return unit is not None and unit.is_count and unit.family != "percent"


@lru_cache(maxsize=4)
def candidates(text: str) -> tuple[int, ...]:
    """Where the numbers that may start a figure or ratio are; shared by both finders."""
    return tuple(match.start() for match in _CANDIDATE.finditer(text))
