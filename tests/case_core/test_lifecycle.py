"""Every transition of the case lifecycle, its guard, and that a refused one changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from case_core.errors import DomainError
from case_core.models import AuditEntry, Case, CaseRole, CaseStatus, Hearing, Membership
from case_core.services import (
    case_accept,
    case_assign,
    case_award,
    case_close,
    case_extend,
    case_hearing_held,
    case_mediation_agreed,
    case_mediation_failed,
    case_refer_mediation,
    case_reject,
    case_schedule,
    case_withdraw,
)

S = CaseStatus


def later(days=6):
    return timezone.now() + timedelta(days=days)


def snapshot(case):
    case = Case.objects.get(pk=case.pk)
    return (case.status, case.number, AuditEntry.objects.count(), Hearing.objects.count())


def refused(code, fn, case, **kwargs):
    before = snapshot(case)
    with pytest.raises(DomainError) as err:
        fn(case=case, **kwargs)
    assert err.value.code == code
    assert snapshot(case) == before
    return err.value


@pytest.fixture
def accepted(filed_case, clerk):
    return case_accept(actor=clerk, case=filed_case)


@pytest.fixture
def assigned(accepted, clerk, arbitrators):
    return case_assign(
        actor=clerk, case=accepted, presiding=arbitrators[0], members=arbitrators[1:]
    )


@pytest.fixture
def heard(assigned, clerk):
    case_schedule(actor=clerk, case=assigned, start=later())
    return case_hearing_held(actor=clerk, case=assigned)


def test_it_accepts_with_a_case_number_and_deadlines(filed_case, clerk):
    case = case_accept(actor=clerk, case=filed_case)
    assert case.status == S.ACCEPTED
    assert case.number.startswith("SZLA-") and case.number.endswith("-A-00001")
    assert case.award_deadline - case.accepted_at == timedelta(days=45)
    assert case.answer_deadline - case.accepted_at == timedelta(days=10)
    entry = AuditEntry.objects.filter(case=case).last()
    assert entry.action == "case.accept" and entry.data == {"from": "submitted", "to": "accepted"}


def test_it_numbers_cases_in_sequence(filed_case, clerk, applicant):
    from tests.support.personas import submit_online

    second = submit_online(applicant)
    a = case_accept(actor=clerk, case=filed_case)
    b = case_accept(actor=clerk, case=second)
    assert a.number[-5:] == "00001" and b.number[-5:] == "00002"


def test_it_uses_the_configured_number_format(filed_case, clerk, settings):
    settings.TRIBUNAL_CASE_NUMBER_FORMAT = "深劳人仲案〔{year}〕{seq}号"
    case = case_accept(actor=clerk, case=filed_case)
    assert case.number == f"深劳人仲案〔{timezone.localtime().year}〕1号"


def test_it_refuses_accepting_an_accepted_case(accepted, clerk):
    refused("invalid_transition", case_accept, accepted, actor=clerk)


def test_it_rejects_with_reasons_and_needs_reasons(filed_case, clerk):
    refused("invalid", case_reject, filed_case, actor=clerk, reasons="  ")
    case = case_reject(actor=clerk, case=filed_case, reasons="Not a labour dispute.")
    assert case.status == S.REJECTED and case.rejection_reason == "Not a labour dispute."
    refused("invalid_transition", case_accept, case, actor=clerk)


def test_it_runs_pre_mediation_to_agreement(accepted, clerk, mediator):
    case = case_refer_mediation(actor=clerk, case=accepted, mediator=mediator)
    assert case.status == S.IN_MEDIATION
    assert case.mediation_deadline - case.mediation_started_at == timedelta(days=15)
    assert Membership.objects.filter(case=case, user=mediator, role=CaseRole.MEDIATOR).exists()
    case = case_mediation_agreed(actor=mediator, case=case, outcome="Employer pays 20,000.")
    assert case.status == S.MEDIATED
    case = case_close(actor=clerk, case=case)
    assert case.status == S.CLOSED and case.closed_at


def test_it_sends_failed_mediation_on_to_arbitration(accepted, clerk, mediator):
    case = case_refer_mediation(actor=clerk, case=accepted, mediator=mediator)
    case = case_mediation_failed(actor=mediator, case=case, outcome="No agreement.")
    assert case.status == S.ACCEPTED and case.procedure == "arbitration"


def test_it_refuses_a_mediator_who_is_not_a_mediator(accepted, clerk, arbitrator):
    refused("invalid", case_refer_mediation, accepted, actor=clerk, mediator=arbitrator)


def test_it_assigns_a_sole_arbitrator(accepted, clerk, arbitrator):
    case = case_assign(actor=clerk, case=accepted, presiding=arbitrator)
    assert case.status == S.ASSIGNED
    assert Membership.objects.get(case=case, user=arbitrator).role == CaseRole.PRESIDING


def test_it_assigns_a_panel_of_three_and_can_reassign(accepted, clerk, arbitrators):
    case = case_assign(
        actor=clerk, case=accepted, presiding=arbitrators[0], members=arbitrators[1:]
    )
    roles = dict(
        Membership.objects.filter(case=case, active=True).values_list("user__username", "role")
    )
    assert roles["arbitrator"] == "presiding" and roles["arb2"] == roles["arb3"] == "arbitrator"
    case = case_assign(actor=clerk, case=case, presiding=arbitrators[1])
    active = set(
        Membership.objects.filter(
            case=case, active=True, role__in=["presiding", "arbitrator"]
        ).values_list("user__username", flat=True)
    )
    assert active == {"arb2"}


def test_it_refuses_a_panel_of_two_or_a_repeated_arbitrator(accepted, clerk, arbitrators):
    refused(
        "invalid",
        case_assign,
        accepted,
        actor=clerk,
        presiding=arbitrators[0],
        members=arbitrators[1:2],
    )
    refused(
        "invalid",
        case_assign,
        accepted,
        actor=clerk,
        presiding=arbitrators[0],
        members=[arbitrators[0], arbitrators[1]],
    )


def test_it_schedules_a_hearing_with_notice_and_invites_everyone(
    assigned, clerk, applicant, respondent
):
    refused("invalid", case_schedule, assigned, actor=clerk, start=later(days=2))
    case = case_schedule(actor=clerk, case=assigned, start=later())
    assert case.status == S.SCHEDULED
    hearing = case.hearings.get()
    roles = dict(hearing.invitees.values_list("user__username", "role"))
    assert roles["arbitrator"] == "presiding" and roles["clerk"] == "clerk"
    assert roles["applicant"] == "applicant" and roles["respondent"] == "respondent"


def test_it_refuses_scheduling_with_a_naive_time(assigned, clerk):
    naive = later().replace(tzinfo=None)
    refused("invalid", case_schedule, assigned, actor=clerk, start=naive)


def test_it_refuses_awarding_an_unassigned_case(accepted, arbitrator, clerk):
    refused("not_found", case_award, accepted, actor=arbitrator, text="Award.")
    refused("forbidden", case_award, accepted, actor=clerk, text="Award.")


def test_it_awards_after_the_hearing_and_closes(heard, arbitrator, clerk):
    case = case_award(actor=arbitrator, case=heard, text="The respondent shall pay 27,000 yuan.")
    assert case.status == S.AWARDED and case.awarded_at
    refused(
        "invalid_transition",
        case_withdraw,
        case,
        actor=case.members.get(role="applicant").user,
        reason="late",
    )
    assert case_close(actor=clerk, case=case).status == S.CLOSED


def test_it_lets_a_member_arbitrator_not_award(heard, arbitrators):
    refused("forbidden", case_award, heard, actor=arbitrators[1], text="Award.")


def test_it_extends_the_award_deadline_once(accepted, clerk):
    before = accepted.award_deadline
    case = case_extend(actor=clerk, case=accepted, reason="Complex evidence.")
    assert case.award_deadline - before == timedelta(days=15)
    refused("already_extended", case_extend, case, actor=clerk, reason="again")


def test_it_lets_the_applicant_withdraw_before_the_award(accepted, applicant):
    case = case_withdraw(actor=applicant, case=accepted, reason="Settled privately.")
    assert case.status == S.WITHDRAWN


def test_it_refuses_closing_an_open_case(accepted, clerk):
    refused("invalid_transition", case_close, accepted, actor=clerk)


def test_it_lists_overdue_deadlines(filed_case, clerk):
    Case.objects.filter(pk=filed_case.pk).update(submitted_at=timezone.now() - timedelta(days=6))
    case = Case.objects.get(pk=filed_case.pk)
    assert case.overdue() == ["acceptance"]
    case = case_accept(actor=clerk, case=case)
    Case.objects.filter(pk=case.pk).update(accepted_at=timezone.now() - timedelta(days=46))
    assert Case.objects.get(pk=case.pk).overdue() == ["award"]
