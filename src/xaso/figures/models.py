"""Targets (what a unit is asked to reach) and results (what it reports), per period.

Values are Decimals stored in the indicator's canonical unit. A period is stored as its code
(for exact matches) and its first and last day (for containment: a six-month result is
measured against the year's plan).
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from xaso.audit.models import AppendOnly, Channel
from xaso.catalog.models import Indicator
from xaso.org.models import OrgUnit
from xaso.periods import parse_period

VALUE_DIGITS = {"max_digits": 24, "decimal_places": 6}


class TargetSource(models.TextChoices):
    DISTRICT_PLAN = "district_plan", "Kế hoạch huyện giao"
    PROVINCE_PLAN = "province_plan", "Kế hoạch tỉnh giao"
    COUNCIL_RESOLUTION = "council_resolution", "Nghị quyết HĐND"
    CONGRESS_RESOLUTION = "congress_resolution", "Nghị quyết Đại hội"
    CAMPAIGN = "campaign", "Chỉ tiêu phát động"
    ANNUAL_PLAN = "annual_plan", "Kế hoạch năm"


class DocumentKind(models.TextChoices):
    DECISION = "decision", "Quyết định"
    RESOLUTION = "resolution", "Nghị quyết"
    PLAN = "plan", "Kế hoạch"
    OFFICIAL_LETTER = "official_letter", "Công văn"
    NOTICE = "notice", "Thông báo"
    CONCLUSION = "conclusion", "Kết luận"
    PROGRAMME = "programme", "Chương trình"
    OTHER = "other", "Văn bản"


class PlanDocument(models.Model):
    """The decision or resolution that set or revised targets: "Quyết định số 15/QĐ-UBND
    ngày 10/01/2020 của UBND huyện". Kept per unit whose plan it sets (read with its rules)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="plan_documents")
    kind = models.CharField("loại văn bản", max_length=20, choices=DocumentKind.choices)
    number = models.CharField("số, ký hiệu", max_length=60, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    issuer = models.CharField("cơ quan ban hành", max_length=200, blank=True)
    title = models.CharField("trích yếu", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "văn bản giao chỉ tiêu"
        verbose_name_plural = "văn bản giao chỉ tiêu"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "number", "issued_on", "issuer"],
                name="plan_document_once_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.citation

    @property
    def citation(self) -> str:
        """ "Quyết định số 15/QĐ-UBND ngày 10/01/2020 của UBND huyện", from what is known."""
        parts = [self.get_kind_display()]
        if self.number:
            parts.append(f"số {self.number}")
        if self.issued_on:
            parts.append(f"ngày {self.issued_on:%d/%m/%Y}")
        if self.issuer:
            parts.append(f"của {self.issuer}")
        return " ".join(parts)


class ResultStatus(models.TextChoices):
    ESTIMATED = "estimated", "Ước đạt"
    FINAL = "final", "Chính thức"


class EntryChannel(models.TextChoices):
    FORM = "form", "Biểu mẫu web"
    API = "api", "API"
    IMPORT = "import", "Nhập từ tệp"
    CLI = "cli", "Dòng lệnh"
    DEMO = "demo", "Dữ liệu mẫu"


class PeriodFields(models.Model):
    period = models.CharField("kỳ", max_length=32)
    period_kind = models.CharField(max_length=16)
    period_start = models.DateField()
    period_end = models.DateField()

    class Meta:
        abstract = True


class Target(PeriodFields):
    # No index of their own: `target_in_force_by_unit` and `target_one_per_source` lead with
    # the unit, the (indicator, period_start, period_end) index with the indicator.
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="targets", db_index=False
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="targets", db_index=False
    )
    source = models.CharField("nguồn chỉ tiêu", max_length=32, choices=TargetSource.choices)
    value = models.DecimalField("chỉ tiêu", **VALUE_DIGITS)
    note = models.CharField("ghi chú", max_length=300, blank=True)
    # The document that set the value in force; after a revision (điều chỉnh kế hoạch) the
    # plan as first set stays beside it, so achievement is shown against both.
    document = models.ForeignKey(
        PlanDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="targets"
    )
    original_value = models.DecimalField("chỉ tiêu ban đầu", null=True, blank=True, **VALUE_DIGITS)
    original_document = models.ForeignKey(
        PlanDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The parent's target this one is a share of (giao chỉ tiêu xuống cấp dưới).
    allocated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="shares"
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "chỉ tiêu kế hoạch"
        verbose_name_plural = "chỉ tiêu kế hoạch"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "indicator", "period", "source"], name="target_one_per_source"
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="target_not_negative"),
        ]
        indexes = [
            models.Index(fields=["indicator", "period_start", "period_end"]),
            # A page reads its units' targets in force in a period (start <= its first day,
            # end >= its last). Ended plans have the earlier ends: with the end second, the
            # years of plans a unit keeps are skipped, not read and filtered (docs/scale.md).
            models.Index(
                fields=["unit", "period_end", "period_start"], name="target_in_force_by_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.indicator} · {self.period} · {self.get_source_display()}"

    @property
    def period_label(self) -> str:
        return parse_period(self.period).label

    @property
    def as_period(self):
        return parse_period(self.period)

    @property
    def revised(self) -> bool:
        return self.original_value is not None


class AllocationMethod(models.TextChoices):
    HAND = "hand", "Nhập tay"
    EQUAL = "equal", "Chia đều"
    BASE = "base", "Theo số liệu gốc"
    LAST_YEAR = "last_year", "Theo tỷ lệ năm trước"
    FILE = "file", "Từ tệp"


class Allocation(models.Model):
    """How a unit's target was handed down: to which units, by which rule, and whether the
    manager confirmed that the shares do not add up to it (the page keeps showing that)."""

    target = models.OneToOneField(Target, on_delete=models.CASCADE, related_name="allocation")
    method = models.CharField("cách phân bổ", max_length=16, choices=AllocationMethod.choices)
    base_indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_kind = models.CharField("phân bổ cho", max_length=32, blank=True)
    # The shares' sum minus the target that the manager accepted; None: none accepted.
    confirmed_difference = models.DecimalField(null=True, blank=True, **VALUE_DIGITS)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    allocated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "phân bổ chỉ tiêu"
        verbose_name_plural = "phân bổ chỉ tiêu"

    def __str__(self) -> str:
        return f"{self.target} · {self.get_method_display()}"


class Result(PeriodFields):
    """One unit's figure for one indicator and period, as entered (the source of truth).

    `unit_path`/`unit_depth` copy the unit's tree position, so that the figures of a unit's
    children are one range of the (period, unit_depth, unit_path) index. Roll-ups read the
    `Subtotal` rows kept beside the results, not the results of the whole subtree.
    """

    # No separate index on unit or indicator: every read goes through (period, unit_depth,
    # unit_path, …).
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="results", db_index=False
    )
    # The unit's place in the tree, copied from OrgUnit (units never move): a unit's children
    # are one index range of this table, with no join, and the province is the path's prefix.
    unit_path = models.CharField(max_length=255, editable=False)
    unit_depth = models.PositiveSmallIntegerField(editable=False)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="results", db_index=False
    )
    value = models.DecimalField("kết quả", **VALUE_DIGITS)
    # Database defaults too, so that a bulk COPY need not send them for every row.
    status = models.CharField(
        "tình trạng",
        max_length=16,
        choices=ResultStatus.choices,
        default=ResultStatus.FINAL,
        db_default=ResultStatus.FINAL,
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    entered_at = models.DateTimeField("nhập lúc", db_default=Now())
    channel = models.CharField(
        "kênh nhập", max_length=16, choices=EntryChannel.choices, db_default=EntryChannel.IMPORT
    )
    note = models.CharField("ghi chú", max_length=300, blank=True, db_default="")
    # Part of a report its reviewer approved (reporting): changed only as a correction.
    approved = models.BooleanField("đã duyệt", default=False, db_default=False)

    class Meta:
        verbose_name = "kết quả"
        verbose_name_plural = "kết quả"
        constraints = [
            # One figure per unit, indicator and period (a unit_path is one unit; its depth
            # is determined by it). The same index serves every read: the figures of one
            # unit, or of all children of a unit, are one range of it; covering on PostgreSQL
            # (INCLUDE is ignored elsewhere), so the table itself is not visited.
            # On PostgreSQL the table's primary key, under this name (migration 0012):
            # results are found, updated and deleted by it, never by `id`. Change it by a
            # SeparateDatabaseAndState with RunSQL (DROP/ADD CONSTRAINT): Django's own
            # RemoveConstraint would DROP INDEX, which PostgreSQL refuses for a key.
            models.UniqueConstraint(
                fields=["period", "unit_depth", "unit_path", "indicator"],
                include=["value", "status"],
                name="result_one_per_unit_period",
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="result_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.indicator} · {self.period}: {self.value}"


class Subtotal(models.Model):
    """What a unit's descendants add up to for one indicator and period, kept live.

    A unit's *standing* is its own result if it has one, else this subtotal: the combination
    of its children's standings (so an own figure overrides what lies below it). The row
    holds sum, count, min and max, enough for every roll-up rule and for pooling months,
    and a copy of the unit's own value so one row gives the standing. It exists only while
    something below the unit has a figure. `figures.subtotals` refreshes the rows of a unit
    and its ancestors in the same transaction as every write (no batch job), and rebuilds
    them after a bulk load. See docs/rollup.md.
    """

    period = models.CharField(max_length=32)
    unit_path = models.CharField(max_length=255)
    unit_depth = models.PositiveSmallIntegerField()
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    total = models.DecimalField(max_digits=30, decimal_places=6)
    reporting = models.PositiveIntegerField()  # how many units' standings are combined
    low = models.DecimalField(**VALUE_DIGITS)
    high = models.DecimalField(**VALUE_DIGITS)
    estimated = models.PositiveIntegerField()  # how many of them are "ước đạt"
    own_value = models.DecimalField(null=True, blank=True, **VALUE_DIGITS)
    own_estimated = models.BooleanField(default=False)

    class Meta:
        verbose_name = "tổng hợp cấp dưới"
        verbose_name_plural = "tổng hợp cấp dưới"
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit_depth", "unit_path", "indicator"],
                include=[
                    "total",
                    "reporting",
                    "low",
                    "high",
                    "estimated",
                    "own_value",
                    "own_estimated",
                ],
                name="subtotal_one_per_unit_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_path} · {self.indicator_id} · {self.period}: {self.total}"


class BlockSubtotal(models.Model):
    """A unit's standings for one indicator pooled over a quarter ("2024-Q2"), a half-year
    ("2024-H1") or a year ("2024"), kept by PostgreSQL triggers on the months' `Subtotal`
    rows (figures.blocks): a run of months reads the largest blocks inside it and the
    months left over, one row per unit for a year or a half-year, at most six for any run
    within a year. Only the months' `Subtotal` rows count here (a unit's own results where
    it has no subtotal row are pooled from the results, as before).
    PostgreSQL only: on SQLite the table stays empty and reads pool the monthly rows.
    """

    period = models.CharField(max_length=32)  # the block: "2024-Q2", "2024-H1", "2024"
    unit_path = models.CharField(max_length=255)
    unit_depth = models.PositiveSmallIntegerField()
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # Sums over the block's months of what one Subtotal row contributes as a standing; a row
    # whose months all lost their standing stays, with zeros (`periods` = 0: nothing to show).
    total = models.DecimalField(max_digits=30, decimal_places=6)
    reporting = models.IntegerField()
    estimated = models.IntegerField()
    own_periods = models.IntegerField()
    periods = models.IntegerField()
    # The smallest and largest standing of the block's months.
    low = models.DecimalField(null=True, blank=True, **VALUE_DIGITS)
    high = models.DecimalField(null=True, blank=True, **VALUE_DIGITS)

    class Meta:
        verbose_name = "tổng hợp theo quý, nửa năm, năm"
        verbose_name_plural = "tổng hợp theo quý, nửa năm, năm"
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit_depth", "unit_path", "indicator"],
                include=[
                    "total",
                    "reporting",
                    "estimated",
                    "own_periods",
                    "periods",
                    "low",
                    "high",
                ],
                name="block_one_per_unit_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_path} · {self.indicator_id} · {self.period}: {self.total}"


class ResultChange(AppendOnly):
    """The audit trail: every write of a result, with the value before and after.

    Append-only (`xaso.audit.models.AppendOnly`; a trigger on PostgreSQL): rows are inserted,
    never updated or deleted, and a user named here is deactivated, not deleted.
    """

    # No database constraint on unit and indicator: checked row by row at commit, they were
    # a fifth of a 100,000-value batch (issue 20). The rows are append-only, so never
    # re-pointed; they are written from a unit and indicator the same transaction writes a
    # result of (whose own foreign keys are checked); and deleting a unit or an indicator
    # through Django still meets PROTECT. The composite index below serves the unit.
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    period = models.CharField(max_length=32)
    old_value = models.DecimalField(null=True, blank=True, **VALUE_DIGITS)
    new_value = models.DecimalField(null=True, blank=True, **VALUE_DIGITS)
    old_status = models.CharField(max_length=16, blank=True)
    new_status = models.CharField(max_length=16, blank=True)
    written_as = models.CharField("nhập là", max_length=100, blank=True)
    # Why an approved figure was changed (a correction after approval).
    reason = models.CharField("lý do", max_length=300, blank=True, db_default="")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField()
    # The paths of the audit trail: EntryChannel's, and "reading" and "admin".
    channel = models.CharField(max_length=16, choices=Channel.choices)

    class Meta:
        verbose_name = "lịch sử kết quả"
        verbose_name_plural = "lịch sử kết quả"
        indexes = [models.Index(fields=["unit", "indicator", "period"])]

    def __str__(self) -> str:
        change = f"{self.old_value} → {self.new_value}"
        return f"{self.unit_id} · {self.indicator_id} · {self.period}: {change}"
