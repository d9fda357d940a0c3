"""Forms to record a meeting with its attendees, directives and awards, and to update a task.

They only read and check what was typed; `meetings.services` validates the whole and writes.
"""

from django import forms

from xaso.formkit import NearUnitMixin, OnceField, PeriodCodeField, UnitsField
from xaso.meetings.models import (
    AttendanceRole,
    AwardKind,
    DirectiveStatus,
    DocumentKind,
    MeetingKind,
    TimeOfDay,
)
from xaso.meetings.services import AttendeeInput, AwardInput, DirectiveInput, DocumentInput

DATE_INPUT = {"placeholder": "dd/mm/yyyy", "size": 10}


class MeetingForm(NearUnitMixin, forms.Form):
    """Give `near=host`: units are named as seen from the host ("Thôn 1" is its own)."""

    once = OnceField()
    kind = forms.ChoiceField(label="Loại hội nghị", choices=MeetingKind.choices)
    title = forms.CharField(label="Tên hội nghị", max_length=400)
    date = forms.DateField(label="Ngày họp", widget=forms.TextInput(attrs=DATE_INPUT))
    time_of_day = forms.ChoiceField(
        label="Buổi", choices=[("", "—"), *TimeOfDay.choices], required=False
    )
    place = forms.CharField(label="Địa điểm", max_length=300, required=False)
    period = PeriodCodeField(
        label="Kỳ đánh giá", help_text="vd. tháng 11/2022, 6 tháng đầu năm 2022, 2022-11"
    )
    units = UnitsField(
        label="Đơn vị tham gia",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Mỗi dòng một đơn vị (tên hoặc mã).",
    )
    summary = forms.CharField(
        label="Kết quả được báo cáo", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    limitations = forms.CharField(
        label="Tồn tại, hạn chế",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Mỗi dòng một ý.",
    )
    conclusions = forms.CharField(
        label="Kết luận", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_limitations(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.cleaned_data["limitations"].splitlines()]


class AttendeeForm(forms.Form):
    # Blank first choices keep untouched spare rows empty, so the formset skips them.
    role = forms.ChoiceField(
        label="Vai trò", choices=[("", "—"), *AttendanceRole.choices], required=False
    )
    name = forms.CharField(label="Họ tên", max_length=120, required=False)
    title = forms.CharField(label="Chức vụ", max_length=300, required=False)
    group = forms.CharField(label="Hoặc nhóm", max_length=300, required=False)
    group_count = forms.IntegerField(label="Số người", min_value=1, required=False)

    def to_input(self) -> AttendeeInput:
        data = {**self.cleaned_data, "role": self.cleaned_data["role"] or AttendanceRole.ATTENDEE}
        return AttendeeInput(**data)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=[("", "—"), *DocumentKind.choices])
    title = forms.CharField(label="Tên văn bản", max_length=400)
    presenter = forms.CharField(label="Người trình bày", max_length=120, required=False)

    def to_input(self) -> DocumentInput:
        return DocumentInput(**self.cleaned_data)


class DirectiveForm(NearUnitMixin, forms.Form):
    text = forms.CharField(label="Nội dung", widget=forms.Textarea(attrs={"rows": 2}))
    assigned_to = UnitsField(
        label="Giao cho", widget=forms.Textarea(attrs={"rows": 2}), help_text="Tên hoặc mã đơn vị"
    )
    due_date = forms.DateField(
        label="Hạn", required=False, widget=forms.TextInput(attrs=DATE_INPUT)
    )
    due_period = PeriodCodeField(label="Hoặc hạn theo kỳ")
    issued_by = forms.CharField(label="Người giao", max_length=120, required=False)

    def to_input(self) -> DirectiveInput:
        return DirectiveInput(**self.cleaned_data)


class AwardForm(forms.Form):
    kind = forms.ChoiceField(label="Hình thức", choices=[("", "—"), *AwardKind.choices])
    detail = forms.CharField(label="Chi tiết", max_length=300, required=False)
    recipients = forms.CharField(label="Người, tập thể nhận", max_length=500, required=False)
    count = forms.IntegerField(label="Số lượng", min_value=1, required=False)

    def to_input(self) -> AwardInput:
        return AwardInput(**self.cleaned_data)


AttendeeFormSet = forms.formset_factory(AttendeeForm, extra=5)
DocumentFormSet = forms.formset_factory(DocumentForm, extra=1)
DirectiveFormSet = forms.formset_factory(DirectiveForm, extra=5)
AwardFormSet = forms.formset_factory(AwardForm, extra=1)


class FollowUpForm(forms.Form):
    once = OnceField()
    # The status shown when the form was opened: a status moved since is not overwritten.
    seen_status = forms.CharField(required=False, max_length=16, widget=forms.HiddenInput)
    status = forms.ChoiceField(label="Tình trạng", choices=DirectiveStatus.choices)
    note = forms.CharField(label="Nội dung cập nhật", widget=forms.Textarea(attrs={"rows": 2}))
    date = forms.DateField(
        label="Ngày",
        required=False,
        widget=forms.TextInput(attrs=DATE_INPUT),
        help_text="Để trống là hôm nay; không ghi ngày sau hôm nay.",
    )

    def __init__(self, *args, status_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.status_locked = status_locked
        self.fields["seen_status"].initial = self.initial.get("status", "")
        if status_locked:
            # The status is shown, not chosen; the service refuses a request that changes it.
            self.fields["status"].widget = forms.HiddenInput()
            self.fields[
                "status"
            ].help_text = (
                "Nhiệm vụ giao cho nhiều đơn vị: tình trạng chung do đơn vị giao nhiệm vụ cập nhật."
            )

    def show_stale(self, stale) -> None:
        """Say what changed, and take the current status as seen: sending again means
        "I have seen it, change it anyway"."""
        data = self.data.copy()
        data["seen_status"] = stale.current
        self.data = data
        self.add_error(None, str(stale))
