"""Signing case documents in the browser with a one-time code sent by SMS.

    document_create   -> a draft with its PDF, SHA-256 and required signers
    document_issue    -> awaiting signatures; each signer is told
    document_issue_sealed -> a document no person signs (a notice): created, sealed by the
                         committee and attached to the case file in one transaction
    signature_request -> a 6-digit code to the signer's phone (only a keyed hash is stored)
    signature_confirm -> checks the code, then signs: a PAdES signature in the PDF with a
                         certificate the committee CA issues for it, and a row binding user, name,
                         role, time and SHA-256; after the last one the committee seal, and the
                         sealed PDF goes into the case file as Evidence
    document_void     -> withdraws a document that is not yet fully signed
    document_verify   -> re-hashes the file and validates each signature in the PDF against the
                         committee root; if the file changed, every signature shows as void

The codes and signatures live in case_core.services.signing_codes, the PDF side in
case_core.services.signing_pdf (over case_core.pades and case_core.pki), verification in
case_core.services.signing_verify; this module is the one to import from.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from case_core import pades
from case_core.audit import audit_record
from case_core.errors import conflict, invalid
from case_core.models import (
    Case,
    DocumentStatus,
    Hearing,
    RequiredSigner,
    SignableDocument,
    SigningCode,
    User,
)
from case_core.notifications import notify
from case_core.permissions import authorize, roles_on
from case_core.services.signing_codes import (
    _complete,
    new_code,
    signature_confirm,
    signature_request,
)
from case_core.services.signing_verify import (
    SignatureCheck,
    Verification,
    document_open,
    document_verify,
    file_sha256,
)
from case_core.validators import require_text

__all__ = [
    "SignatureCheck",
    "Verification",
    "document_create",
    "document_issue",
    "document_issue_sealed",
    "document_open",
    "document_verify",
    "document_void",
    "file_sha256",
    "new_code",
    "signature_confirm",
    "signature_request",
]

D = DocumentStatus


# --- creating and issuing --------------------------------------------------------------------


def document_create(
    *,
    actor: User,
    case: Case,
    kind: str,
    title: str,
    content: bytes,
    filename: str,
    signers: list[tuple[User, str]],
    hearing: Hearing | None = None,
    language: str = "",
    content_type: str = "application/pdf",
) -> SignableDocument:
    """A draft document with its file and SHA-256, and who must sign it (user, role) in order."""
    authorize(actor, case, "document.prepare")
    title = require_text(title, field="title", max_length=200)
    kind = require_text(kind, field="kind", max_length=32)
    if not content:
        raise invalid(_("The document is empty."), details={"field": "content"})
    if content_type != "application/pdf" or pades.signable(content) is not None:
        raise invalid(
            _("Only a PDF can be signed, and this file is not one that can be."),
            details={"field": "content", "code": "not_signable_pdf"},
        )
    if not signers:
        raise invalid(_("A document needs at least one signer."), details={"field": "signers"})
    return _create(
        actor=actor,
        case=case,
        kind=kind,
        title=title,
        content=content,
        filename=filename,
        signers=signers,
        hearing=hearing,
        language=language,
        content_type=content_type,
    )


def _create(
    *, actor, case, kind, title, content, filename, signers, hearing, language, content_type
):
    """Create the document row and its file (callers have authorized and checked the PDF)."""
    seen = set()
    for user, _role in signers:
        if user.pk in seen:
            raise invalid(_("Each person signs only once."), details={"field": "signers"})
        if not roles_on(user, case):
            raise invalid(
                _("%(name)s has no role on this case and cannot sign.") % {"name": user.name},
                details={"field": "signers"},
            )
        seen.add(user.pk)
    if hearing is not None and hearing.case_id != case.pk:
        raise invalid(_("That hearing belongs to another case."), details={"field": "hearing"})
    sha256 = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        document = SignableDocument(
            case=case,
            hearing=hearing,
            kind=kind,
            title=title,
            language=language,
            filename=(filename or "document")[:255],
            content_type=content_type,
            size=len(content),
            sha256=sha256,
            created_by=actor,
        )
        document.file.save(document.filename, ContentFile(content), save=False)
        document.save()
        RequiredSigner.objects.bulk_create(
            RequiredSigner(document=document, user=user, role=role, order=index)
            for index, (user, role) in enumerate(signers)
        )
        audit_record(
            actor=actor,
            case=case,
            action="document.created",
            data={
                "document": document.pk,
                "kind": kind,
                "title": title,
                "sha256": sha256,
                "signers": [[user.pk, role] for user, role in signers],
            },
        )
    return document


def document_issue_sealed(
    *,
    actor: User,
    case: Case,
    kind: str,
    title: str,
    content: bytes,
    filename: str,
    hearing: Hearing | None = None,
    language: str = "",
    action: str = "document.prepare",
) -> SignableDocument:
    """Issue a document under the committee seal alone (no person signs it): one transaction, so
    a seal that cannot be made (signing_unavailable) leaves nothing issued.

    `action` is the permission the actor needs: preparing documents (the clerk), or for a party's
    own filing (an answer, a counterclaim) putting material into the case file
    ("evidence.upload")."""
    if action not in ("document.prepare", "evidence.upload"):
        raise ValueError(action)
    authorize(actor, case, action)
    title = require_text(title, field="title", max_length=200)
    kind = require_text(kind, field="kind", max_length=32)
    if not content or pades.signable(content) is not None:
        raise invalid(
            _("Only a PDF can be signed, and this file is not one that can be."),
            details={"field": "content", "code": "not_signable_pdf"},
        )
    with transaction.atomic():
        document = _create(
            actor=actor,
            case=case,
            kind=kind,
            title=title,
            content=content,
            filename=filename,
            signers=[],
            hearing=hearing,
            language=language,
            content_type="application/pdf",
        )
        document.status = D.AWAITING
        document.save(update_fields=["status"])
        audit_record(
            actor=actor,
            case=case,
            action="document.issued",
            data={"document": document.pk, "sha256": document.sha256, "sealed_only": True},
        )
        _complete(document, actor, timezone.now())
    return document


def document_issue(*, actor: User, document: SignableDocument, link: str = "") -> SignableDocument:
    """Open a draft for signature and tell each signer (by SMS and e-mail)."""
    authorize(actor, document.case, "document.prepare")
    with transaction.atomic():
        document = SignableDocument.objects.select_for_update().get(pk=document.pk)
        if document.status != D.DRAFT:
            raise conflict("document_not_draft", _("Only a draft can be sent for signature."))
        document.status = D.AWAITING
        document.save(update_fields=["status"])
        audit_record(
            actor=actor,
            case=document.case,
            action="document.issued",
            data={"document": document.pk, "sha256": document.sha256},
        )
        signers = [s.user for s in document.signers.select_related("user")]

        def tell():
            for user in signers:
                body = _("%(title)s in case %(case)s awaits your signature.") % {
                    "title": document.title,
                    "case": document.case.number or document.case.title,
                }
                notify(
                    user=user,
                    case=document.case,
                    subject=_("Please sign: %(title)s") % {"title": document.title},
                    body=f"{body} {link}".strip(),
                )

        transaction.on_commit(tell)
    return document


def document_void(*, actor: User, document: SignableDocument, reason: str) -> SignableDocument:
    """Withdraw a draft or a document awaiting signatures (a signed one stays in the case file)."""
    authorize(actor, document.case, "document.prepare")
    reason = require_text(reason, field="reason", max_length=500)
    with transaction.atomic():
        document = SignableDocument.objects.select_for_update().get(pk=document.pk)
        if document.status not in (D.DRAFT, D.AWAITING):
            raise conflict(
                "document_not_voidable",
                _("This document is %(status)s; it cannot be withdrawn.")
                % {"status": document.get_status_display()},
            )
        before = document.status
        document.status = D.VOID
        document.voided_at = timezone.now()
        document.void_reason = reason
        document.save(update_fields=["status", "voided_at", "void_reason"])
        SigningCode.objects.filter(document=document, used_at__isnull=True).update(superseded=True)
        audit_record(
            actor=actor,
            case=document.case,
            action="document.voided",
            data={"document": document.pk, "from": before, "reason": reason},
        )
    return document
