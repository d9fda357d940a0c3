"""The data-entry sheet: one value and one status per indicator, for a unit and period."""

import copy
import html
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe

from xaso.catalog.models import Indicator
from xaso.figures.models import ResultStatus
from xaso.figures.services import Seen, to_indicator_unit
from xaso.figures.sheet_rows import row_html
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


def confirm_field(indicator: Indicator) -> str:
    return f"ok_{indicator.code}"


# "1.5", "12.25 ha": a dot followed by one or two digits. Vietnamese writing groups thousands
# with a dot and three digits, so this is most likely a decimal typed on an English keyboard
# (read as 1,5), but it may be a slip for 15 or 1.500: the sheet asks before saving it.
_DOT_DECIMAL = re.compile(r"\s*([+\-\u2212]?\s*[0-9]+)\.([0-9]{1,2})(?![0-9.,])")


def dot_decimal_reading(text: str) -> str | None:
    """How an ambiguous "1.5" is read ("1,5"), with what follows it; None if unambiguous."""
    found = _DOT_DECIMAL.match(text or "")
    if found is None:
        return None
    rest = text[found.end() :]
    return f"{found.group(1).strip()},{found.group(2)}{rest.rstrip()}"


def errors_by_code(entries: dict) -> dict[str, list[str]]:
    """The mistakes of a sheet's boxes by indicator code: each non-empty box read as the
    service reads it, so that a sheet that asks to confirm one box shows the mistakes of
    the others at the same time."""
    errors = {}
    for indicator, (text, _status) in entries.items():
        if not (text or "").strip():
            continue
        try:
            to_indicator_unit(indicator, text)
        except ValidationError as error:
            errors[indicator.code] = error.message_dict["value"]
    return errors


# The sheet's widgets write their HTML directly: the same markup as Django's widget templates
# (input.html, select.html, attrs.html), without a template render per box. A sheet of 50
# indicators has 200 of them, and rendering them through the template engine was most of the
# sheet's cost (issue 20).
def _escape(value) -> str:
    """As Django's `conditional_escape`, without its lazy-string wrapper on every call."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _attrs_html(attrs: dict) -> str:
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class _DirectInput:
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value = widget["value"]
        shown = "" if value is None else f' value="{_escape(value)}"'
        return mark_safe(  # noqa: S308 (every part escaped above)
            f'<input type="{widget["type"]}" name="{_escape(widget["name"])}"'
            f"{shown}{_attrs_html(widget['attrs'])}>"
        )


class TextBox(_DirectInput, forms.TextInput):
    pass


class HiddenBox(_DirectInput, forms.HiddenInput):
    pass


class StatusSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_escape(group_name)}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{_escape(option["value"])}"'
                    f"{_attrs_html(option['attrs'])}>{_escape(option['label'])}</option>"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every part escaped above)


@dataclass(frozen=True)
class Context:
    """What the sheet shows beside a box: the unit's targets for the period (narrowest
    first) and its own figure of the previous period of the same kind."""

    targets: list
    previous: object  # Result | None
    previous_label: str


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


@dataclass(frozen=True)
class Row:
    indicator: Indicator
    value: forms.BoundField
    status: forms.BoundField
    seen: forms.BoundField
    confirm: forms.BoundField
    clash: object  # Clash | None
    question: str | None
    context: Context | None

    def html(self):
        return row_html(self)


# The four fields of a box, built once; each sheet copies them (a field and its widget, each
# with its own attributes) rather than constructing 4 × indicators fields anew.
_VALUE = forms.CharField(
    required=False,
    max_length=60,
    widget=TextBox(attrs={"inputmode": "decimal", "autocomplete": "off"}),
)
# Not required: a box sent without its status (a script, a sheet that carried only some
# rows) is final, the default shown.
_STATUS = forms.ChoiceField(
    label="Tình trạng", choices=ResultStatus.choices, required=False, widget=StatusSelect
)
_SEEN = forms.CharField(required=False, max_length=80, widget=HiddenBox)
_CONFIRM = forms.CharField(required=False, max_length=60, widget=HiddenBox, strip=False)


def _copy(prototype: forms.Field, **values) -> forms.Field:
    field = copy.copy(prototype)
    field.widget = copy.copy(prototype.widget)
    field.widget.attrs = dict(prototype.widget.attrs)
    field.error_messages = dict(prototype.error_messages)
    field.__dict__.update(values)
    return field


class EntryForm(forms.Form):
    """Fields are built from the catalog. Values are kept as typed (text): the service reads
    them, so the form and every other entry path parse numbers the same way."""

    def __init__(
        self,
        *args,
        indicators: list[Indicator],
        current: dict,
        context: dict | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.context = context or {}
        self.clashes = {}
        self.questions = {}
        for indicator in indicators:
            result = current.get(indicator.pk)
            self.fields[value_field(indicator)] = _copy(
                _VALUE,
                label=indicator.name,
                initial=written_exactly(result.value) if result else "",
            )
            self.fields[status_field(indicator)] = _copy(
                _STATUS, initial=result.status if result else ResultStatus.FINAL
            )
            self.fields[seen_field(indicator)] = _copy(_SEEN, initial=encode_seen(result))
            self.fields[confirm_field(indicator)] = _copy(_CONFIRM)

    def entries(self) -> dict[Indicator, tuple[str, str]]:
        return {
            indicator: (
                self.cleaned_data[value_field(indicator)],
                self.cleaned_data[status_field(indicator)] or ResultStatus.FINAL,
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

    def unconfirmed(self) -> dict[Indicator, str]:
        """Boxes holding an ambiguous "1.5" the user has not confirmed yet: {indicator:
        how it is read}. A box is confirmed when its hidden field holds the very text it
        holds now (the sheet was sent again without changing it)."""
        found = {}
        for indicator in self.indicators:
            text = self.cleaned_data[value_field(indicator)]
            reading = dot_decimal_reading(text)
            if reading is not None and self.cleaned_data[confirm_field(indicator)] != text:
                found[indicator] = reading
        return found

    def ask_confirmation(self, readings: dict[Indicator, str]) -> None:
        """Put the question beside each box and the typed text in its hidden field, so that
        sending the sheet again as it is confirms the reading."""
        data = self.data.copy()
        for indicator, reading in readings.items():
            typed = self.cleaned_data[value_field(indicator)]
            data[confirm_field(indicator)] = typed
            self.questions[indicator.code] = (
                f"‘{typed}’ được hiểu là {reading} — đúng không? "
                "Bấm Lưu lần nữa để xác nhận, hoặc sửa lại."
            )
        self.data = data

    def show_clashes(self, clashes) -> None:
        """Mark each clash beside its field and take the stored value as the one now seen,
        so that sending the sheet again means: I have seen it, keep mine."""
        data = self.data.copy()
        for clash in clashes:
            data[seen_field(clash.indicator)] = encode_seen(clash.current)
        self.data = data
        self.clashes = {clash.indicator.code: clash for clash in clashes}

    def rows(self):
        """One Row per indicator, grouped for the template."""
        groups: dict[str, list] = {}
        for indicator in self.indicators:
            groups.setdefault(indicator.group or "Khác", []).append(
                Row(
                    indicator=indicator,
                    value=self[value_field(indicator)],
                    status=self[status_field(indicator)],
                    seen=self[seen_field(indicator)],
                    confirm=self[confirm_field(indicator)],
                    clash=self.clashes.get(indicator.code),
                    question=self.questions.get(indicator.code),
                    context=self.context.get(indicator.pk),
                )
            )
        return list(groups.items())

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        by_code = {indicator.code: indicator for indicator in self.indicators}
        for code, messages in errors.items():
            field = value_field(by_code[code]) if code in by_code else None
            for message in messages:
                self.add_error(field, message)
