"""Report forms (what DHIS2 calls data sets) and submissions: who reports what, how often,
by when, to whom; and each unit's report for a period, from draft to approved.

A submission's values are the unit's results for the form's indicators and the period
(`figures.Result`); the submission holds the state of the report, not a copy of the values.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from xaso.catalog.models import Indicator
from xaso.org.models import OrgUnit, UnitKind
from xaso.periods import parse_period
from xaso.reporting.deadlines import DeadlineError, deadline, parse_rule


class PeriodType(models.TextChoices):
    DAY = "day", "Hằng ngày"
    WEEK = "week", "Hằng tuần"
    MONTH = "month", "Hằng tháng"
    QUARTER = "quarter", "Hằng quý"
    HALF = "half", "6 tháng"
    YEAR = "year", "Hằng năm"


class ReportForm(models.Model):
    code = models.SlugField("mã", max_length=64, unique=True)
    name = models.CharField("tên biểu mẫu", max_length=200)
    # The unit that reviews the reports and defines the form; the reporters are below it.
    reviewer = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="report_forms", verbose_name="đơn vị nhận"
    )
    period_type = models.CharField("kỳ báo cáo", max_length=8, choices=PeriodType.choices)
    deadline_rule = models.CharField(
        "hạn nộp", max_length=32, help_text="fri@17:00 · next-month:20 · after:10d"
    )
    # Who reports: every unit of this kind below the reviewer, and/or the units listed.
    reporter_kind = models.CharField(
        "đơn vị báo cáo (loại)", max_length=32, blank=True, choices=UnitKind.choices
    )
    reporter_units = models.ManyToManyField(
        OrgUnit, blank=True, related_name="+", verbose_name="đơn vị báo cáo (danh sách)"
    )
    # A campaign's form reports only within its days.
    span_start = models.DateField("từ ngày", null=True, blank=True)
    span_end = models.DateField("đến ngày", null=True, blank=True)
    active = models.BooleanField("đang dùng", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "biểu mẫu báo cáo"
        verbose_name_plural = "biểu mẫu báo cáo"
        ordering = ["reviewer__path", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            parse_rule(self.deadline_rule)
        except DeadlineError as error:
            raise ValidationError({"deadline_rule": str(error)}) from None
        if (self.span_start is None) != (self.span_end is None):
            raise ValidationError({"span_end": "Đợt báo cáo cần cả ngày bắt đầu và ngày kết thúc."})
        if self.span_start and self.span_end and self.span_start > self.span_end:
            raise ValidationError({"span_end": "Ngày kết thúc phải sau ngày bắt đầu."})

    @property
    def rule(self):
        return parse_rule(self.deadline_rule)

    def deadline_of(self, period):
        return deadline(self.rule, period)


class ReportFormItem(models.Model):
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField("thứ tự", default=0)
    group = models.CharField("nhóm", max_length=100, blank=True)

    class Meta:
        verbose_name = "chỉ tiêu của biểu mẫu"
        verbose_name_plural = "chỉ tiêu của biểu mẫu"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["form", "indicator"], name="form_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.form} · {self.indicator}"


class RuleSeverity(models.TextChoices):
    ERROR = "error", "Lỗi: chặn gửi"
    WARNING = "warning", "Cảnh báo: cần xác nhận"


class ValidationRule(models.Model):
    """A check of a form's values written as an expression over indicator codes
    ("ho_ve_sinh_tu_hoai <= so_ho", "luy_ke_km >= previous(luy_ke_km)"); see
    `reporting.expressions`."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="rules")
    expression = models.CharField("biểu thức", max_length=300)
    message = models.CharField("thông báo khi sai", max_length=300)
    severity = models.CharField(
        "mức", max_length=8, choices=RuleSeverity.choices, default=RuleSeverity.ERROR
    )

    class Meta:
        verbose_name = "quy tắc kiểm tra"
        verbose_name_plural = "quy tắc kiểm tra"

    def __str__(self) -> str:
        return self.expression

    def clean(self) -> None:
        from xaso.reporting.expressions import ExpressionError, parse_expression

        try:
            parse_expression(self.expression)
        except ExpressionError as error:
            raise ValidationError({"expression": str(error)}) from None


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    SUBMITTED = "submitted", "Đã gửi, chờ duyệt"
    APPROVED = "approved", "Đã duyệt"
    RETURNED = "returned", "Bị trả lại"


class Submission(models.Model):
    """One unit's report on one form for one period."""

    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="submissions")
    period = models.CharField("kỳ", max_length=32)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(
        "tình trạng", max_length=16, choices=SubmissionStatus.choices, default="draft"
    )
    # Bumped by every change: a writer who saw version n and finds n+1 was overtaken.
    version = models.PositiveIntegerField(default=0)
    first_submitted_at = models.DateTimeField("gửi lần đầu lúc", null=True, blank=True)
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField("duyệt lúc", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reason = models.CharField("lý do trả lại", max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "báo cáo đã nộp"
        verbose_name_plural = "báo cáo đã nộp"
        constraints = [
            models.UniqueConstraint(
                fields=["form", "unit", "period"], name="submission_once_per_period"
            ),
        ]
        indexes = [models.Index(fields=["form", "period", "status"])]

    def __str__(self) -> str:
        return f"{self.form} · {self.unit} · {self.period}: {self.get_status_display()}"

    @property
    def as_period(self):
        return parse_period(self.period)

    @property
    def deadline(self):
        return self.form.deadline_of(self.as_period)

    @property
    def on_time(self) -> bool | None:
        """Whether it was first sent by the deadline; None while it has not been sent."""
        if self.first_submitted_at is None:
            return None
        return self.first_submitted_at <= self.deadline


class ReminderKind(models.TextChoices):
    BEFORE = "before", "Sắp đến hạn"
    OVERDUE = "overdue", "Quá hạn"


class Reminder(models.Model):
    """A reminder to a unit that has not sent its report: one per form, unit, period and kind,
    whichever run of `xaso remind` inserts it first (the unique constraint decides). The run
    that inserted it sends the e-mails; one that failed to send is taken again after
    `reporting.reminders.CLAIM_LEASE` (sent_at still empty)."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="reminders")
    period = models.CharField("kỳ", max_length=32)
    kind = models.CharField("loại", max_length=8, choices=ReminderKind.choices)
    deadline = models.DateTimeField("hạn nộp")
    claimed_at = models.DateTimeField("bắt đầu gửi lúc")
    sent_at = models.DateTimeField("đã gửi lúc", null=True, blank=True)
    recipients = models.TextField("gửi tới", blank=True)  # the addresses, one a line
    attempts = models.PositiveSmallIntegerField("số lần gửi", default=1)
    error = models.CharField("lỗi lần gửi cuối", max_length=300, blank=True)

    class Meta:
        verbose_name = "lời nhắc báo cáo"
        verbose_name_plural = "lời nhắc báo cáo"
        constraints = [
            models.UniqueConstraint(
                fields=["form", "unit", "period", "kind"], name="reminder_once"
            ),
        ]
        indexes = [models.Index(fields=["unit", "claimed_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.form} · {self.unit} · {self.period}"
