"""Signing case documents in the browser with a one-time code sent by SMS.

    document_create   -> a draft with its file, SHA-256 and required signers
    document_issue    -> awaiting signatures; each signer is told
    signature_request -> a 6-digit code to the signer's phone (only a keyed hash is stored)
    signature_confirm -> checks the code; the signature binds user, name, role, time and SHA-256;
                         the last signature attaches the document to the case file as Evidence
    document_void     -> withdraws a document that is not yet fully signed
    document_verify   -> re-hashes the file; if it changed, every signature shows as void

Codes: not_a_signer, already_signed, document_not_awaiting, document_changed, no_phone,
code_recently_sent, no_code, code_expired, wrong_code (details.attempts_left),
too_many_attempts.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from case_core.audit import audit_record
from case_core.errors import DomainError, conflict, invalid
from case_core.models import (
    Case,
    DocumentStatus,
    Evidence,
    Hearing,
    RequiredSigner,
    SignableDocument,
    Signature,
    SigningCode,
    User,
)
from case_core.models.evidence import EvidenceKind
from case_core.notifications import notify
from case_core.permissions import authorize, roles_on
from case_core.validators import require_text

D = DocumentStatus
CODE_DIGITS = 6
_HMAC_SALT = "case_core.signing.code"


# --- helpers ---------------------------------------------------------------------------------


def file_sha256(document: SignableDocument) -> str | None:
    """The SHA-256 of the stored file as it is now (None when the file is missing)."""
    sha = hashlib.sha256()
    try:
        with document.file.open("rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                sha.update(chunk)
    except (FileNotFoundError, ValueError):
        return None
    return sha.hexdigest()


def _hash_code(code: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(8)
    return f"{salt}${salted_hmac(_HMAC_SALT, f'{salt}:{code}', algorithm='sha256').hexdigest()}"


def _code_matches(code: str, stored: str) -> bool:
    salt, _sep, _digest = stored.partition("$")
    return constant_time_compare(_hash_code(code, salt), stored)


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def _signer(document: SignableDocument, actor: User) -> RequiredSigner:
    """The actor's seat among the required signers; members who are not one are refused."""
    authorize(actor, document.case, "document.sign")
    seat = RequiredSigner.objects.filter(document=document, user=actor).first()
    if seat is None:
        raise DomainError(
            "not_a_signer", _("You are not one of the people who sign this document."), status=403
        )
    return seat


def _require_awaiting(document: SignableDocument, actor: User) -> None:
    if Signature.objects.filter(document=document, user=actor).exists():
        raise conflict("already_signed", _("You have already signed this document."))
    if document.status != D.AWAITING:
        raise conflict(
            "document_not_awaiting",
            _("This document is %(status)s; it cannot be signed now.")
            % {"status": document.get_status_display()},
        )


def _require_intact(document: SignableDocument) -> None:
    if file_sha256(document) != document.sha256:
        raise conflict(
            "document_changed",
            _("The stored document no longer matches its fingerprint; it cannot be signed."),
        )


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
    if not signers:
        raise invalid(_("A document needs at least one signer."), details={"field": "signers"})
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


# --- signing ---------------------------------------------------------------------------------


def signature_request(*, actor: User, document: SignableDocument) -> SigningCode:
    """Send a fresh one-time code to the signer's phone; any earlier code stops working."""
    document = SignableDocument.objects.get(pk=document.pk)
    _signer(document, actor)
    _require_awaiting(document, actor)
    _require_intact(document)
    if not actor.phone:
        raise invalid(
            _("Your account has no mobile phone number for the code; ask the clerk to add one."),
            details={"field": "phone", "code": "no_phone"},
        )
    now = timezone.now()
    wait = settings.TRIBUNAL_SIGNING_CODE_RESEND_SECONDS
    last = SigningCode.objects.filter(document=document, user=actor).order_by("-created_at").first()
    if last is not None and last.used_at is None and (now - last.created_at).total_seconds() < wait:
        left = int(wait - (now - last.created_at).total_seconds()) + 1
        raise DomainError(
            "code_recently_sent",
            _("A code was just sent. You can ask for another in %(n)d seconds.") % {"n": left},
            status=429,
            details={"retry_after": left},
        )
    code = new_code()
    minutes = settings.TRIBUNAL_SIGNING_CODE_TTL_MINUTES
    with transaction.atomic():
        SigningCode.objects.filter(document=document, user=actor, used_at__isnull=True).update(
            superseded=True
        )
        challenge = SigningCode.objects.create(
            document=document,
            user=actor,
            code_hash=_hash_code(code),
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
            max_attempts=settings.TRIBUNAL_SIGNING_CODE_MAX_ATTEMPTS,
        )
        audit_record(
            actor=actor,
            case=document.case,
            action="document.code_sent",
            data={"document": document.pk, "code": challenge.pk, "phone": _masked(actor.phone)},
        )
    notify(
        user=actor,
        case=document.case,
        subject=_("Signing code"),
        body=_(
            "Your code to sign %(title)s is %(code)s. It expires in %(minutes)d minutes. "
            "Do not share it."
        )
        % {"title": document.title, "code": code, "minutes": minutes},
        channels=("sms",),
        redact=(code,),
    )
    return challenge


def _masked(phone: str) -> str:
    return phone[:3] + "*" * max(len(phone) - 7, 0) + phone[-4:] if len(phone) > 7 else "****"


def signature_confirm(*, actor: User, document: SignableDocument, code: str) -> Signature:
    """Check the code and sign. A wrong code counts an attempt (kept even though this raises)."""
    code = (code or "").strip()
    error: DomainError | None = None
    with transaction.atomic():
        document = SignableDocument.objects.select_for_update().get(pk=document.pk)
        seat = _signer(document, actor)
        _require_awaiting(document, actor)
        challenge = (
            SigningCode.objects.select_for_update()
            .filter(document=document, user=actor, used_at__isnull=True, superseded=False)
            .order_by("-created_at")
            .first()
        )
        now = timezone.now()
        if challenge is None:
            raise conflict("no_code", _("Ask for a code first."))
        if challenge.expires_at <= now:
            raise DomainError("code_expired", _("This code has expired; ask for a new one."))
        if challenge.attempts >= challenge.max_attempts:
            raise DomainError(
                "too_many_attempts",
                _("Too many wrong codes; ask for a new one."),
                status=429,
            )
        if not (
            code.isdigit() and len(code) == CODE_DIGITS and _code_matches(code, challenge.code_hash)
        ):
            challenge.attempts += 1
            challenge.save(update_fields=["attempts"])
            left = challenge.max_attempts - challenge.attempts
            audit_record(
                actor=actor,
                case=document.case,
                action="document.code_rejected",
                data={"document": document.pk, "code": challenge.pk, "attempts_left": left},
            )
            message = (
                _("Wrong code. %(n)d attempts left.") % {"n": left}
                if left
                else _("Wrong code. No attempts left; ask for a new code.")
            )
            error = DomainError("wrong_code", message, details={"attempts_left": left})
        else:
            _require_intact(document)
            signature = _sign(document, seat, challenge, now)
    if error is not None:
        raise error  # after the commit, so the attempt is counted
    return signature


def _sign(document, seat: RequiredSigner, challenge: SigningCode, now) -> Signature:
    user = seat.user
    challenge.used_at = now
    challenge.save(update_fields=["used_at"])
    signature = Signature(
        document=document,
        user=user,
        name=user.name,
        role=seat.role,
        signed_at=now,
        document_sha256=document.sha256,
        phone=user.phone,
    )
    signature.seal = signature.compute_seal()
    signature.save()
    audit_record(
        actor=user,
        case=document.case,
        action="document.signed",
        data={
            "document": document.pk,
            "signature": signature.pk,
            "name": signature.name,
            "role": signature.role,
            "sha256": signature.document_sha256,
            "seal": signature.seal,
        },
    )
    remaining = RequiredSigner.objects.filter(document=document).exclude(
        user__in=Signature.objects.filter(document=document).values("user")
    )
    if not remaining.exists():
        _complete(document, user, now)
    return signature


def _complete(document: SignableDocument, last_signer: User, now) -> None:
    """Every required signer has signed: attach the document to the case file."""
    kind = document.kind if document.kind in EvidenceKind.values else EvidenceKind.DOCUMENT
    with document.file.open("rb") as stream:
        content = stream.read()
    evidence = Evidence(
        case=document.case,
        kind=kind,
        title=document.title,
        description=_("Signed by %(names)s.")
        % {"names": ", ".join(s.name for s in document.signatures.all())},
        original_name=document.filename,
        content_type=document.content_type,
        size=len(content),
        sha256=document.sha256,
        submitted_by=document.created_by,
        side="",
    )
    evidence.file.save(document.filename, ContentFile(content), save=False)
    evidence.save()
    document.status = D.SIGNED
    document.signed_at = now
    document.evidence = evidence
    document.save(update_fields=["status", "signed_at", "evidence"])
    audit_record(
        actor=last_signer,
        case=document.case,
        action="document.completed",
        data={"document": document.pk, "sha256": document.sha256, "evidence": evidence.pk},
    )
    audit_record(
        actor=last_signer,
        case=document.case,
        action="evidence.attached",
        data={
            "evidence": evidence.pk,
            "kind": kind,
            "title": evidence.title,
            "sha256": evidence.sha256,
            "size": evidence.size,
            "document": document.pk,
        },
    )


# --- verification ----------------------------------------------------------------------------


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
