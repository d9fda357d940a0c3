"""PostgreSQL triggers that make audit tables append-only below the ORM.

A row trigger refuses every UPDATE and DELETE with a clear message (SQLSTATE 23001,
restrict_violation, which Django raises as IntegrityError). TRUNCATE, which only the test
runner's flush and an operator's deliberate purge use, is not a row operation and passes.
Other databases get nothing here: the ORM refuses (`xaso.audit.models.AppendOnly`).

Migrations call `append_only(table)`; the statements are kept here so that every audit
table gets the same ones.
"""

from django.db import migrations

FUNCTION = "xaso_append_only"

CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is an append-only audit table: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation',
              HINT = 'History is never rewritten; record a new change instead.';
END
$$;
"""


def _trigger(table: str) -> str:
    return f"{table}_append_only"


def _forwards(table: str):
    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(CREATE_FUNCTION, params=None)  # its % are not placeholders
        schema_editor.execute(
            f"CREATE TRIGGER {_trigger(table)} BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
        )

    return forwards


def _backwards(table: str):
    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger(table)} ON {table}")

    return backwards


def append_only(table: str) -> migrations.RunPython:
    """The migration operation that puts the trigger on a table (PostgreSQL only)."""
    return migrations.RunPython(_forwards(table), _backwards(table), elidable=False)
