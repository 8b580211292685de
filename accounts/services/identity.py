"""Binding a real-name identity to an account.

* identity_declare(*, actor, name, id_type, id_number, extra=None) -> Identity: the person
  states who they are; the number is checked (format, resident-ID check digit), then the
  configured verifier (accounts.identity) answers. Verified identities are unique: a document
  already bound to another account is refused (`identity_taken`, 409). Audited
  account.identity_declared / account.identity_verified.
* identity_confirm(*, actor, user) -> Identity: a clerk's manual check (the fallback),
  audited account.identity_verified with method clerk.
* identity_matches(user, name, id_type, id_number) -> bool: does the account's verified
  identity name this person (used when an applicant files as themselves).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.identity import Outcome, current_verifier
from accounts.models import Identity, VerificationMethod
from case_core.audit import audit_record
from case_core.errors import DomainError, forbidden, invalid
from case_core.models import IdDocumentType, User
from case_core.validators import require_text, validate_id_document


def _taken() -> DomainError:
    return DomainError(
        "identity_taken",
        _("This document is already bound to another account. Ask the committee's clerk."),
        status=409,
        details={"field": "id_number"},
    )


def identity_declare(
    *, actor: User, name: str, id_type: str, id_number: str, extra: dict | None = None
) -> Identity:
    if id_type == IdDocumentType.BUSINESS_LICENCE:
        raise invalid(_("Choose a personal identity document."), details={"field": "id_type"})
    name = require_text(name, field="name", max_length=200)
    number = validate_id_document(id_type, id_number, field="id_number")
    current = Identity.objects.filter(user=actor).first()
    if current is not None and current.verified:
        raise DomainError(
            "identity_verified",
            _("Your identity is already verified; the clerk can correct it."),
            status=409,
        )
    if Identity.objects.filter(
        id_type=id_type, id_number=number, verified_at__isnull=False
    ).exists():
        raise _taken()
    verifier = current_verifier()
    verdict = verifier.verify(user=actor, name=name, id_type=id_type, id_number=number, extra=extra)
    if verdict.outcome == Outcome.REFUSED:
        audit_record(
            actor=actor,
            case=None,
            action="account.identity_refused",
            data={"user": actor.pk, "id_type": id_type, "verifier": verifier.name},
        )
        raise DomainError(
            "identity_refused",
            verdict.message or _("The identity could not be verified."),
            status=400,
            details={"field": "id_number"},
        )
    verified = verdict.outcome == Outcome.VERIFIED
    try:
        with transaction.atomic():
            identity, _created = Identity.objects.update_or_create(
                user=actor,
                defaults={
                    "name": name,
                    "id_type": id_type,
                    "id_number": number,
                    "method": VerificationMethod.PLATFORM
                    if verified
                    else VerificationMethod.DECLARED,
                    "verifier": verifier.name[:100],
                    "reference": verdict.reference[:200],
                    "verified_at": timezone.now() if verified else None,
                },
            )
            audit_record(
                actor=actor,
                case=None,
                action="account.identity_verified" if verified else "account.identity_declared",
                data={"user": actor.pk, "id_type": id_type, "verifier": verifier.name},
            )
    except IntegrityError:
        raise _taken() from None
    return identity


def identity_confirm(*, actor: User, user: User) -> Identity:
    """The clerk's manual check: the declared identity becomes the verified one."""
    if not actor.is_clerk:
        raise forbidden()
    try:
        with transaction.atomic():
            identity = Identity.objects.select_for_update().filter(user=user).first()
            if identity is None:
                raise invalid(_("This person has not stated an identity yet."))
            identity.method = VerificationMethod.CLERK
            identity.verified_at = timezone.now()
            identity.verified_by = actor
            identity.save()
            audit_record(
                actor=actor,
                case=None,
                action="account.identity_verified",
                data={"user": user.pk, "id_type": identity.id_type, "verifier": "clerk"},
            )
    except IntegrityError:
        raise _taken() from None
    return identity


def identity_matches(user: User, *, name: str, id_type: str, id_number: str) -> bool:
    identity = Identity.objects.filter(user=user, verified_at__isnull=False).first()
    if identity is None:
        return True  # nothing bound yet: nothing to contradict
    number = (id_number or "").strip().upper()
    return (
        identity.id_type == id_type
        and identity.id_number == number
        and ("".join(identity.name.split()) == "".join((name or "").split()))
    )
