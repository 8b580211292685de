"""On PostgreSQL the record's rows are append-only for any client, not only through the ORM.

Migration 0006 installs triggers refusing UPDATE and DELETE on audit entries, hearing events,
checkpoints, signatures and evidence rows (CI runs the suite on PostgreSQL).
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from case_core.models import AuditEntry, Checkpoint, Evidence, Hearing, HearingKind, Signature
from signaling.models import HearingEvent
from tests.support.require import need
from tests.support.transcripts import log_event

TABLES = [AuditEntry, HearingEvent, Checkpoint, Signature, Evidence]


def _refused(sql: str) -> str:
    with pytest.raises(DatabaseError) as err, transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql)
    return str(err.value)


@pytest.mark.parametrize("model", TABLES, ids=lambda m: m.__name__)
def test_it_refuses_update_and_delete_in_sql(model, recorded_case, clerk):
    need(connection.vendor == "postgresql", "the append-only triggers are PostgreSQL's")
    hearing = Hearing.objects.create(
        case=recorded_case.case, kind=HearingKind.MEDIATION, scheduled_start=timezone.now()
    )
    log_event(hearing, "hearing.open", actor=clerk)
    table = model._meta.db_table
    assert model.objects.exists()
    assert "append-only; UPDATE refused" in _refused(f"UPDATE {table} SET id = id")
    assert "append-only; DELETE refused" in _refused(f"DELETE FROM {table}")


def test_it_still_appends(recorded_case, clerk):
    """The triggers refuse changes, not new rows: the record keeps growing."""
    from case_core.audit import audit_record

    before = AuditEntry.objects.count()
    audit_record(actor=clerk, case=recorded_case.case, action="case.viewed")
    assert AuditEntry.objects.count() == before + 1


def test_it_keeps_segment_edits_but_lets_a_merge_move_them(transcript, clerk):
    need(connection.vendor == "postgresql", "the append-only triggers are PostgreSQL's")
    from transcription.review import segment_edit, segment_merge, segment_reassign_speaker
    from transcription.transcript_models import Segment, SegmentEdit

    first, second = Segment.objects.filter(transcript=transcript).order_by("order")[:2]
    segment_edit(actor=clerk, segment=second, text="Corrected.")
    segment_reassign_speaker(actor=clerk, segment=second, user=first.speaker)
    segment_merge(actor=clerk, segment=first)
    edit = SegmentEdit.objects.filter(kind="text").get()
    table = SegmentEdit._meta.db_table
    assert edit.segment_id == first.pk  # moved with the merge
    assert "append-only; UPDATE refused" in _refused(f"UPDATE {table} SET new_text = 'x'")
    assert "append-only; DELETE refused" in _refused(f"DELETE FROM {table}")
