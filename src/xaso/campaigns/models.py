"""Emulation campaigns (phong trào thi đua): a host unit's peak campaign over a span of days,
its targets ("chỉ tiêu phát động") allocated to the participants, themed weeks, and the
reporting form its participants report on.

A campaign adds only what is particular to it: its targets are `figures.Target` rows of
source "campaign" handed down by `figures.allocation`, its results are `figures.Result`
rows entered through its `reporting.ReportForm` (daily or weekly), and its progress and
ranking are read from them (`campaigns.selectors`).
"""

from django.conf import settings
from django.db import models

from xaso.catalog.models import Indicator
from xaso.figures.models import Target
from xaso.org.models import OrgUnit
from xaso.reporting.models import ReportForm


class Cadence(models.TextChoices):
    DAILY = "daily", "Báo cáo hằng ngày"
    WEEKLY_FRIDAY = "weekly_friday", "Báo cáo thứ Sáu hằng tuần"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "Đang chuẩn bị"
    LAUNCHED = "launched", "Đang phát động"
    CLOSED = "closed", "Đã tổng kết"


class Campaign(models.Model):
    host = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="campaigns")
    code = models.SlugField("mã", max_length=64, unique=True)
    name = models.CharField("tên phong trào", max_length=300)
    purpose = models.TextField("mục đích, yêu cầu", blank=True)
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    cadence = models.CharField("chế độ báo cáo", max_length=16, choices=Cadence.choices)
    status = models.CharField(
        "tình trạng", max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    form = models.OneToOneField(
        ReportForm, null=True, blank=True, on_delete=models.PROTECT, related_name="campaign"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    launched_at = models.DateTimeField("phát động lúc", null=True, blank=True)
    closed_at = models.DateTimeField("tổng kết lúc", null=True, blank=True)

    class Meta:
        verbose_name = "phong trào thi đua"
        verbose_name_plural = "phong trào thi đua"
        ordering = ["-start", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="campaign_span"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def period_code(self) -> str:
        """The campaign's span as a period: "2022-04-15..2022-05-30"."""
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class CampaignGoal(models.Model):
    """One indicator of the campaign and the host's target for it ("chỉ tiêu phát động"),
    with how it is handed down to the participants at launch."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="goals")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField("chỉ tiêu", max_digits=24, decimal_places=6)
    # How the target is allocated: "equal", "base:<indicator code>", "hand" (shares given).
    allocate_by = models.CharField("cách phân bổ", max_length=80, default="equal")
    # "hand": each participant's share, {unit code: "decimal"}; a participant absent gets none.
    shares = models.JSONField("phần giao từng đơn vị", default=dict, blank=True)
    position = models.PositiveSmallIntegerField("thứ tự", default=0)
    target = models.OneToOneField(
        Target, null=True, blank=True, on_delete=models.PROTECT, related_name="campaign_goal"
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "indicator"], name="campaign_goal_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class Participant(models.Model):
    """A unit taking part: a village, an inter-household group, a mass organisation."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participants")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="campaign_participant_once")
        ]

    def __str__(self) -> str:
        return str(self.unit)


class ThemeWeek(models.Model):
    """A week of the campaign with its theme and the indicators it pushes."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="weeks")
    number = models.PositiveSmallIntegerField("tuần thứ")
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    theme = models.CharField("chủ đề", max_length=300)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="+")

    class Meta:
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="campaign_week_once"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="week_span"
            ),
        ]

    def __str__(self) -> str:
        return f"Tuần {self.number}: {self.theme}"
