"""What exchange remembers between two imports: how another system's codes map to xaso's,
and how a commune's own spreadsheet is laid out."""

from django.conf import settings
from django.db import models

from xaso.org.models import OrgUnit


class CodeKind(models.TextChoices):
    UNIT = "unit", "Đơn vị"
    INDICATOR = "indicator", "Chỉ tiêu"
    PERIOD = "period", "Kỳ"


class CodeMapping(models.Model):
    """One code of another system (a DHIS2 org unit uid, a data element, a period) and the
    xaso code it stands for. Without a row, a code is taken as it is written."""

    system = models.SlugField("hệ thống", max_length=64)  # e.g. "dhis2-ha-tinh"
    kind = models.CharField("loại", max_length=16, choices=CodeKind.choices)
    xaso_code = models.CharField("mã trong xaso", max_length=64)
    other_code = models.CharField("mã của hệ thống kia", max_length=128)
    note = models.CharField("ghi chú", max_length=300, blank=True)

    class Meta:
        verbose_name = "ánh xạ mã"
        verbose_name_plural = "ánh xạ mã"
        ordering = ["system", "kind", "xaso_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "kind", "xaso_code"], name="code_mapping_one_xaso"
            ),
            models.UniqueConstraint(
                fields=["system", "kind", "other_code"], name="code_mapping_one_other"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.system} {self.kind}: {self.other_code} → {self.xaso_code}"


class SheetMapping(models.Model):
    """How a spreadsheet a commune already keeps is read: which column holds which
    indicator (or unit), which row which unit (or indicator), saved for the next upload of
    a sheet with the same headings (`signature`)."""

    owner = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="sheet_mappings")
    name = models.CharField("tên", max_length=200)
    signature = models.CharField("dấu hiệu nhận biết", max_length=64)  # hash of the headings
    sheet = models.CharField("trang tính", max_length=100, blank=True)
    header_row = models.PositiveIntegerField("dòng tiêu đề", default=1)
    # "indicator_rows": indicators down, units across; "unit_rows": units down, indicators
    # across.
    layout = models.CharField("bố cục", max_length=16, default="unit_rows")
    columns = models.JSONField("cột", default=dict)  # column heading -> code
    rows = models.JSONField("dòng", default=dict)  # row label -> code
    period = models.CharField("kỳ", max_length=32, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "cách đọc bảng tính"
        verbose_name_plural = "cách đọc bảng tính"
        ordering = ["owner", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "signature"], name="sheet_mapping_once")
        ]

    def __str__(self) -> str:
        return self.name
