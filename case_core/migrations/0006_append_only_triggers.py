"""Append-only for real on PostgreSQL: triggers refuse UPDATE and DELETE on the record's rows.

Audit entries, hearing event logs, signed checkpoints, signatures and evidence rows are written
once. The ORM already refuses to change chained entries; these triggers refuse any UPDATE or
DELETE whatever the client (psql included) for a role that does not own the tables: the owner can
drop a trigger, so the application should connect as a role that is not the tables' owner (the
grant script and the trust model: docs/record-integrity.md). TRUNCATE is left to the owner (the
test suite empties tables with it); the application role must not be granted TRUNCATE.
SQLite (embedded) has no roles; there the ORM guard and `tribunal verify` stand alone.
"""

from django.db import migrations

TABLES = (
    "case_core_auditentry",
    "case_core_checkpoint",
    "case_core_signature",
    "case_core_evidence",
    "signaling_hearingevent",
)

FUNCTION = """
CREATE OR REPLACE FUNCTION tribunal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'tribunal: % rows are append-only; % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FUNCTION)  # no parameters: its % are PL/pgSQL's
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS tribunal_append_only ON {table}")
        schema_editor.execute(
            f"CREATE TRIGGER tribunal_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION tribunal_append_only()"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS tribunal_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS tribunal_append_only()")


class Migration(migrations.Migration):
    dependencies = [
        ("case_core", "0005_per_case_audit_chains"),
        ("signaling", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, remove)]
