"""Migration 0005 splits the one global audit chain into per-case chains without losing it: the
old chain is checked first, every entry is re-linked in its case's chain in its old order, and the
system chain records the old head and whether it verified. (Run here on rows laid out as before,
with the models as the migration sees them, without migrating the database back and forth.)"""

from __future__ import annotations

import datetime as dt
import importlib

from django.db import connection
from django.db.migrations.loader import MigrationLoader

from case_core.audit import audit_verify
from case_core.models import AuditEntry, AuditHead
from case_core.models.chain import GENESIS
from tests.support.record import raw, tampering

AT = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
MIGRATION = importlib.import_module("case_core.migrations.0005_per_case_audit_chains")


def _apps_at_the_data_step():
    """The models as 0005's RunPython sees them: 0004's, plus the operations before it."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    state = loader.project_state(("case_core", "0004_pades_signatures"), at_end=True)
    for operation in MIGRATION.Migration.operations[:3]:
        operation.state_forwards("case_core", state)
    return state.apps


class _Editor:
    """What the data step uses of a schema editor (a real one would start DDL on SQLite)."""

    connection = connection

    def execute(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)


def _global_chain(case_id, clerk_id) -> str:
    """Three entries in one global chain (case, system, case), as before 0005."""
    raw(f"DELETE FROM {AuditEntry._meta.db_table}")
    raw(f"DELETE FROM {AuditHead._meta.db_table}")
    prev = GENESIS
    for seq, case in enumerate([case_id, None, case_id], start=1):
        entry = AuditEntry(
            seq=seq,
            prev_hash=prev,
            case_id=case,
            actor_id=clerk_id,
            action="test.entry",
            data={"n": seq},
            created_at=AT,
        )
        entry.hash = entry.compute_hash()
        entry.save()
        prev = entry.hash
    AuditHead.objects.create(chain="system", last_seq=3, last_hash=prev)
    return prev


def test_it_splits_the_global_chain_per_case(filed_case, clerk):
    old_head = _global_chain(filed_case.pk, clerk.pk)
    with tampering():
        MIGRATION.split_chains(_apps_at_the_data_step(), _Editor())
    mine = list(AuditEntry.objects.filter(case=filed_case).order_by("seq"))
    assert [(e.seq, e.data["n"]) for e in mine] == [(1, 1), (2, 3)]
    system = list(AuditEntry.objects.filter(case__isnull=True).order_by("seq"))
    assert [e.action for e in system] == ["test.entry", "audit.chains_split"]
    assert system[1].data == {"entries": 3, "old_head": old_head, "old_chain_intact": True}
    chains = set(AuditHead.objects.values_list("chain", flat=True))
    assert chains == {f"case-{filed_case.pk}", "system"}
    assert audit_verify().ok


def test_it_records_that_the_old_chain_did_not_verify(filed_case, clerk):
    _global_chain(filed_case.pk, clerk.pk)
    raw(f"UPDATE {AuditEntry._meta.db_table} SET data = %s WHERE seq = 2", ['{"n": 99}'])
    with tampering():
        MIGRATION.split_chains(_apps_at_the_data_step(), _Editor())
    note = AuditEntry.objects.get(action="audit.chains_split")
    assert note.data["old_chain_intact"] is False
