"""The case bundle: a BagIt package of one case's record that anyone can verify offline.

`build_bundle(case, directory)` writes (with the `bagit` library, SHA-256 manifests):

    data/record.json             the case, and every file in the bundle: what it is, who filed it
                                 and when, its SHA-256, the audit entry that filed it
    data/audit.jsonl             the case's audit chain: each entry's `seq`, `prev`, `hash` and
                                 `hashed` (the exact fields its hash covers, full precision)
    data/hearings/<id>.jsonl     each hearing's event log, in the same shape
    data/checkpoints/<seq>.json  every signed checkpoint that holds one of those chains' heads
    data/proofs.json             Merkle proofs of those heads against each checkpoint's root
    data/evidence/...            every file of the case file (exhibits, recordings, signed
                                 documents), named <id>-<sha256>
    data/documents/...           documents for signature as they stand (with their PAdES
                                 signatures inside)
    data/transcripts/<id>.json   each transcript's content as its hash covers it
    checkpoint-key.pub.pem       the checkpoint public key (trust it only as compared with the
                                 committee's published one: `verify_bundle.py --key`)
    manifest-signature.json      an Ed25519 signature (the checkpoint key) over manifest-sha256.txt

`tools/verify_bundle.py` (standard library and `cryptography` only) checks all of it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path

import bagit
from django.utils import timezone

from case_core.integrity import keys, merkle
from case_core.integrity.checkpoints import checkpoint_document
from case_core.models import AuditEntry, Case, Checkpoint, Evidence, Hearing, SignableDocument
from case_core.models.audit import chain_key
from signaling.models import HearingEvent
from transcription.digest import transcript_content
from transcription.transcript_models import Transcript

FORMAT = "opentribunal-bundle/1"


def _chain_lines(entries) -> str:
    lines = []
    for entry in entries.order_by("seq").iterator():
        row = {
            "seq": entry.seq,
            "prev": entry.prev_hash,
            "hash": entry.hash,
            "hashed": entry.chain_fields(),
        }
        lines.append(json.dumps(row, ensure_ascii=False, sort_keys=True))
    return "\n".join(lines) + ("\n" if lines else "")


def _copy(file_field, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with file_field.open("rb") as source, open(target, "wb") as out:
        shutil.copyfileobj(source, out, 1 << 20)


def _filing(case: Case) -> dict[int, int]:
    out = {}
    for entry in AuditEntry.objects.filter(
        case=case, action__in=("evidence.uploaded", "recording.hashed", "evidence.attached")
    ).order_by("seq"):
        out.setdefault(entry.data.get("evidence"), entry.seq)
    return out


def build_bundle(case: Case, directory: Path) -> Path:
    """Write the case's bundle into `directory` (which must not exist); return it."""
    directory = Path(directory)
    directory.mkdir(parents=True)
    files = []
    filed = _filing(case)
    for ev in Evidence.objects.filter(case=case).order_by("pk"):
        path = f"evidence/{ev.pk}-{ev.sha256}"
        _copy(ev.file, directory / path)
        files.append(
            {
                "path": f"data/{path}",
                "what": "evidence",
                "id": ev.pk,
                "kind": ev.kind,
                "title": ev.title,
                "original_name": ev.original_name,
                "content_type": ev.content_type,
                "size": ev.size,
                "sha256": ev.sha256,
                "submitted_by": ev.submitted_by_id,
                "side": ev.side,
                "submitted_at": ev.submitted_at.isoformat(),
                "audit_seq": filed.get(ev.pk),
            }
        )
    for doc in SignableDocument.objects.filter(case=case).order_by("pk"):
        path = f"documents/{doc.pk}-{doc.sha256}.pdf"
        _copy(doc.file, directory / path)
        files.append(
            {
                "path": f"data/{path}",
                "what": "document",
                "id": doc.pk,
                "kind": doc.kind,
                "title": doc.title,
                "status": doc.status,
                "sha256": doc.sha256,
            }
        )
    transcripts = []
    for transcript in Transcript.objects.filter(hearing__case=case).order_by("pk"):
        content = transcript_content(transcript)
        path = f"transcripts/{transcript.pk}.json"
        (directory / "transcripts").mkdir(exist_ok=True)
        (directory / path).write_text(json.dumps(content, ensure_ascii=False, sort_keys=True))
        transcripts.append(
            {"path": f"data/{path}", "id": transcript.pk, "status": transcript.status}
        )
    (directory / "audit.jsonl").write_text(_chain_lines(AuditEntry.objects.filter(case=case)))
    chains = {chain_key(case.pk): "data/audit.jsonl"}
    hearings = directory / "hearings"
    for hearing in Hearing.objects.filter(case=case).order_by("pk"):
        events = HearingEvent.objects.filter(hearing=hearing)
        if events.exists():
            hearings.mkdir(exist_ok=True)
            (hearings / f"{hearing.pk}.jsonl").write_text(_chain_lines(events))
            chains[f"hearing-{hearing.pk}"] = f"data/hearings/{hearing.pk}.jsonl"
    proofs = []
    (directory / "checkpoints").mkdir()
    for checkpoint in Checkpoint.objects.order_by("seq"):
        heads = checkpoint.heads
        held = [name for name in chains if name in heads]
        if not held:
            continue
        (directory / "checkpoints" / f"{checkpoint.seq:010d}.json").write_text(
            json.dumps(checkpoint_document(checkpoint), ensure_ascii=False, indent=1)
        )
        for name in held:
            proofs.append(
                {
                    "checkpoint": checkpoint.seq,
                    "chain": name,
                    "seq": heads[name][0],
                    "hash": heads[name][1],
                    "proof": merkle.merkle_proof(heads, name),
                }
            )
    (directory / "proofs.json").write_text(json.dumps(proofs, indent=1))
    record = {
        "format": FORMAT,
        "case": {
            "id": case.pk,
            "number": case.number,
            "status": case.status,
            "submitted_at": case.submitted_at.isoformat(),
        },
        "exported_at": timezone.now().isoformat(),
        "chains": chains,
        "files": files,
        "transcripts": transcripts,
        "checkpoint_key_id": keys.key_id(keys.public_key()),
    }
    (directory / "record.json").write_text(json.dumps(record, ensure_ascii=False, indent=1))
    logging.getLogger("bagit").setLevel(logging.WARNING)  # not a line per file on the console
    bag = bagit.make_bag(
        str(directory),
        {
            "Source-Organization": "OpenTribunal",
            "External-Identifier": case.number or f"case-{case.pk}",
            "External-Description": "The record of one case, verifiable offline",
        },
        checksums=["sha256"],
    )
    (directory / "checkpoint-key.pub.pem").write_bytes(keys.public_pem(keys.public_key()))
    manifest = (directory / "manifest-sha256.txt").read_bytes()
    signature, key_id = keys.sign(hashlib.sha256(manifest).digest())
    (directory / "manifest-signature.json").write_text(
        json.dumps(
            {
                "signed": "SHA-256 of manifest-sha256.txt",
                "algorithm": "Ed25519",
                "key_id": key_id,
                "signature": signature,
            },
            indent=1,
        )
    )
    bag.save()  # the tag manifest now covers the key and the signature too
    return directory
