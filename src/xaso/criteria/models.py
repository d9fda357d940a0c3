"""Criteria sets (bộ tiêu chí) and where each unit stands on them.

A set, its criteria and their requirements are loaded from a pack (`criteria.pack`,
docs/criteria-packs.md) and are replaced as a whole when a new version of the pack is
loaded. Where a unit stands is history: each assessment is a row for a unit, a criterion and
a day; the status on a date is the latest assessment up to it. Counts ("20/20", "22/24"),
"giữ vững" and what is missing are derived from the rows (`criteria.selectors`), never stored.
"""

from django.conf import settings
from django.db import models

from xaso.catalog.models import Indicator
from xaso.org.models import OrgUnit


class Family(models.TextChoices):
    NTM = "ntm", "Nông thôn mới"
    NTM_ADVANCED = "ntm_advanced", "Nông thôn mới nâng cao"
    NTM_MODEL = "ntm_model", "Nông thôn mới kiểu mẫu"
    URBAN = "urban", "Đô thị văn minh"
    MODEL_AREA = "model_area", "Khu dân cư kiểu mẫu"
    MODEL_GARDEN = "model_garden", "Vườn mẫu"
    OTHER = "other", "Khác"


class Scope(models.TextChoices):
    NATIONAL = "national", "Trung ương"
    PROVINCE = "province", "Địa phương"


class Confidence(models.TextChoices):
    READ = "read", "Đã đối chiếu văn bản gốc"
    SUMMARY = "summary", "Theo bản tin tóm tắt, chưa đối chiếu văn bản gốc"
    UNVERIFIED = "unverified", "Chưa kiểm chứng"


class Test(models.TextChoices):
    REACHED = "reached", "Đạt/không đạt"
    AT_LEAST = "at_least", "≥"
    AT_MOST = "at_most", "≤"
    EQUALS = "equals", "="


class Status(models.TextChoices):
    MET = "met", "Đạt"
    NOT_MET = "not_met", "Chưa đạt"
    UNDER_REVIEW = "under_review", "Đang thẩm định"


class CriteriaSet(models.Model):
    code = models.SlugField("mã", max_length=64, unique=True)
    version = models.CharField("phiên bản", max_length=64)
    name = models.CharField("tên bộ tiêu chí", max_length=300)
    short_name = models.CharField("tên ngắn", max_length=100, blank=True)
    family = models.CharField("loại", max_length=16, choices=Family.choices)
    decision = models.CharField("văn bản ban hành", max_length=300)
    scope = models.CharField("cấp ban hành", max_length=16, choices=Scope.choices)
    # The unit a province's own set belongs to: who may replace it, and who sees it first.
    owner = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="criteria_sets",
        verbose_name="đơn vị ban hành",
    )
    applies_to = models.JSONField("áp dụng cho", default=list)  # UnitKind values
    first_year = models.PositiveSmallIntegerField("hiệu lực từ năm", null=True, blank=True)
    last_year = models.PositiveSmallIntegerField("hiệu lực đến năm", null=True, blank=True)
    requires = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="cần đạt trước",
    )
    grouping_label = models.CharField("cách chia nhóm", max_length=50, blank=True)
    groups = models.JSONField("các nhóm", default=list)  # [[code, name], ...]
    confidence = models.CharField("độ tin cậy", max_length=12, choices=Confidence.choices)
    sources = models.JSONField("nguồn", default=list)
    note = models.TextField("ghi chú", blank=True)
    pack_file = models.CharField("tệp gói", max_length=200, blank=True)
    digest = models.CharField(max_length=64, editable=False)  # of the pack content loaded
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "bộ tiêu chí"
        verbose_name_plural = "bộ tiêu chí"
        ordering = ["-first_year", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def years(self) -> str:
        end = self.last_year or ""
        return f"{self.first_year}–{end}" if end != self.first_year else str(self.first_year)

    def group_name(self, code: str) -> str:
        return dict(self.groups).get(code, code)


class Criterion(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="criteria", verbose_name="bộ tiêu chí"
    )
    number = models.CharField("số", max_length=16)
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField("tên tiêu chí", max_length=300)
    group = models.CharField("nhóm tiêu chí", max_length=200, blank=True)
    confidence = models.CharField("độ tin cậy", max_length=12, choices=Confidence.choices)
    source = models.CharField("nguồn", max_length=500, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "number"], name="criterion_one_number_per_set"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Requirement(models.Model):
    """One measurable part of a criterion (chỉ tiêu của tiêu chí) and its thresholds."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="requirements")
    code = models.CharField("mã", max_length=32)
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField("nội dung", max_length=500)
    test = models.CharField("phép so", max_length=12, choices=Test.choices)
    unit = models.CharField("đơn vị tính", max_length=32, blank=True)
    # {"all": "85", "BTB": "90"}: values in `unit` as exact strings; a value None = not known;
    # the field None = no threshold given at all.
    thresholds = models.JSONField("ngưỡng", null=True, blank=True)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confidence = models.CharField("độ tin cậy", max_length=12, choices=Confidence.choices)
    source = models.CharField("nguồn", max_length=500, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "chỉ tiêu của tiêu chí"
        verbose_name_plural = "chỉ tiêu của tiêu chí"
        ordering = ["criterion", "position"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class UnitGrouping(models.Model):
    """Which of a set's groups (vùng, nhóm xã) a unit is in; it holds for the unit's subtree
    unless a unit below says otherwise (a province sets its region once for all communes)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="+")
    group = models.CharField("nhóm", max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "criteria_set"], name="unit_grouping_one_per_set"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.criteria_set}: {self.group}"


class Assessment(models.Model):
    """Where a unit stood on a criterion on a day, and on what evidence."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="assessments")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField("ngày đánh giá")
    status = models.CharField("kết quả", max_length=16, choices=Status.choices)
    evidence = models.CharField("minh chứng", max_length=500, blank=True)
    document = models.CharField("văn bản", max_length=300, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "đánh giá tiêu chí"
        verbose_name_plural = "đánh giá tiêu chí"
        ordering = ["unit", "criterion", "assessed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "criterion", "assessed_on"], name="assessment_one_per_day"
            )
        ]
        indexes = [models.Index(fields=["criterion", "unit", "assessed_on"])]

    def __str__(self) -> str:
        return f"{self.unit} — {self.criterion}: {self.get_status_display()}"


class RecognitionKind(models.TextChoices):
    RECOGNISED = "recognised", "Công nhận đạt chuẩn"
    REVOKED = "revoked", "Thu hồi công nhận"


class Recognition(models.Model):
    """A decision that a unit reached a set's standard (or lost it): "đạt chuẩn NTM năm 2019
    theo Quyết định …"."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="recognitions")
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.PROTECT, related_name="recognitions"
    )
    decided_on = models.DateField("ngày quyết định")
    kind = models.CharField(
        "loại", max_length=12, choices=RecognitionKind.choices, default=RecognitionKind.RECOGNISED
    )
    decision = models.CharField("quyết định", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "công nhận đạt chuẩn"
        verbose_name_plural = "công nhận đạt chuẩn"
        ordering = ["unit", "criteria_set", "decided_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "criteria_set", "decided_on"], name="recognition_one_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.criteria_set}: {self.get_kind_display()}"
