"""Documents read into xaso: the text as read, and what became of it."""

from django.conf import settings
from django.db import models

from xaso.meetings.models import Meeting
from xaso.org.models import OrgUnit


class SourceDocument(models.Model):
    """An existing report or article an officer uploaded or pasted, kept with its clean text
    so that an import can always be traced back to the words it came from."""

    filename = models.CharField("tên tệp", max_length=300)
    text = models.TextField("nội dung")
    sha256 = models.CharField(max_length=64, db_index=True)
    warnings = models.JSONField(default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # The unit it was uploaded for (the host once imported): its managers may read it too.
    unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="đơn vị",
    )
    # Plans read from the text whose importer may not set targets: a manager confirms them.
    # [{"indicator": id, "period": "2020", "source": "district_plan", "value": "15.511 …"}]
    proposed_targets = models.JSONField(default=list, blank=True)
    targets_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    targets_confirmed_at = models.DateTimeField(null=True, blank=True)
    meeting = models.OneToOneField(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="source_document"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(null=True, blank=True)
    # What the import made of each figure, kept as it was (the reader may read differently
    # later): [{"index": 4, "label": "hàng rào xanh", "value": "5615", "unit_text": "m",
    #           "indicator": id, "unit": id, "period": "2022-11", "estimated": false}]
    imported_figures = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "văn bản nguồn"
        verbose_name_plural = "văn bản nguồn"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def imported(self) -> bool:
        return self.imported_at is not None
