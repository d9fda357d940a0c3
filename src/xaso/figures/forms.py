"""The data-entry sheet: one value and one status per indicator, for a unit and period."""

from django import forms

from xaso.catalog.models import Indicator
from xaso.figures.models import ResultStatus
from xaso.vn.numbers import format_number


def value_field(indicator: Indicator) -> str:
    return f"v_{indicator.code}"


def status_field(indicator: Indicator) -> str:
    return f"s_{indicator.code}"


class EntryForm(forms.Form):
    """Fields are built from the catalog. Values are kept as typed (text): the service reads
    them, so the form and every other entry path parse numbers the same way."""

    def __init__(self, *args, indicators: list[Indicator], current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            result = current.get(indicator.pk)
            self.fields[value_field(indicator)] = forms.CharField(
                label=indicator.name,
                required=False,
                max_length=60,
                initial=format_number(result.value) if result else "",
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            self.fields[status_field(indicator)] = forms.ChoiceField(
                label="Tình trạng",
                choices=ResultStatus.choices,
                initial=result.status if result else ResultStatus.FINAL,
            )

    def entries(self) -> dict[Indicator, tuple[str, str]]:
        return {
            indicator: (
                self.cleaned_data[value_field(indicator)],
                self.cleaned_data[status_field(indicator)],
            )
            for indicator in self.indicators
        }

    def rows(self):
        """(indicator, value bound field, status bound field), grouped for the template."""
        groups: dict[str, list] = {}
        for indicator in self.indicators:
            groups.setdefault(indicator.group or "Khác", []).append(
                (indicator, self[value_field(indicator)], self[status_field(indicator)])
            )
        return list(groups.items())

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        by_code = {indicator.code: indicator for indicator in self.indicators}
        for code, messages in errors.items():
            field = value_field(by_code[code]) if code in by_code else None
            for message in messages:
                self.add_error(field, message)
