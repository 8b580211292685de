"""Appending to the audit log and verifying its hash chain."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from case_core.models import AuditEntry, AuditHead
from case_core.models.audit import GENESIS


def audit_record(*, actor, case, action: str, data: dict | None = None) -> AuditEntry:
    """Append one entry; runs inside the caller's transaction (or its own)."""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            seq=head.last_seq + 1,
            case=case,
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=action,
            data=data or {},
            created_at=timezone.now(),
            prev_hash=head.last_hash,
        )
        # Normalise data through JSON so the hash is computed on what the database stores.
        entry.data = _roundtrip(entry.data)
        entry.hash = entry.compute_hash()
        entry.save()
        AuditHead.objects.filter(pk=1).update(last_seq=entry.seq, last_hash=entry.hash)
    return entry


def _roundtrip(data: dict) -> dict:
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))


@dataclass
class ChainReport:
    ok: bool
    entries: int
    first_broken_seq: int | None = None
    reason: str = ""


def audit_verify() -> ChainReport:
    """Recompute every link; report the first entry whose hash or link does not match."""
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        count += 1
        if entry.seq != expected_seq:
            return ChainReport(False, count, entry.seq, f"missing entry before seq {entry.seq}")
        if entry.prev_hash != expected_prev:
            return ChainReport(False, count, entry.seq, "link to the previous entry is broken")
        if entry.compute_hash() != entry.hash:
            return ChainReport(False, count, entry.seq, "entry content does not match its hash")
        expected_prev = entry.hash
        expected_seq += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != count or head.last_hash != expected_prev):
        return ChainReport(False, count, count + 1, "entries after the last one were removed")
    return ChainReport(True, count)
