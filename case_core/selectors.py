"""Read-only queries over the case file, shared by the API and the web pages.

Selectors never change anything; who may see a case is decided as in case_core.permissions
(active memberships, plus every case for committee clerks and administrators).
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from case_core.models import AuditEntry, Case, CaseStatus, Membership
from case_core.models.cases import ACCEPTANCE_DAYS, AWARD_DAYS, MEDIATION_DAYS, OPEN_STATUSES


def cases_visible_to(user) -> QuerySet[Case]:
    """The cases `user` holds a role on (all cases for clerks and administrators)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if getattr(user, "is_clerk", False):
        return Case.objects.all()
    mine = Membership.objects.filter(user=user, active=True).values("case_id")
    return Case.objects.filter(pk__in=mine)


# Audit entries that record someone reading the case file (who opened which evidence, played
# which recording, read which document): case.viewed, evidence.viewed, recording.viewed,
# recording.exported, document.viewed and any later `*.viewed` / `*.exported`.
READING_SUFFIXES = (".viewed", ".exported")


def is_reading(action: str) -> bool:
    return action.endswith(READING_SUFFIXES)


def case_timeline(case: Case, viewer, *, include_reading: bool = False) -> QuerySet[AuditEntry]:
    """The case's audit entries, oldest first, as `viewer` may see them: the API's timeline and
    the case page both read this. Reading entries are for committee clerks and administrators
    only, and only when they ask for them (`include_reading`); every member sees the rest."""
    entries = AuditEntry.objects.filter(case=case).select_related("actor").order_by("seq")
    if include_reading and getattr(viewer, "is_clerk", False):
        return entries
    for suffix in READING_SUFFIXES:
        entries = entries.exclude(action__endswith=suffix)
    return entries


def acceptance_queue() -> QuerySet[Case]:
    """Submitted applications awaiting the acceptance decision, oldest first."""
    return Case.objects.filter(status=CaseStatus.SUBMITTED).order_by("submitted_at", "id")


def overdue_cases(now=None) -> list[Case]:
    """Open cases that have missed a statutory deadline (Case.overdue()), oldest first."""
    now = now or timezone.now()
    # A database pre-filter that can only over-select; Case.overdue() has the final word.
    maybe = (
        Q(status=CaseStatus.SUBMITTED, submitted_at__lt=now - timedelta(days=ACCEPTANCE_DAYS))
        | Q(
            status=CaseStatus.IN_MEDIATION,
            mediation_started_at__lt=now - timedelta(days=MEDIATION_DAYS),
        )
        | Q(accepted_at__lt=now - timedelta(days=AWARD_DAYS))
    )
    candidates = Case.objects.filter(maybe, status__in=OPEN_STATUSES).order_by("submitted_at", "id")
    return [case for case in candidates if case.overdue(now)]
