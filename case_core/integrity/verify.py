"""`verify_record`: every check of the record, as a report naming each mismatch.

Run by `tribunal verify [--case N] [--json]`, after milestones and nightly (`integrity.auto`):

* checkpoints: their own chain, each Ed25519 signature (the key from TRIBUNAL_CHECKPOINT_KEY),
  each Merkle root, and the copies written outside the database (a copy whose row is gone, or
  differs, is a failure; the copies are the anchors even when the rows are rewritten);
* audit chains: every link, the head row (a missing head is a failure), and each chain against
  every signed checkpoint that anchors it (entry `seq` must carry the anchored hash; entries after
  the last checkpoint are reported as extra, not as a failure);
* evidence: each file's bytes against its hash and its content-addressed name; each row against
  the audit entry that filed it (hash, size, uploader, side, kind, title, file name); rows with no
  entry and entries whose row is gone;
* the case row: status against the last transition, dates against their transitions, the award;
* documents and signatures: each signature's seal, and its entry (a record forged with a
  recomputed seal has none); "signed" only with every required signer and a completion entry;
  the stored file's hash and its embedded PAdES signatures;
* whatever the higher layers provide (`registry.provide_check`): hearing event logs, reviewed
  transcripts, recording files.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings

from case_core.audit import chain_entries
from case_core.chain import chain_verify
from case_core.integrity import keys, merkle, registry
from case_core.integrity.checkpoints import checkpoint_document
from case_core.integrity.timestamps import token_problem
from case_core.models import (
    AuditEntry,
    AuditHead,
    Case,
    Checkpoint,
    CheckpointHead,
    Evidence,
    RequiredSigner,
    SignableDocument,
    Signature,
)
from case_core.models.audit import chain_key
from case_core.models.chain import GENESIS
from case_core.models.signing import DocumentStatus

FILING_ACTIONS = ("evidence.uploaded", "recording.hashed", "evidence.attached")
DATE_SLACK = timedelta(seconds=5)  # a date is set just before its transition is recorded


@dataclass
class Finding:
    check: str  # "checkpoint", "audit", "evidence", "case", "signature", "document", ...
    subject: str  # what it is about: "case-3 seq 7", "evidence 12", ...
    problem: str
    case: int | None = None
    severity: str = "failure"  # "failure" or "extra" (entries after the last checkpoint)


@dataclass
class Anchor:
    checkpoint: int  # checkpoint seq
    seq: int
    hash: str


@dataclass
class VerifyReport:
    findings: list[Finding] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "failure"]

    def fail(self, check: str, subject: str, problem: str, case: int | None = None) -> None:
        self.findings.append(Finding(check, subject, problem, case))

    def extra(self, check: str, subject: str, problem: str, case: int | None = None) -> None:
        self.findings.append(Finding(check, subject, problem, case, "extra"))

    def count(self, what: str, n: int = 1) -> None:
        self.checked[what] = self.checked.get(what, 0) + n

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "failures": len(self.failures),
            "findings": [asdict(f) for f in self.findings],
        }


def sha256_bytes_of(file_field) -> str | None:
    """The SHA-256 of a stored file's bytes, or None when it cannot be opened."""
    try:
        with file_field.open("rb") as stream:
            digest = hashlib.sha256()
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                digest.update(chunk)
    except (FileNotFoundError, OSError, ValueError):
        return None
    return digest.hexdigest()


# ---- checkpoints ----------------------------------------------------------------------------


def _check_checkpoint(doc: dict, public, report: VerifyReport, where: str) -> bool:
    cp = Checkpoint(seq=doc["seq"], prev_hash=doc["prev"])
    fields = doc["fields"]
    body = json.dumps(
        {**fields, "seq": doc["seq"], "prev": doc["prev"]}, sort_keys=True, ensure_ascii=False
    )
    ok = True
    if hashlib.sha256(body.encode()).hexdigest() != doc["hash"]:
        report.fail("checkpoint", f"checkpoint {cp.seq} ({where})", "content does not match hash")
        ok = False
    if not keys.verify(public, doc.get("signature", ""), bytes.fromhex(doc["hash"])):
        report.fail("checkpoint", f"checkpoint {cp.seq} ({where})", "signature does not verify")
        ok = False
    if merkle.merkle_root(fields["heads"]) != fields["merkle_root"]:
        report.fail("checkpoint", f"checkpoint {cp.seq} ({where})", "Merkle root does not match")
        ok = False
    if doc.get("timestamp") and (problem := token_problem(doc["timestamp"], doc["hash"])):
        report.fail("checkpoint", f"checkpoint {cp.seq} ({where})", problem)
        ok = False
    return ok


def checkpoint_anchors(report: VerifyReport) -> dict[str, list[Anchor]]:
    """Verify every checkpoint (rows and files); {chain: [anchors]} from the ones that hold."""
    public = keys.public_key()
    rows = {c.seq: c for c in Checkpoint.objects.order_by("seq")}
    chain = chain_verify(Checkpoint.objects.all(), CheckpointHead.objects.filter(pk=1).first())
    report.count("checkpoints", len(rows))
    if not chain.ok:
        report.fail("checkpoint", f"checkpoint {chain.first_broken_seq}", chain.reason)
    docs: dict[int, dict] = {}
    directory = Path(settings.TRIBUNAL_CHECKPOINT_DIR)
    files = sorted(directory.glob("*.json")) if directory.is_dir() else []
    for path in files:
        try:
            doc = json.loads(path.read_text())
            seq = int(doc["seq"])
        except (OSError, ValueError, KeyError, TypeError):
            report.fail("checkpoint", path.name, "checkpoint file is unreadable")
            continue
        report.count("checkpoint files")
        if _check_checkpoint(doc, public, report, f"file {path.name}"):
            docs[seq] = doc
        row = rows.get(seq)
        if row is None:
            report.fail(
                "checkpoint", f"checkpoint {seq}", "in the directory but not in the database"
            )
        elif checkpoint_document(row) != doc:
            report.fail("checkpoint", f"checkpoint {seq}", "database row differs from its file")
    for seq, row in rows.items():
        doc = checkpoint_document(row)
        if seq not in docs and _check_checkpoint(doc, public, report, "database"):
            docs[seq] = doc
    anchors: dict[str, list[Anchor]] = {}
    for seq in sorted(docs):
        for name, (head_seq, head_hash) in docs[seq]["fields"]["heads"].items():
            anchors.setdefault(name, []).append(Anchor(seq, int(head_seq), head_hash))
    return anchors


def check_against_anchors(
    name: str, entries: dict[int, str], anchors: list[Anchor], report, case, check="audit"
) -> None:
    """`entries` {seq: hash} of one chain, against every checkpoint that signed its head."""
    for anchor in anchors:
        found = entries.get(anchor.seq)
        if found is None:
            report.fail(
                check,
                f"{name} seq {anchor.seq}",
                f"entry signed in checkpoint {anchor.checkpoint} is missing (chain cut or erased)",
                case,
            )
        elif found != anchor.hash:
            report.fail(
                check,
                f"{name} seq {anchor.seq}",
                f"differs from checkpoint {anchor.checkpoint} (chain rewritten)",
                case,
            )
    last = max((a.seq for a in anchors), default=0)
    extra = [s for s in entries if s > last]
    if extra:
        report.extra(
            check,
            name,
            f"{len(extra)} entries after the last checkpoint (seq {min(extra)}-{max(extra)})",
            case,
        )


# ---- audit chains ---------------------------------------------------------------------------


def check_audit_chain(name: str, case_id, anchors, report: VerifyReport) -> None:
    head = AuditHead.objects.filter(chain=name).first()
    entries = chain_entries(name)
    result = chain_verify(entries, head)
    report.count("audit entries", result.entries)
    if head is None and (result.entries or anchors):
        report.fail("audit", name, "the chain's head row is missing", case_id)
    if not result.ok:
        report.fail("audit", f"{name} seq {result.first_broken_seq}", result.reason, case_id)
    hashes = dict(entries.values_list("seq", "hash"))
    check_against_anchors(name, hashes, anchors, report, case_id)


# ---- evidence -------------------------------------------------------------------------------


def _filing_entries(case: Case) -> dict[int, AuditEntry]:
    out: dict[int, AuditEntry] = {}
    for entry in AuditEntry.objects.filter(case=case, action__in=FILING_ACTIONS).order_by("seq"):
        pk = entry.data.get("evidence") if isinstance(entry.data, dict) else None
        if isinstance(pk, int):
            out.setdefault(pk, entry)
    return out


def _recording_created(case: Case) -> dict[int, AuditEntry]:
    out = {}
    for entry in AuditEntry.objects.filter(case=case, action="recording.created"):
        if isinstance(entry.data.get("evidence"), int):
            out[entry.data["evidence"]] = entry
    return out


def check_evidence(case: Case, report: VerifyReport) -> None:
    filed = _filing_entries(case)
    created = _recording_created(case)
    rows = {e.pk: e for e in Evidence.objects.filter(case=case).order_by("pk")}
    for pk, ev in rows.items():
        subject = f"evidence {pk} ({ev.title})"
        report.count("evidence files")
        actual = sha256_bytes_of(ev.file)
        if actual is None:
            report.fail("evidence", subject, "file is missing", case.pk)
        elif actual != ev.sha256:
            report.fail("evidence", subject, "file does not match its hash", case.pk)
        prefix = f"cases/{case.pk}/evidence/{ev.sha256[:2]}/{ev.sha256}"
        if not ev.file.name.startswith(prefix):
            report.fail("evidence", subject, "file name is not its hash", case.pk)
        entry = filed.get(pk)
        if entry is None:
            report.fail("evidence", subject, "no audit entry filed this row", case.pk)
            continue
        data = entry.data
        want = {"sha256": ev.sha256, "size": ev.size}
        if entry.action != "recording.hashed":
            want["title"] = ev.title
        if entry.action == "evidence.uploaded":
            if entry.actor_id != ev.submitted_by_id:
                report.fail("evidence", subject, "uploader differs from its audit entry", case.pk)
            if "side" in data:
                want["side"] = ev.side
            if "kind" in data:
                want["kind"] = ev.kind
        if entry.action == "evidence.attached":
            want["kind"] = ev.kind
        for key, value in want.items():
            if data.get(key) != value:
                report.fail("evidence", subject, f"{key} differs from its audit entry", case.pk)
        if entry.action == "recording.hashed":
            made = created.get(pk)
            if ev.kind != "recording":
                report.fail("evidence", subject, "kind differs from its audit entry", case.pk)
            if made is None or (
                made.data.get("file"),
                made.data.get("content_type"),
            ) != (ev.original_name, ev.content_type):
                report.fail(
                    "evidence", subject, "file name or type differs from its entry", case.pk
                )
    for pk, entry in filed.items():
        if pk not in rows:
            report.fail(
                "evidence", f"evidence {pk}", f"filed ({entry.action}) but the row is gone", case.pk
            )


# ---- the case row ---------------------------------------------------------------------------

DATES = {  # the date field each transition sets
    "case.accept": "accepted_at",
    "case.refer_mediation": "mediation_started_at",
    "case.award": "awarded_at",
    "case.close": "closed_at",
}


def check_case_row(case: Case, report: VerifyReport) -> None:
    report.count("cases")
    entries = list(AuditEntry.objects.filter(case=case, action__startswith="case.").order_by("seq"))
    submitted = next((e for e in entries if e.action == "case.submitted"), None)
    if submitted is None:
        report.fail("case", f"case {case.pk}", "no audit entry records its filing", case.pk)
    transitions = [e for e in entries if isinstance(e.data, dict) and "to" in e.data]
    expected = transitions[-1].data["to"] if transitions else "submitted"
    if case.status != expected:
        report.fail(
            "case",
            f"case {case.pk}",
            f"status {case.status} but the audit log says {expected}",
            case.pk,
        )
    for action, name in DATES.items():
        value = getattr(case, name)
        last = next((e for e in reversed(transitions) if e.action == action), None)
        if last is None:
            if value is not None:
                report.fail("case", f"case {case.pk}", f"{name} set with no transition", case.pk)
        elif value is None or not (last.created_at - DATE_SLACK <= value <= last.created_at):
            report.fail("case", f"case {case.pk}", f"{name} differs from its transition", case.pk)
    if submitted is not None and abs(case.submitted_at - submitted.created_at) > timedelta(hours=1):
        report.fail("case", f"case {case.pk}", "submitted_at differs from its filing", case.pk)
    award = next((e for e in reversed(transitions) if e.action == "case.award"), None)
    if award is not None and case.award_text != award.data.get("award"):
        report.fail("case", f"case {case.pk}", "award text differs from its entry", case.pk)
    extended = any(e.action == "case.extend" for e in transitions)
    if case.award_extended != extended:
        report.fail("case", f"case {case.pk}", "award extension differs from the log", case.pk)


# ---- documents and signatures ---------------------------------------------------------------


def check_documents(case: Case, report: VerifyReport) -> None:
    signed_entries = {}
    completed = {}
    for entry in AuditEntry.objects.filter(
        case=case, action__in=("document.signed", "document.completed")
    ):
        if entry.action == "document.signed":
            signed_entries[entry.data.get("signature")] = entry
        else:
            completed[entry.data.get("document")] = entry
    for doc in SignableDocument.objects.filter(case=case).order_by("pk"):
        subject = f"document {doc.pk} ({doc.title})"
        report.count("documents")
        actual = sha256_bytes_of(doc.file)
        if actual is None:
            report.fail("document", subject, "file is missing", case.pk)
        elif actual != doc.sha256:
            report.fail("document", subject, "file does not match its hash", case.pk)
        signatures = list(Signature.objects.filter(document=doc))
        for sig in signatures:
            report.count("signatures")
            who = f"signature {sig.pk} on document {doc.pk} ({sig.name})"
            if sig.compute_seal() != sig.seal:
                report.fail("signature", who, "seal does not match the record", case.pk)
            entry = signed_entries.get(sig.pk)
            if entry is None:
                report.fail("signature", who, "no audit entry records this signature", case.pk)
                continue
            data = entry.data
            mismatched = [
                key
                for key, value in (
                    ("seal", sig.seal),
                    ("name", sig.name),
                    ("role", sig.role),
                    ("sha256", sig.document_sha256),
                    ("revision_sha256", sig.revision_sha256),
                    ("document", doc.pk),
                )
                if data.get(key) != value
            ]
            if entry.actor_id != sig.user_id:
                mismatched.append("signer")
            if mismatched:
                report.fail(
                    "signature",
                    who,
                    f"differs from its audit entry: {', '.join(mismatched)}",
                    case.pk,
                )
        signers = set(RequiredSigner.objects.filter(document=doc).values_list("user_id", flat=True))
        if doc.status == DocumentStatus.SIGNED:
            missing = signers - {s.user_id for s in signatures}
            if missing or not signers:
                report.fail("document", subject, "signed without every required signer", case.pk)
            done = completed.get(doc.pk)
            if done is None:
                report.fail("document", subject, "signed but no completion entry", case.pk)
            elif done.data.get("sha256") != doc.sha256:
                report.fail("document", subject, "hash differs from its completion", case.pk)
            if actual is not None and actual == doc.sha256:
                _check_pades(doc, subject, report, case)
        elif doc.pk in completed:
            report.fail("document", subject, f"completed in the log but {doc.status}", case.pk)


def _check_pades(doc, subject: str, report: VerifyReport, case: Case) -> None:
    from case_core import pades, pki

    try:
        with doc.file.open("rb") as stream:
            content = stream.read()
        root = pki.installed_trust_root()
    except (OSError, pki.PkiError):
        return
    if root is None:
        return
    result = pades.verify(content, trust_roots=[root])
    if not result.ok:
        report.fail("document", subject, "its embedded signatures do not verify", case.pk)


# ---- the whole record -----------------------------------------------------------------------


def verify_record(case_id: int | None = None) -> VerifyReport:
    """Every check, for one case or the whole record (then the system chain too)."""
    report = VerifyReport()
    anchors = checkpoint_anchors(report)
    if case_id is not None:
        cases = list(Case.objects.filter(pk=case_id))
        names = [chain_key(case_id)]
    else:
        cases = list(Case.objects.order_by("pk"))
        names = sorted(
            {chain_key(c.pk) for c in cases}
            | set(AuditHead.objects.values_list("chain", flat=True))
            | {n for n in anchors if n.startswith("case-") or n == "system"}
            | {chain_key(None)}
        )
    for name in names:
        case = None if name == "system" else int(name.removeprefix("case-"))
        check_audit_chain(name, case, anchors.get(name, []), report)
    for case in cases:
        check_case_row(case, report)
        check_evidence(case, report)
        check_documents(case, report)
    case_ids = [c.pk for c in cases]
    for check in registry.checks():
        check(case_ids, anchors, report)
    return report


__all__ = ["GENESIS", "Anchor", "Finding", "VerifyReport", "check_against_anchors", "verify_record"]
