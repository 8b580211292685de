"""Appending to the case audit log and verifying its hash chain (on the shared `case_core.chain`)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from case_core.chain import ChainReport, chain_append, chain_verify
from case_core.models import AuditEntry, AuditHead

__all__ = ["ChainReport", "audit_record", "audit_verify"]


def audit_record(*, actor, case, action: str, data: dict | None = None) -> AuditEntry:
    """Append one entry; runs inside the caller's transaction (or its own)."""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            case=case,
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=action,
            data=data or {},
            created_at=timezone.now(),
        )
        return chain_append(head, entry)


def audit_verify() -> ChainReport:
    """Recompute every link; report the first entry whose hash or link does not match."""
    return chain_verify(AuditEntry.objects.all(), AuditHead.objects.filter(pk=1).first())
