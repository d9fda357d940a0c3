"""Numbers as the API gives them: a Decimal without the stored trailing zeros ("1500", "2,5"
as "2.5"), the same whether it was just written or read back."""

from decimal import Decimal


def plain(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(format(value.normalize(), "f"))
