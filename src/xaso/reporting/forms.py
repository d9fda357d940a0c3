"""The forms of the reporting pages: a form's sheet (the data-entry sheet restricted to the
form's indicators, grouped as the form groups them), and the reviewer's actions."""

import hashlib

from django import forms

from xaso.figures.forms import (
    Context,
    EntryForm,
    Row,
    confirm_field,
    encode_seen,
    seen_field,
    status_field,
    value_field,
    written_exactly,
)
from xaso.formkit import OnceField
from xaso.reporting.pages import Sheet

SAVE, SUBMIT = "save", "submit"


def warnings_key(warnings: dict[str, str]) -> str:
    """A short fingerprint of the warnings shown: "Gửi dù vậy" confirms these, not others
    that a changed value might raise."""
    text = "\n".join(f"{key}={message}" for key, message in sorted(warnings.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


class ReportSheetForm(EntryForm):
    """The values of a report, with what the page showed: the report's version, each box's
    value (`was_<code>`), the submission token, and the warnings confirmed."""

    def __init__(self, *args, found: Sheet, **kwargs):
        indicators = found.indicators
        super().__init__(
            *args,
            indicators=indicators,
            current=found.current,
            context={
                i.pk: Context(found.targets.get(i.pk, []), found.previous.get(i.pk), found.before)
                for i in indicators
            },
            **kwargs,
        )
        self.groups = found.groups
        self.warnings: dict[str, str] = {}
        self.updates = {}  # code -> Clash: changed by someone else, box left as shown
        self.fields["version"] = forms.IntegerField(
            min_value=0, initial=found.version, widget=forms.HiddenInput
        )
        self.fields["once"] = OnceField()
        self.fields["confirmed"] = forms.CharField(
            required=False, max_length=40, widget=forms.HiddenInput
        )

    def rows(self):
        """One Row per indicator, in the form's order, grouped as the form groups them."""
        groups: dict[str, list] = {}
        for indicator in self.indicators:
            groups.setdefault(self.groups.get(indicator.pk) or "Chỉ tiêu", []).append(
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
        return [
            (
                group,
                [
                    (
                        row,
                        self.warnings.get(row.indicator.code),
                        self.updates.get(row.indicator.code),
                    )
                    for row in rows
                ],
            )
            for group, rows in groups.items()
        ]

    def other_warnings(self) -> list[str]:
        """Warnings of rules that name no indicator of the sheet."""
        codes = {indicator.code for indicator in self.indicators}
        return [message for key, message in self.warnings.items() if key not in codes]

    def show_warnings(self, warnings: dict[str, str]) -> None:
        data = self.data.copy()
        data["confirmed"] = warnings_key(warnings)
        self.data = data
        self.warnings = warnings

    def show_changes(self, changes, version: int) -> None:
        """After someone else changed the report: the clashes beside their boxes with both
        values (sending again keeps the writer's), boxes left as shown take the new value,
        and the page now carries the report's new version."""
        data = self.data.copy()
        for change in changes:
            clash = change.clash
            data[seen_field(clash.indicator)] = encode_seen(clash.current)
            if not change.touched:
                current = clash.current
                data[value_field(clash.indicator)] = (
                    written_exactly(current.value) if current else ""
                )
                if current is not None:
                    data[status_field(clash.indicator)] = current.status
                self.updates[clash.indicator.code] = clash
        data["version"] = str(version)
        self.data = data
        self.clashes = {c.clash.indicator.code: c.clash for c in changes if c.touched}

    def carry_version(self, version: int) -> None:
        data = self.data.copy()
        data["version"] = str(version)
        self.data = data


class ReviewForm(forms.Form):
    """Approve or return a report (with a reason), as of the version the reviewer saw."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    once = OnceField()
    reason = forms.CharField(
        label="Lý do trả lại",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "review_%s")
        super().__init__(*args, **kwargs)


class CorrectionForm(ReportSheetForm):
    """Figures of an approved report changed by the reviewer, with a reason."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = forms.CharField(
            label="Lý do điều chỉnh",
            max_length=300,
            widget=forms.Textarea(attrs={"rows": 2}),
            error_messages={"required": "Điều chỉnh số liệu đã duyệt phải ghi lý do."},
        )
