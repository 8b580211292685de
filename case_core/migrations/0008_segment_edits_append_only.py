"""Transcript segment edits append-only on PostgreSQL: a trigger refuses deleting a SegmentEdit
and any change to one except re-pointing it at the segment it was merged into (a merge keeps the
absorbed segment's history under the merged one). See migration 0006 and
docs/record-integrity.md for the role the application must connect as."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION tribunal_segment_edit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR (
        NEW.id, NEW.transcript_id, NEW.version, NEW.kind, NEW.editor_id, NEW.created_at,
        NEW.old_text, NEW.new_text, NEW.data::text
    ) IS DISTINCT FROM (
        OLD.id, OLD.transcript_id, OLD.version, OLD.kind, OLD.editor_id, OLD.created_at,
        OLD.old_text, OLD.new_text, OLD.data::text
    ) THEN
        RAISE EXCEPTION 'tribunal: % rows are append-only; % refused', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
"""
TABLE = "transcription_segmentedit"


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FUNCTION)  # no parameters: its % are PL/pgSQL's
    schema_editor.execute(f"DROP TRIGGER IF EXISTS tribunal_append_only ON {TABLE}")
    schema_editor.execute(
        f"CREATE TRIGGER tribunal_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION tribunal_segment_edit_guard()"
    )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS tribunal_append_only ON {TABLE}")
    schema_editor.execute("DROP FUNCTION IF EXISTS tribunal_segment_edit_guard()")


class Migration(migrations.Migration):
    dependencies = [
        ("case_core", "0007_evidence_sha256_index"),
        ("transcription", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, remove)]
