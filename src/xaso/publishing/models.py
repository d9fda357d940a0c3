"""Documents out: the articles a commune publishes, and the Word templates its offices use.

The report itself is not stored: it is written from the data each time it is asked for
(`publishing.contents`), so it never disagrees with the figures. An article is stored,
because an officer edits it before it is published and readers see the edited text.
"""

from django.conf import settings
from django.db import models

from xaso.meetings.models import Meeting
from xaso.org.models import OrgUnit


class IssuerKind(models.TextChoices):
    """Who issues a report, which decides its layout (docs/publishing.md)."""

    STATE = "state", "Ủy ban nhân dân (thể thức NĐ 30/2020/NĐ-CP)"
    PARTY = "party", "Đảng ủy (thể thức HD 36-HD/VPTW)"


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Bản nháp"
    PUBLISHED = "published", "Đã đăng"
    WITHDRAWN = "withdrawn", "Đã gỡ"


class Article(models.Model):
    """A news item (tin bài) of a unit, in Markdown; public once published, until withdrawn."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="articles")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    title = models.CharField("tiêu đề", max_length=300)
    body = models.TextField("nội dung (Markdown)")
    author = models.CharField("tác giả", max_length=200, blank=True)
    source = models.CharField("nguồn", max_length=300, blank=True)
    status = models.CharField(
        "tình trạng", max_length=16, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    # Raised by every edit: an edit made on an older version is refused, not applied over.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)
    published_at = models.DateTimeField("đăng lúc", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "tin bài"
        verbose_name_plural = "tin bài"
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["unit", "status", "-published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="article_published_has_time",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ReportTemplate(models.Model):
    """An office's own Word file for its reports, with the placeholders of the shipped one.

    It serves the unit and every unit below it that has none of its own (a district may give
    its communes one). Kept in the database, so a backup carries it.
    """

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="report_templates")
    issuer = models.CharField("thể thức", max_length=8, choices=IssuerKind.choices)
    filename = models.CharField("tên tệp", max_length=200)
    content = models.BinaryField("nội dung tệp")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now=True)

    class Meta:
        verbose_name = "mẫu báo cáo"
        verbose_name_plural = "mẫu báo cáo"
        constraints = [
            models.UniqueConstraint(fields=["unit", "issuer"], name="report_template_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_issuer_display()} · {self.filename}"
