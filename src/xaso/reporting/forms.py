"""The forms of the reporting pages: a form's sheet (the data-entry sheet restricted to the
form's indicators, grouped as the form groups them), and the reviewer's actions."""

import hashlib
from dataclasses import dataclass

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

SAVE, SUBMIT, READ_CHAT = "save", "submit", "read_chat"


@dataclass(frozen=True)
class ChatRead:
    """A box filled from a pasted chat message: the words it was read from, and how the
    number was read when that needs saying."""

    source: str
    note: str | None = None


class ChatForm(forms.Form):
    """A report pasted as a chat message ("Thôn Cẩm Trang tuần 3: trồng mới 320 m hàng rào
    xanh…"), read into the sheet's boxes by "Đọc tin nhắn". Its length is checked by the
    reader (`reporting.chat.chat_entries`), which says so in Vietnamese."""

    chat = forms.CharField(
        label="Dán tin nhắn báo cáo",
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": "Thôn Cẩm Trang tuần 3: trồng mới 320 m hàng rào xanh, "
                "2 nhà vệ sinh tự hoại.",
            }
        ),
    )


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
        self.read = {}  # code -> ChatRead: filled from a pasted chat message, not saved yet
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
                        self.read.get(row.indicator.code),
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

    def show_chat(self, entries: dict, notes) -> None:
        """Put the values read from a chat message into their boxes (the other boxes keep
        what the page sent), each marked with the words it was read from. The version, the
        seen values and the submission token stay those of the page as it was opened:
        nothing is saved until the sheet is saved."""
        data = self.data.copy()
        for indicator, (text, status) in entries.items():
            if indicator not in self.indicators:
                continue
            data[value_field(indicator)] = text
            data[status_field(indicator)] = status
            self.read[indicator.code] = ChatRead(
                notes.sources.get(indicator, text), notes.value_notes.get(indicator)
            )
        self.data = data

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
