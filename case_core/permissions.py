"""Who may do what on a case: one matrix, one check.

A user's roles on a case are their memberships' roles, plus `clerk` for committee clerks and
administrators (who handle every case's intake). A user with no role on a case is told the case
does not exist, so an outsider learns nothing, not even that it is there.
"""

from __future__ import annotations

from case_core.errors import forbidden, not_found
from case_core.models import CaseRole, Membership
from case_core.models.members import CASE_PARTY_ROLES, CASE_TRIBUNAL_ROLES

ALL_ROLES = set(CaseRole.values)

C = CaseRole
MATRIX: dict[str, set[str]] = {
    "case.view": ALL_ROLES,
    "case.accept": {C.CLERK},
    "case.reject": {C.CLERK},
    "case.refer_mediation": {C.CLERK},
    "case.mediation_agreed": {C.CLERK, C.MEDIATOR},
    "case.mediation_failed": {C.CLERK, C.MEDIATOR},
    "case.assign": {C.CLERK},
    "case.schedule": {C.CLERK, C.PRESIDING},
    "case.hearing_held": {C.CLERK, C.PRESIDING},
    "case.award": {C.PRESIDING},
    "case.extend": {C.CLERK, C.PRESIDING},
    "case.withdraw": {C.APPLICANT, C.AGENT},
    "case.close": {C.CLERK},
    "evidence.upload": {C.APPLICANT, C.RESPONDENT, C.AGENT, C.CLERK},
    "evidence.download": ALL_ROLES,
    "evidence.opinion": {C.APPLICANT, C.RESPONDENT, C.AGENT},
    "hearing.join": ALL_ROLES,
    "transcript.edit": {C.CLERK},
    "document.prepare": {C.CLERK},
    # Being a required signer of the document is checked by the signing service.
    "document.sign": {*CASE_PARTY_ROLES, *CASE_TRIBUNAL_ROLES, C.CLERK},
}


def roles_on(user, case) -> set[str]:
    """The roles `user` holds on `case` (empty for outsiders and anonymous users)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    roles = set(
        Membership.objects.filter(case=case, user=user, active=True).values_list("role", flat=True)
    )
    if getattr(user, "is_clerk", False):
        roles.add(CaseRole.CLERK)
    return roles


def can(user, case, action: str) -> bool:
    return bool(roles_on(user, case) & MATRIX[action])


def authorize(user, case, action: str) -> set[str]:
    """Raise not_found for outsiders and forbidden for members without the right; return roles."""
    if action not in MATRIX:
        raise KeyError(action)
    roles = roles_on(user, case)
    if not roles:
        raise not_found()
    if not roles & MATRIX[action]:
        raise forbidden()
    return roles


def party_side(user, case) -> str | None:
    """The side (applicant/respondent) the user is on or acts for, if any."""
    membership = (
        Membership.objects.filter(case=case, user=user, active=True, role__in=CASE_PARTY_ROLES)
        .select_related("party")
        .first()
    )
    if membership is None:
        return None
    if membership.party is not None:
        return membership.party.side
    return membership.role if membership.role != CaseRole.AGENT else None
