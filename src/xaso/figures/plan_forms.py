"""Forms of the plan page (set or revise one target) and of the allocation table."""

from django import forms

from xaso.catalog.models import Indicator
from xaso.figures.models import AllocationMethod, TargetSource
from xaso.org.models import UnitKind

SEEN_NONE = "-"  # the writer saw no target


class TargetForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label="Chỉ tiêu",
        queryset=Indicator.objects.none(),
        error_messages={"required": "Hãy chọn chỉ tiêu.", "invalid_choice": "Chỉ tiêu không có."},
    )
    source = forms.ChoiceField(
        label="Nguồn",
        choices=TargetSource.choices,
        error_messages={"invalid_choice": "Nguồn chỉ tiêu không hợp lệ."},
    )
    value = forms.CharField(
        label="Mức chỉ tiêu",
        max_length=60,
        error_messages={"required": "Hãy nhập mức chỉ tiêu."},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "vd. 15.511"}),
    )
    document = forms.CharField(
        label="Văn bản giao",
        required=False,
        max_length=300,
        widget=forms.TextInput(
            attrs={"placeholder": "vd. Quyết định số 15/QĐ-UBND ngày 10/01/2020 của UBND huyện"}
        ),
    )
    revision = forms.BooleanField(
        label="Điều chỉnh kế hoạch (giữ lại chỉ tiêu ban đầu để so sánh)", required=False
    )
    reason = forms.CharField(label="Lý do", required=False, max_length=300)
    seen = forms.CharField(required=False, widget=forms.HiddenInput, max_length=60)

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators


class AllocationForm(forms.Form):
    """How to propose shares (GET) — the shares themselves are `share_<unit code>` fields."""

    method = forms.ChoiceField(
        label="Cách phân bổ",
        choices=[(k, v) for k, v in AllocationMethod.choices if k != AllocationMethod.FILE],
        initial=AllocationMethod.EQUAL,
        required=False,
    )
    base = forms.ModelChoiceField(
        label="Số liệu gốc để chia",
        queryset=Indicator.objects.none(),
        required=False,
        empty_label="(chọn khi chia theo số liệu gốc)",
    )
    to_kind = forms.ChoiceField(
        label="Giao cho",
        required=False,
        choices=[("", "Các đơn vị trực thuộc"), *UnitKind.choices],
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base"].queryset = indicators


def share_field(code: str) -> str:
    return f"share_{code}"
