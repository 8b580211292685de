"""Appending to a hash chain and verifying one: the case audit log and each hearing's event log.

`chain_append(head, entry)` links an unsaved entry after the head's last one, hashes it, saves it
and moves the head; the caller holds the head row's lock (select_for_update) in its transaction.
`chain_verify(entries, head)` recomputes every link in `seq` order and reports the first broken
entry. The models are `case_core.models.chain.ChainedEntry` / `ChainHead`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import models, transaction

from case_core.models.chain import GENESIS, ChainedEntry, ChainHead


@dataclass
class ChainReport:
    ok: bool
    entries: int
    first_broken_seq: int | None = None
    reason: str = ""


def chain_append(head: ChainHead, entry: ChainedEntry, seal=None) -> ChainedEntry:
    """Give `entry` the next seq and the head's hash as its link, hash it, save it, move the head.

    `seal(entry)`, if given, runs after the hash is computed and before the one INSERT (a signed
    checkpoint signs its hash there): entries are never updated afterwards."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("chain_append must run inside the transaction that locks the head")
    entry.seq = head.last_seq + 1
    entry.prev_hash = head.last_hash
    _normalise_json(entry)
    entry.hash = entry.compute_hash()
    if seal is not None:
        seal(entry)
    entry.save()
    head.last_seq, head.last_hash = entry.seq, entry.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return entry


def _normalise_json(entry: ChainedEntry) -> None:
    """Round-trip JSON fields through their encoder so the hash covers what the database stores."""
    for field in entry._meta.concrete_fields:
        if isinstance(field, models.JSONField):
            value = getattr(entry, field.attname)
            text = json.dumps(value, cls=field.encoder, ensure_ascii=False)
            setattr(entry, field.attname, json.loads(text))


def chain_verify(entries: models.QuerySet, head: ChainHead | None) -> ChainReport:
    """Recompute every link of `entries` (one chain); check the head points at the last one."""
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    for entry in entries.order_by("seq").iterator(chunk_size=2000):
        count += 1
        if entry.seq != expected_seq:
            return ChainReport(False, count, entry.seq, f"missing entry before seq {entry.seq}")
        if entry.prev_hash != expected_prev:
            return ChainReport(False, count, entry.seq, "link to the previous entry is broken")
        if entry.compute_hash() != entry.hash:
            return ChainReport(False, count, entry.seq, "entry content does not match its hash")
        expected_prev = entry.hash
        expected_seq += 1
    if head is not None and (head.last_seq != count or head.last_hash != expected_prev):
        return ChainReport(False, count, count + 1, "entries after the last one were removed")
    return ChainReport(True, count)
