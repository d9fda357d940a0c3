"""Submission tokens: a form sent twice (a double click, Back and send again, a retry on a
slow line) records its content once."""

from django.conf import settings
from django.db import models


class SubmitToken(models.Model):
    """A token a form carried, claimed by the first submission that recorded something.

    The unique (user, key) index decides who was first, even for submissions arriving at the
    same moment: the second insert waits for the first transaction and then fails, and the
    second submission answers with what the first recorded.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    kind = models.CharField(max_length=32)  # what the form records: "meeting", "follow_up"…
    object_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mã gửi biểu mẫu"
        verbose_name_plural = "mã gửi biểu mẫu"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="submit_token_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} → {self.object_id}"
