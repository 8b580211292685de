"""The one hash-chain shape, shared by the case audit log and every hearing's event log.

`ChainedEntry` (abstract) is one link: `seq`, `prev_hash` (the entry before it, or GENESIS) and
`hash`, a SHA-256 over the model's `chain_fields()` plus `seq` and `prev_hash`. Entries are
append-only: saving an existing entry, deleting one, and `update()`/`delete()` on their querysets
raise `ChainImmutable`. `ChainHead` (abstract) is the row that is locked while appending and holds
the chain's last `seq` and hash, so that entries cut from the end are detected too.
Appending and verifying: `case_core.chain` (`chain_append`, `chain_verify`).
"""

from __future__ import annotations

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

GENESIS = "0" * 64


class ChainImmutable(Exception):
    """Raised on any attempt to change or delete a hash-chained entry through the ORM."""


class ChainQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ChainImmutable(f"{self.model._meta.label} entries cannot be updated")

    def delete(self):
        raise ChainImmutable(f"{self.model._meta.label} entries cannot be deleted")


class ChainedEntry(models.Model):
    """One append-only, hash-linked entry; subclasses say what the hash covers (`chain_fields`)."""

    seq = models.PositiveBigIntegerField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = ChainQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ChainImmutable(f"{self._meta.label} entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ChainImmutable(f"{self._meta.label} entries cannot be deleted")

    def chain_fields(self) -> dict:
        """The entry's own content covered by its hash (besides `seq` and `prev_hash`)."""
        raise NotImplementedError

    def compute_hash(self) -> str:
        body = json.dumps(
            {**self.chain_fields(), "seq": self.seq, "prev": self.prev_hash},
            sort_keys=True,
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
        )
        return hashlib.sha256(body.encode()).hexdigest()


class ChainHead(models.Model):
    """The row locked while appending to a chain; holds its last sequence number and hash."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        abstract = True
