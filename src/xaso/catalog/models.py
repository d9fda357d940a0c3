"""What is measured: indicators with a canonical unit and a roll-up rule.

Units of measure and their conversions live in the pure `xaso.vn.units` registry; an
indicator names its canonical unit by code and every value is stored in that unit.

Bounds: a value (result or target) lies between `min_value` and `max_value` when they are
given. A rate (unit percent) lies between 0 and 100 unless `max_value` says otherwise (a
growth rate may exceed 100%). Counts (hộ, cây, công trình…) are whole numbers. The rules are
enforced where values are read, `figures.services.to_indicator_unit`.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from xaso.vn.units import UNITS, get_unit

PERCENT = "percent"
PERCENT_MAX = Decimal(100)
# Count units whose halves are real: half a day's work ("0,5 ngày công").
DIVISIBLE_COUNTS = frozenset({"ngay_cong"})


class Rollup(models.TextChoices):
    SUM = "sum", "Cộng dồn"
    AVERAGE = "avg", "Bình quân"
    MIN = "min", "Nhỏ nhất"
    MAX = "max", "Lớn nhất"
    NONE = "none", "Không tổng hợp"


class OverTime(models.TextChoices):
    """How an indicator's figures of several periods make one (a year-to-date): a flow adds
    up (revenue, households that renovated their gardens), a stock is what stands at the end
    (households, criteria reached), an average averages (income per head, a rate)."""

    FLOW = "flow", "Cộng dồn theo thời gian"
    STOCK = "stock", "Số cuối kỳ"
    AVERAGE = "average", "Bình quân các kỳ"


def default_over_time(rollup: str) -> str:
    """A sum across units is a flow over time; an average stays an average; a minimum, a
    maximum or a figure never aggregated (criteria reached) is read at the end."""
    if rollup == Rollup.SUM:
        return OverTime.FLOW
    if rollup == Rollup.AVERAGE:
        return OverTime.AVERAGE
    return OverTime.STOCK


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "up", "Càng cao càng tốt"
    LOWER_IS_BETTER = "down", "Càng thấp càng tốt"


UNIT_CHOICES = [(code, unit.name) for code, unit in UNITS.items()]


class Indicator(models.Model):
    code = models.SlugField("mã", max_length=64, unique=True)
    name = models.CharField("tên chỉ tiêu", max_length=300)
    unit = models.CharField("đơn vị tính", max_length=32, choices=UNIT_CHOICES)
    rollup = models.CharField("cách tổng hợp", max_length=8, choices=Rollup.choices)
    over_time = models.CharField(
        "cộng qua các kỳ",
        max_length=8,
        choices=OverTime.choices,
        blank=True,
        help_text="Cách tính lũy kế từ đầu năm. Để trống: theo cách tổng hợp (cộng dồn → "
        "cộng dồn theo thời gian, bình quân → bình quân các kỳ, còn lại → số cuối kỳ).",
    )
    direction = models.CharField(
        "chiều tốt", max_length=4, choices=Direction.choices, default=Direction.HIGHER_IS_BETTER
    )
    group = models.CharField("lĩnh vực", max_length=100, blank=True)
    position = models.PositiveIntegerField("thứ tự", default=0)
    active = models.BooleanField("đang dùng", default=True)
    min_value = models.DecimalField(
        "giá trị nhỏ nhất", max_digits=24, decimal_places=6, null=True, blank=True, default=None
    )
    max_value = models.DecimalField(
        "giá trị lớn nhất",
        max_digits=24,
        decimal_places=6,
        null=True,
        blank=True,
        default=None,
        help_text="Để trống: không giới hạn; riêng tỷ lệ (%) là 100.",
    )

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.over_time:
            self.over_time = default_over_time(self.rollup)
        super().save(*args, **kwargs)

    @property
    def pooling(self) -> str:
        """How periods combine: `over_time`, or its default when a bulk write left it blank."""
        return self.over_time or default_over_time(self.rollup)

    @property
    def unit_name(self) -> str:
        return get_unit(self.unit).name

    @property
    def whole_numbers(self) -> bool:
        """True for a count ("hộ", "cây"): a value with a fractional part is a mistake.
        (`Unit.is_count` is true of percent too, a family of one unit: not a count.)"""
        if self.unit == PERCENT or self.unit in DIVISIBLE_COUNTS:
            return False
        return get_unit(self.unit).is_count

    @property
    def bounds(self) -> tuple[Decimal | None, Decimal | None]:
        """(lowest, highest) value allowed, None for no limit: the fields, and 100 for a
        percent whose highest is not given."""
        high = self.max_value
        if high is None and self.unit == PERCENT:
            high = PERCENT_MAX
        return self.min_value, high

    def clean(self) -> None:
        super().clean()
        if self.min_value is not None and self.min_value < 0:
            raise ValidationError({"min_value": "Giá trị nhỏ nhất không được âm."})
        if (
            self.min_value is not None
            and self.max_value is not None
            and self.min_value > self.max_value
        ):
            raise ValidationError(
                {"max_value": "Giá trị lớn nhất phải lớn hơn hoặc bằng giá trị nhỏ nhất."}
            )
