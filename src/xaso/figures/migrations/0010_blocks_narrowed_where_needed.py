from django.db import migrations

from xaso.figures.blocks import functions_replaced


class Migration(migrations.Migration):
    # The blocks' triggers (figures.blocks) read a block's months again only where a row taken
    # away held its minimum or maximum, by index probes; the functions are replaced in place.

    dependencies = [("figures", "0009_results_partitioned_by_year")]

    operations = [functions_replaced()]
