"""The sentences of a report, in the reports' own style, from figures only.

"Thu ngân sách 6 tháng đầu năm 2020 ước đạt 3.750 triệu đồng/15.511 triệu đồng, đạt 24,2%
kế hoạch huyện giao; đạt 22,8% kế hoạch HĐND giao." An estimated value says "ước đạt"; a
revised plan names both percentages; what the data cannot support is a marked placeholder
(`missing`), never a guess. Pure: plain values in, text out.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from xaso.vn.numbers import format_percent, format_quantity

# How a plan's source is named after "đạt 24,2% …" (the seeds' wording).
SOURCE_WORDS = {
    "district_plan": "kế hoạch huyện giao",
    "province_plan": "kế hoạch tỉnh giao",
    "council_resolution": "kế hoạch HĐND giao",
    "congress_resolution": "chỉ tiêu Nghị quyết Đại hội",
    "campaign": "chỉ tiêu phát động",
    "annual_plan": "kế hoạch năm",
}

PLACEHOLDER = "[Cần bổ sung: {what}]"


def missing(what: str) -> str:
    """A marked gap for the officer to fill; renderers highlight it."""
    return PLACEHOLDER.format(what=what)


def is_placeholder(text: str) -> bool:
    return text.startswith("[Cần bổ sung:")


quantity = format_quantity  # "3.750 triệu đồng", "42,4%"


@dataclass(frozen=True)
class PlanFigure:
    """One plan an indicator is measured against, as the sentence needs it."""

    value: Decimal
    source: str  # a TargetSource value
    percent: Decimal | None
    original_value: Decimal | None = None  # when revised: the plan as first set
    original_percent: Decimal | None = None

    @property
    def source_words(self) -> str:
        return SOURCE_WORDS.get(self.source, "kế hoạch")

    def achieved_words(self) -> str:
        """ "đạt 24,2% kế hoạch huyện giao", or with a revision both percentages."""
        if self.percent is None:
            return ""
        words = f"đạt {format_percent(self.percent)} {self.source_words}"
        if self.original_percent is not None:
            words += (
                f" (kế hoạch điều chỉnh; bằng {format_percent(self.original_percent)}"
                " kế hoạch ban đầu)"
            )
        return words


def result_sentence(
    *,
    name: str,
    period_label: str,
    unit_name: str,
    value: Decimal | None,
    estimated: bool,
    plans: list[PlanFigure],
    change_words: str = "",
    lower_is_better: bool = False,
    ratio: bool = True,
) -> str:
    """One indicator's sentence; a placeholder when there is no figure to state.

    `ratio` writes the value over the first plan ("3.750 triệu đồng/15.511 triệu đồng"), as
    a report does; an article leaves it out. A name that says "đạt" itself ("Tiêu chí văn
    minh đô thị đạt") takes its figure after a colon. A lower-is-better figure (a poverty
    rate) is not "đạt x% kế hoạch": its plans are limits ("kế hoạch huyện giao không quá 5%").
    """
    head = f"{name} {period_label}".strip()
    if value is None:
        planned = ""
        if plans:
            planned = f" (kế hoạch {quantity(plans[0].value, unit_name)})"
        return missing(f"kết quả {head[0].lower() + head[1:]}{planned}")
    amount = quantity(value, unit_name)
    if ratio and plans and not lower_is_better:
        amount += f"/{quantity(plans[0].value, unit_name)}"
    if lower_is_better:
        text = f"{head}: {'ước ' if estimated else ''}{amount}"
    elif re.search(r"(?<!\w)đạt(?!\w)", name):
        text = f"{head}: {'ước đạt ' if estimated else ''}{amount}"
    else:
        text = f"{head} {'ước đạt' if estimated else 'đạt'} {amount}"
    if lower_is_better:
        limits = [
            f"{plan.source_words} không quá {quantity(plan.value, unit_name)}" for plan in plans
        ]
        if limits:
            text += f" ({'; '.join(limits)})"
    else:
        achieved = [plan.achieved_words() for plan in plans if plan.percent is not None]
        if achieved:
            text += ", " + "; ".join(achieved)
    if change_words:
        text += f"; {change_words} so với cùng kỳ năm trước"
    return text + "."


def plan_words(source: str, period_label: str) -> str:
    """ "kế hoạch huyện giao năm 2020"; "kế hoạch năm 2020", not "kế hoạch năm năm 2020"."""
    words = SOURCE_WORDS.get(source, "kế hoạch")
    if words.endswith(" năm") and period_label.startswith("năm "):
        words = words.removesuffix(" năm")
    return f"{words} {period_label}"


def criteria_sentence(*, set_name: str, achieved: int, total: int, kept: bool) -> str:
    """ "Giữ vững 20/20 tiêu chí theo bộ tiêu chí …" or "Đạt 22/24 tiêu chí theo …"."""
    verb = "Giữ vững" if kept else "Đạt"
    return f"{verb} {achieved}/{total} tiêu chí theo {set_name[0].lower()}{set_name[1:]}."


def remaining_sentence(
    *, name: str, unit_name: str, target: Decimal, source: str, period_label: str, left: Decimal
) -> str:
    """Section III: what is left of a plan for the rest of its period."""
    head = f"{name}: phấn đấu hoàn thành {quantity(target, unit_name)} "
    head += f"({plan_words(source, period_label)})"
    if left > 0:
        return f"{head}, còn phải thực hiện {quantity(left, unit_name)}."
    return f"{head}; đã hoàn thành kế hoạch."


def target_sentence(
    *, name: str, unit_name: str, target: Decimal, source: str, period_label: str
) -> str:
    return (
        f"{name}: phấn đấu đạt {quantity(target, unit_name)} ({plan_words(source, period_label)})."
    )
