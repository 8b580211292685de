"""The append-only, hash-chained case audit log: one chain per case, one "system" chain.

Each case's entries form their own chain (`seq` 1, 2, ... within the case), so appends to two
cases never wait for each other; entries with no case (account events, sign-in lockouts) form the
"system" chain. Each entry stores the hash of the entry before it in its chain; its own hash
covers `chain_fields()` and that link (the shared chain: `case_core.models.chain`,
`case_core.chain`). `AuditHead` is each chain's head row (`chain` = "case-<id>" or "system"),
locked while appending. Entries are never updated or deleted through the ORM (and on PostgreSQL
a trigger refuses it, migration 0006); signed checkpoints (`case_core.models.checkpoints`) anchor
the heads outside the database; `tribunal verify` re-computes everything.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from case_core.models.chain import GENESIS, ChainedEntry, ChainHead, ChainImmutable

__all__ = ["GENESIS", "SYSTEM_CHAIN", "AuditEntry", "AuditHead", "AuditImmutable", "chain_key"]

AuditImmutable = ChainImmutable  # the name callers of the audit log know
SYSTEM_CHAIN = "system"


def chain_key(case_id: int | None) -> str:
    """The name of the audit chain a case's entries (or entries with no case) belong to."""
    return SYSTEM_CHAIN if case_id is None else f"case-{case_id}"


class AuditEntry(ChainedEntry):
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
        ordering = ["id"]  # the order entries were written in, across chains
        constraints = [
            models.UniqueConstraint(
                fields=["case", "seq"],
                condition=models.Q(case__isnull=False),
                name="one_audit_entry_per_case_seq",
            ),
            models.UniqueConstraint(
                fields=["seq"],
                condition=models.Q(case__isnull=True),
                name="one_system_audit_entry_per_seq",
            ),
        ]

    @property
    def chain(self) -> str:
        return chain_key(self.case_id)

    def chain_fields(self) -> dict:
        return {
            "case": self.case_id,
            "actor": self.actor_id,
            "action": self.action,
            "data": self.data,
            "created_at": self.created_at.isoformat(),
        }


class AuditHead(ChainHead):
    """One row per chain ("case-<id>" or "system"), locked while appending: its last seq and hash."""

    chain = models.CharField(max_length=32, unique=True)
