"""What the API keeps: the users' tokens and the answers to writes sent with an Idempotency-Key.

A token's secret is shown once, when it is made; only its SHA-256 is stored, with a short
prefix the user sees in the list to tell tokens apart. A revoked token stays (who made which
request stays explainable) and no longer authenticates.
"""

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("tên khóa", max_length=100)
    prefix = models.CharField("tiền tố", max_length=16)
    digest = models.CharField(max_length=64, unique=True)  # sha256 of the whole secret, hex
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "khóa API"
        verbose_name_plural = "khóa API"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} · {self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class IdempotentRequest(models.Model):
    """A write sent with an Idempotency-Key and the answer it got; the same key sent again
    by the same user gets the same answer without a second write."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    body_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotent_one_per_user_key")
        ]
        indexes = [models.Index(fields=["user", "created_at"], name="idempotent_user_age")]

    def __str__(self) -> str:
        return f"{self.user} {self.method} {self.path} [{self.key}]"
