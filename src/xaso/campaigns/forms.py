"""Forms of the page that creates and launches a campaign: the campaign, its goals (each with
how it is handed down, and a share per participant when typed by hand) and its themed weeks.

They only read what was typed — days as dd/mm/yyyy (`formkit.read_day`), amounts the
Vietnamese way in the indicator's unit ("3.750", "1,8 km": `figures.services.
to_indicator_unit`) —; `campaigns.services.create_campaign` checks the whole and writes.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from xaso.campaigns.models import Cadence
from xaso.campaigns.services import GoalInput, WeekInput
from xaso.catalog.models import Indicator
from xaso.catalog.selectors import active_indicators
from xaso.figures.services import to_indicator_unit
from xaso.formkit import OnceField, read_day
from xaso.org.models import OrgUnit, UnitKind
from xaso.vn.text import nfc

DAY = {"placeholder": "dd/mm/yyyy", "size": 10, "inputmode": "numeric"}
# Below the host's children, the units that take part in a campaign of their own: groups of
# households and the mass organisations (a village's women's branch, say).
TAKING_PART = [
    UnitKind.VILLAGE,
    UnitKind.RESIDENTIAL_GROUP,
    UnitKind.HOUSEHOLD_GROUP,
    UnitKind.FATHERLAND_FRONT,
    UnitKind.YOUTH_UNION,
    UnitKind.FARMERS_UNION,
    UnitKind.WOMENS_UNION,
    UnitKind.VETERANS_ASSOCIATION,
]
EQUAL, BASE, HAND = "equal", "base", "hand"


def candidates(host: OrgUnit) -> list[OrgUnit]:
    """The units that may take part, in tree order: the host's children (households' gardens
    aside) and the groups and mass organisations further down."""
    below = OrgUnit.objects.filter(path__startswith=host.path, depth__gt=host.depth)
    found = below.filter(Q(depth=host.depth + 1) | Q(kind__in=TAKING_PART))
    return list(found.exclude(kind=UnitKind.GARDEN).order_by("path"))


def _key(name: str) -> str:
    """An indicator's name as typed, to match: composed, any case, single spaces."""
    return " ".join(nfc(name).casefold().split())


def _day(text: str, label: str):
    try:
        return read_day(text)
    except ValueError as error:
        raise ValidationError(f"{label}: {error}") from None


class CampaignForm(forms.Form):
    once = OnceField()
    code = forms.SlugField(
        label="Mã phong trào",
        max_length=64,
        help_text="Chữ không dấu, chữ số và dấu -, vd. cao-diem-2022.",
        error_messages={
            "required": "Hãy đặt mã phong trào.",
            "invalid": "Mã chỉ gồm chữ không dấu, chữ số và dấu -.",
        },
    )
    name = forms.CharField(
        label="Tên phong trào",
        max_length=300,
        error_messages={"required": "Hãy đặt tên phong trào."},
    )
    start = forms.CharField(
        label="Từ ngày",
        widget=forms.TextInput(attrs=DAY),
        error_messages={"required": "Hãy nhập ngày bắt đầu."},
    )
    end = forms.CharField(
        label="Đến ngày",
        widget=forms.TextInput(attrs=DAY),
        error_messages={"required": "Hãy nhập ngày kết thúc."},
    )
    cadence = forms.ChoiceField(
        label="Chế độ báo cáo", choices=Cadence.choices, initial=Cadence.DAILY
    )
    purpose = forms.CharField(
        label="Mục đích, yêu cầu", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    participants = forms.MultipleChoiceField(
        label="Đơn vị tham gia",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Hãy chọn ít nhất một đơn vị tham gia.",
            "invalid_choice": "Đơn vị «%(value)s» không thể tham gia phong trào của đơn vị này.",
        },
    )

    def __init__(self, *args, units: list[OrgUnit], **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {unit.code: unit for unit in units}
        self.fields["participants"].choices = [(u.code, u.full_name) for u in units]

    def boxes(self):
        """(checkbox, depth below the first level) of each unit that may take part."""
        top = min((unit.depth for unit in self.units.values()), default=0)
        depths = [unit.depth - top for unit in self.units.values()]
        return list(zip(self["participants"], depths, strict=True))

    def clean_start(self):
        return _day(self.cleaned_data["start"], "Từ ngày")

    def clean_end(self):
        return _day(self.cleaned_data["end"], "Đến ngày")

    def clean_participants(self) -> list[OrgUnit]:
        return [self.units[code] for code in self.cleaned_data["participants"]]


def share_field(code: str) -> str:
    return f"share_{code}"


class IndicatorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.unit_name})"


class GoalForm(forms.Form):
    # Every field optional: a row left blank is no goal (the formset skips it).
    indicator = IndicatorChoice(
        label="Chỉ tiêu",
        queryset=Indicator.objects.none(),
        required=False,
        empty_label="— chọn chỉ tiêu —",
        error_messages={"invalid_choice": "Chỉ tiêu không có trong danh mục."},
    )
    value = forms.CharField(
        label="Chỉ tiêu phát động",
        max_length=60,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "placeholder": "vd. 3.750 hoặc 1,8 km"}
        ),
    )
    allocate = forms.ChoiceField(
        label="Giao xuống",
        choices=[(EQUAL, "Chia đều"), (BASE, "Theo số liệu gốc"), (HAND, "Nhập tay từng đơn vị")],
        initial=EQUAL,
        required=False,
    )
    base = forms.ModelChoiceField(
        label="Số liệu gốc để chia",
        queryset=Indicator.objects.none(),
        required=False,
        empty_label="(khi chia theo số liệu gốc, vd. số hộ)",
    )

    def __init__(self, *args, units: list[OrgUnit], indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["base"].queryset = indicators
        self.units = units
        for unit in units:
            self.fields[share_field(unit.code)] = forms.CharField(
                label=unit.full_name,
                max_length=60,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
            )

    def shares(self):
        """(unit, its share box, its depth below the first level) for the page."""
        top = min((unit.depth for unit in self.units), default=0)
        return [(u, self[share_field(u.code)], u.depth - top) for u in self.units]

    def _amount(self, indicator, name: str):
        text = self.cleaned_data.get(name, "").strip()
        if not text:
            return None
        try:
            return to_indicator_unit(indicator, text, field=name)
        except ValidationError as error:
            for message in error.messages:
                self.add_error(name, message)
            return None

    def clean(self):
        data = super().clean()
        if not self.has_changed():
            return data
        indicator, how = data.get("indicator"), data.get("allocate") or EQUAL
        if indicator is None:
            if "indicator" not in self.errors:
                self.add_error("indicator", "Hãy chọn chỉ tiêu.")
            return data
        data["amount"] = self._amount(indicator, "value")
        if data["amount"] is None and "value" not in self.errors:
            self.add_error("value", "Hãy nhập chỉ tiêu phát động.")
        if how == BASE and data.get("base") is None:
            self.add_error("base", "Hãy chọn số liệu gốc để chia (ví dụ: số hộ).")
        data["shares"] = {}
        if how == HAND:
            for unit in self.units:
                share = self._amount(indicator, share_field(unit.code))
                if share is not None:
                    data["shares"][unit.code] = share
        return data

    def to_input(self) -> GoalInput:
        data = self.cleaned_data
        how = data.get("allocate") or EQUAL
        allocate_by = f"base:{data['base'].code}" if how == BASE else how
        return GoalInput(data["indicator"], data["amount"], allocate_by, data["shares"])


class WeekForm(forms.Form):
    number = forms.IntegerField(label="Tuần", min_value=1, max_value=60, required=False)
    start = forms.CharField(label="Từ ngày", required=False, widget=forms.TextInput(attrs=DAY))
    end = forms.CharField(label="Đến ngày", required=False, widget=forms.TextInput(attrs=DAY))
    theme = forms.CharField(label="Chủ đề", max_length=300, required=False)
    indicators = forms.CharField(
        label="Chỉ tiêu đẩy mạnh",
        max_length=1000,
        required=False,
        help_text="Mã hoặc tên chỉ tiêu, cách nhau bằng dấu ;",
    )

    def clean(self):
        data = super().clean()
        if not self.has_changed():
            return data
        for name, label in (("start", "Từ ngày"), ("end", "Đến ngày")):
            if not data.get(name, "").strip():
                self.add_error(name, f"Hãy nhập {label.lower()}.")
                continue
            try:
                data[f"{name}_day"] = _day(data[name], label)
            except ValidationError as error:
                self.add_error(name, error)
        if data.get("number") is None and "number" not in self.errors:
            self.add_error("number", "Hãy ghi tuần thứ mấy.")
        if not data.get("theme", "").strip():
            self.add_error("theme", "Hãy ghi chủ đề của tuần.")
        data["found"] = self._indicators(data.get("indicators", ""))
        return data

    def _indicators(self, text: str) -> list[Indicator]:
        names = [nfc(part).strip() for part in text.replace("\n", ";").split(";")]
        catalogue = list(active_indicators())
        found, missing = [], []
        for name in filter(None, names):
            match = next(
                (i for i in catalogue if i.code == name or _key(i.name) == _key(name)), None
            )
            if match is None:
                missing.append(name)
            elif match not in found:
                found.append(match)
        if missing:
            self.add_error("indicators", f"Không có chỉ tiêu: {'; '.join(missing)}.")
        return found

    def to_input(self) -> WeekInput:
        data = self.cleaned_data
        return WeekInput(
            data["number"], data["start_day"], data["end_day"], data["theme"].strip(), data["found"]
        )


GoalFormSet = forms.formset_factory(GoalForm, extra=3)
WeekFormSet = forms.formset_factory(WeekForm, extra=2)
