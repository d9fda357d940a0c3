from django.db import migrations

from xaso.figures.partitions import TABLE, is_partitioned

KEY = "result_one_per_unit_period"
COLUMNS = "(period, unit_depth, unit_path, indicator_id) INCLUDE (value, status)"


def keyed_by_figure(apps, schema_editor):
    """The primary key becomes the figure's own key, the covering index every read and write
    goes through; the index on (id, period) goes: 241 → 209 bytes a result with the
    indexes, measured (docs/scale.md, "A narrower result"). `id` stays a column, unique by
    its sequence, and Django's pk; no statement on this table looks a row up by it."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT {TABLE}_pkey")
        cursor.execute(f"DROP INDEX {KEY}")
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {KEY} PRIMARY KEY {COLUMNS}")


def keyed_by_id(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        key = "id, period" if is_partitioned(cursor) else "id"
        cursor.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT {KEY}")
        cursor.execute(f"CREATE UNIQUE INDEX {KEY} ON {TABLE} {COLUMNS}")
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY ({key})")


class Migration(migrations.Migration):
    # PostgreSQL only (a no-op on SQLite, whose table keeps its id key); Django's model is
    # unchanged: its UniqueConstraint of the same name and columns is this primary key.

    dependencies = [("figures", "0011_partitions_of_years_with_results")]

    operations = [migrations.RunPython(keyed_by_figure, keyed_by_id, elidable=False)]
