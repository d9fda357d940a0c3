"""Indicators say how their figures of several periods make one (a year-to-date): flow, stock
or average. Existing indicators get the default of their roll-up rule."""

from django.db import migrations, models


def fill_defaults(apps, schema_editor):
    Indicator = apps.get_model("catalog", "Indicator")
    Indicator.objects.filter(rollup="sum").update(over_time="flow")
    Indicator.objects.filter(rollup="avg").update(over_time="average")
    Indicator.objects.filter(rollup__in=["min", "max", "none"]).update(over_time="stock")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_indicator_bounds"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="over_time",
            field=models.CharField(
                blank=True,
                choices=[
                    ("flow", "Cộng dồn theo thời gian"),
                    ("stock", "Số cuối kỳ"),
                    ("average", "Bình quân các kỳ"),
                ],
                help_text="Cách tính lũy kế từ đầu năm. Để trống: theo cách tổng hợp (cộng dồn "
                "→ cộng dồn theo thời gian, bình quân → bình quân các kỳ, còn lại → số cuối kỳ).",
                max_length=8,
                verbose_name="cộng qua các kỳ",
            ),
        ),
        migrations.RunPython(fill_defaults, migrations.RunPython.noop),
    ]
