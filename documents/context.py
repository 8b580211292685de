"""What a kind's template sees: the case file as plain values (documents.kinds)."""

from __future__ import annotations

from django.utils import timezone

from case_core import pki
from case_core.models import Case, Hearing


def _date(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d") if value else ""


def _time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def case_context(case: Case, *, hearing: Hearing | None = None, extra: dict | None = None) -> dict:
    parties = list(case.parties.order_by("pk"))
    period = getattr(case, "evidence_period", None)
    context = {
        "case": case,
        "number": case.number or f"#{case.pk}",
        "title": case.title,
        "facts": case.facts,
        "applicants": [p.name for p in parties if p.side == "applicant"],
        "respondents": [p.name for p in parties if p.side == "respondent"],
        "claims": [
            {"description": c.description, "amount": c.amount} for c in case.claims.order_by("pk")
        ],
        "submitted_on": _date(case.submitted_at),
        "accepted_on": _date(case.accepted_at),
        "answer_deadline": _date(case.answer_deadline),
        "award_deadline": _date(case.award_deadline),
        "rejection_reason": case.rejection_reason,
        "withdrawal_reason": case.withdrawal_reason,
        "mediation_outcome": case.mediation_outcome,
        "award_text": case.award_text,
        "evidence_ends": _time(period.ends_at) if period else "",
        "today": _date(timezone.now()),
        "committee": pki.committee_name(),
        "hearing": None,
    }
    if hearing is not None:
        context["hearing"] = {
            "start": _time(hearing.scheduled_start),
            "kind": hearing.get_kind_display(),
            "online": True,
        }
    context.update(extra or {})
    return context
