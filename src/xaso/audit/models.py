"""The audit trail: who changed what, when, from which value to which, why, and by which path.

Audit tables are append-only. Here, in the ORM: a row is saved once and never again, and
neither a row nor a queryset can be updated or deleted (`AppendOnly`). On PostgreSQL a
trigger refuses UPDATE and DELETE as well (migration 0001), so raw SQL cannot rewrite history
either. Only TRUNCATE (the test runner's flush) gets past it.

`figures.ResultChange` (the trail of results) uses the same base; `AuditEntry` holds the
trail of everything else: targets, role grants, meetings, tasks, submissions, users.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from xaso.org.models import OrgUnit


class AppendOnlyError(Exception):
    """An attempt to change or remove a row of an audit table."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.label}: audit rows cannot be updated.")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.label}: audit rows cannot be deleted.")

    # bulk_update writes through update(); refuse it by name too, for a clearer message.
    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(f"{self.model._meta.label}: audit rows cannot be updated.")


AppendOnlyManager = models.Manager.from_queryset(AppendOnlyQuerySet)


class AppendOnly(models.Model):
    """A model whose rows are written once: inserts only."""

    objects = AppendOnlyManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label}: audit rows cannot be updated.")
        kwargs["force_insert"] = True
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.label}: audit rows cannot be deleted.")


class Entity(models.TextChoices):
    TARGET = "target", "Chỉ tiêu kế hoạch"
    ALLOCATION = "allocation", "Phân bổ chỉ tiêu"
    MEMBERSHIP = "membership", "Phân quyền"
    MEETING = "meeting", "Hội nghị"
    DIRECTIVE = "directive", "Nhiệm vụ"
    FOLLOW_UP = "follow_up", "Theo dõi nhiệm vụ"
    SUBMISSION = "submission", "Báo cáo gửi"
    USER = "user", "Người dùng"
    CRITERIA_SET = "criteria_set", "Bộ tiêu chí"
    ASSESSMENT = "assessment", "Đánh giá tiêu chí"
    RECOGNITION = "recognition", "Công nhận đạt chuẩn"
    UNIT_GROUPING = "unit_grouping", "Nhóm/vùng của đơn vị"
    ARTICLE = "article", "Tin bài"
    REPORT_TEMPLATE = "report_template", "Mẫu báo cáo"
    CAMPAIGN = "campaign", "Phong trào thi đua"
    UNIT_GROUP = "unit_group", "Nhóm đơn vị (cụm, khối thi đua)"


class Action(models.TextChoices):
    CREATE = "create", "Tạo mới"
    UPDATE = "update", "Sửa"
    DELETE = "delete", "Xoá"


class Channel(models.TextChoices):
    """The path a change came by. A superset of figures.EntryChannel (same values, same labels)."""

    FORM = "form", "Biểu mẫu web"
    IMPORT = "import", "Nhập từ tệp"
    READING = "reading", "Đọc từ báo cáo"
    API = "api", "API"
    CLI = "cli", "Dòng lệnh"
    ADMIN = "admin", "Trang quản trị"
    DEMO = "demo", "Dữ liệu mẫu"


def channel_label(value: str) -> str:
    """The Vietnamese name of a path, or the value itself when it is not one of ours."""
    try:
        return Channel(value).label
    except ValueError:
        return value


class AuditEntry(AppendOnly):
    """One change of one object: the values before and after (JSON, Decimals as strings)."""

    entity = models.CharField("đối tượng", max_length=16, choices=Entity.choices)
    object_id = models.BigIntegerField("mã đối tượng")
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name="đơn vị",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # led by the indexes below
    )
    # For figures (targets): which indicator and period; a plain id, so that audit does not
    # depend on the catalog (org ← audit; the catalog and everything above may audit).
    indicator_id = models.BigIntegerField("mã chỉ tiêu", null=True, blank=True)
    period = models.CharField("kỳ", max_length=32, blank=True, default="")
    action = models.CharField("thao tác", max_length=8, choices=Action.choices)
    old = models.JSONField("giá trị cũ", null=True, blank=True)
    new = models.JSONField("giá trị mới", null=True, blank=True)
    reason = models.TextField("lý do", blank=True, default="")
    channel = models.CharField("kênh", max_length=16, choices=Channel.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thay đổi",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # led by audit_by_user
    )
    changed_at = models.DateTimeField("thời điểm", default=timezone.now)

    class Meta:
        verbose_name = "nhật ký thay đổi"
        verbose_name_plural = "nhật ký thay đổi"
        indexes = [
            models.Index(fields=["entity", "object_id", "changed_at"], name="audit_of_object"),
            models.Index(fields=["unit", "changed_at"], name="audit_of_unit"),
            models.Index(fields=["unit", "indicator_id", "period"], name="audit_of_figure"),
            models.Index(fields=["changed_by", "changed_at"], name="audit_by_user"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(entity__in=Entity.values), name="audit_entity_known"
            ),
            models.CheckConstraint(
                condition=models.Q(action__in=Action.values), name="audit_action_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_entity_display()} #{self.object_id} · {self.get_action_display()}"

    @property
    def channel_label(self) -> str:
        return channel_label(self.channel)
