"""Join credentials (short-lived, single-use, one hearing) and parties' personal hearing links.

A credential token is `django.core.signing.dumps({"h": hearing, "u": user, "n": nonce})` with the
salt "signaling.join": signed with SECRET_KEY and timestamped, so any server process can check it;
the nonce names a JoinCredential row, marked used on the first `hello`, so a replay is refused.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from case_core.errors import DomainError, forbidden, not_found
from case_core.models import Hearing, HearingStatus, Invitee, User
from signaling.models import Admission, JoinCredential, Seat

JOIN_SALT = "signaling.join"
INVITE_SALT = "signaling.invite"


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


def invite_token(*, hearing: Hearing, user) -> str:
    return signing.dumps({"h": hearing.pk, "u": user.pk}, salt=INVITE_SALT)


def invite_link(*, hearing: Hearing, user) -> str:
    path = reverse(
        "signaling:join_link",
        kwargs={"hearing_id": hearing.pk, "token": invite_token(hearing=hearing, user=user)},
    )
    return settings.TRIBUNAL_PUBLIC_URL.rstrip("/") + path


def invite_user(*, token: str, hearing_id: int) -> User:
    """The invitee a personal hearing link belongs to (refused if forged, expired or revoked)."""
    try:
        payload = signing.loads(token, salt=INVITE_SALT, max_age=settings.TRIBUNAL_INVITE_LINK_TTL)
    except signing.BadSignature:
        raise not_found(_("This hearing link is not valid or has expired.")) from None
    if not isinstance(payload, dict) or payload.get("h") != hearing_id:
        raise not_found(_("This hearing link is not valid or has expired."))
    invitee = (
        Invitee.objects.select_related("user")
        .filter(hearing_id=hearing_id, user_id=payload.get("u"))
        .first()
    )
    if invitee is None or not invitee.user.is_active:
        raise not_found(_("This hearing link is not valid or has expired."))
    return invitee.user
