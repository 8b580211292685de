"""My cases and the case page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_GET

from case_core.audit import audit_record
from case_core.integrity.auto import record_alert
from case_core.models import Agent, Case, CaseStatus, Evidence, Membership
from case_core.models.evidence import EvidenceKind
from case_core.permissions import MATRIX, party_side
from case_core.services.evidence import opinion_changeable
from web_client.case_forms import ACTIONS, EvidenceForm, OpinionForm, make_form
from web_client.next_step import next_step, upcoming_hearing
from web_client.timeline import timeline
from web_client.views.common import deadline_rows, get_case

# Evidence types the case page shows inline (a browser displays them; HEIC it does not).
PREVIEW_IMAGES = ("image/png", "image/jpeg", "image/webp")


@login_required
@require_GET
def my_cases(request):
    user = request.user
    cases = (
        Case.objects.all()
        if user.is_clerk
        else Case.objects.filter(members__user=user, members__active=True).distinct()
    )
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    page = Paginator(cases.order_by("-submitted_at", "-id"), 50).get_page(request.GET.get("page"))
    rows = [
        {"case": c, "deadlines": deadline_rows(c), "hearing": upcoming_hearing(c, user)}
        for c in page
    ]
    return render(
        request,
        "web_client/my_cases.html",
        {"page": page, "rows": rows, "statuses": CaseStatus.choices, "status": status},
    )


@login_required
@require_GET
def case_detail(request, case_id: int):
    case, roles = get_case(request.user, case_id)
    audit_record(actor=request.user, case=case, action="case.viewed")
    return render_case(request, case, roles)


def render_case(request, case: Case, roles: set[str], *, bound=None, error=None, status=200):
    """The case page; `bound` replaces a form by its bound, erroneous version after a POST."""
    bound = bound or {}
    allowed = {p for p, who in MATRIX.items() if roles & who}
    side = party_side(request.user, case)
    parties = case.parties.prefetch_related(Prefetch("agents", queryset=Agent.objects.all()))
    # Recordings (tracks, composite, event log) are shown under "Hearing recordings".
    evidence = list(
        Evidence.objects.filter(case=case)
        .exclude(kind=EvidenceKind.RECORDING)
        .select_related("submitted_by")
        .prefetch_related("opinions")
    )
    evidence_rows = []
    for item in evidence:
        mine = {o.side: o for o in item.opinions.all()}
        row = {"item": item, "opinions": list(item.opinions.all()), "form": None}
        if (
            "evidence.opinion" in allowed
            and side
            and item.side
            and item.side != side
            and (side not in mine or opinion_changeable(case))
        ):
            earlier = mine.get(side)
            initial = (
                {
                    "authenticity": earlier.authenticity,
                    "legality": earlier.legality,
                    "relevance": earlier.relevance,
                    "comment": earlier.comment,
                    "change": True,
                }
                if earlier
                else None
            )
            row["form"] = bound.get(f"opinion-{item.pk}") or OpinionForm(
                prefix=f"op{item.pk}", initial=initial
            )
        evidence_rows.append(row)
    actions = [
        {"action": a, "form": bound.get(a.name) or make_form(a, case)}
        for a in ACTIONS.values()
        if a.permission in allowed and case.status in a.statuses
    ]
    upload_form = None
    if "evidence.upload" in allowed and case.status not in (
        CaseStatus.REJECTED,
        CaseStatus.WITHDRAWN,
        CaseStatus.CLOSED,
    ):
        upload_form = bound.get("evidence") or EvidenceForm()
    members = Membership.objects.filter(case=case, active=True).select_related("user", "party")
    context = {
        "case": case,
        "roles": sorted(roles),
        "side": side,
        "parties_applicant": [p for p in parties if p.side == "applicant"],
        "parties_respondent": [p for p in parties if p.side == "respondent"],
        "claims": list(case.claims.all()),
        "claims_total": sum((c.amount for c in case.claims.all() if c.amount is not None), 0),
        "deadlines": deadline_rows(case),
        "evidence_rows": evidence_rows,
        "upload_form": upload_form,
        "hearings": case.hearings.all(),
        "members": members,
        "next_step": next_step(case, request.user),
        "previewable_images": PREVIEW_IMAGES,
        "timeline": timeline(case, request.user, include_views=request.GET.get("views") == "1"),
        "actions": actions,
        "error": error,
        "failed": next(iter(bound), None),
        "record_alert": record_alert(case),
    }
    return render(request, "web_client/case_detail.html", context, status=status)
