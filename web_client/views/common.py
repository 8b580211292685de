"""Helpers shared by the page views."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from case_core.errors import not_found
from case_core.models import Case
from case_core.permissions import authorize

DEADLINE_LABELS = {
    "acceptance": _("Decision on acceptance"),
    "mediation": _("End of pre-mediation"),
    "answer": _("Respondent's answer (defence)"),
    "award": _("Award"),
}


def get_case(user, case_id: int) -> tuple[Case, set[str]]:
    """The case and the user's roles on it; a missing case and an outsider both get not_found."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise not_found()
    return case, authorize(user, case, "case.view")


def deadline_rows(case: Case) -> list[dict]:
    overdue = set(case.overdue())
    return [
        {
            "key": key,
            "label": DEADLINE_LABELS.get(key, key),
            "when": when,
            "overdue": key in overdue,
        }
        for key, when in case.deadlines()
    ]
