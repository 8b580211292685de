"""The permission matrix: each role against each action, and an outsider refused everywhere."""

import pytest

from case_core.errors import DomainError
from case_core.models import CaseRole
from case_core.permissions import MATRIX, authorize, roles_on
from case_core.services import case_accept, case_assign, case_refer_mediation

# Who may do each action, written out independently of case_core.permissions.MATRIX.
EXPECTED = {
    "case.view": "applicant respondent agent mediator presiding arbitrator clerk legal_aid observer",
    "case.accept": "clerk",
    "case.reject": "clerk",
    "case.refer_mediation": "clerk",
    "case.mediation_agreed": "clerk mediator",
    "case.mediation_failed": "clerk mediator",
    "case.assign": "clerk",
    "case.schedule": "clerk presiding",
    "case.hearing_held": "clerk presiding",
    "case.award": "presiding",
    "case.extend": "clerk presiding",
    "case.withdraw": "applicant agent",
    "case.close": "clerk",
    "evidence.upload": "applicant respondent agent clerk",
    "evidence.download": "applicant respondent agent mediator presiding arbitrator clerk legal_aid observer",
    "evidence.opinion": "applicant respondent agent",
    "hearing.join": "applicant respondent agent mediator presiding arbitrator clerk legal_aid observer",
    "transcript.edit": "clerk",
    "document.prepare": "clerk",
    "document.sign": "applicant respondent agent mediator presiding arbitrator clerk",
}


@pytest.fixture
def cast(
    filed_case,
    clerk,
    arbitrators,
    mediator,
    applicant,
    respondent,
    agent,
    legal_aid,
    observer,
    admin_user,
):
    """Every persona, keyed by the role it holds on `filed_case`."""
    case_accept(actor=clerk, case=filed_case)
    case_refer_mediation(actor=clerk, case=filed_case, mediator=mediator)
    case_assign_members(filed_case, arbitrators)
    return {
        "applicant": applicant,
        "respondent": respondent,
        "agent": agent,
        "mediator": mediator,
        "presiding": arbitrators[0],
        "arbitrator": arbitrators[1],
        "clerk": clerk,
        "legal_aid": legal_aid,
        "observer": observer,
    }


def case_assign_members(case, arbitrators):
    from case_core.models import Membership

    Membership.objects.create(case=case, user=arbitrators[0], role=CaseRole.PRESIDING)
    Membership.objects.create(case=case, user=arbitrators[1], role=CaseRole.ARBITRATOR)


def test_it_matches_the_expected_matrix_for_every_role_and_action(filed_case, cast):
    assert set(MATRIX) == set(EXPECTED)
    for action, allowed in EXPECTED.items():
        for role, user in cast.items():
            assert roles_on(user, filed_case) == {role}, role
            if role in allowed.split():
                assert authorize(user, filed_case, action) == {role}
            else:
                with pytest.raises(DomainError) as err:
                    authorize(user, filed_case, action)
                assert err.value.code == "forbidden", (role, action)


def test_it_hides_the_case_from_an_outsider_for_every_action(filed_case, outsider):
    for action in MATRIX:
        with pytest.raises(DomainError) as err:
            authorize(outsider, filed_case, action)
        assert err.value.code == "not_found" and err.value.status == 404


def test_it_hides_the_case_from_staff_not_on_it(
    filed_case, arbitrator, mediator, observer, legal_aid
):
    from case_core.models import Membership

    Membership.objects.filter(case=filed_case).exclude(
        role__in=["applicant", "respondent", "agent"]
    ).delete()
    for user in (arbitrator, mediator, observer, legal_aid):
        with pytest.raises(DomainError) as err:
            authorize(user, filed_case, "case.view")
        assert err.value.code == "not_found"


def test_it_gives_administrators_clerk_rights(filed_case, admin_user):
    assert roles_on(admin_user, filed_case) == {"clerk"}


def test_it_refuses_anonymous_and_deactivated_users(filed_case, applicant):
    from django.contrib.auth.models import AnonymousUser

    assert roles_on(AnonymousUser(), filed_case) == set()
    applicant.is_active = False
    applicant.save()
    with pytest.raises(DomainError) as err:
        authorize(applicant, filed_case, "case.view")
    assert err.value.code == "not_found"


def test_it_refuses_a_party_running_a_staff_service(filed_case, applicant, arbitrator):
    with pytest.raises(DomainError) as err:
        case_accept(actor=applicant, case=filed_case)
    assert err.value.code == "forbidden"
    with pytest.raises(DomainError) as err:
        case_assign(actor=applicant, case=filed_case, presiding=arbitrator)
    assert err.value.code == "forbidden"
