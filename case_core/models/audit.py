"""The append-only, hash-chained audit log.

Each entry stores the hash of the entry before it; its own hash covers its fields and that link.
Entries are never updated or deleted through the ORM; `tribunal verify_audit` re-computes the chain.
"""

import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

GENESIS = "0" * 64


class AuditImmutable(Exception):
    pass


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutable("audit entries cannot be updated")

    def delete(self):
        raise AuditImmutable("audit entries cannot be deleted")


class AuditEntry(models.Model):
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
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditImmutable("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable("audit entries cannot be deleted")

    def compute_hash(self) -> str:
        body = json.dumps(
            {
                "seq": self.seq,
                "case": self.case_id,
                "actor": self.actor_id,
                "action": self.action,
                "data": self.data,
                "created_at": self.created_at.isoformat(),
                "prev": self.prev_hash,
            },
            sort_keys=True,
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
        )
        return hashlib.sha256(body.encode()).hexdigest()


class AuditHead(models.Model):
    """One row, locked while appending, holding the chain's last sequence number and hash."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS)
