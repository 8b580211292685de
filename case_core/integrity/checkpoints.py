"""Making a signed checkpoint of every chain head, and writing it outside the database.

`checkpoint_make(reason=..., case_id=...)` locks the one `CheckpointHead` row, reads the head of
every audit chain (and of every chain a higher layer provides, `registry.provide_chain_heads`),
computes their Merkle root, links the checkpoint after the previous one, signs its hash with the
Ed25519 key from TRIBUNAL_CHECKPOINT_KEY, adds an RFC 3161 timestamp over it when a timestamp
authority is configured (TRIBUNAL_TSA_URL) and saves it in one INSERT; after commit the checkpoint
is written as `<seq>.json` into TRIBUNAL_CHECKPOINT_DIR (created exclusively: an existing file is
never overwritten). Milestone audit entries ask for one on commit (`checkpoint_on_commit`);
`tribunal verify --checkpoint` (nightly) makes one before verifying.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from case_core.chain import chain_append
from case_core.integrity import keys, merkle, registry
from case_core.integrity.timestamps import timestamp_token
from case_core.models import AuditHead, Checkpoint, CheckpointHead

log = logging.getLogger(__name__)


def current_heads() -> dict:
    """{chain: [seq, hash]} for every audit chain and every provided chain with entries."""
    heads = {
        h.chain: [h.last_seq, h.last_hash]
        for h in AuditHead.objects.filter(last_seq__gt=0).order_by("chain")
    }
    for provider in registry.head_providers():
        heads.update(provider())
    return heads


def checkpoint_document(checkpoint: Checkpoint) -> dict:
    """What is written outside the database and into bundles: enough to recompute and verify."""
    document = {
        "format": "opentribunal-checkpoint/1",
        "seq": checkpoint.seq,
        "prev": checkpoint.prev_hash,
        "hash": checkpoint.hash,
        "fields": checkpoint.chain_fields(),
        "signature": checkpoint.signature,
    }
    if checkpoint.timestamp:  # RFC 3161 token over "hash" (base64 DER)
        document["timestamp"] = checkpoint.timestamp
    return document


def checkpoint_path(seq: int) -> Path:
    return Path(settings.TRIBUNAL_CHECKPOINT_DIR) / f"{seq:010d}.json"


def write_checkpoint_file(checkpoint: Checkpoint) -> None:
    path = checkpoint_path(checkpoint.seq)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps(checkpoint_document(checkpoint), indent=1, ensure_ascii=False).encode()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    except FileExistsError:
        log.error("checkpoint file %s exists already; not overwritten", path)
        return
    with os.fdopen(fd, "wb") as out:
        out.write(body)
        out.flush()
        os.fsync(out.fileno())


def _head() -> CheckpointHead:
    head = CheckpointHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        with transaction.atomic():
            CheckpointHead.objects.get_or_create(pk=1)
        head = CheckpointHead.objects.select_for_update().get(pk=1)
    return head


def checkpoint_make(*, reason: str, case_id: int | None = None) -> Checkpoint:
    """Sign the current heads into a new checkpoint; written to the directory after commit."""
    with transaction.atomic():
        head = _head()
        heads = current_heads()
        _, key_id = keys.sign(b"")  # generates the key on first use; names it
        checkpoint = Checkpoint(
            created_at=timezone.now(),
            reason=reason[:64],
            case_id=case_id,
            heads=heads,
            merkle_root=merkle.merkle_root(heads),
            key_id=key_id,
        )

        def seal(entry: Checkpoint) -> None:
            entry.signature, _ = keys.sign(bytes.fromhex(entry.hash))
            entry.timestamp = timestamp_token(entry.hash)

        checkpoint = chain_append(head, checkpoint, seal=seal)
        transaction.on_commit(lambda: write_checkpoint_file(checkpoint))
    return checkpoint


def checkpoint_on_commit(*, reason: str, case_id: int | None) -> None:
    """After the current transaction commits, make a checkpoint (a milestone was recorded)."""
    if not settings.TRIBUNAL_CHECKPOINT_ON_MILESTONES:
        return

    def make() -> None:
        try:
            checkpoint_make(reason=reason, case_id=case_id)
        except Exception:  # the milestone stands; the nightly checkpoint covers it
            log.exception("checkpoint after %s failed", reason)

    transaction.on_commit(make)


def milestone_checkpoint(case) -> Checkpoint | None:
    """The latest checkpoint made for a milestone of `case`, if it signs the case's chain as it
    stands now (so a notice sent after the milestone can carry its hash)."""
    checkpoint = Checkpoint.objects.filter(case=case).order_by("-seq").first()
    head = AuditHead.objects.filter(chain=f"case-{case.pk}").first()
    if checkpoint is None or head is None:
        return None
    if checkpoint.heads.get(f"case-{case.pk}") != [head.last_seq, head.last_hash]:
        return None
    return checkpoint
