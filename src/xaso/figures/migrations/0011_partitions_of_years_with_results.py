from django.db import migrations

from xaso.figures.partitions import (
    DEFAULT,
    SPAN,
    ensure_partitions,
    is_partitioned,
    partition_names,
)


def drop_empty_years(apps, schema_editor):
    """Drop the year partitions that hold no result (0009 made 2015–2035 ahead): every plan
    that cannot prune at planning time was made over all of them (figures.partitions)."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if not is_partitioned(cursor):
            return
        for name in sorted(partition_names(cursor) - {DEFAULT}):
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{name}")')  # noqa: S608 — ours
            if not cursor.fetchone()[0]:
                cursor.execute(f'DROP TABLE "{name}"')


def make_span_again(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        ensure_partitions(SPAN, connection=schema_editor.connection)


class Migration(migrations.Migration):
    # PostgreSQL only (a no-op on SQLite); Django's model is unchanged.

    dependencies = [("figures", "0010_blocks_narrowed_where_needed")]

    operations = [migrations.RunPython(drop_empty_years, make_span_again, elidable=False)]
