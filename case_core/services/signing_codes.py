"""One-time codes and signatures: the signer asks for a code by SMS and confirms with it.

Codes: not_a_signer, already_signed, document_not_awaiting, document_changed, no_phone (as
details.code of an `invalid` error), code_recently_sent, no_code, code_expired, wrong_code
(details.attempts_left), too_many_attempts; from putting the signature into the PDF
(case_core.services.signing_pdf) document_not_signable and signing_unavailable.

A confirmed signature goes into the PDF as a PAdES signature with a certificate issued for it;
after the last one the committee seal follows, and the sealed PDF (its SHA-256 that of the final
bytes) is attached to the case file as Evidence.
"""

from __future__ import annotations

import secrets
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
    DocumentStatus,
    Evidence,
    RequiredSigner,
    SignableDocument,
    Signature,
    SigningCode,
    User,
)
from case_core.models.evidence import EvidenceKind
from case_core.notifications import notify
from case_core.permissions import authorize
from case_core.services.signing_pdf import embed_seal, embed_signature
from case_core.services.signing_signals import document_completed
from case_core.services.signing_verify import file_sha256

D = DocumentStatus
CODE_DIGITS = 6
_HMAC_SALT = "case_core.signing.code"


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
    shown = document.sha256
    embedded = embed_signature(
        document, name=user.name, role=seat.role, user_id=user.pk, order=seat.order
    )
    signature = Signature(
        document=document,
        user=user,
        name=user.name,
        role=seat.role,
        signed_at=now,
        document_sha256=shown,
        phone=user.phone,
        field_name=embedded.field,
        revision_sha256=embedded.revision_sha256,
        certificate=embedded.certificate_pem,
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
            "field": signature.field_name,
            "revision_sha256": signature.revision_sha256,
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
    """Every required signer has signed: seal the PDF, attach it to the case file."""
    seal = embed_seal(document)
    audit_record(
        actor=last_signer,
        case=document.case,
        action="document.sealed",
        data={"document": document.pk, "field": seal.field, "sha256": seal.revision_sha256},
    )
    kind = document.kind if document.kind in EvidenceKind.values else EvidenceKind.DOCUMENT
    with document.file.open("rb") as stream:
        content = stream.read()
    names = ", ".join(s.name for s in document.signatures.all())
    evidence = Evidence(
        case=document.case,
        kind=kind,
        title=document.title,
        description=(
            _("Signed by %(names)s.") % {"names": names}
            if names
            else _("Issued under the committee seal.")
        ),
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
    document_completed.send(sender=SignableDocument, document=document)
