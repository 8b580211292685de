"""The record's integrity in tests: a case with evidence, a signed document and a checkpoint, and
raw SQL run the way an operator with database access would (PostgreSQL's append-only triggers
switched off for it, as the tables' owner could).
"""

from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from case_core.integrity.checkpoints import checkpoint_make, write_checkpoint_file
from case_core.services.evidence import evidence_upload
from case_core.services.lifecycle import case_accept
from case_core.services.signing import (
    document_create,
    document_issue,
    signature_confirm,
    signature_request,
)
from tests.support.signing import minutes_like_pdf
from tests.support.transcripts import sent_code

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@contextmanager
def tampering():
    """Run as someone who owns the tables: on PostgreSQL the append-only triggers are off."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")


def raw(sql: str, params=()) -> None:
    with tampering(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def signed_checkpoint(reason: str = "test"):
    """A checkpoint made now and written to the directory (as after its commit)."""
    checkpoint = checkpoint_make(reason=reason)
    write_checkpoint_file(checkpoint)
    return checkpoint


def sign_all(document, users) -> None:
    for user in users:
        signature_request(actor=user, document=document)
        signature_confirm(actor=user, document=document, code=sent_code(user))


@pytest.fixture
def recorded_case(settings, filed_case, clerk, applicant, respondent):
    """Accepted, one uploaded exhibit, a document signed by clerk and applicant, a checkpoint."""
    settings.TRIBUNAL_SIGNING_CODE_RESEND_SECONDS = 0
    for number, user in enumerate((applicant, respondent, clerk), start=1):
        user.phone = f"+861370000000{number}"
        user.save(update_fields=["phone"])
    case = case_accept(actor=clerk, case=filed_case)
    exhibit = evidence_upload(
        actor=applicant,
        case=case,
        upload=ContentFile(PDF_BYTES, name="payslip.pdf"),
        title="Payslip",
    )
    document = document_create(
        actor=clerk,
        case=case,
        kind="mediation_agreement",
        title="Agreement",
        content=minutes_like_pdf("Agreement"),
        filename="agreement.pdf",
        signers=[(clerk, "clerk"), (applicant, "applicant")],
    )
    document = document_issue(actor=clerk, document=document)
    sign_all(document, [clerk, applicant])
    document.refresh_from_db()
    checkpoint = signed_checkpoint()
    case.refresh_from_db()
    return SimpleNamespace(case=case, exhibit=exhibit, document=document, checkpoint=checkpoint)


def rechain(case) -> None:
    """Rewrite a case's audit chain consistently, as a forger would: every seq, link and hash
    recomputed from the rows as they now stand, and the head moved to the new last entry."""
    from case_core.models import AuditEntry
    from case_core.models.audit import chain_key
    from case_core.models.chain import GENESIS

    table = AuditEntry._meta.db_table
    prev, seq = GENESIS, 0
    rows = list(AuditEntry.objects.filter(case=case).order_by("created_at", "id"))
    raw(f"UPDATE {table} SET seq = seq + 1000000 WHERE case_id = %s", [case.pk])
    for entry in rows:
        seq += 1
        entry.seq, entry.prev_hash = seq, prev
        entry.hash = entry.compute_hash()
        raw(
            f"UPDATE {table} SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [seq, prev, entry.hash, entry.pk],
        )
        prev = entry.hash
    raw(
        "UPDATE case_core_audithead SET last_seq = %s, last_hash = %s WHERE chain = %s",
        [seq, prev, chain_key(case.pk)],
    )
