"""What is measured: indicators with a canonical unit and a roll-up rule.

Units of measure and their conversions live in the pure `xaso.vn.units` registry; an
indicator names its canonical unit by code and every value is stored in that unit.
"""

from django.db import models

from xaso.vn.units import UNITS, get_unit


class Rollup(models.TextChoices):
    SUM = "sum", "Cộng dồn"
    AVERAGE = "avg", "Bình quân"
    MIN = "min", "Nhỏ nhất"
    MAX = "max", "Lớn nhất"
    NONE = "none", "Không tổng hợp"


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "up", "Càng cao càng tốt"
    LOWER_IS_BETTER = "down", "Càng thấp càng tốt"


UNIT_CHOICES = [(code, unit.name) for code, unit in UNITS.items()]


class Indicator(models.Model):
    code = models.SlugField("mã", max_length=64, unique=True)
    name = models.CharField("tên chỉ tiêu", max_length=300)
    unit = models.CharField("đơn vị tính", max_length=32, choices=UNIT_CHOICES)
    rollup = models.CharField("cách tổng hợp", max_length=8, choices=Rollup.choices)
    direction = models.CharField(
        "chiều tốt", max_length=4, choices=Direction.choices, default=Direction.HIGHER_IS_BETTER
    )
    group = models.CharField("lĩnh vực", max_length=100, blank=True)
    position = models.PositiveIntegerField("thứ tự", default=0)
    active = models.BooleanField("đang dùng", default=True)

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def unit_name(self) -> str:
        return get_unit(self.unit).name
