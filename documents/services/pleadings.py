"""Pleadings: the answer, counterclaims, amendments of claims, and the evidence period.

    filing_submit       -> the respondent side answers (答辩) or counterclaims, the applicant side
                           asks to amend its claims. An answer after the answer deadline, or a
                           counterclaim after the evidence period, is accepted and marked late.
                           Answers and counterclaims are laid out as a PDF, sealed, put in the
                           case file and served on the other side at once; an amendment waits
                           for the tribunal
    filing_decide       -> the tribunal approves an amendment (then sealed and served) or refuses it
    evidence_period_set -> the end of the evidence period; evidence after it is marked late
    late_evidence       -> the ids of a case's evidence submitted after the period ended

Errors: wrong_side (403), case_not_accepted, not_pending, invalid input (400).
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from case_core import pki
from case_core.audit import audit_record
from case_core.errors import DomainError, conflict, invalid
from case_core.models import Case, CaseStatus, User
from case_core.permissions import party_side
from case_core.services.signing import document_issue_sealed
from case_core.validators import require_text
from documents.models import EvidencePeriod, Filing, FilingKind, FilingStatus
from documents.pdf import render_document
from documents.permissions import authorize
from documents.services.service import service_start

K = FilingKind
SIDE_OF = {K.ANSWER: "respondent", K.COUNTERCLAIM: "respondent", K.AMENDMENT: "applicant"}
ACTION_OF = {
    K.ANSWER: "filing.answer",
    K.COUNTERCLAIM: "filing.counterclaim",
    K.AMENDMENT: "filing.amend",
}
CLOSED = (CaseStatus.SUBMITTED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN, CaseStatus.CLOSED)
MAX_TEXT = 20_000


def _amount(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise invalid(
            _("Enter an amount in yuan, e.g. 1200.50."), details={"field": "amount"}
        ) from None
    if amount < 0 or amount >= Decimal("10000000000"):
        raise invalid(_("Enter an amount in yuan, e.g. 1200.50."), details={"field": "amount"})
    return amount


def filing_submit(*, actor: User, case: Case, kind: str, text: str, amount=None) -> Filing:
    if kind not in K.values:
        raise invalid(_("Unknown kind of filing."), details={"field": "kind"})
    text = require_text(text, field="text", max_length=MAX_TEXT)
    amount = _amount(amount) if kind == K.COUNTERCLAIM else None
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        authorize(actor, case, ACTION_OF[kind])
        side = party_side(actor, case)
        if side != SIDE_OF[kind]:
            raise DomainError(
                "wrong_side",
                _("Only the %(side)s side files this.")
                % {"side": _("respondent") if SIDE_OF[kind] == "respondent" else _("applicant")},
                status=403,
            )
        if case.status in CLOSED or case.accepted_at is None:
            raise conflict(
                "case_not_accepted",
                _("Filings are possible once the case is accepted and until it is closed."),
            )
        now = timezone.now()
        late = False
        if kind == K.ANSWER:
            late = case.answer_deadline is not None and now > case.answer_deadline
        else:
            period = EvidencePeriod.objects.filter(case=case).first()
            late = period is not None and now > period.ends_at
        filing = Filing.objects.create(
            case=case,
            kind=kind,
            side=side,
            text=text,
            amount=amount,
            late=late,
            status=FilingStatus.PENDING if kind == K.AMENDMENT else FilingStatus.FILED,
            filed_by=actor,
            filed_at=now,
        )
        audit_record(
            actor=actor,
            case=case,
            action=f"filing.{kind}",
            data={"filing": filing.pk, "side": side, "late": late, "amount": str(amount or "")},
        )
        if kind != K.AMENDMENT:
            _issue_and_serve(filing, actor)
    return filing


def filing_decide(*, actor: User, filing: Filing, approve: bool, reason: str = "") -> Filing:
    reason = (reason or "").strip()[:500]
    with transaction.atomic():
        Case.objects.select_for_update().get(pk=filing.case_id)
        filing = Filing.objects.select_for_update().get(pk=filing.pk)
        authorize(actor, filing.case, "filing.decide")
        if filing.status != FilingStatus.PENDING:
            raise conflict("not_pending", _("This filing is not awaiting a decision."))
        if not approve and not reason:
            raise invalid(_("Give the reason for refusing."), details={"field": "reason"})
        filing.status = FilingStatus.FILED if approve else FilingStatus.REFUSED
        filing.decided_by, filing.decided_at = actor, timezone.now()
        filing.decision_reason = reason
        filing.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        audit_record(
            actor=actor,
            case=filing.case,
            action="filing.approved" if approve else "filing.refused",
            data={"filing": filing.pk, "reason": reason},
        )
        if approve:
            _issue_and_serve(filing, filing.filed_by)  # the filer's own filing, now approved
    return filing


def _issue_and_serve(filing: Filing, actor: User) -> None:
    """Lay the filing out as a PDF under the committee seal, file it, serve the other side."""
    case = filing.case
    label = FilingKind(filing.kind).label
    with translation.override(translation.get_language()):
        title = f"{label} · {case.number or case.pk}"
        body = filing.text
        if filing.amount is not None:
            body += "\n\n" + _("Amount claimed: CNY %(amount)s") % {"amount": filing.amount}
        footer = _(
            "Filed by %(name)s on %(when)s%(late)s. Sealed inside this PDF by %(committee)s."
        ) % {
            "name": filing.filed_by.name,
            "when": timezone.localtime(filing.filed_at).strftime("%Y-%m-%d %H:%M"),
            "late": (" (" + _("late") + ")") if filing.late else "",
            "committee": pki.committee_name(),
        }
        pdf = render_document(
            title=title, body=body, footer=str(footer), author=filing.filed_by.name
        )
    number = re.sub(r"[^A-Za-z0-9_-]+", "-", case.number or str(case.pk)).strip("-")
    document = document_issue_sealed(
        actor=actor,
        case=case,
        kind=f"filing_{filing.kind}"[:32],
        title=title[:200],
        content=pdf,
        filename=f"{filing.kind}-{number}-{filing.pk}.pdf",
        language=translation.get_language() or "",
        action="evidence.upload",
    )
    filing.document = document
    filing.save(update_fields=["document"])
    service_start(document=document, actor=actor)


def evidence_period_set(*, actor: User, case: Case, ends_at: datetime) -> EvidencePeriod:
    if not isinstance(ends_at, datetime):
        raise invalid(
            _("Enter the date and time the evidence period ends."), details={"field": "ends_at"}
        )
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        authorize(actor, case, "evidence_period.set")
        if case.status in CLOSED:
            raise conflict(
                "case_not_accepted",
                _("Filings are possible once the case is accepted and until it is closed."),
            )
        period, _created = EvidencePeriod.objects.update_or_create(
            case=case, defaults={"ends_at": ends_at, "set_by": actor}
        )
        audit_record(
            actor=actor,
            case=case,
            action="evidence.period_set",
            data={"ends_at": ends_at.isoformat()},
        )
    return period


def evidence_period_open(case: Case, now=None) -> bool:
    period = EvidencePeriod.objects.filter(case=case).first()
    return period is None or (now or timezone.now()) <= period.ends_at


def late_evidence(case: Case) -> set[int]:
    period = EvidencePeriod.objects.filter(case=case).first()
    if period is None:
        return set()
    return set(case.evidence.filter(submitted_at__gt=period.ends_at).values_list("pk", flat=True))
