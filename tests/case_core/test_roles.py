"""The role sets, each defined once beside its enum: hearing roles (InviteeRole), case roles
(CaseRole). Written out here independently of the definitions."""

from case_core.models import CaseRole, InviteeRole
from case_core.models.hearings import (
    HEARING_CHAIR_ROLES,
    HEARING_CONTROLLER_ROLES,
    HEARING_OBSERVER_ROLES,
    HEARING_PARTY_ROLES,
    HEARING_TRIBUNAL_ROLES,
    HEARING_VERIFIABLE_ROLES,
    Invitee,
)
from case_core.models.members import CASE_PARTY_ROLES, CASE_TRIBUNAL_ROLES


def test_it_names_the_hearing_roles_in_the_order_the_minutes_list_them():
    assert HEARING_TRIBUNAL_ROLES == ("presiding", "arbitrator", "mediator", "clerk")
    assert HEARING_PARTY_ROLES == ("applicant", "respondent", "agent")
    assert set(HEARING_CHAIR_ROLES) == {"presiding", "mediator"}
    assert set(HEARING_CONTROLLER_ROLES) == {"presiding", "mediator", "clerk"}
    assert set(HEARING_VERIFIABLE_ROLES) == {
        "applicant",
        "respondent",
        "agent",
        "witness",
        "interpreter",
    }
    assert HEARING_OBSERVER_ROLES == ("observer",)


def test_it_splits_every_hearing_role_into_tribunal_verifiable_or_observer():
    groups = (HEARING_TRIBUNAL_ROLES, HEARING_VERIFIABLE_ROLES, HEARING_OBSERVER_ROLES)
    everyone = [role for group in groups for role in group]
    assert sorted(everyone) == sorted(InviteeRole.values)  # each role in exactly one group
    assert all(isinstance(role, InviteeRole) for role in everyone)


def test_it_counts_the_clerk_in_a_hearings_tribunal_but_not_in_a_cases():
    assert Invitee(role=InviteeRole.CLERK).is_tribunal
    assert not Invitee(role=InviteeRole.WITNESS).is_tribunal
    assert set(CASE_TRIBUNAL_ROLES) == {"arbitrator", "presiding", "mediator"}
    assert set(CASE_PARTY_ROLES) == {"applicant", "respondent", "agent"}
    assert all(isinstance(role, CaseRole) for role in CASE_TRIBUNAL_ROLES + CASE_PARTY_ROLES)
