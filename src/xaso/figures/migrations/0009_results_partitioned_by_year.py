from django.db import migrations

from xaso.figures.partitions import DEFAULT, SPAN, TABLE, ensure_partitions, on_every_partition

OLD = f"{TABLE}_unpartitioned"


def _rebuild(schema_editor, *, partitioned: bool) -> None:
    """Make `figures_result` anew, partitioned by year of period or (reversed) plain, and
    move its rows: the same columns, defaults, identity and check constraints (LIKE), the
    same foreign keys and indexes (read from the catalogue before the old table goes); the
    primary key `(id, period)` when partitioned, `(id)` when not."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [TABLE],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = %s::regclass "
            "AND NOT indisprimary ORDER BY indexrelid",
            [TABLE],
        )
        indexes = [on_every_partition(row[0]) for row in cursor.fetchall()]
        sequence = f"{TABLE}_id_seq"
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
        cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {OLD}_id_seq")
        cursor.execute(f"SELECT last_value, is_called FROM {OLD}_id_seq")  # noqa: S608
        last_value, is_called = cursor.fetchone()
        cursor.execute(
            f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
            f"INCLUDING IDENTITY INCLUDING STORAGE)"
            + (" PARTITION BY RANGE (period)" if partitioned else "")
        )
        cursor.execute("SELECT setval(%s, %s, %s)", [sequence, last_value, is_called])
        if partitioned:
            cursor.execute(f"CREATE TABLE {DEFAULT} PARTITION OF {TABLE} DEFAULT")
            cursor.execute(
                f"SELECT DISTINCT left(period, 4)::int FROM {OLD} "  # noqa: S608
                "WHERE period ~ '^[0-9]{4}'"
            )
            years = {row[0] for row in cursor.fetchall()} | set(SPAN)
            ensure_partitions(years, connection=connection)
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {OLD}")  # noqa: S608
        cursor.execute(f"DROP TABLE {OLD}")
        key = "id, period" if partitioned else "id"
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY ({key})")
        for definition in indexes:
            cursor.execute(definition)
        for name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute(f"ANALYZE {TABLE}")


def partition(apps, schema_editor):
    _rebuild(schema_editor, partitioned=True)


def unpartition(apps, schema_editor):
    _rebuild(schema_editor, partitioned=False)


class Migration(migrations.Migration):
    # Results partitioned by the year of their period (PostgreSQL only; a no-op on SQLite):
    # see figures.partitions and docs/scale.md. Django's model is unchanged.

    dependencies = [("figures", "0008_audit_without_row_checks")]

    operations = [migrations.RunPython(partition, unpartition, elidable=False)]
