"""Services: the only code that changes the case file. Keyword-only, typed, one transaction,
guard -> DomainError -> save -> audit entry."""

from case_core.services.evidence import evidence_opinion, evidence_upload
from case_core.services.lifecycle import (
    case_accept,
    case_assign,
    case_award,
    case_close,
    case_extend,
    case_hearing_held,
    case_mediation_agreed,
    case_mediation_failed,
    case_refer_mediation,
    case_reject,
    case_schedule,
    case_withdraw,
)
from case_core.services.submission import case_submit

__all__ = [
    "case_accept",
    "case_assign",
    "case_award",
    "case_close",
    "case_extend",
    "case_hearing_held",
    "case_mediation_agreed",
    "case_mediation_failed",
    "case_refer_mediation",
    "case_reject",
    "case_schedule",
    "case_submit",
    "case_withdraw",
    "evidence_opinion",
    "evidence_upload",
]
