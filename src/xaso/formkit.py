"""Form pieces shared by the apps' forms and views: fields that read what officers type
(a period code, units by name or code) and the one way a service's error reaches a form."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from xaso.formats.vi.formats import DATE_INPUT_FORMATS
from xaso.once.services import KEY_LENGTH, new_key
from xaso.org.selectors import resolve_unit_list
from xaso.periods import MAX_PHRASE_LENGTH, PeriodError, read_period


class PeriodCodeField(forms.CharField):
    """A period typed as a code or as officers write it ("2022-h1", "tháng 11/2022",
    "6 tháng đầu năm 2022"), cleaned to the canonical code."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_PHRASE_LENGTH)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value) -> str:
        value = super().clean(value).strip()
        if not value:
            return ""
        try:
            return read_period(value).code
        except PeriodError as error:
            raise ValidationError(str(error)) from None


class OnceField(forms.CharField):
    """The hidden submission token of a form that records something: each form shown gets a
    fresh one, and a re-shown form keeps its own, so sending it twice records once."""

    def __init__(self, **kwargs):
        super().__init__(
            required=False, max_length=KEY_LENGTH, initial=new_key, widget=forms.HiddenInput
        )


class UnitsField(forms.CharField):
    """Units named one per line or separated by ";" (names or codes), each found exactly.

    Codes are matched anywhere; names are looked up nearest `near` first (the unit the form is
    about: its subtree, then its ancestors' subtrees outward, then the country), so "Thôn 1"
    in a commune's form is that commune's village 1. `near` may be given when the field is
    declared or set per form instance (see NearUnitMixin).
    """

    def __init__(self, *, single: bool = False, near=None, **kwargs):
        self.single = single
        self.near = near
        super().__init__(**kwargs)

    def clean(self, value):
        units, errors = resolve_unit_list(super().clean(value), near=self.near)
        if errors:
            raise ValidationError(errors)
        if self.single:
            if not units and not self.required:
                return None
            if len(units) != 1:
                raise ValidationError("Hãy ghi đúng một đơn vị.")
            return units[0]
        return units


class NearUnitMixin:
    """A form taking `near=<unit>`: every UnitsField of the form looks names up near it.

    `MeetingForm(data, near=host)`; for a formset, `form_kwargs={"near": host}`."""

    def __init__(self, *args, near=None, **kwargs):
        super().__init__(*args, **kwargs)
        if near is not None:
            for field in self.fields.values():
                if isinstance(field, UnitsField):
                    field.near = near


def show_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: beside the field it names, else on top."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, messages in error.message_dict.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


def read_day(text: str) -> dt.date:
    """A date as officers type it (dd/mm/yyyy; also yyyy-mm-dd); ValueError when it is not."""
    text = (text or "").strip()
    for pattern in DATE_INPUT_FORMATS:  # the ones every date box of the site takes
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a day, no time
        except ValueError:
            continue
    raise ValueError(f"«{text}» không phải là ngày (viết dd/mm/yyyy, vd. 31/12/2024).")


def with_more_rows(data, prefix: str, *, more: int, most: int):
    """Posted data with the formset `prefix` showing `more` empty rows more, `most` in all
    ("Thêm dòng": the page is shown again with what was typed, no JavaScript)."""
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, ""))
    except ValueError:
        return data
    data = data.copy()
    data[key] = str(max(total, min(total + more, most)))
    return data
