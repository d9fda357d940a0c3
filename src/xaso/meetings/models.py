"""Review meetings: who met, what they reviewed, what they found lacking, what they handed out.

A meeting's conclusions that are work become Directives, tracked until done; "overdue" is
derived from the due date and today, never stored.
"""

import datetime as dt

from django.conf import settings
from django.db import models

from xaso.catalog.models import Indicator
from xaso.org.models import OrgUnit, UnitGroup
from xaso.periods import parse_period


class Person(models.Model):
    full_name = models.CharField("họ và tên", max_length=120)
    search_name = models.CharField(max_length=120, db_index=True, editable=False)

    class Meta:
        verbose_name = "người"
        verbose_name_plural = "người"
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name


class Position(models.Model):
    """A title a person held, as written and normalised (abbreviations expanded)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    title = models.CharField("chức vụ (như văn bản ghi)", max_length=300)
    title_normalised = models.CharField("chức vụ (viết đầy đủ)", max_length=400)
    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="positions"
    )
    valid_from = models.DateField("từ ngày", null=True, blank=True)
    valid_to = models.DateField("đến ngày", null=True, blank=True)

    class Meta:
        verbose_name = "chức vụ"
        verbose_name_plural = "chức vụ"
        constraints = [
            models.UniqueConstraint(fields=["person", "title"], name="position_once_per_title")
        ]

    def __str__(self) -> str:
        return f"{self.person}, {self.title}"


class MeetingKind(models.TextChoices):
    EXECUTIVE_REGULAR = "executive_regular", "Hội nghị BCH thường kỳ"
    EXECUTIVE_EXTENDED = "executive_extended", "Hội nghị BCH mở rộng"
    INTERIM_REVIEW = "interim_review", "Hội nghị sơ kết"
    FINAL_REVIEW = "final_review", "Hội nghị tổng kết"
    BRIEFING = "briefing", "Hội nghị giao ban"
    WORKING_SESSION = "working_session", "Buổi làm việc"
    CITIZEN_DIALOGUE = "citizen_dialogue", "Đối thoại với Nhân dân"
    CAMPAIGN_LAUNCH = "campaign_launch", "Phát động thi đua"
    OTHER = "other", "Khác"


class TimeOfDay(models.TextChoices):
    MORNING = "morning", "Sáng"
    AFTERNOON = "afternoon", "Chiều"
    EVENING = "evening", "Tối"


class Meeting(models.Model):
    host = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="meetings_hosted")
    # A meeting held by a group of units (a cluster's review, seed 003): its host is the
    # group's owner or a member; its directives go to every member.
    group = models.ForeignKey(
        UnitGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField("loại hội nghị", max_length=32, choices=MeetingKind.choices)
    title = models.CharField("tên hội nghị", max_length=400)
    date = models.DateField("ngày họp")
    time_of_day = models.CharField("buổi", max_length=16, choices=TimeOfDay.choices, blank=True)
    place = models.CharField("địa điểm", max_length=300, blank=True)
    period = models.CharField("kỳ đánh giá", max_length=32, blank=True)
    units = models.ManyToManyField(
        OrgUnit, blank=True, related_name="meetings_attended", verbose_name="đơn vị tham gia"
    )
    summary = models.TextField("kết quả báo cáo", blank=True)
    conclusions = models.TextField("kết luận", blank=True)
    source = models.CharField("nguồn", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "hội nghị"
        verbose_name_plural = "hội nghị"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["host", "-date"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d/%m/%Y})"

    @property
    def period_label(self) -> str:
        return parse_period(self.period).label if self.period else ""


class AttendanceRole(models.TextChoices):
    CHAIR = "chair", "Chủ trì"
    DIRECTING = "directing", "Dự và phát biểu chỉ đạo"
    CONCLUDING = "concluding", "Phát biểu kết luận"
    REPORTING = "reporting", "Trình bày báo cáo"
    SPEAKER = "speaker", "Tham luận"
    ATTENDEE = "attendee", "Tham dự"


class Attendance(models.Model):
    """One person (with the title they held that day) or one group ("thôn trưởng 12 thôn")."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT)
    position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.PROTECT)
    group = models.CharField("nhóm đại biểu", max_length=300, blank=True)
    group_count = models.PositiveIntegerField("số người", null=True, blank=True)
    role = models.CharField("vai trò", max_length=16, choices=AttendanceRole.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "đại biểu"
        verbose_name_plural = "đại biểu"
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(group=""),
                name="attendance_person_or_group",
            )
        ]

    def __str__(self) -> str:
        return str(self.person or self.group)


class DocumentKind(models.TextChoices):
    REPORT = "report", "Báo cáo"
    SPEECH = "speech", "Tham luận"
    DIRECTING_SPEECH = "directing_speech", "Phát biểu chỉ đạo"
    OTHER = "other", "Khác"


class MeetingDocument(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("loại", max_length=20, choices=DocumentKind.choices)
    title = models.CharField("tên văn bản", max_length=400)
    presenter = models.ForeignKey(Attendance, null=True, blank=True, on_delete=models.SET_NULL)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Limitation(models.Model):
    """A shortcoming the meeting recorded ("tồn tại, hạn chế")."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="limitations")
    text = models.TextField("nội dung")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class DirectiveStatus(models.TextChoices):
    OPEN = "open", "Mở"
    IN_PROGRESS = "in_progress", "Đang làm"
    DONE = "done", "Hoàn thành"


class Directive(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="directives")
    number = models.PositiveSmallIntegerField("thứ tự")
    text = models.TextField("nội dung")
    issued_by = models.ForeignKey(
        Attendance, null=True, blank=True, on_delete=models.SET_NULL, related_name="directives"
    )
    assigned_to = models.ManyToManyField(OrgUnit, related_name="directives")
    due_date = models.DateField("hạn", null=True, blank=True)
    due_period = models.CharField("hạn theo kỳ", max_length=32, blank=True)
    status = models.CharField(
        "tình trạng", max_length=16, choices=DirectiveStatus.choices, default=DirectiveStatus.OPEN
    )
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="directives")

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="directive_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"

    def is_overdue(self, today: dt.date) -> bool:
        return (
            self.status != DirectiveStatus.DONE
            and self.due_date is not None
            and self.due_date < today
        )

    def status_label(self, today: dt.date) -> str:
        return "Quá hạn" if self.is_overdue(today) else self.get_status_display()


class FollowUp(models.Model):
    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="follow_ups")
    date = models.DateField("ngày")
    note = models.TextField("ghi chú")
    status = models.CharField("tình trạng sau", max_length=16, choices=DirectiveStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}: {self.note[:60]}"


class AwardKind(models.TextChoices):
    PARTY_BADGE = "party_badge", "Huy hiệu tuổi Đảng"
    CERTIFICATE = "certificate", "Giấy khen"
    MERIT = "merit", "Bằng khen"
    OTHER = "other", "Khen thưởng khác"


class Award(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="awards")
    kind = models.CharField("hình thức", max_length=16, choices=AwardKind.choices)
    detail = models.CharField("chi tiết", max_length=300, blank=True)  # "30, 40, … 65 năm"
    recipients = models.CharField("người, tập thể nhận", max_length=500, blank=True)
    recipient_people = models.ManyToManyField(Person, blank=True)
    recipient_units = models.ManyToManyField(OrgUnit, blank=True)
    count = models.PositiveIntegerField("số lượng", null=True, blank=True)

    class Meta:
        verbose_name = "khen thưởng"
        verbose_name_plural = "khen thưởng"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.detail}".strip()
