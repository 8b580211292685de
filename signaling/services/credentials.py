"""Join credentials: short-lived, single-use, one hearing; rate limited at the HTTP endpoint.

A credential token is `django.core.signing.dumps({"h": hearing, "u": user, "n": nonce})` with the
salt "signaling.join": signed with SECRET_KEY and timestamped, so any server process can check it;
the nonce names a JoinCredential row, marked used on the first `hello`, so a replay is refused.
Forging one needs both the key and a live nonce. `credential_request` (the endpoint's entry)
counts requests per client address and per person (TRIBUNAL_CREDENTIAL_RATE_ADDRESS / _USER per
minute; beyond: 429 rate_limited, audited). Parties' personal links are in links.py.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from case_core.errors import DomainError, forbidden, not_found
from case_core.models import Hearing, HearingStatus, Invitee, User
from signaling.models import Admission, JoinCredential, Seat
from signaling.services.limits import rate_limit

JOIN_SALT = "signaling.join"


def credential_request(*, user, hearing_id: int, address: str) -> dict:
    """The credential endpoint: count the request per client address (even when refused) and per
    person, then issue (`credential_issue`)."""
    hearing = Hearing.objects.select_related("case").filter(pk=hearing_id).first()
    case = hearing.case if hearing is not None else None
    signed_in = user is not None and user.is_authenticated
    audit = {"hearing": hearing_id, "user": user.pk if signed_in else None, "address": address}
    rate_limit(
        scope="credential.address",
        key=address,
        limit=settings.TRIBUNAL_CREDENTIAL_RATE_ADDRESS,
        actor=user if signed_in else None,
        case=case,
        audit=audit,
    )
    if not signed_in:
        raise not_found()
    rate_limit(
        scope="credential.user",
        key=str(user.pk),
        limit=settings.TRIBUNAL_CREDENTIAL_RATE_USER,
        actor=user,
        case=case,
        audit=audit,
    )
    return credential_issue(actor=user, hearing_id=hearing_id)


def credential_issue(*, actor, hearing_id: int) -> dict:
    """A credential for `actor` to join `hearing_id`; only invitees get one."""
    with transaction.atomic():
        hearing = Hearing.objects.filter(pk=hearing_id).first()
        if hearing is None or actor is None or not actor.is_authenticated or not actor.is_active:
            raise not_found()
        if not Invitee.objects.filter(hearing=hearing, user=actor).exists():
            raise not_found()
        if hearing.status == HearingStatus.CLOSED:
            raise DomainError("hearing_closed", _("This hearing is closed."), status=410)
        seat = Seat.objects.filter(hearing=hearing, user=actor).first()
        if seat is not None and seat.admission in (Admission.REFUSED, Admission.REMOVED):
            raise forbidden(_("You were refused or removed from this hearing."))
        now = timezone.now()
        ttl = settings.TRIBUNAL_JOIN_CREDENTIAL_TTL
        cred = JoinCredential.objects.create(
            hearing=hearing,
            user=actor,
            nonce=secrets.token_urlsafe(24),
            issued_at=now,
            expires_at=now + timedelta(seconds=ttl),
        )
    token = signing.dumps({"h": hearing.pk, "u": actor.pk, "n": cred.nonce}, salt=JOIN_SALT)
    return {
        "credential": token,
        "hearing": hearing.pk,
        "expires_at": cred.expires_at.isoformat(),
        "ttl": ttl,
        "ws_path": f"/ws/hearings/{hearing.pk}/",
    }


def credential_redeem(*, token: str, hearing_id: int) -> User:
    """Check and use up a credential; return its user. Raises DomainError with a credential_* code."""
    ttl = settings.TRIBUNAL_JOIN_CREDENTIAL_TTL
    try:
        payload = signing.loads(token, salt=JOIN_SALT, max_age=ttl)
    except signing.SignatureExpired:
        raise DomainError(
            "credential_expired", _("This join credential has expired."), status=401
        ) from None
    except signing.BadSignature:
        raise DomainError(
            "credential_invalid", _("This join credential is not valid."), status=401
        ) from None
    if not isinstance(payload, dict) or not {"h", "u", "n"} <= payload.keys():
        raise DomainError("credential_invalid", _("This join credential is not valid."), status=401)
    if payload["h"] != hearing_id:
        raise DomainError(
            "credential_wrong_hearing", _("This credential is for another hearing."), status=404
        )
    with transaction.atomic():
        cred = (
            JoinCredential.objects.select_for_update()
            .select_related("user")
            .filter(nonce=payload["n"], hearing_id=hearing_id, user_id=payload["u"])
            .first()
        )
        if cred is None:
            raise DomainError(
                "credential_invalid", _("This join credential is not valid."), status=401
            )
        if cred.used_at is not None:
            raise DomainError(
                "credential_used", _("This join credential was already used."), status=401
            )
        if cred.expires_at <= timezone.now():
            raise DomainError(
                "credential_expired", _("This join credential has expired."), status=401
            )
        cred.used_at = timezone.now()
        cred.save(update_fields=["used_at"])
    return cred.user
