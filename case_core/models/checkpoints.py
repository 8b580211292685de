"""Signed checkpoints: every audit chain's head, a Merkle root over them, signed outside the DB.

A checkpoint records, at one moment, the head (`seq`, `hash`) of every audit chain ("case-<id>",
"system") and of every hearing event log ("hearing-<id>"), the Merkle root over those heads
(`case_core.integrity.merkle`), and an Ed25519 signature over its canonical body made with a key
kept in a file, not in the database (`case_core.integrity.keys`). Checkpoints form a hash chain of
their own (`ChainedEntry`, headed by the one `CheckpointHead` row) and each is also written as a
JSON file into TRIBUNAL_CHECKPOINT_DIR outside the database. Made at every milestone and nightly
(`case_core.integrity.checkpoints.checkpoint_make`).
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from case_core.models.chain import ChainedEntry, ChainHead


class Checkpoint(ChainedEntry):
    seq = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField()
    reason = models.CharField(max_length=64)  # the milestone's audit action, "nightly", "manual"
    case = models.ForeignKey(
        "case_core.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # the case whose milestone made it, if any
    heads = models.JSONField(default=dict, encoder=DjangoJSONEncoder)  # chain -> [seq, hash]
    merkle_root = models.CharField(max_length=64)
    key_id = models.CharField(max_length=64)  # SHA-256 of the raw Ed25519 public key
    signature = models.CharField(max_length=128)  # Ed25519 over `hash`, hex
    # RFC 3161 token over `hash` (base64 DER) when a timestamp authority is configured, else "".
    timestamp = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["seq"]

    def chain_fields(self) -> dict:
        return {
            "created_at": self.created_at.isoformat(),
            "reason": self.reason,
            "case": self.case_id,
            "heads": self.heads,
            "merkle_root": self.merkle_root,
            "key_id": self.key_id,
        }


class CheckpointHead(ChainHead):
    """One row (pk 1), locked while a checkpoint is made."""
