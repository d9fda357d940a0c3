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

from xaso.reading import budget
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
    "assign_roles",
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
_HEAD = (
    rf"(?:so{SP}+với{SP}+)?(?:kế{SP}+hoạch|KH|chỉ{SP}+tiêu|dự{SP}+toán|nghị{SP}+quyết|NQ)(?![^\W_])"
)
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


# --- Plans and results: the role of a figure ----------------------------------------------------
#
# A figure is a *target* when the grammar around its number says it is planned, not done: a
# plan noun names it ("kế hoạch vốn 2.512 tỷ đồng", "dự toán thu năm 2025 là 5.800 tỷ đồng"),
# or the nearest cue before it in its sentence is a plan word ("phấn đấu", "đề ra", "dự kiến",
# "chỉ tiêu", "mục tiêu", "huyện giao", "nhiệm kỳ tới"), or, with no cue in its own sentence, it
# is an item of a list whose heading states a plan ("đề ra chỉ tiêu phấn đấu …:" then "- 77 hộ
# …"). The nearest cue wins, so a result cue after a plan word takes the figure back ("kế hoạch
# giao 500 cây, đến nay đã trồng 520 cây"): "đã", "đến nay", "lũy kế", "thực tế", "ước đạt", a
# verb + "được" right before the number, "kết quả thực hiện chỉ tiêu", "hoàn thành chỉ tiêu", a
# percent of a plan ("bằng 104% dự toán"). A document named by its number ("Kế hoạch số
# 45/KH-UBND") is no cue, nor are budget lines named after a goal ("trợ cấp mục tiêu"). A figure
# measured against its plan ("500 m/800 m", "đạt 62,5% kế hoạch") stays a result.

_PLAN_NOUN = (
    rf"(?:kế{SP}+hoạch|(?-i:KH)(?![-/])|chỉ{SP}+tiêu|dự{SP}+toán"
    rf"|(?<!cấp{SP})(?<!trình{SP})mục{SP}+tiêu)"
)
_ISSUER = rf"(?:huyện|tỉnh|xã|thành{SP}+phố|cấp{SP}+trên|(?-i:HĐND|UBND)|đảng{SP}+ủy)"
# What may follow a plan noun achieved: "(104% dự toán) huyện giao", "(KH) HĐND Thị Trấn giao".
_PLAN_TAIL = rf"(?:{SP}+(?:{_ISSUER}|năm|\d{{4}}|(?-i:[A-ZĐ]\w*)))*(?:{SP}+giao)?"
_CUE = re.compile(
    rf"(?<![^\W_])(?:(?P<reference>(?:{_PLAN_NOUN}|nghị{SP}+quyết|chỉ{SP}+thị|quyết{SP}+định)"
    rf"{SP}+(?:số{SP}*)?\d[\w/.-]*)"
    rf"|(?P<result>(?:kết{SP}+quả|tình{SP}+hình)(?:{SP}+thực{SP}+hiện)?"
    rf"(?:{SP}+(?:các{SP}+)?{_PLAN_NOUN})?"
    rf"|(?:hoàn{SP}+thành|vượt)(?:{SP}+(?:mức|các))?{SP}+{_PLAN_NOUN}{_PLAN_TAIL}"
    rf"|\d+(?:[.,]\d+)?{SP}*%(?:{SP}+(?:so{SP}+với|của))?{SP}+{_PLAN_NOUN}{_PLAN_TAIL}"
    rf"|\d+{SP}*/{SP}*\d+{SP}+(?:các{SP}+)?{_PLAN_NOUN}"
    rf"|đã|đến{SP}+nay|lũy{SP}+kế|luỹ{SP}+kế|thực{SP}+tế|ước(?:{SP}+(?:đạt|thực{SP}+hiện|tính))?"
    rf"|đạt{SP}+được)(?![^\W_])"
    rf"|(?P<target>{_PLAN_NOUN}|phấn{SP}+đấu|đề{SP}+ra|đặt{SP}+ra|dự{SP}+kiến"
    rf"|được{SP}+giao|{_ISSUER}{SP}+giao|(?:nhiệm{SP}+kỳ|năm|giai{SP}+đoạn|thời{SP}+gian)"
    rf"{SP}+tới)(?![^\W_]))",
    re.IGNORECASE,
)
# A plan noun that names the number: "kế hoạch vốn 2.512", "chỉ tiêu năm 2024 là", "KH:".
_NAMED_BY_PLAN = re.compile(
    rf"(?<![^\W_]){_PLAN_NOUN}(?:{SP}+[^\W\d_]\w*){{0,4}}(?:{SP}+\d{{4}})?"
    rf"(?:{SP}+là|{SP}*:)?(?:{SP}+(?:khoảng|hơn|trên|gần|dưới))?{SP}*$",
    re.IGNORECASE,
)
# A verb done: "trồng được 500 cây", "làm được 1,8 km".
_DONE = re.compile(rf"[^\W\d_]{SP}+được(?:{SP}+(?:khoảng|hơn|trên|gần))?{SP}*$", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.!?](?!\d)|\n")
_COLON_AT_LINE_END = re.compile(r":[^\S\n]*\n")
_LINE = re.compile(r"[^\n]*\n|[^\n]+$")
_ITEM = re.compile(r"[^\S\n]*(?:[-+•*–]|\d{1,2}[.)]|[a-zđ]\))[^\S\n]")
_LOOK_BACK = 300  # characters of a sentence read before a number


def _cue(clause: str) -> tuple[str | None, str | None]:
    """The role the cues in ``clause`` (a sentence up to a number) give it — the nearest cue
    wins; None without a cue — and for a target, the ``TargetSource`` its wording names."""
    if _DONE.search(clause, max(0, len(clause) - 40)):
        return "result", None
    role, first, last_end = None, 0, 0
    for match in _CUE.finditer(clause):
        if match.lastgroup == "target":
            first = first if role == "target" else match.start()
            role = "target"
        else:  # a result cue, or a document named by its number (no cue)
            role = "result" if match.lastgroup == "result" else None
        last_end = match.end()
    named = _NAMED_BY_PLAN.search(clause, max(0, len(clause) - 80))
    # "đạt gần 24% kế hoạch vốn 2.512 tỷ đồng", not "Kết quả thực hiện các chỉ tiêu: 215 cây"
    if named and role != "target" and (role is None or last_end < len(clause.rstrip(" :"))):
        role, first = "target", named.start()
    return role, plan_source(clause[first:]) if role == "target" else None


def _plan_lists(text: str) -> list[tuple[int, int, str | None]]:
    """(start, end, source) of each list under a heading that states a plan: a clause ending
    in ":" at the end of its line, then the list items ("- …", "+ …", "1. …") after it, blank
    lines between them allowed; with no list item, the one paragraph after it."""
    spans = []
    for colon in _COLON_AT_LINE_END.finditer(text):
        budget.check()
        line_start = text.rfind("\n", 0, colon.start()) + 1
        ends = list(_CLAUSE_END.finditer(text, line_start, colon.start()))
        role, source = _cue(text[ends[-1].end() if ends else line_start : colon.start()])
        if role != "target":
            continue
        end, items = colon.end(), 0
        for line in _LINE.finditer(text, colon.end()):
            if not line.group().strip():
                continue
            if _ITEM.match(line.group()):
                items, end = items + 1, line.end()
                continue
            if not items:
                end = line.end()
            break
        spans.append((colon.end(), end, source))
    return spans


def assign_roles(text: str, figures: list[FigureMention]) -> None:
    """Mark each figure of ``text`` stated as a plan or goal ``role="target"``, with its
    ``plan_source`` when the wording names one; the others stay results."""
    lists = _plan_lists(text) if ":" in text else []
    for figure in figures:
        budget.check()
        if figure.plan is not None or figure.percent_stated is not None:
            continue  # measured against a plan: a result
        low = max(0, figure.start - _LOOK_BACK)
        ends = list(_CLAUSE_END.finditer(text, low, figure.start))
        role, source = _cue(text[ends[-1].end() if ends else low : figure.start])
        if role is None:
            inside = [span for span in lists if span[0] <= figure.start < span[1]]
            if inside:
                role, source = "target", inside[-1][2]
        if role == "target":
            figure.role, figure.plan_source = "target", source
