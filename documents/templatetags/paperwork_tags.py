"""`{% case_paperwork case request.user as pw %}`: what the case page's documents section shows
this viewer (documents/case_section.html)."""

from __future__ import annotations

from django import template

from case_core.permissions import party_side, roles_on
from documents.kinds import kind_choices
from documents.models import Draft, DraftStatus, EvidencePeriod, Filing, FilingStatus, Service
from documents.permissions import can
from documents.services.pleadings import CLOSED, late_evidence

register = template.Library()


@register.simple_tag
def case_paperwork(case, user) -> dict:
    if not roles_on(user, case):
        return {}
    staff = can(user, case, "service.table")
    side = party_side(user, case)
    issued = []
    if staff:
        for draft in Draft.objects.filter(case=case, status=DraftStatus.ISSUED).select_related(
            "document"
        ):
            if draft.document is not None:
                services = list(draft.document.services.all())
                issued.append(
                    {
                        "draft": draft,
                        "document": draft.document,
                        "served": sum(1 for s in services if s.done),
                        "total": len(services),
                    }
                )
    filings = list(Filing.objects.filter(case=case).select_related("filed_by", "document"))
    period = EvidencePeriod.objects.filter(case=case).first()
    filing_open = case.accepted_at is not None and case.status not in CLOSED
    return {
        "staff": staff,
        "can_draft": can(user, case, "paper.draft"),
        "can_decide": can(user, case, "filing.decide"),
        "can_set_period": filing_open and can(user, case, "evidence_period.set"),
        "kinds": kind_choices(),
        "drafts": Draft.objects.filter(case=case, status=DraftStatus.EDITING) if staff else [],
        "issued": issued,
        "inbox": Service.objects.filter(document__case=case, recipient=user).select_related(
            "document"
        ),
        "filings": filings,
        "pending_amendments": [f for f in filings if f.status == FilingStatus.PENDING],
        "side": side,
        "can_answer": filing_open and side == "respondent" and can(user, case, "filing.answer"),
        "can_amend": filing_open and side == "applicant" and can(user, case, "filing.amend"),
        "answer_deadline": case.answer_deadline,
        "period": period,
        "late_evidence": late_evidence(case),
    }
