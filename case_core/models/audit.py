"""The append-only, hash-chained case audit log.

Each entry stores the hash of the entry before it; its own hash covers `chain_fields()` and that
link (the shared chain: `case_core.models.chain`, `case_core.chain`). Entries are never updated or
deleted through the ORM; `tribunal verify_audit` re-computes the chain.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from case_core.models.chain import GENESIS, ChainedEntry, ChainHead, ChainImmutable

__all__ = ["GENESIS", "AuditEntry", "AuditHead", "AuditImmutable"]

AuditImmutable = ChainImmutable  # the name callers of the audit log know


class AuditEntry(ChainedEntry):
    seq = models.PositiveBigIntegerField(unique=True)
    case = models.ForeignKey(
        "case_core.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="audit"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=64)
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["seq"]

    def chain_fields(self) -> dict:
        return {
            "case": self.case_id,
            "actor": self.actor_id,
            "action": self.action,
            "data": self.data,
            "created_at": self.created_at.isoformat(),
        }


class AuditHead(ChainHead):
    """One row (pk 1), locked while appending: the audit chain's last sequence number and hash."""
