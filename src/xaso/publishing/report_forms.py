"""The "Tạo báo cáo" form: which report, in which layout and format."""

from django import forms

from xaso.formkit import PeriodCodeField, read_day
from xaso.publishing.models import IssuerKind

KINDS = [
    ("", "Theo kỳ đã chọn"),
    ("thang", "Báo cáo tháng"),
    ("so-ket", "Báo cáo sơ kết"),
    ("tong-ket", "Báo cáo tổng kết"),
]
FORMATS = [
    ("docx", "Word (DOCX) — để sửa và ký"),
    ("pdf", "PDF — để in"),
    ("xlsx", "Excel (XLSX) — bảng số liệu"),
    ("md", "Văn bản thuần (Markdown)"),
]


class ReportForm(forms.Form):
    period = PeriodCodeField(label="Kỳ báo cáo", required=True)
    kind = forms.ChoiceField(label="Loại báo cáo", choices=KINDS, required=False)
    issuer = forms.ChoiceField(label="Thể thức", choices=IssuerKind.choices)
    format = forms.ChoiceField(label="Định dạng", choices=FORMATS)
    date = forms.CharField(label="Ngày báo cáo", required=False, max_length=20)

    def clean_date(self):
        text = self.cleaned_data["date"].strip()
        if not text:
            return None
        try:
            return read_day(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class TemplateForm(forms.Form):
    """An office's own Word template, or going back to the shipped one."""

    action = forms.ChoiceField(choices=[("upload", "Tải lên"), ("remove", "Bỏ mẫu riêng")])
    issuer = forms.ChoiceField(label="Thể thức", choices=IssuerKind.choices)
    file = forms.FileField(label="Tệp mẫu (.docx)", required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == "upload" and not data.get("file"):
            self.add_error("file", "Chưa chọn tệp mẫu.")
        return data
