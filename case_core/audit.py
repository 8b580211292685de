"""Appending to the case audit log and verifying its chains (on the shared `case_core.chain`).

One chain per case, one "system" chain for entries with no case (`case_core.models.audit`): an
append locks only its own chain's head, so audited actions in different cases never wait for each
other. An entry whose action is a milestone (`MILESTONES`) asks for a signed checkpoint once its
transaction commits (`case_core.integrity.checkpoints`).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from case_core.chain import ChainReport, chain_append, chain_verify
from case_core.models import AuditEntry, AuditHead
from case_core.models.audit import SYSTEM_CHAIN, chain_key

# Audit actions after which the case's record is verified by itself (case_core.integrity.auto).
VERIFY_AFTER = frozenset({"recording.finalized", "document.completed", "case.award"})

__all__ = [
    "MILESTONES",
    "VERIFY_AFTER",
    "ChainReport",
    "audit_record",
    "audit_verify",
    "chain_entries",
]

# Audit actions after which a signed checkpoint is made (filing, acceptance, award, a document
# such as minutes or an agreement fully signed).
MILESTONES = frozenset(
    {
        "case.submitted",
        "case.accept",
        "case.award",
        "case.mediation_agreed",
        "case.reject",
        "case.withdraw",
        "case.close",
        "document.completed",
    }
)


def _head(case_id: int | None) -> AuditHead:
    key = chain_key(case_id)
    head = AuditHead.objects.select_for_update().filter(chain=key).first()
    if head is None:
        with transaction.atomic():  # a savepoint: a concurrent creator wins, we lock theirs
            AuditHead.objects.get_or_create(chain=key)
        head = AuditHead.objects.select_for_update().get(chain=key)
    return head


def audit_record(*, actor, case, action: str, data: dict | None = None) -> AuditEntry:
    """Append one entry to the case's chain; runs inside the caller's transaction (or its own)."""
    with transaction.atomic():
        head = _head(case.pk if case is not None else None)
        entry = AuditEntry(
            case=case,
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=action,
            data=data or {},
            created_at=timezone.now(),
        )
        entry = chain_append(head, entry)
        if action in MILESTONES:
            from case_core.integrity.checkpoints import checkpoint_on_commit

            checkpoint_on_commit(reason=action, case_id=entry.case_id)
        if action in VERIFY_AFTER:
            from case_core.integrity.auto import verify_on_commit

            verify_on_commit(case_id=entry.case_id, reason=action)
        return entry


def chain_entries(key: str):
    """The entries of one audit chain ("case-<id>" or "system"), in any order."""
    if key == SYSTEM_CHAIN:
        return AuditEntry.objects.filter(case__isnull=True)
    return AuditEntry.objects.filter(case_id=int(key.removeprefix("case-")))


def audit_verify(case_id: int | None = None) -> ChainReport:
    """Recompute every link of every audit chain (or one case's); the first broken one reported.

    The report's `reason` names the chain. Checked against the signed checkpoints as well by
    `case_core.integrity.verify` (`tribunal verify`)."""
    if case_id is not None:
        keys = [chain_key(case_id)]
    else:
        keys = sorted(
            {chain_key(c) for c in AuditEntry.objects.values_list("case_id", flat=True).distinct()}
            | set(AuditHead.objects.values_list("chain", flat=True))
        )
    total = 0
    for key in keys:
        report = chain_verify(chain_entries(key), AuditHead.objects.filter(chain=key).first())
        total += report.entries
        if not report.ok:
            return ChainReport(False, total, report.first_broken_seq, f"{key}: {report.reason}")
    return ChainReport(True, total)
