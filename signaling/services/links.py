"""Parties' personal hearing links: issue, revoke, open, and the texted code that unlocks them.

A link is `<TRIBUNAL_PUBLIC_URL>/hearings/<id>/join/<token>/` with a random token; a HearingLink
row keeps the token's SHA-256, the hearing, the person and an expiry (TRIBUNAL_INVITE_LINK_TTL
seconds after the later of the scheduled start and the issue). Only parties get one: applicants,
respondents, agents, witnesses and interpreters who are not committee staff and have a mobile
phone on record; the tribunal, clerks and staff sign in. A link stops working when the hearing is
rescheduled or a new link is sent (`link_send`), when the clerk withdraws it (`link_revoke`), when
its holder is no longer a party admitted to the hearing (revoked at its next use), and after
TRIBUNAL_INVITE_LINK_MAX_WRONG_CODES wrong codes.

Opening a link is not enough: the browser asks for a one-time code texted to the phone on record
(`link_code_send`, the code machinery of case_core/services/signing_codes.py: hashed, short-lived,
limited attempts) and enters it (`link_code_verify`). Only that browser session may then fetch
join credentials, for that hearing only (`link_session_user`; the view keeps the link's id in the
session). The link holder is not signed in, so these entries have no actor; data.user names the
party.

Audit actions: hearing.link_issued, hearing.link_revoked, hearing.link_code_sent,
hearing.link_code_failed, hearing.link_code_verified (and hearing.rate_limited, limits.py).
Error codes: not_found, link_expired, link_revoked, hearing_closed, link_not_for_role,
no_such_participant, code_recently_sent, no_code, code_expired, wrong_code
(details.attempts_left), too_many_attempts, rate_limited.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from case_core.audit import audit_record
from case_core.errors import DomainError, conflict, not_found
from case_core.models import Hearing, HearingStatus, Invitee, User
from case_core.models.hearings import HEARING_VERIFIABLE_ROLES
from case_core.notifications import notify
from case_core.services.signing_codes import (
    CODE_DIGITS,
    _code_matches,
    _hash_code,
    _masked,
    new_code,
)
from signaling.models import Admission, HearingLink, Seat
from signaling.services._common import hearing_action
from signaling.services.limits import rate_limit

# Who may get a personal link: the parties and the people they bring (applicant, respondent,
# agent, witness, interpreter), never the tribunal, clerks or observers.
LINK_ROLES = frozenset(HEARING_VERIFIABLE_ROLES)


def link_eligible(invitee: Invitee) -> bool:
    """Whether this invitee may have a personal link (a party with a phone, not staff)."""
    user = invitee.user
    return (
        invitee.role in LINK_ROLES
        and user.is_active
        and not user.is_committee_staff
        and not user.is_staff
        and not user.is_superuser
        and bool(user.phone)
    )


def masked_phone(user: User) -> str:
    return _masked(user.phone or "")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _url(hearing: Hearing, token: str) -> str:
    path = reverse("signaling:join_link", kwargs={"hearing_id": hearing.pk, "token": token})
    return settings.TRIBUNAL_PUBLIC_URL.rstrip("/") + path


def _revoke(links, *, reason: str, actor, hearing: Hearing) -> int:
    """Revoke the live links among `links` (inside the caller's transaction), each audited."""
    now = timezone.now()
    live = links.select_for_update().filter(revoked_at__isnull=True, expires_at__gt=now)
    count = 0
    for link in live:
        link.revoked_at = now
        link.revoke_reason = reason
        link.save(update_fields=["revoked_at", "revoke_reason"])
        audit_record(
            actor=actor,
            case=hearing.case,
            action="hearing.link_revoked",
            data={"hearing": hearing.pk, "user": link.user_id, "link": link.pk, "reason": reason},
        )
        count += 1
    return count


def _issue(hearing: Hearing, invitee: Invitee, actor) -> tuple[HearingLink, str]:
    """A new link for `invitee` (any earlier one revoked); returns it and its URL."""
    _revoke(
        HearingLink.objects.filter(hearing=hearing, user=invitee.user),
        reason="reissued",
        actor=actor,
        hearing=hearing,
    )
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    link = HearingLink.objects.create(
        hearing=hearing,
        user=invitee.user,
        token_sha256=_digest(token),
        issued_at=now,
        expires_at=max(hearing.scheduled_start, now)
        + timedelta(seconds=settings.TRIBUNAL_INVITE_LINK_TTL),
    )
    audit_record(
        actor=actor,
        case=hearing.case,
        action="hearing.link_issued",
        data={
            "hearing": hearing.pk,
            "user": invitee.user_id,
            "role": invitee.role,
            "link": link.pk,
            "expires_at": link.expires_at.isoformat(),
        },
    )
    return link, _url(hearing, token)


def links_reissue(*, actor, hearing: Hearing, invitees: list[Invitee]) -> dict[int, tuple]:
    """For a rescheduled hearing, inside its transaction: revoke every live link and issue one to
    each party. Returns {user_id: (url, expires_at)} for the parties; others get none."""
    _revoke(
        HearingLink.objects.filter(hearing=hearing),
        reason="rescheduled",
        actor=actor,
        hearing=hearing,
    )
    links = {}
    for invitee in invitees:
        if link_eligible(invitee):
            link, url = _issue(hearing, invitee, actor)
            links[invitee.user_id] = (url, link.expires_at)
    return links


def link_send(*, actor, hearing_id: int, user_id: int) -> HearingLink:
    """The clerk sends a party a new personal link; any earlier one stops working."""
    with hearing_action(hearing_id, actor, "link.send") as ctx:
        hearing = ctx.hearing
        if hearing.status == HearingStatus.CLOSED:
            raise DomainError("hearing_closed", _("This hearing is closed."), status=410)
        invitee = (
            Invitee.objects.select_related("user").filter(hearing=hearing, user_id=user_id).first()
        )
        if invitee is None:
            raise DomainError("no_such_participant", _("That person is not in this hearing."))
        if not link_eligible(invitee):
            raise conflict(
                "link_not_for_role",
                _(
                    "Only parties with a mobile phone on record get a personal link; members of "
                    "the tribunal, clerks and staff sign in."
                ),
            )
        link, url = _issue(hearing, invitee, actor)
        user, expires_at = invitee.user, link.expires_at
        transaction.on_commit(lambda: notify_link(hearing, user, url, expires_at))
    return link


def link_revoke(*, actor, hearing_id: int, user_id: int) -> int:
    """The clerk withdraws a person's personal link(s) to this hearing; returns how many."""
    with hearing_action(hearing_id, actor, "link.revoke") as ctx:
        return _revoke(
            HearingLink.objects.filter(hearing=ctx.hearing, user_id=user_id),
            reason="withdrawn",
            actor=actor,
            hearing=ctx.hearing,
        )


def links_revoke_for(*, actor, hearing: Hearing, user_id: int, reason: str) -> int:
    """Revoke a person's live links to `hearing` inside the caller's hearing transaction (they were
    removed or refused): a forwarded link stops working at once, not at its next use."""
    return _revoke(
        HearingLink.objects.filter(hearing=hearing, user_id=user_id),
        reason=reason,
        actor=actor,
        hearing=hearing,
    )


def notify_link(hearing: Hearing, user: User, url: str, expires_at: datetime) -> None:
    """Text (and e-mail) a party their personal link."""
    with override(hearing.language):
        notify(
            user=user,
            case=hearing.case,
            subject=_("Your hearing link"),
            body=_(
                "Your personal link to the hearing in case %(case)s: %(link)s It asks for a "
                "code sent to this phone and works until %(until)s. Do not forward it."
            )
            % {
                "case": hearing.case.number or hearing.case.title,
                "link": url,
                "until": timezone.localtime(expires_at).strftime("%Y-%m-%d %H:%M"),
            },
        )


# --- the link holder's side -----------------------------------------------------------------


def _invalid_link() -> DomainError:
    return not_found(_("This hearing link is not valid."))


def _revoked() -> DomainError:
    return DomainError(
        "link_revoked",
        _(
            "This hearing link no longer works: a newer link was sent or it was withdrawn. "
            "Use the latest link you received, or sign in."
        ),
        status=410,
    )


def _require_usable(link: HearingLink) -> None:
    """Refuse a revoked or expired link, a closed hearing, and a holder who is no longer a party
    admitted to the hearing (their link is revoked now)."""
    if link.revoked_at is not None:
        raise _revoked()
    if link.expires_at <= timezone.now():
        raise DomainError(
            "link_expired",
            _("This hearing link has expired. Ask the clerk for a new one, or sign in."),
            status=410,
        )
    if link.hearing.status == HearingStatus.CLOSED:
        raise DomainError("hearing_closed", _("This hearing is closed."), status=410)
    invitee = (
        Invitee.objects.select_related("user").filter(hearing=link.hearing, user=link.user).first()
    )
    seat = Seat.objects.filter(hearing=link.hearing, user=link.user).first()
    removed = seat is not None and seat.admission in (Admission.REFUSED, Admission.REMOVED)
    if invitee is None or removed or not link_eligible(invitee):
        with transaction.atomic():
            _revoke(
                HearingLink.objects.filter(pk=link.pk),
                reason="removed" if invitee is None or removed else "not_a_party",
                actor=None,
                hearing=link.hearing,
            )
        raise _revoked()


def link_open(*, token: str, hearing_id: int) -> HearingLink:
    """The usable link behind `token` for `hearing_id` (not_found if there is none)."""
    if not isinstance(token, str) or not token or len(token) > 200:
        raise _invalid_link()
    link = (
        HearingLink.objects.select_related("user", "hearing", "hearing__case")
        .filter(token_sha256=_digest(token))
        .first()
    )
    if link is None or link.hearing_id != hearing_id or not link.user.is_active:
        raise _invalid_link()
    _require_usable(link)
    return link


def _locked(link: HearingLink) -> HearingLink:
    locked = HearingLink.objects.select_for_update().get(pk=link.pk)
    locked.hearing, locked.user = link.hearing, link.user
    return locked


def _code_rate_limit(link: HearingLink, address: str) -> None:
    rate_limit(
        scope="link_code.address",
        key=address,
        limit=settings.TRIBUNAL_LINK_CODE_RATE_ADDRESS,
        case=link.hearing.case,
        audit={"hearing": link.hearing_id, "user": link.user_id, "address": address},
    )


def link_code_send(*, token: str, hearing_id: int, address: str) -> HearingLink:
    """Text a fresh one-time code to the party's phone on record; an earlier code stops working."""
    link = link_open(token=token, hearing_id=hearing_id)
    _code_rate_limit(link, address)
    now = timezone.now()
    wait = settings.TRIBUNAL_SIGNING_CODE_RESEND_SECONDS
    minutes = settings.TRIBUNAL_SIGNING_CODE_TTL_MINUTES
    code = new_code()
    with transaction.atomic():
        link = _locked(link)
        if link.code_sent_at is not None and (now - link.code_sent_at).total_seconds() < wait:
            left = int(wait - (now - link.code_sent_at).total_seconds()) + 1
            raise DomainError(
                "code_recently_sent",
                _("A code was just sent. You can ask for another in %(n)d seconds.") % {"n": left},
                status=429,
                details={"retry_after": left},
            )
        link.code_hash = _hash_code(code)
        link.code_sent_at = now
        link.code_expires_at = now + timedelta(minutes=minutes)
        link.code_attempts = 0
        link.save(update_fields=["code_hash", "code_sent_at", "code_expires_at", "code_attempts"])
        audit_record(
            actor=None,
            case=link.hearing.case,
            action="hearing.link_code_sent",
            data={
                "hearing": link.hearing_id,
                "user": link.user_id,
                "link": link.pk,
                "phone": masked_phone(link.user),
                "address": address,
            },
        )
    with override(link.hearing.language):
        notify(
            user=link.user,
            case=link.hearing.case,
            subject=_("Hearing code"),
            body=_(
                "Your code to join the hearing in case %(case)s is %(code)s. It expires in "
                "%(minutes)d minutes. Do not share it."
            )
            % {
                "case": link.hearing.case.number or link.hearing.case.title,
                "code": code,
                "minutes": minutes,
            },
            channels=("sms",),
            redact=(code,),
        )
    return link


def link_code_verify(*, token: str, hearing_id: int, code: str, address: str) -> HearingLink:
    """Check the texted code. A wrong code counts (kept although this raises); too many wrong
    codes in all revoke the link."""
    link = link_open(token=token, hearing_id=hearing_id)
    _code_rate_limit(link, address)
    code = (code or "").strip() if isinstance(code, str) else ""
    error: DomainError | None = None
    with transaction.atomic():
        link = _locked(link)
        now = timezone.now()
        if not link.code_hash:
            raise conflict("no_code", _("Ask for a code first."))
        if link.code_expires_at is None or link.code_expires_at <= now:
            raise DomainError("code_expired", _("This code has expired; ask for a new one."))
        if link.code_attempts >= settings.TRIBUNAL_SIGNING_CODE_MAX_ATTEMPTS:
            raise DomainError(
                "too_many_attempts", _("Too many wrong codes; ask for a new one."), status=429
            )
        data = {"hearing": link.hearing_id, "user": link.user_id, "link": link.pk}
        if code.isdigit() and len(code) == CODE_DIGITS and _code_matches(code, link.code_hash):
            link.code_hash = ""
            link.verified_at = now
            link.save(update_fields=["code_hash", "verified_at"])
            audit_record(
                actor=None,
                case=link.hearing.case,
                action="hearing.link_code_verified",
                data={**data, "address": address},
            )
            return link
        link.code_attempts += 1
        link.wrong_codes += 1
        link.save(update_fields=["code_attempts", "wrong_codes"])
        left = max(settings.TRIBUNAL_SIGNING_CODE_MAX_ATTEMPTS - link.code_attempts, 0)
        audit_record(
            actor=None,
            case=link.hearing.case,
            action="hearing.link_code_failed",
            data={
                **data,
                "attempts_left": left,
                "wrong_codes": link.wrong_codes,
                "address": address,
            },
        )
        if link.wrong_codes >= settings.TRIBUNAL_INVITE_LINK_MAX_WRONG_CODES:
            _revoke(
                HearingLink.objects.filter(pk=link.pk),
                reason="too_many_wrong_codes",
                actor=None,
                hearing=link.hearing,
            )
            error = DomainError(
                "link_revoked",
                _("Too many wrong codes: this link no longer works. Ask the clerk for a new one."),
                status=410,
            )
        else:
            message = (
                _("Wrong code. %(n)d attempts left.") % {"n": left}
                if left
                else _("Wrong code. No attempts left; ask for a new code.")
            )
            error = DomainError("wrong_code", message, details={"attempts_left": left})
    raise error  # after the commit, so the attempt is counted


def link_session_user(*, link_id, hearing_id: int) -> User:
    """The party whose code-verified link this browser session holds for `hearing_id`."""
    link = (
        HearingLink.objects.select_related("user", "hearing", "hearing__case")
        .filter(pk=link_id if isinstance(link_id, int) else None, hearing_id=hearing_id)
        .first()
    )
    if link is None or link.verified_at is None or not link.user.is_active:
        raise not_found()
    _require_usable(link)
    return link.user
