"""Who may do what with documents, service and pleadings (beside case_core.permissions.MATRIX,
with the same rule: outsiders get not_found, members without the right forbidden)."""

from __future__ import annotations

from case_core.errors import forbidden, not_found
from case_core.models import CaseRole
from case_core.permissions import roles_on

C = CaseRole
STAFF = {C.CLERK, C.PRESIDING, C.ARBITRATOR, C.MEDIATOR}
MATRIX: dict[str, set[str]] = {
    "paper.draft": STAFF,  # write and edit drafts
    "paper.issue": {C.CLERK},  # issuing goes through signing, which the clerk prepares
    "service.table": {C.CLERK, C.PRESIDING, C.ARBITRATOR, C.MEDIATOR},
    "service.postal": {C.CLERK},
    "filing.answer": {C.RESPONDENT, C.AGENT},
    "filing.counterclaim": {C.RESPONDENT, C.AGENT},
    "filing.amend": {C.APPLICANT, C.AGENT},
    "filing.decide": {C.PRESIDING, C.ARBITRATOR, C.CLERK},
    "evidence_period.set": {C.CLERK, C.PRESIDING},
}


def authorize(user, case, action: str) -> set[str]:
    roles = roles_on(user, case)
    if not roles:
        raise not_found()
    if not roles & MATRIX[action]:
        raise forbidden()
    return roles


def can(user, case, action: str) -> bool:
    return bool(roles_on(user, case) & MATRIX[action])
