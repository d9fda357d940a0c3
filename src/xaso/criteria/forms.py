"""Forms of the criteria pages: they read and check what was typed; `criteria.services` writes."""

from django import forms

from xaso.criteria.models import RecognitionKind, Status

DATE_INPUT = {"placeholder": "dd/mm/yyyy", "size": 10}
DATE_FORMAT = "%d/%m/%Y"
SEEN_NONE = "-"  # the page showed no assessment for that day


class AssessmentForm(forms.Form):
    criterion = forms.ChoiceField(label="Tiêu chí")
    status = forms.ChoiceField(label="Kết quả", choices=Status.choices)
    assessed_on = forms.DateField(
        label="Ngày đánh giá", widget=forms.DateInput(attrs=DATE_INPUT, format=DATE_FORMAT)
    )
    evidence = forms.CharField(
        label="Minh chứng",
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"size": 40}),
    )
    document = forms.CharField(
        label="Văn bản",
        max_length=300,
        required=False,
        help_text="vd. Biên bản thẩm định số 12/BB-BCĐ ngày 05/6/2024",
    )
    # What the page showed: "number=status@yyyy-mm-dd;…" (each criterion's latest assessment),
    # and after a refused write, the status of the day as it now stands.
    shown = forms.CharField(widget=forms.HiddenInput, required=False)
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [(c.number, f"{c.number}. {c.name}") for c in criteria]


class RecognitionForm(forms.Form):
    kind = forms.ChoiceField(label="Quyết định", choices=RecognitionKind.choices)
    decided_on = forms.DateField(
        label="Ngày quyết định", widget=forms.DateInput(attrs=DATE_INPUT, format=DATE_FORMAT)
    )
    decision = forms.CharField(
        label="Số, ký hiệu",
        max_length=300,
        required=False,
        help_text="vd. Quyết định số 1763/QĐ-UBND ngày 20/12/2024 của UBND tỉnh",
    )


class GroupingForm(forms.Form):
    group = forms.ChoiceField(label="Nhóm")

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(code, f"{name} ({code})") for code, name in groups]


class PackUploadForm(forms.Form):
    file = forms.FileField(label="Tệp bộ tiêu chí (.yaml hoặc .xlsx)")
    owner = forms.ChoiceField(label="Tỉnh ban hành")

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [(u.code, u.full_name) for u in owners]
