"""Results measured against a plan, and the regular-expression pieces figures are read with.

Reports state a result, the plan it is measured against and often a percentage:

* ``ước đạt 209 tỷ đồng/kế hoạch năm 598 tỷ đồng (bằng 35%)``
* ``ước đạt 3.750 triệu đồng/15.511 triệu đồng (đạt 24,2% kế hoạch huyện giao)``
* ``ước đạt 280 tấn/KH năm 560 tấn đạt 50% kế hoạch``
* ``ước thực hiện 5,2 tỷ đồng, đạt 104% kế hoạch HĐND giao`` (a percent, no plan value)

:func:`read_plan` turns a :data:`PLAN_PAIR` match into a :class:`FigureMention` without a
label (``figures`` names it); :func:`plan_source` maps the wording of the plan to a
``TargetSource`` code and :func:`check_percent` compares the stated percent with the
computed one. Pure: no Django.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache

from xaso.reading.model import FigureMention
from xaso.vn.numbers import NumberError, ParsedNumber, parse_number
from xaso.vn.text import fold
from xaso.vn.units import ALIASES, Unit, convert, unit_key

__all__ = [
    "FIRST_NUMBER",
    "NUMBER",
    "PERCENT_CLAUSE",
    "PLAN_PAIR",
    "SOURCE",
    "SP",
    "START",
    "UNIT",
    "alternation",
    "check_percent",
    "plan_source",
    "read_number",
    "read_plan",
    "resolve_unit",
]

SP = r"[^\S\n]"  # whitespace that does not cross a line
# A number as reports write it: "1.135", "24,2", "9.2", "15 511"; never part of a longer one.
NUMBER = r"(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+(?:[.,]\d+)*)(?![.,]?\d)"
# A number that starts a match: its first digit comes first, so the regex engine skips
# ahead to digits, then looks back. Not inside a word, a date ("30/11"), a time ("10:01"),
# a list ("30,40,45"), a code ("03-NQ") or a space-grouped number ("15 511").
START = r"\d(?<![\w.,/:]\d)(?<!\w-\d)(?<!\d[ \u00a0\u202f]\d)"
FIRST_NUMBER = START + r"(?:\d{0,2}(?:[ \u00a0\u202f]\d{3})+|\d*(?:[.,]\d+)*)(?![.,]?\d)"


def alternation(forms) -> str:
    """A regex matching any of the written forms, the longest it can; a space matches a run of
    spaces. Built as a trie ("t(?:ấn|ỷ(?:…)?|…)"): one character decides each branch, which is
    several times faster than a flat list of a hundred units tried one by one.
    """
    root: dict = {}
    for form in forms:
        node = root
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        parts = [
            (SP + "+" if char == " " else re.escape(char)) + emit(child)
            for char, child in sorted(node.items())
            if char
        ]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        return f"(?:{body})?" if "" in node else body

    return f"(?:{emit(root)})"


UNIT = rf"(?:{alternation(ALIASES)})(?![^\W_])"

# The wording of a plan: "kế hoạch năm", "KH huyện giao", "kế hoạch HĐND Thị Trấn giao",
# "chỉ tiêu Nghị quyết Đại hội": a head and at most five more words.
_HEAD = rf"(?:so{SP}+với{SP}+)?(?:kế{SP}+hoạch|KH|chỉ{SP}+tiêu|nghị{SP}+quyết|NQ)(?![^\W_])"
_NOT_SOURCE_WORD = r"(?:và|nhưng|trong|tăng|giảm|so|đạt|bằng|là)(?![^\W_])"
SOURCE = rf"{_HEAD}(?:{SP}+(?!{_NOT_SOURCE_WORD})[^\W\d_]++){{0,5}}"

# "209 tỷ đồng/kế hoạch năm 598 tỷ đồng", "1.200/2.000 triệu đồng", "17/17 chi bộ".
PLAN_PAIR = re.compile(
    rf"(?P<value>{FIRST_NUMBER})(?:{SP}*+(?P<vunit>{UNIT}))?{SP}*+/{SP}*+"
    + rf"(?:(?P<src>{SOURCE}){SP}*+(?::{SP}*+)?)?"
    + rf"(?P<plan>{NUMBER})(?!{SP}*+/)(?:{SP}*+(?P<punit>{UNIT}))?",
    re.IGNORECASE,
)

# What may follow a result: "(bằng 35%)", ", đạt 53.4% kế hoạch", " đạt 50% kế hoạch".
PERCENT_CLAUSE = re.compile(
    rf"{SP}*+(?:[,:=–-]{SP}*+)?(?:\({SP}*+)?"
    rf"(?:(?:đạt|bằng|tương{SP}+đương|tương{SP}+ứng|là){SP}+)?(?:khoảng{SP}+)?"
    rf"(?P<pct>{NUMBER}){SP}*+%(?:{SP}*+(?P<src>{SOURCE}))?(?:{SP}*+\))?",
    re.IGNORECASE,
)

# Checked on the folded wording, first match wins: the issuer before the level, so
# "kế hoạch HĐND huyện giao" is the council's resolution, not the district's plan.
_SOURCES = (
    ("council_resolution", re.compile(r"\bhdnd\b|\bhoi dong nhan dan\b")),
    ("congress_resolution", re.compile(r"\bdai hoi\b")),
    ("campaign", re.compile(r"\bphat dong\b")),
    ("province_plan", re.compile(r"\btinh\b")),
    ("district_plan", re.compile(r"\bhuyen\b")),
    ("annual_plan", re.compile(r"\bnam\b")),
)
# Short unit forms that are only units when written in lower case ("M", "Ha", "Tr", "Đ").
_SHORT_CASED = frozenset({"m", "ha", "tr", "đ", "vnd", "vnđ"})
_MULTIPLIERS = frozenset({"triệu", "tr", "tỷ", "tỉ"})
# "đ/c", "đồng chí", "đồng/kg"; not "đồng/50.000.000 đồng" nor "đồng/KH …", a plan.
_NOT_MONEY = re.compile(rf"{SP}*+(?:/(?!{SP}*+(?i:\d|{_HEAD}))|chí(?![^\W_]))")
_NEXT_UNIT = re.compile(rf"{SP}*+({UNIT})", re.IGNORECASE)


@lru_cache(maxsize=1024)
def plan_source(wording: str | None) -> str | None:
    """The ``TargetSource`` code a plan's wording names; ``None`` when it names none.

    "kế hoạch huyện giao" → district_plan, "kế hoạch tỉnh giao" → province_plan,
    "Nghị quyết HĐND", "kế hoạch HĐND … giao" → council_resolution, "chỉ tiêu Đại hội" →
    congress_resolution, "chỉ tiêu phát động" → campaign, "KH năm" → annual_plan.
    """
    if not wording:
        return None
    key = fold(wording)
    for code, pattern in _SOURCES:
        if pattern.search(key):
            return code
    return None


def check_percent(
    value: Decimal, plan: Decimal, stated: Decimal | None
) -> tuple[Decimal | None, bool | None]:
    """Compute value / plan × 100 and say whether the stated percent agrees with it.

    The computed percent is rounded half up to as many decimals as the stated one has
    (one decimal when none is stated). The stated percent is *consistent* when it is the
    exact percent either rounded half up or truncated to its own number of decimals:
    reports do both, so 209/598 = 34.95… may be written 35 (rounded) and 11.5/21.5 =
    53.488… may be written 53.4 (truncated) or 53.5. Anything else (70% for 1.200/2.000)
    is inconsistent. Returns ``(computed, consistent)``; ``consistent`` is ``None`` when
    no percent is stated, and both are ``None`` when the plan is zero.
    """
    if not plan:
        return None, None
    with localcontext() as ctx:
        ctx.prec = 40
        exact = value * 100 / plan
        if stated is None:
            return exact.quantize(Decimal("0.1"), ROUND_HALF_UP), None
        step = Decimal(1).scaleb(min(0, stated.as_tuple().exponent))
        rounded = exact.quantize(step, ROUND_HALF_UP)
        truncated = exact.quantize(step, ROUND_DOWN)
    return rounded, stated in (rounded, truncated)


@lru_cache(maxsize=4096)
def read_number(written: str) -> ParsedNumber | None:
    """``parse_number`` that answers ``None`` for a form it refuses ("30,40,45")."""
    try:
        return parse_number(written)
    except NumberError:
        return None


@lru_cache(maxsize=1024)
def _unit_of(written: str) -> tuple[str, Unit | None]:
    key = unit_key(written)
    if key in _SHORT_CASED and written != key:
        return key, None
    return key, ALIASES.get(key)


def resolve_unit(written: str | None, text: str, end: int) -> Unit | None:
    """The unit ``written`` names, unless the context says it is not one.

    ``end`` is where the written unit ends in ``text``. "5 Ha Linh", "5 đ/c", "5 đồng chí"
    and "2 triệu cây" are not amounts of hectares or money.
    """
    if not written:
        return None
    key, unit = _unit_of(written)
    if unit is None:
        return None
    if key in ("đ", "đồng") and _NOT_MONEY.match(text, end):
        return None
    if key in _MULTIPLIERS:
        following = _NEXT_UNIT.match(text, end)
        if following and ALIASES[_unit_of(following.group(1))[0]].family != "money":
            return None
    return unit


def _notes(*numbers: ParsedNumber) -> str | None:
    notes = [number.note for number in numbers if number.note]
    return " ".join(notes) or None


def read_plan(match: re.Match, text: str) -> tuple[FigureMention, re.Match | None] | None:
    """A result against a plan from a :data:`PLAN_PAIR` match, or ``None`` if it is not one.

    Returns the figure (label left empty) and the percent clause that followed, if any.
    A pair of counts with neither a plan wording nor a percent ("17/17 chi bộ") is a
    ratio, not a plan, and gives ``None``; so do pairs whose units do not convert.
    """
    value = read_number(match["value"])
    plan = read_number(match["plan"])
    if value is None or plan is None:
        return None
    value_unit = resolve_unit(match["vunit"], text, match.end("vunit"))
    plan_unit = resolve_unit(match["punit"], text, match.end("punit"))
    if (match["vunit"] and value_unit is None) or (match["punit"] and plan_unit is None):
        return None
    unit = value_unit or plan_unit
    if unit is None or unit.family == "percent":
        return None
    percent = PERCENT_CLAUSE.match(text, match.end())
    if unit.is_count and not match["src"] and percent is None:
        return None
    plan_value = plan.value
    if plan_unit is not None and plan_unit is not unit:
        if plan_unit.family != unit.family:
            return None
        plan_value = convert(plan.value, plan_unit.code, unit.code)

    stated = None
    wording = match["src"]
    if percent is not None:
        stated_number = read_number(percent["pct"])
        if stated_number is None:
            percent = None
        else:
            stated = stated_number.value
            after = percent["src"]
            if after and (plan_source(after) or not plan_source(wording)):
                wording = after
    computed, consistent = check_percent(value.value, plan_value, stated)
    end = percent.end() if percent is not None else match.end()
    written_unit = match["vunit"] or match["punit"]
    figure = FigureMention(
        label="",
        value=value.value,
        unit=unit.code,
        unit_text=" ".join(written_unit.split()),
        plan=plan_value,
        plan_source=plan_source(wording),
        plan_source_text=" ".join(wording.split()) if wording else None,
        percent_stated=stated,
        percent_computed=computed,
        consistent=consistent,
        ambiguous=value.ambiguous or plan.ambiguous,
        note=_notes(value, plan),
        text=text[match.start() : end].rstrip(),
        start=match.start(),
        end=match.start() + len(text[match.start() : end].rstrip()),
    )
    return figure, percent
