"""The data-entry sheet: one value and one status per indicator, for a unit and period."""

from decimal import Decimal, InvalidOperation

from django import forms

from xaso.catalog.models import Indicator
from xaso.figures.models import ResultStatus
from xaso.figures.services import Seen
from xaso.vn.numbers import format_number


def value_field(indicator: Indicator) -> str:
    return f"v_{indicator.code}"


def status_field(indicator: Indicator) -> str:
    return f"s_{indicator.code}"


def written_exactly(value: Decimal) -> str:
    """A stored value with every decimal it has ("1.234,125"): a box shown rounded would
    come back as a different value, and an untouched box would change the figure."""
    return format_number(value, decimals=max(0, -value.normalize().as_tuple().exponent))


def seen_field(indicator: Indicator) -> str:
    return f"was_{indicator.code}"


def encode_seen(result) -> str:
    """What the sheet showed, for its hidden field: "" (no figure) or "3750.5|final"."""
    return "" if result is None else f"{format(result.value.normalize(), 'f')}|{result.status}"


def decode_seen(text: str) -> Seen | None:
    """The hidden field read back; None when it is missing or not ours (no check then)."""
    if text is None:
        return None
    if text == "":
        return Seen(None)
    value, _, status = text.partition("|")
    try:
        return Seen(Decimal(value), status)
    except InvalidOperation:
        return None


class EntryForm(forms.Form):
    """Fields are built from the catalog. Values are kept as typed (text): the service reads
    them, so the form and every other entry path parse numbers the same way."""

    def __init__(self, *args, indicators: list[Indicator], current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.clashes = {}
        for indicator in indicators:
            result = current.get(indicator.pk)
            self.fields[value_field(indicator)] = forms.CharField(
                label=indicator.name,
                required=False,
                max_length=60,
                initial=written_exactly(result.value) if result else "",
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            self.fields[status_field(indicator)] = forms.ChoiceField(
                label="Tình trạng",
                choices=ResultStatus.choices,
                initial=result.status if result else ResultStatus.FINAL,
            )
            self.fields[seen_field(indicator)] = forms.CharField(
                required=False,
                max_length=80,
                initial=encode_seen(result),
                widget=forms.HiddenInput,
            )

    def entries(self) -> dict[Indicator, tuple[str, str]]:
        return {
            indicator: (
                self.cleaned_data[value_field(indicator)],
                self.cleaned_data[status_field(indicator)],
            )
            for indicator in self.indicators
        }

    def seen(self) -> dict[Indicator, Seen]:
        """What the sheet showed when it was opened, for the indicators it carried."""
        seen = {}
        for indicator in self.indicators:
            if seen_field(indicator) not in self.data:
                continue
            decoded = decode_seen(self.cleaned_data[seen_field(indicator)])
            if decoded is not None:
                seen[indicator] = decoded
        return seen

    def show_clashes(self, clashes) -> None:
        """Mark each clash beside its field and take the stored value as the one now seen,
        so that sending the sheet again means: I have seen it, keep mine."""
        data = self.data.copy()
        for clash in clashes:
            data[seen_field(clash.indicator)] = encode_seen(clash.current)
        self.data = data
        self.clashes = {clash.indicator.code: clash for clash in clashes}

    def rows(self):
        """(indicator, value bound field, status bound field), grouped for the template."""
        groups: dict[str, list] = {}
        for indicator in self.indicators:
            groups.setdefault(indicator.group or "Khác", []).append(
                (
                    indicator,
                    self[value_field(indicator)],
                    self[status_field(indicator)],
                    self[seen_field(indicator)],
                    self.clashes.get(indicator.code),
                )
            )
        return list(groups.items())

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        by_code = {indicator.code: indicator for indicator in self.indicators}
        for code, messages in errors.items():
            field = value_field(by_code[code]) if code in by_code else None
            for message in messages:
                self.add_error(field, message)
