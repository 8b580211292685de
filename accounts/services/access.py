"""Reaching a case with an access code.

* `access_code_issue(*, actor, case, party) -> str`: a clerk (or the documents service serving
  the copy of the application and the notice to answer, acting as the clerk) issues the party's
  access code. The plain code (XXXX-XXXX-XXXX) is returned ONCE, to be printed on the served
  papers or texted; only a salted hash is stored. Issuing a new code revokes the party's earlier
  unused ones. Audited `case.access_code_issued` (never with the code).
* `case_claim(*, actor, case_number, access_code, id_or_uscc, client_ip=None) -> Membership`:
  a signed-in person or organisation account claims its place on the case with the code and
  the party's ID number or unified social credit code. A wrong case number, code or identifier
  gets one and the same answer (`claim_refused`, 400) so nothing can be enumerated; failures are
  counted per account and per address (TRIBUNAL_CLAIM_FAILURES_PER_HOUR, then `claim_throttled`
  429). If the party was filed without an identifier (the respondent known only by name and
  address), the one given is checked for its format and recorded on the party. Success makes
  the account the party's user and a member with the party's side as role, uses up the code and
  is audited `case.claimed`.
* `party_invite(*, actor, case, party)`: a party filed on paper gets its code by SMS to the
  phone on the application (audited `case.party_invited`).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.codes import (
    hash_secret,
    masked_phone,
    new_access_code,
    normalise_access_code,
    normalise_phone,
    secret_matches,
)
from accounts.conf import setting
from accounts.models import AccessCode, ClaimAttempt
from accounts.sms import text_phone
from case_core.audit import audit_record
from case_core.errors import DomainError, invalid
from case_core.models import Case, Membership, Party, User
from case_core.permissions import authorize
from case_core.validators import validate_id_document

PURPOSE = "access_code"


def access_code_issue(*, actor: User, case: Case, party: Party, code: str | None = None) -> str:
    """Issue `party`'s access code to `case`; return the plain code once (only its hash is kept).

    `code` is for the demo data only (`tribunal seed` prints a fixed code); never pass it
    otherwise."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        authorize(actor, case, "case.assign")
        if party.case_id != case.pk:
            raise invalid(_("Choose a party of this case."), details={"field": "party"})
        code = normalise_access_code(code) if code else new_access_code()
        AccessCode.objects.filter(party=party, used_at__isnull=True, revoked=False).update(
            revoked=True
        )
        row = AccessCode.objects.create(
            case=case,
            party=party,
            code_hash=hash_secret(code, purpose=PURPOSE),
            issued_at=timezone.now(),
            issued_by=actor,
        )
        audit_record(
            actor=actor,
            case=case,
            action="case.access_code_issued",
            data={"party": party.pk, "access_code": row.pk},
        )
    return code


def party_invite(*, actor: User, case: Case, party: Party, code: str | None = None) -> str:
    """Text a paper-filed party its access code and how to claim the case; returns the code."""
    phone = normalise_phone(party.phone, field="party.phone")
    code = access_code_issue(actor=actor, case=case, party=party, code=code)
    number = case.number or str(case.pk)
    text_phone(
        phone=phone,
        subject=_("Your case online"),
        body=_(
            "Case %(case)s is on OpenTribunal. Sign up with this phone number, choose "
            "'Claim a case' and enter the case number, your ID number and the access code "
            "%(code)s."
        )
        % {"case": number, "code": code},
    )
    audit_record(
        actor=actor,
        case=case,
        action="case.party_invited",
        data={"party": party.pk, "phone": masked_phone(phone)},
    )
    return code


def _refused() -> DomainError:
    return DomainError(
        "claim_refused",
        _(
            "The case number, access code and identifier do not match a case. Check the papers "
            "you were served and try again."
        ),
        status=400,
    )


def is_throttled(actor: User, client_ip: str | None) -> bool:
    since = timezone.now() - timedelta(hours=1)
    limit = setting("TRIBUNAL_CLAIM_FAILURES_PER_HOUR")
    recent = ClaimAttempt.objects.filter(at__gte=since)
    if recent.filter(user=actor).count() >= limit:
        return True
    return bool(client_ip) and recent.filter(client_ip=client_ip).count() >= limit * 4


def throttled_error() -> DomainError:
    return DomainError(
        "claim_throttled",
        _("Too many wrong attempts. Try again in an hour or ask the committee's clerk."),
        status=429,
        details={"retry_after": 3600},
    )


def claim_failed(actor: User, client_ip: str | None, case_number: str) -> DomainError:
    with transaction.atomic():
        ClaimAttempt.objects.create(user=actor, client_ip=client_ip, at=timezone.now())
        audit_record(
            actor=actor,
            case=None,
            action="account.claim_failed",
            data={"case_number": case_number[:64], "ip_address": client_ip},
        )
    return _refused()


def _identifier_matches(party: Party, given: str) -> bool:
    given = "".join(given.split()).upper()
    return bool(party.id_number) and given == party.id_number.upper()


def case_claim(
    *,
    actor: User,
    case_number: str,
    access_code: str,
    id_or_uscc: str,
    client_ip: str | None = None,
) -> Membership:
    """Claim the party's place on a case with its access code and ID number or USCC."""
    if actor is None or not actor.is_authenticated:
        raise DomainError("forbidden", _("Sign in first."), status=403)
    case_number = (case_number or "").strip()[:64]
    code = normalise_access_code(access_code)
    given = "".join((id_or_uscc or "").split()).upper()[:64]
    for value, field in (
        (case_number, "case_number"),
        (code, "access_code"),
        (given, "id_or_uscc"),
    ):
        if not value:
            raise invalid(_("This field is required."), details={"field": field})
    if is_throttled(actor, client_ip):
        raise throttled_error()
    case = Case.objects.filter(number=case_number).first()
    match = None
    if case is not None:
        for row in AccessCode.objects.filter(
            case=case, used_at__isnull=True, revoked=False
        ).select_related("party"):
            if secret_matches(code, row.code_hash, purpose=PURPOSE):
                match = row
                break
    if match is None:
        raise claim_failed(actor, client_ip, case_number)
    party = match.party
    if party.id_number and not _identifier_matches(party, given):
        raise claim_failed(actor, client_ip, case_number)
    id_type = party.id_type or ("business_licence" if party.is_organisation else "resident_id")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        row = AccessCode.objects.select_for_update().get(pk=match.pk)
        if row.used_at is not None or row.revoked:
            raise _refused()
        party = Party.objects.select_for_update().get(pk=party.pk)
        completed = False
        if not party.id_number:
            party.id_type = id_type
            party.id_number = validate_id_document(id_type, given, field="id_or_uscc")
            completed = True
        if party.user_id is None:
            party.user = actor
        party.save(update_fields=["id_type", "id_number", "user"])
        membership, _created = Membership.objects.update_or_create(
            case=case, user=actor, role=party.side, defaults={"active": True, "party": party}
        )
        row.used_at = timezone.now()
        row.used_by = actor
        row.save(update_fields=["used_at", "used_by"])
        audit_record(
            actor=actor,
            case=case,
            action="case.claimed",
            data={
                "party": party.pk,
                "role": party.side,
                "access_code": row.pk,
                "identifier_completed": completed,
            },
        )
    return membership
