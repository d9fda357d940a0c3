"""The upload form and the review form (built from what was read)."""

from django import forms

from xaso.catalog.models import Indicator
from xaso.figures.models import TargetSource
from xaso.formkit import PeriodCodeField, UnitsField
from xaso.meetings.models import AttendanceRole, MeetingKind, TimeOfDay
from xaso.reading import Extraction

ACCEPT = ".docx,.doc,.rtf,.pdf,.png,.jpg,.jpeg,.txt,.html,.htm"


class UploadForm(forms.Form):
    unit = UnitsField(
        label="Văn bản của đơn vị (tên hoặc mã)",
        max_length=200,
        single=True,
        required=False,
        help_text="Người quản lý đơn vị này cũng xem được văn bản. Để trống: chỉ bạn xem được.",
    )
    # Empty files reach the reader, which says so in its own words.
    # The format is told by the content (xaso.reading.source), not by the name: `accept` only
    # helps the browser's file picker.
    file = forms.FileField(
        label="Tệp báo cáo (.docx, .doc, .pdf, ảnh chụp .png/.jpg, .txt, .html; tối đa 5 MB)",
        required=False,
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    pasted = forms.CharField(
        label="Hoặc dán nội dung",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "placeholder": "Dán bài viết hoặc báo cáo…"}),
    )


ROLE_CHOICES = [("result", "Kết quả"), ("target", "Chỉ tiêu")]


class ReviewForm(forms.Form):
    host = UnitsField(label="Đơn vị chủ trì (tên hoặc mã)", max_length=200, single=True)
    kind = forms.ChoiceField(label="Loại hội nghị", choices=MeetingKind.choices)
    title = forms.CharField(label="Tên hội nghị", max_length=400)
    date = forms.DateField(label="Ngày họp", widget=forms.TextInput(attrs={"size": 10}))
    time_of_day = forms.ChoiceField(
        label="Buổi", choices=[("", "—"), *TimeOfDay.choices], required=False
    )
    place = forms.CharField(label="Địa điểm", max_length=300, required=False)
    period = PeriodCodeField(label="Kỳ đánh giá")
    target_period = PeriodCodeField(
        label="Kỳ của chỉ tiêu kế hoạch",
        required=False,
        help_text="Cho các số liệu chọn là «Chỉ tiêu». Để trống: năm của kỳ đánh giá, hoặc "
        "cả khoảng thời gian khi văn bản đánh giá một đợt, một nhiệm kỳ.",
    )
    limitations = forms.CharField(
        label="Tồn tại, hạn chế (mỗi dòng một ý)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    directives = forms.CharField(
        label="Nhiệm vụ giao cho đơn vị (mỗi dòng một việc)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, extraction: Extraction, indicators: list[Indicator], **kwargs):
        super().__init__(*args, **kwargs)
        self.extraction = extraction
        choices = [("", "— không nhập —")] + [
            (str(i.pk), f"{i.name} ({i.unit_name})") for i in indicators
        ]
        self.indicators = {str(i.pk): i for i in indicators}
        for index, _figure in enumerate(extraction.figures):
            self.fields[f"figure_{index}"] = forms.ChoiceField(
                label="Chỉ tiêu", choices=choices, required=False
            )
            self.fields[f"estimated_{index}"] = forms.BooleanField(label="Ước đạt", required=False)
            # A plan or goal the text states (kế hoạch, chỉ tiêu, phấn đấu): a target, not a result.
            self.fields[f"role_{index}"] = forms.ChoiceField(
                label="Là", choices=ROLE_CHOICES, required=False
            )
            self.fields[f"source_{index}"] = forms.ChoiceField(
                label="Nguồn chỉ tiêu", choices=TargetSource.choices, required=False
            )
            # A figure of a unit below the host (a village, a group): looked up inside the host.
            self.fields[f"unit_{index}"] = forms.CharField(
                label="Của đơn vị",
                max_length=200,
                required=False,
                widget=forms.TextInput(
                    attrs={"placeholder": "đơn vị chủ trì", "size": 14, "class": "unit"}
                ),
            )
        for index, _person in enumerate(extraction.people):
            self.fields[f"person_{index}"] = forms.ChoiceField(
                label="Vai trò",
                choices=[("", "— bỏ qua —"), *AttendanceRole.choices],
                required=False,
            )

    def lines(self, name: str) -> list[str]:
        return [
            line.strip(" -•\t") for line in self.cleaned_data[name].splitlines() if line.strip()
        ]

    def figure_rows(self):
        return [
            (
                index,
                figure,
                self[f"figure_{index}"],
                self[f"estimated_{index}"],
                self[f"unit_{index}"],
                self[f"role_{index}"],
                self[f"source_{index}"],
            )
            for index, figure in enumerate(self.extraction.figures)
        ]

    def person_rows(self):
        return [
            (person, self[f"person_{index}"]) for index, person in enumerate(self.extraction.people)
        ]
