"""Splitting a target into shares that add up to it exactly (largest-remainder rounding).

Pure Python: a commune's 77 households over four villages by their household counts must
become whole shares summing to 77, never 76 or 78. Each share first gets its exact
proportion rounded down to the quantum (1 for a count, 0,01 for money); the units left over
go one each to the shares with the largest remainders, ties to the earlier share.
"""

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction


class SplitError(ValueError):
    """The split is impossible; the message is Vietnamese."""


def quantum_for(total: Decimal, *, whole: bool) -> Decimal:
    """The step of the shares: 1 for counts; else 0,01, or finer when the total is."""
    if whole:
        return Decimal(1)
    exponent = total.normalize().as_tuple().exponent
    return Decimal(1).scaleb(min(-2, exponent if isinstance(exponent, int) else 0))


def split(total: Decimal, weights: Sequence[Decimal], quantum: Decimal) -> list[Decimal]:
    """`total` divided in proportion to `weights`, in steps of `quantum`, adding up exactly."""
    if not weights:
        raise SplitError("Không có đơn vị nào để phân bổ.")
    if total < 0:
        raise SplitError("Chỉ tiêu âm không phân bổ được.")
    if any(weight < 0 for weight in weights):
        raise SplitError("Số liệu gốc để chia không được âm.")
    steps = total / quantum
    if steps != steps.to_integral_value():
        raise SplitError(f"Chỉ tiêu {total} không chia được thành các phần {quantum}.")
    whole_weight = sum(weights, Decimal(0))
    if whole_weight == 0:
        raise SplitError("Số liệu gốc của mọi đơn vị đều bằng 0: không chia theo tỷ lệ được.")
    steps = int(steps)
    # Exact proportions as fractions: no rounding before the remainders are compared.
    whole = Fraction(whole_weight)
    exact = [steps * Fraction(weight) / whole for weight in weights]
    floors = [part.numerator // part.denominator for part in exact]
    left = steps - sum(floors)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for index in by_remainder[:left]:
        floors[index] += 1
    return [quantum * count for count in floors]


def split_equally(total: Decimal, count: int, quantum: Decimal) -> list[Decimal]:
    return split(total, [Decimal(1)] * count, quantum)
