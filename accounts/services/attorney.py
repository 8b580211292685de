"""Agents by power of attorney.

* attorney_request(*, actor, case_number, id_or_uscc, kind, upload, client_ip=None): a lawyer,
  legal-aid lawyer or relative uploads the signed power of attorney for the party named by the
  case number and that party's ID number or USCC (which the client gives them). The file is
  recognised by its first bytes (PDF, JPEG or PNG; a mislabelled file is refused) and limited to
  TRIBUNAL_ATTORNEY_MAX_BYTES (413 too_large). A case number and identifier that do not match
  get the same answer as a wrong access code (`claim_refused`) and count towards the same
  hourly limit. Audited case.attorney_requested.
* attorney_decide(*, actor, request, approve, reason=""): the clerk approves (the requester
  becomes an agent member for the party, and an Agent row names them) or refuses with reasons.
  Audited case.agent_approved / case.attorney_refused; the requester is told by SMS.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.conf import setting
from accounts.models import AgentKind, AuthorityStatus, PowerOfAttorney
from accounts.services.access import claim_failed, is_throttled, throttled_error
from case_core.audit import audit_record
from case_core.errors import DomainError, invalid
from case_core.filetypes import sniff_content_type
from case_core.models import Agent, Case, CaseRole, Membership, User
from case_core.notifications import notify
from case_core.permissions import authorize

ATTORNEY_TYPES = ("application/pdf", "image/jpeg", "image/png")


def _read(upload) -> tuple[bytes, str]:
    limit = setting("TRIBUNAL_ATTORNEY_MAX_BYTES")
    if upload is None:
        raise invalid(_("Attach the signed power of attorney."), details={"field": "file"})
    if upload.size is not None and upload.size > limit:
        raise DomainError(
            "too_large",
            _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)},
            status=413,
            details={"field": "file"},
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise DomainError(
            "too_large",
            _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)},
            status=413,
            details={"field": "file"},
        )
    mime = sniff_content_type(data[:4096], upload.name or "")
    if mime not in ATTORNEY_TYPES:
        raise invalid(
            _(
                "The power of attorney must be a PDF, JPEG or PNG file (its content is checked, not its name)."
            ),
            details={"field": "file"},
        )
    return data, mime


def attorney_request(
    *,
    actor: User,
    case_number: str,
    id_or_uscc: str,
    kind: str,
    upload,
    client_ip: str | None = None,
) -> PowerOfAttorney:
    if kind not in AgentKind.values:
        raise invalid(_("Choose the kind of agent."), details={"field": "kind"})
    case_number = (case_number or "").strip()[:64]
    given = "".join((id_or_uscc or "").split()).upper()[:64]
    if not case_number or not given:
        raise invalid(
            _("This field is required."),
            details={"field": "case_number" if not case_number else "id_or_uscc"},
        )
    data, mime = _read(upload)
    if is_throttled(actor, client_ip):
        raise throttled_error()
    case = Case.objects.filter(number=case_number).first()
    party = None
    if case is not None:
        party = next(
            (p for p in case.parties.all() if p.id_number and p.id_number.upper() == given), None
        )
    if party is None:
        raise claim_failed(actor, client_ip, case_number)
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        row = PowerOfAttorney(
            case=case,
            party=party,
            user=actor,
            kind=kind,
            file_sha256=digest,
            file_name=(upload.name or "attorney")[:200],
            content_type=mime,
            created_at=timezone.now(),
        )
        row.file.save(digest, ContentFile(data), save=False)
        row.save()
        audit_record(
            actor=actor,
            case=case,
            action="case.attorney_requested",
            data={"request": row.pk, "party": party.pk, "kind": kind, "sha256": digest},
        )
    return row


def attorney_decide(
    *, actor: User, request: PowerOfAttorney, approve: bool, reason: str = ""
) -> PowerOfAttorney:
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=request.case_id)
        authorize(actor, case, "case.assign")
        row = PowerOfAttorney.objects.select_for_update().get(pk=request.pk)
        if row.status != AuthorityStatus.PENDING:
            raise DomainError(
                "already_decided", _("This power of attorney was already decided."), status=409
            )
        reason = (reason or "").strip()[:500]
        if not approve and not reason:
            raise invalid(_("Give the reasons for refusing."), details={"field": "reason"})
        row.status = AuthorityStatus.APPROVED if approve else AuthorityStatus.REFUSED
        row.decided_at = timezone.now()
        row.decided_by = actor
        row.reason = reason
        row.save(update_fields=["status", "decided_at", "decided_by", "reason"])
        if approve:
            Membership.objects.update_or_create(
                case=case,
                user=row.user,
                role=CaseRole.AGENT,
                defaults={"active": True, "party": row.party},
            )
            Agent.objects.get_or_create(
                party=row.party,
                user=row.user,
                defaults={"name": row.user.name[:200], "kind": row.get_kind_display()[:64]},
            )
        audit_record(
            actor=actor,
            case=case,
            action="case.agent_approved" if approve else "case.attorney_refused",
            data={"request": row.pk, "user": row.user_id, "party": row.party_id, "reason": reason},
        )
    notify(
        user=row.user,
        case=case,
        subject=_("Power of attorney"),
        body=(
            _("You are now an agent in case %(case)s.") % {"case": case}
            if approve
            else _("Your power of attorney in case %(case)s was refused: %(reason)s")
            % {"case": case, "reason": reason}
        ),
        channels=("sms",),
    )
    return row
