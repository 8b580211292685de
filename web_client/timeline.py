"""The case timeline: audit entries turned into human-readable, translated lines."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from case_core.models import AuditEntry, CaseRole, CaseStatus
from case_core.selectors import case_timeline

LABELS = {
    "case.submitted": _("Application submitted"),
    "case.viewed": _("Case file viewed"),
    "case.member_added": _("Member added to the case"),
    "case.accept": _("Application accepted"),
    "case.reject": _("Application rejected"),
    "case.refer_mediation": _("Referred to pre-mediation"),
    "case.mediation_agreed": _("Mediation agreement reached"),
    "case.mediation_failed": _("Mediation failed; on to arbitration"),
    "case.assign": _("Tribunal assigned"),
    "case.schedule": _("Hearing scheduled"),
    "case.hearing_held": _("Hearing held"),
    "case.award": _("Award made"),
    "case.extend": _("Award deadline extended"),
    "case.withdraw": _("Application withdrawn"),
    "case.close": _("Case closed"),
    "evidence.uploaded": _("Evidence submitted"),
    "evidence.viewed": _("Evidence viewed"),
    "evidence.opinion": _("Cross-examination opinion given"),
    "hearing.opened": _("Hearing waiting room opened"),
    "hearing.started": _("Hearing started"),
    "hearing.paused": _("Hearing paused"),
    "hearing.resumed": _("Hearing resumed"),
    "hearing.adjourned": _("Hearing adjourned"),
    "hearing.closed": _("Hearing closed"),
    "hearing.joined": _("Joined the hearing"),
    "hearing.left": _("Left the hearing"),
    "hearing.admitted": _("Admitted to the hearing"),
    "recording.started": _("Recording started"),
    "recording.stopped": _("Recording stopped"),
    "recording.finalized": _("Recording stored"),
    "transcript.ready": _("Transcript ready"),
    "minutes.signed": _("Minutes signed"),
    # documents (documents/): issue, service, pleadings
    "paper.issued": _("Document issued"),
    "service.sent": _("Document sent for service"),
    "service.completed": _("Document served (opened)"),
    "service.deemed": _("Document deemed served"),
    "service.postal": _("Document served by post"),
    "filing.answer": _("Answer filed"),
    "filing.counterclaim": _("Counterclaim filed"),
    "filing.amendment": _("Amendment of claims requested"),
    "filing.approved": _("Amendment of claims approved"),
    "filing.refused": _("Amendment of claims refused"),
    "evidence.period_set": _("Evidence period set"),
    # the front door (accounts/, portal/)
    "case.access_code_issued": _("Access code issued"),
    "case.party_invited": _("Party invited by SMS to claim the case"),
    "case.claimed": _("Case claimed with its access code"),
    "case.attorney_requested": _("Power of attorney submitted"),
    "case.attorney_viewed": _("Power of attorney viewed"),
    "case.agent_approved": _("Agent approved"),
    "case.attorney_refused": _("Power of attorney refused"),
    "mail.received": _("Application received by mail"),
}


@dataclass
class TimelineLine:
    when: object
    actor: str
    label: str
    detail: str


def _detail(entry: AuditEntry) -> str:
    data = entry.data or {}
    if entry.action == "case.member_added" and data.get("role") in CaseRole.values:
        return str(CaseRole(data["role"]).label)
    if entry.action in ("evidence.uploaded",) and data.get("title"):
        return data["title"]
    if entry.action == "case.reject":
        return data.get("reasons", "")
    if entry.action in ("case.extend", "case.withdraw"):
        return data.get("reason", "")
    if entry.action.startswith("case.") and data.get("to") in CaseStatus.values:
        return str(_("Status: %(status)s") % {"status": CaseStatus(data["to"]).label})
    return ""


def timeline(case, viewer, *, include_views: bool = False) -> list[TimelineLine]:
    """The lines `viewer` may see (case_core.selectors.case_timeline: reading entries are for
    clerks who ask for them)."""
    entries = case_timeline(case, viewer, include_reading=include_views)
    return [
        TimelineLine(
            when=e.created_at,
            actor=e.actor.name if e.actor else str(_("System")),
            label=str(LABELS.get(e.action, e.action)),
            detail=_detail(e),
        )
        for e in entries
    ]
