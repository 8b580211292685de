"""Verifying a signed document: re-hash the file, validate the signatures inside the PDF.

If the stored file no longer has the SHA-256 recorded for it, every signature on it shows as
void. Otherwise each Signature row is checked against its seal and against the PAdES signature
in its PDF field, which pyHanko validates (case_core.pades) against the committee's root
certificate: intact, cryptographically valid, trusted, covering the whole document up to its
revision, and followed only by further signatures. Once every signer has signed, the committee
seal must be the last signature and cover the whole file. Rows from before signatures went into
the PDF (no field) are checked against their seal only, and say so.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from case_core import pades, pki
from case_core.audit import audit_record
from case_core.hashing import sha256_stream
from case_core.models import DocumentStatus, RequiredSigner, SignableDocument, Signature, User
from case_core.permissions import authorize
from case_core.services.signing_pdf import SEAL_FIELD

D = DocumentStatus


def file_sha256(document: SignableDocument) -> str | None:
    """The SHA-256 of the stored file as it is now (None when the file is missing)."""
    try:
        with document.file.open("rb") as stream:
            return sha256_stream(stream)[0]
    except (FileNotFoundError, ValueError):
        return None


def problem_text(problem: str) -> str:
    """What a problem of an embedded signature (case_core.pades.PROBLEMS) means, translated."""
    return {
        "unreadable": _("The signature in the PDF cannot be read."),
        "altered": _("The PDF was changed after this signature."),
        "bad_signature": _("The signature in the PDF is not valid."),
        "untrusted": _("The certificate was not issued by the committee."),
        "partial": _("The signature does not cover the whole document."),
        "modified_after": _("The PDF was changed after this signature beyond adding signatures."),
    }.get(problem, problem)


@dataclass
class SignatureCheck:
    signature: Signature
    valid: bool
    reason: str = ""
    embedded: pades.EmbeddedSignature | None = None  # None: a row from before PDF signatures


@dataclass
class Verification:
    document: SignableDocument
    intact: bool  # the stored file still has the SHA-256 recorded for it
    actual_sha256: str | None
    signatures: list[SignatureCheck] = field(default_factory=list)
    pending: list[RequiredSigner] = field(default_factory=list)
    pdf: pades.PdfReport | None = None  # the signatures pyHanko found in the PDF
    seal: pades.EmbeddedSignature | None = None  # the committee seal, once sealed
    problems: list[str] = field(default_factory=list)  # about the PDF as a whole

    @property
    def status(self) -> str:
        return self.document.status if self.intact else D.VOID

    @property
    def in_pdf(self) -> bool:
        """The PDF carries the signatures, and they and the document hold."""
        return (
            self.pdf is not None
            and not self.problems
            and all(c.valid and c.embedded is not None for c in self.signatures)
        )


def document_verify(*, document: SignableDocument) -> Verification:
    """Re-hash the file and check every signature, in its row and in the PDF."""
    content = _content(document)
    actual = None if content is None else hashlib.sha256(content).hexdigest()
    intact = actual == document.sha256
    report = Verification(document=document, intact=intact, actual_sha256=actual)
    rows = list(document.signatures.all())
    embedded: dict[str, pades.EmbeddedSignature] = {}
    if content is not None and (any(r.field_name for r in rows) or document.status == D.SIGNED):
        report.pdf = pades.verify(content, trust_roots=_trust_roots())
        embedded = {s.field: s for s in report.pdf.signatures}
        _document_problems(report, rows)
    for signature in rows:
        report.signatures.append(_check(signature, document, intact, embedded))
    signed = {s.user_id for s in rows}
    report.pending = [s for s in document.signers.select_related("user") if s.user_id not in signed]
    return report


def _check(signature: Signature, document, intact: bool, embedded) -> SignatureCheck:
    if not intact:
        return SignatureCheck(signature, False, _("The document was changed after signing."))
    if signature.seal != signature.compute_seal():
        return SignatureCheck(signature, False, _("The signature record was altered."))
    if not signature.field_name:  # made before signatures went into the PDF
        if signature.document_sha256 != document.sha256:
            return SignatureCheck(signature, False, _("Signed a different version."))
        return SignatureCheck(signature, True, _("Recorded by the platform only, not in the PDF."))
    found = embedded.get(signature.field_name)
    if found is None:
        return SignatureCheck(signature, False, _("The signature is missing from the PDF."))
    if found.problem:
        return SignatureCheck(signature, False, problem_text(found.problem), found)
    if found.revision_sha256 != signature.revision_sha256:
        return SignatureCheck(signature, False, _("Signed a different version."), found)
    return SignatureCheck(signature, True, "", found)


def _document_problems(report: Verification, rows: list[Signature]) -> None:
    pdf = report.pdf
    if not pdf.readable:
        report.problems.append(_("The stored file is not a readable PDF."))
        return
    known = {r.field_name for r in rows if r.field_name} | {SEAL_FIELD}
    if any(s.field not in known for s in pdf.signatures):
        report.problems.append(_("The PDF holds a signature nobody gave on this platform."))
    if pdf.signatures and not pdf.intact:
        report.problems.append(_("The PDF was changed after its last signature."))
    if report.document.status == D.SIGNED:
        seal = next((s for s in pdf.signatures if s.field == SEAL_FIELD), None)
        report.seal = seal
        if seal is None or seal is not pdf.signatures[-1]:
            report.problems.append(_("The committee seal is missing or not the last signature."))
        elif seal.problem:
            report.problems.append(
                _("The committee seal does not hold: %(reason)s")
                % {"reason": problem_text(seal.problem)}
            )


def _content(document: SignableDocument) -> bytes | None:
    try:
        with document.file.open("rb") as stream:
            return stream.read()
    except (FileNotFoundError, ValueError):
        return None


def _trust_roots():
    """The committee root, if this deployment has one (verifying never generates it)."""
    try:
        root = pki.installed_trust_root()
    except pki.PkiError:
        return []
    return [root] if root is not None else []


def document_open(*, actor: User, document: SignableDocument):
    """Open the stored file for reading (any member of the case), recording who viewed it."""
    authorize(actor, document.case, "case.view")
    audit_record(
        actor=actor,
        case=document.case,
        action="document.viewed",
        data={"document": document.pk, "sha256": document.sha256},
    )
    return document.file.open("rb")
