"""Who is on a case: linking user accounts to parties and adding staff members."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from case_core.audit import audit_record
from case_core.errors import invalid
from case_core.integrity.checkpoints import milestone_checkpoint
from case_core.models import Case, CaseRole, Membership, Party, User
from case_core.models.members import CASE_PARTY_ROLES
from case_core.notifications import notify
from case_core.permissions import authorize

PARTY_MEMBER_ROLES = CASE_PARTY_ROLES  # the roles a party member may be added with
STAFF_MEMBER_ROLES = (CaseRole.LEGAL_AID, CaseRole.OBSERVER, CaseRole.CLERK)


def case_add_member(
    *, actor: User, case: Case, user: User, role: str, party: Party | None = None
) -> Membership:
    """A clerk links a party's (or agent's) account, a legal-aid officer or a trainee observer."""
    with transaction.atomic():
        authorize(actor, case, "case.assign")
        if role not in PARTY_MEMBER_ROLES + STAFF_MEMBER_ROLES:
            raise invalid(_("This role is given by another step."), details={"field": "role"})
        if role in PARTY_MEMBER_ROLES:
            if party is None or party.case_id != case.pk:
                raise invalid(_("Choose a party of this case."), details={"field": "party"})
            if role != CaseRole.AGENT and party.side != role:
                raise invalid(_("That party is on the other side."), details={"field": "party"})
            if role != CaseRole.AGENT and party.user_id is None:
                party.user = user
                party.save(update_fields=["user"])
        else:
            party = None
        membership, _created = Membership.objects.update_or_create(
            case=case, user=user, role=role, defaults={"active": True, "party": party}
        )
        audit_record(
            actor=actor,
            case=case,
            action="case.member_added",
            data={"user": user.pk, "role": role, "party": party.pk if party else None},
        )
    return membership


def notify_members(*, case: Case, subject: str) -> None:
    """Tell every party-side member of the case that something happened to it."""
    body = _("Case %(case)s: %(subject)s.") % {"case": case, "subject": subject}
    checkpoint = milestone_checkpoint(case)
    if checkpoint is not None:  # a milestone: the signed checkpoint that holds it
        body += " " + _("Record checkpoint %(seq)s: %(hash)s") % {
            "seq": checkpoint.seq,
            "hash": checkpoint.hash,
        }
    users = User.objects.filter(
        memberships__case=case, memberships__active=True, memberships__role__in=PARTY_MEMBER_ROLES
    ).distinct()
    for user in users:
        notify(user=user, subject=str(subject), body=body, case=case)
