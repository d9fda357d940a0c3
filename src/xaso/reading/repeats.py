"""One figure reported twice with different values: "hàng rào xanh … 5.615m" in one paragraph
and "hàng rào xanh … 5.630m" further down. Reports are written by several hands, and the two
numbers cannot both be the commune's figure for the month; the officer decides which one holds.

A repeat is a later result figure with the same label (case and spacing folded) and the same
unit as an earlier one, and another value. Plans and targets are left out: a target and its
result share a label on purpose. Pure: no Django.
"""

from dataclasses import dataclass

from xaso.reading.model import FigureMention
from xaso.vn.numbers import format_quantity


@dataclass(frozen=True)
class Repeat:
    first: int  # index in the figures
    second: int

    def warning(self, text: str, figures: list[FigureMention]) -> str:
        one, two = figures[self.first], figures[self.second]
        return (
            f"Số liệu ‘{one.label}’ được ghi hai lần với giá trị khác nhau: "
            f"{_where(text, one)} và {_where(text, two)}. Hãy kiểm tra và chỉ nhập một giá trị."
        )


def _where(text: str, figure: FigureMention) -> str:
    """ "5.615 m (dòng 14: ‘Trồng mới 5.615m hàng rào xanh’)": the value, and where to find it."""
    value = format_quantity(figure.value, figure.unit_text or "")
    return f"{value} (dòng {line_of(text, figure.start)}: ‘{clause_of(text, figure)}’)"


def clause_of(text: str, figure: FigureMention, limit: int = 80) -> str:
    """The clause a figure was written in, between the separators around it, shortened."""
    start = max(text.rfind(mark, 0, figure.start) for mark in _SEPARATORS) + 1
    ends = [at for mark in _SEPARATORS if (at := text.find(mark, figure.end)) != -1]
    clause = " ".join(text[start : min(ends, default=len(text))].split()).rstrip(".,:")
    return clause if len(clause) <= limit else clause[: limit - 1].rstrip() + "…"


_SEPARATORS = (";", "\n", ". ", "!", "?")


def line_of(text: str, offset: int) -> int:
    """The 1-based line of an offset, as an officer counts lines in the source text."""
    return text.count("\n", 0, offset) + 1


def _key(figure: FigureMention) -> tuple[str, str | None] | None:
    label = " ".join(figure.label.casefold().split())
    if figure.role != "result" or not label:
        return None
    return label, figure.unit or figure.unit_text


def find_repeats(figures: list[FigureMention]) -> list[Repeat]:
    """Each later figure that repeats an earlier one with another value, paired with the
    first figure of its label; and marks it (`same_as`) so the review leaves it out."""
    first_of: dict[tuple[str, str | None], int] = {}
    repeats = []
    for index, figure in enumerate(figures):
        key = _key(figure)
        if key is None:
            continue
        earlier = first_of.setdefault(key, index)
        if earlier != index and figures[earlier].value != figure.value:
            figure.same_as = earlier
            repeats.append(Repeat(earlier, index))
    return repeats
