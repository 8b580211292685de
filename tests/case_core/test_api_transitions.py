"""Every lifecycle transition through the API, who may make it, and refused transitions."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from case_core.models import AuditEntry, CaseRole, Hearing, Membership
from case_core.services import case_accept, case_assign, case_refer_mediation
from tests.support.api import (
    as_user,
    assert_error,
    snapshot,
)


def in_days(days: int) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


@pytest.fixture
def accepted_case(filed_case, clerk):
    return case_accept(actor=clerk, case=filed_case)


@pytest.fixture
def assigned_case(accepted_case, clerk, arbitrator):
    return case_assign(actor=clerk, case=accepted_case, presiding=arbitrator)


def step(user, case, action, body=None, status=200):
    response = as_user(user).post(f"/cases/{case.pk}/{action}", body)
    assert response.status_code == status, response.content
    return response.json()


def last_action() -> str:
    return AuditEntry.objects.last().action


# --- each transition ----------------------------------------------------------------------------


def test_it_accepts_an_application_with_a_case_number(filed_case, clerk):
    body = step(clerk, filed_case, "accept")
    assert body["status"] == "accepted" and body["number"].startswith("SZLA-")
    assert {d["name"] for d in body["deadlines"]} == {"answer", "award"}
    assert last_action() == "case.accept"


def test_it_rejects_an_application_with_reasons(filed_case, clerk):
    body = step(clerk, filed_case, "reject", {"reasons": "Outside the time limit."})
    assert (body["status"], body["rejection_reason"]) == ("rejected", "Outside the time limit.")
    assert last_action() == "case.reject"


def test_it_refers_a_case_to_mediation_and_records_agreement(accepted_case, clerk, mediator):
    body = step(clerk, accepted_case, "refer-mediation", {"mediator_id": mediator.pk})
    assert body["status"] == "in_mediation"
    assert [d["name"] for d in body["deadlines"]][0] == "mediation"
    assert Membership.objects.filter(case=accepted_case, user=mediator, role="mediator").exists()
    body = step(mediator, accepted_case, "mediation-agreed", {"outcome": "Employer pays 15,000."})
    assert (body["status"], body["mediation_outcome"]) == ("mediated", "Employer pays 15,000.")
    assert step(clerk, accepted_case, "close")["status"] == "closed"


def test_it_sends_a_case_on_to_arbitration_when_mediation_fails(accepted_case, clerk, mediator):
    case_refer_mediation(actor=clerk, case=accepted_case, mediator=mediator)
    body = step(mediator, accepted_case, "mediation-failed", {"outcome": "No agreement."})
    assert (body["status"], body["procedure"]) == ("accepted", "arbitration")
    assert last_action() == "case.mediation_failed"


def test_it_runs_a_case_from_assignment_to_closure(accepted_case, clerk, arbitrators, applicant):
    presiding, second, third = arbitrators
    body = step(
        clerk,
        accepted_case,
        "assign",
        {"presiding_id": presiding.pk, "member_ids": [second.pk, third.pk]},
    )
    assert body["status"] == "assigned"
    roles = set(
        Membership.objects.filter(case=accepted_case, active=True).values_list("user", "role")
    )
    assert {
        (presiding.pk, "presiding"),
        (second.pk, "arbitrator"),
        (third.pk, "arbitrator"),
    } <= roles

    body = step(presiding, accepted_case, "schedule", {"start": in_days(7), "language": "en"})
    assert body["status"] == "scheduled"
    assert [h["language"] for h in body["hearings"]] == ["en"]
    hearing = Hearing.objects.get(case=accepted_case)
    assert hearing.invitees.filter(user=applicant, role="applicant").exists()

    assert step(clerk, accepted_case, "hearing-held")["status"] == "heard"
    body = step(presiding, accepted_case, "extend", {"reason": "Complex facts."})
    assert body["award_extended"] is True
    body = step(presiding, accepted_case, "award", {"text": "The employer shall pay 18,000."})
    assert (body["status"], body["award_text"]) == ("awarded", "The employer shall pay 18,000.")
    assert step(clerk, accepted_case, "close")["status"] == "closed"
    actions = list(AuditEntry.objects.filter(case=accepted_case).values_list("action", flat=True))
    for action in ("assign", "schedule", "hearing_held", "extend", "award", "close"):
        assert f"case.{action}" in actions


def test_it_lets_the_applicant_withdraw(filed_case, applicant):
    body = step(applicant, filed_case, "withdraw", {"reason": "Paid in full."})
    assert (body["status"], body["withdrawal_reason"]) == ("withdrawn", "Paid in full.")


def test_it_links_a_member_to_a_case(filed_case, clerk, outsider):
    party = filed_case.parties.get(side="respondent")
    response = as_user(clerk).post(
        f"/cases/{filed_case.pk}/members",
        {"user_id": outsider.pk, "role": "agent", "party_id": party.pk},
    )
    assert response.status_code == 201, response.content
    assert response.json()["role"] == "agent" and response.json()["party_id"] == party.pk
    assert as_user(outsider).get(f"/cases/{filed_case.pk}").status_code == 200


# --- refused transitions ------------------------------------------------------------------------


def test_it_refuses_to_accept_a_case_twice(accepted_case, clerk):
    before = snapshot()
    number = accepted_case.number
    error = assert_error(
        as_user(clerk).post(f"/cases/{accepted_case.pk}/accept"), 409, "invalid_transition"
    )
    assert "accepted" in error["message"].lower()
    accepted_case.refresh_from_db()
    assert accepted_case.number == number
    assert snapshot() == before


def test_it_refuses_to_award_an_unassigned_case(accepted_case, clerk, arbitrator):
    Membership.objects.create(case=accepted_case, user=arbitrator, role=CaseRole.PRESIDING)
    before = snapshot()
    response = as_user(arbitrator).post(f"/cases/{accepted_case.pk}/award", {"text": "Pay."})
    assert_error(response, 409, "invalid_transition")
    assert snapshot() == before


def test_it_refuses_transitions_to_members_without_the_right(
    filed_case, applicant, respondent, agent, observer, legal_aid
):
    before = snapshot()
    for user in (applicant, respondent, agent, observer, legal_aid):
        api = as_user(user)
        assert_error(api.post(f"/cases/{filed_case.pk}/accept"), 403, "forbidden")
        assert_error(api.post(f"/cases/{filed_case.pk}/close"), 403, "forbidden")
    assert_error(
        as_user(respondent).post(f"/cases/{filed_case.pk}/withdraw", {"reason": "x"}),
        403,
        "forbidden",
    )
    assert snapshot() == before


def test_it_refuses_every_transition_to_an_outsider(assigned_case, outsider, mediator, arbitrator):
    before = snapshot()
    api = as_user(outsider)
    bodies = {
        "accept": None,
        "reject": {"reasons": "x"},
        "refer-mediation": {"mediator_id": mediator.pk},
        "mediation-agreed": {"outcome": "x"},
        "mediation-failed": {"outcome": "x"},
        "assign": {"presiding_id": arbitrator.pk},
        "schedule": {"start": in_days(7)},
        "hearing-held": None,
        "award": {"text": "x"},
        "extend": {"reason": "x"},
        "withdraw": {"reason": "x"},
        "close": None,
        "members": {"user_id": outsider.pk, "role": "observer"},
    }
    for action, body in bodies.items():
        assert_error(api.post(f"/cases/{assigned_case.pk}/{action}", body), 404, "not_found")
    assert_error(as_user(outsider).post("/cases/999999/accept"), 404, "not_found")
    assert snapshot() == before


def test_it_refuses_unknown_or_unfit_users_naming_the_field(
    accepted_case, clerk, mediator, arbitrator
):
    before = snapshot()
    api = as_user(clerk)
    url = f"/cases/{accepted_case.pk}"
    assert_error(
        api.post(f"{url}/refer-mediation", {"mediator_id": 999999}),
        400,
        "invalid",
        field="mediator_id",
    )
    assert_error(
        api.post(f"{url}/refer-mediation", {"mediator_id": arbitrator.pk}),
        400,
        "invalid",
        field="mediator_id",
    )
    assert_error(
        api.post(f"{url}/assign", {"presiding_id": 999999}), 400, "invalid", field="presiding_id"
    )
    assert_error(
        api.post(f"{url}/assign", {"presiding_id": mediator.pk}),
        400,
        "invalid",
        field="presiding_id",
    )
    assert_error(
        api.post(
            f"{url}/assign", {"presiding_id": arbitrator.pk, "member_ids": [999999, arbitrator.pk]}
        ),
        400,
        "invalid",
        field="member_ids[0]",
    )
    assert_error(
        api.post(f"{url}/assign", {"presiding_id": arbitrator.pk, "member_ids": [mediator.pk]}),
        400,
        "invalid",
        field="member_ids[0]",
    )
    assert_error(
        api.post(f"{url}/members", {"user_id": 999999, "role": "observer"}),
        400,
        "invalid",
        field="user_id",
    )
    assert_error(
        api.post(f"{url}/members", {"user_id": mediator.pk, "role": "applicant"}),
        400,
        "invalid",
        field="party_id",
    )
    assert_error(
        api.post(f"{url}/members", {"user_id": mediator.pk, "role": "mediator"}),
        400,
        "invalid",
        field="role",
    )
    assert_error(
        api.post(f"{url}/members", {"user_id": mediator.pk, "role": "judge"}),
        400,
        "invalid",
        field="role",
    )
    assert snapshot() == before


def test_it_refuses_a_panel_of_two(accepted_case, clerk, arbitrators):
    before = snapshot()
    body = {"presiding_id": arbitrators[0].pk, "member_ids": [arbitrators[1].pk]}
    response = as_user(clerk).post(f"/cases/{accepted_case.pk}/assign", body)
    assert_error(response, 400, "invalid", field="member_ids")
    assert snapshot() == before


def test_it_refuses_bad_hearing_times(assigned_case, clerk):
    before = snapshot()
    api = as_user(clerk)
    url = f"/cases/{assigned_case.pk}/schedule"
    naive = (datetime.now() + timedelta(days=7)).replace(microsecond=0).isoformat()
    assert_error(api.post(url, {"start": naive}), 400, "invalid", field="start")
    assert_error(api.post(url, {"start": in_days(2)}), 400, "invalid", field="start")
    assert_error(api.post(url, {"start": "next tuesday"}), 400, "invalid", field="start")
    assert_error(
        api.post(url, {"start": in_days(7), "language": "fr"}), 400, "invalid", field="language"
    )
    assert snapshot() == before
    assert Hearing.objects.count() == 0


def test_it_refuses_empty_reasons_and_texts(filed_case, clerk, applicant):
    before = snapshot()
    assert_error(
        as_user(clerk).post(f"/cases/{filed_case.pk}/reject", {"reasons": " "}),
        400,
        "invalid",
        field="reasons",
    )
    assert_error(
        as_user(clerk).post(f"/cases/{filed_case.pk}/reject", {}), 400, "invalid", field="reasons"
    )
    assert_error(
        as_user(applicant).post(f"/cases/{filed_case.pk}/withdraw", {}),
        400,
        "invalid",
        field="reason",
    )
    assert snapshot() == before


def test_it_refuses_a_second_extension(assigned_case, clerk):
    step(clerk, assigned_case, "extend", {"reason": "Complex."})
    before = snapshot()
    response = as_user(clerk).post(f"/cases/{assigned_case.pk}/extend", {"reason": "Again."})
    assert_error(response, 409, "already_extended")
    assert snapshot() == before
