"""The staff workbench: acceptance queue, cases awaiting assignment, overdue cases."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from case_core.errors import forbidden
from case_core.models import Case, CaseStatus
from case_core.models.cases import OPEN_STATUSES
from web_client.views.common import DEADLINE_LABELS

LIMIT = 200


@login_required
@require_GET
def workbench(request):
    if not request.user.is_clerk:
        raise forbidden()
    now = timezone.now()
    queue = list(
        Case.objects.filter(status=CaseStatus.SUBMITTED).order_by("submitted_at", "id")[:LIMIT]
    )
    awaiting = list(
        Case.objects.filter(status=CaseStatus.ACCEPTED).order_by("accepted_at", "id")[:LIMIT]
    )
    overdue = []
    for case in Case.objects.filter(status__in=OPEN_STATUSES).order_by("submitted_at", "id"):
        missed = case.overdue(now)
        if missed:
            deadlines = dict(case.deadlines())
            overdue.append(
                {
                    "case": case,
                    "missed": [
                        {"label": DEADLINE_LABELS.get(k, k), "when": deadlines.get(k)}
                        for k in missed
                    ],
                }
            )
    return render(
        request,
        "web_client/workbench.html",
        {
            "queue": [{"case": c, "overdue": c.acceptance_deadline < now} for c in queue],
            "awaiting": awaiting,
            "overdue": overdue,
        },
    )
