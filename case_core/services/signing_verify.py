"""Verifying a signed document: re-hash the file, check each signature's seal.

If the stored file no longer has the SHA-256 it was created (and signed) with, every signature
on it shows as void.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from case_core.audit import audit_record
from case_core.hashing import sha256_stream
from case_core.models import DocumentStatus, RequiredSigner, SignableDocument, Signature, User
from case_core.permissions import authorize

D = DocumentStatus


def file_sha256(document: SignableDocument) -> str | None:
    """The SHA-256 of the stored file as it is now (None when the file is missing)."""
    try:
        with document.file.open("rb") as stream:
            return sha256_stream(stream)[0]
    except (FileNotFoundError, ValueError):
        return None


@dataclass
class SignatureCheck:
    signature: Signature
    valid: bool
    reason: str = ""


@dataclass
class Verification:
    document: SignableDocument
    intact: bool  # the stored file still has the SHA-256 it was created with
    actual_sha256: str | None
    signatures: list[SignatureCheck] = field(default_factory=list)
    pending: list[RequiredSigner] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.document.status if self.intact else D.VOID


def document_verify(*, document: SignableDocument) -> Verification:
    """Re-hash the file and check every signature's seal; a changed file voids them all."""
    actual = file_sha256(document)
    intact = actual == document.sha256
    report = Verification(document=document, intact=intact, actual_sha256=actual)
    signed = set()
    for signature in document.signatures.all():
        signed.add(signature.user_id)
        if not intact:
            check = SignatureCheck(signature, False, _("The document was changed after signing."))
        elif signature.document_sha256 != document.sha256:
            check = SignatureCheck(signature, False, _("Signed a different version."))
        elif signature.seal != signature.compute_seal():
            check = SignatureCheck(signature, False, _("The signature record was altered."))
        else:
            check = SignatureCheck(signature, True)
        report.signatures.append(check)
    report.pending = [s for s in document.signers.select_related("user") if s.user_id not in signed]
    return report


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
