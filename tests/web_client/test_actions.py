from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from case_core.models import AuditEntry, Case, CaseRole, CaseStatus, Hearing, Membership
from case_core.services import case_accept, case_assign, case_hearing_held, case_schedule
from tests.support.personas import make_user

pytestmark = pytest.mark.django_db


def act(client, case, action, data=None):
    return client.post(reverse("web:case_action", args=[case.pk, action]), data or {})


def fresh(case) -> Case:
    return Case.objects.get(pk=case.pk)


def test_it_accepts_an_application_from_the_page(as_user, filed_case, clerk):
    response = act(as_user(clerk), filed_case, "accept")
    assert response.status_code == 302
    case = fresh(filed_case)
    assert case.status == CaseStatus.ACCEPTED and case.number
    page = as_user(clerk).get(response.url).content.decode()
    assert "Application accepted" in page and case.number in page


def test_it_shows_a_conflict_when_accepting_an_accepted_case(as_user, filed_case, clerk):
    case_accept(actor=clerk, case=filed_case)
    before = AuditEntry.objects.count()
    response = act(as_user(clerk), filed_case, "accept")
    assert response.status_code == 409
    assert "that action is not possible now" in response.content.decode()
    assert AuditEntry.objects.count() == before


def test_it_rejects_with_reasons_and_requires_them(as_user, filed_case, clerk):
    client = as_user(clerk)
    missing = act(client, filed_case, "reject", {"reject-reasons": ""})
    assert missing.status_code == 400 and fresh(filed_case).status == CaseStatus.SUBMITTED
    response = act(client, filed_case, "reject", {"reject-reasons": "Outside our jurisdiction."})
    assert response.status_code == 302
    case = fresh(filed_case)
    assert (
        case.status == CaseStatus.REJECTED and case.rejection_reason == "Outside our jurisdiction."
    )


def test_it_assigns_a_sole_arbitrator_or_a_panel_of_three(as_user, filed_case, clerk, arbitrators):
    case_accept(actor=clerk, case=filed_case)
    client = as_user(clerk)
    a, b, c = arbitrators
    short = act(client, filed_case, "assign", {"assign-presiding": a.pk, "assign-member_1": b.pk})
    assert short.status_code == 400 and fresh(filed_case).status == CaseStatus.ACCEPTED
    assert "sole arbitrator or a panel of three" in short.content.decode()
    response = act(
        client,
        filed_case,
        "assign",
        {"assign-presiding": a.pk, "assign-member_1": b.pk, "assign-member_2": c.pk},
    )
    assert response.status_code == 302 and fresh(filed_case).status == CaseStatus.ASSIGNED
    roles = dict(
        Membership.objects.filter(
            case=filed_case, active=True, role__in=["presiding", "arbitrator"]
        ).values_list("user__username", "role")
    )
    assert roles == {a.username: "presiding", b.username: "arbitrator", c.username: "arbitrator"}


def test_it_schedules_a_hearing_at_least_five_days_ahead(as_user, filed_case, clerk, arbitrator):
    case_accept(actor=clerk, case=filed_case)
    case_assign(actor=clerk, case=filed_case, presiding=arbitrator)
    client = as_user(clerk)
    soon = timezone.localtime() + timedelta(days=2)
    early = act(
        client,
        filed_case,
        "schedule",
        {"schedule-start": soon.strftime("%Y-%m-%dT%H:%M"), "schedule-language": "zh-hans"},
    )
    assert early.status_code == 400 and not Hearing.objects.exists()
    assert "at least 5 days ahead" in early.content.decode()
    later = timezone.localtime() + timedelta(days=7)
    response = act(
        client,
        filed_case,
        "schedule",
        {"schedule-start": later.strftime("%Y-%m-%dT%H:%M"), "schedule-language": "en"},
    )
    assert response.status_code == 302 and fresh(filed_case).status == CaseStatus.SCHEDULED
    hearing = Hearing.objects.get()
    assert hearing.language == "en"
    page = client.get(reverse("web:case", args=[filed_case.pk])).content.decode()
    assert reverse("signaling:hearing", args=[hearing.pk]) in page
    assert timezone.localtime(hearing.scheduled_start).strftime("%Y-%m-%dT%H:%M") == later.strftime(
        "%Y-%m-%dT%H:%M"
    )


def test_it_lets_the_presiding_arbitrator_make_the_award(as_user, filed_case, clerk, arbitrator):
    case_accept(actor=clerk, case=filed_case)
    case_assign(actor=clerk, case=filed_case, presiding=arbitrator)
    case_schedule(actor=clerk, case=filed_case, start=timezone.now() + timedelta(days=6))
    client = as_user(arbitrator)
    page = client.get(reverse("web:case", args=[filed_case.pk])).content.decode()
    assert reverse("web:case_action", args=[filed_case.pk, "hearing_held"]) in page
    assert act(client, filed_case, "hearing_held").status_code == 302
    response = act(client, filed_case, "award", {"award-text": "The employer pays 18000 CNY."})
    assert response.status_code == 302
    case = fresh(filed_case)
    assert case.status == CaseStatus.AWARDED and case.award_text == "The employer pays 18000 CNY."


def test_it_refuses_the_award_to_a_clerk(as_user, filed_case, clerk, arbitrator):
    case_accept(actor=clerk, case=filed_case)
    case_assign(actor=clerk, case=filed_case, presiding=arbitrator)
    case_schedule(actor=clerk, case=filed_case, start=timezone.now() + timedelta(days=6))
    case_hearing_held(actor=clerk, case=filed_case)
    response = act(as_user(clerk), filed_case, "award", {"award-text": "Anything"})
    assert response.status_code == 403 and fresh(filed_case).status == CaseStatus.HEARD


@pytest.mark.parametrize("persona", ["applicant", "respondent", "agent", "legal_aid", "observer"])
def test_it_refuses_staff_actions_to_non_clerks_and_changes_nothing(
    request, as_user, filed_case, persona, arbitrator
):
    user = request.getfixturevalue(persona)
    client = as_user(user)
    before = AuditEntry.objects.count()
    assert act(client, filed_case, "accept").status_code == 403
    assert act(client, filed_case, "reject", {"reject-reasons": "no"}).status_code == 403
    assert act(client, filed_case, "assign", {"assign-presiding": arbitrator.pk}).status_code == 403
    case = fresh(filed_case)
    assert case.status == CaseStatus.SUBMITTED and case.number is None
    assert AuditEntry.objects.count() == before


def test_it_gives_an_outsider_not_found_on_staff_actions(as_user, filed_case, outsider):
    response = act(as_user(outsider), filed_case, "accept")
    assert response.status_code == 404 and fresh(filed_case).status == CaseStatus.SUBMITTED


def test_it_refers_to_mediation_and_records_the_agreement(as_user, filed_case, clerk, mediator):
    case_accept(actor=clerk, case=filed_case)
    client = as_user(clerk)
    response = act(client, filed_case, "refer_mediation", {"refer_mediation-mediator": mediator.pk})
    assert response.status_code == 302 and fresh(filed_case).status == CaseStatus.IN_MEDIATION
    mediator_client = as_user(mediator)
    response = act(
        mediator_client, filed_case, "mediation_agreed", {"mediation_agreed-outcome": "Paid 15000."}
    )
    assert response.status_code == 302 and fresh(filed_case).status == CaseStatus.MEDIATED


def test_it_lets_the_applicant_withdraw_and_the_clerk_close(as_user, filed_case, applicant, clerk):
    response = act(as_user(applicant), filed_case, "withdraw", {"withdraw-reason": "Settled."})
    assert response.status_code == 302 and fresh(filed_case).status == CaseStatus.WITHDRAWN
    assert act(as_user(clerk), filed_case, "close").status_code == 302
    assert fresh(filed_case).status == CaseStatus.CLOSED


def test_it_adds_a_member_by_user_name(as_user, filed_case, clerk):
    lawyer = make_user("lawyer")
    party = filed_case.parties.get(side="respondent")
    client = as_user(clerk)
    unknown = act(
        client,
        filed_case,
        "add_member",
        {"add_member-username": "nobody", "add_member-role": "agent", "add_member-party": party.pk},
    )
    assert unknown.status_code == 400
    assert "no active account" in unknown.content.decode()
    response = act(
        client,
        filed_case,
        "add_member",
        {"add_member-username": "lawyer", "add_member-role": "agent", "add_member-party": party.pk},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(
        case=filed_case, user=lawyer, role=CaseRole.AGENT, party=party
    ).exists()
    assert as_user(lawyer).get(reverse("web:case", args=[filed_case.pk])).status_code == 200


def test_it_extends_the_award_deadline_once(as_user, filed_case, clerk):
    case_accept(actor=clerk, case=filed_case)
    client = as_user(clerk)
    assert act(client, filed_case, "extend", {"extend-reason": "Complex case."}).status_code == 302
    again = act(client, filed_case, "extend", {"extend-reason": "Again."})
    assert again.status_code == 409 and "already extended" in again.content.decode()
