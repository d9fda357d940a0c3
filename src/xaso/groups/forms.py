"""The group form (one group and its members) and the groups spreadsheet upload."""

from django import forms

from xaso.formkit import NearUnitMixin, UnitsField
from xaso.org.models import GroupKind


class GroupForm(NearUnitMixin, forms.Form):
    code = forms.CharField(
        label="Mã nhóm", max_length=64, help_text="Chữ không dấu, số, dấu - _ . (vd. cum-trung-tam)"
    )
    name = forms.CharField(label="Tên nhóm", max_length=200)
    kind = forms.ChoiceField(label="Loại", choices=GroupKind.choices)
    members = UnitsField(
        label="Đơn vị thành viên (mỗi dòng một đơn vị, tên hoặc mã)",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    first_year = forms.IntegerField(label="Từ năm", required=False, min_value=1990, max_value=2100)
    last_year = forms.IntegerField(label="Đến năm", required=False, min_value=1990, max_value=2100)


class GroupsUploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp (.xlsx hoặc .csv): các cột nhóm, tên nhóm, loại, mã đơn vị",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(label="Chỉ kiểm tra, chưa lưu", required=False)
