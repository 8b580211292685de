"""Hearing fixtures: an arbitration hearing scheduled by the clerk, its witness, and a mediation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from case_core.models import Hearing, HearingKind, Invitee
from case_core.services import case_accept, case_assign, case_schedule
from tests.support.personas import make_user


@pytest.fixture
def hearing(filed_case, clerk, arbitrator, applicant, respondent, agent) -> Hearing:
    """An arbitration hearing, scheduled by the clerk: presiding arbitrator, clerk, applicant,
    respondent, the applicant's agent, a legal-aid officer and a trainee (both observers)."""
    case_accept(actor=clerk, case=filed_case)
    case_assign(actor=clerk, case=filed_case, presiding=arbitrator)
    start = timezone.now() + timedelta(days=6)
    case = case_schedule(actor=clerk, case=filed_case, start=start)
    hearing = case.new_hearing
    Invitee.objects.create(hearing=hearing, user=make_user("witness"), role="witness")
    return hearing


@pytest.fixture
def witness(hearing):
    return Invitee.objects.get(hearing=hearing, role="witness").user


@pytest.fixture
def mediation(filed_case, clerk, mediator, applicant, respondent) -> Hearing:
    """A mediation session (no identity check needed to be admitted)."""
    hearing = Hearing.objects.create(
        case=filed_case,
        kind=HearingKind.MEDIATION,
        scheduled_start=timezone.now() + timedelta(days=1),
    )
    for user, role in (
        (mediator, "mediator"),
        (clerk, "clerk"),
        (applicant, "applicant"),
        (respondent, "respondent"),
    ):
        Invitee.objects.create(hearing=hearing, user=user, role=role)
    return hearing
