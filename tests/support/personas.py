"""Role personas and a filed case, as fixtures."""

from __future__ import annotations

import pytest

from case_core.models import Case, CaseRole, StaffRole, User
from case_core.services import case_submit
from case_core.services.members import case_add_member
from case_core.services.submission import ClaimInput, PartyInput

VALID_ID = "440304199001011233"
VALID_ID_2 = "11010519491231002X"
LICENCE = "91440300MA5EXAMPL1"


def make_user(username: str, staff_role: str = StaffRole.NONE, **extra) -> User:
    return User.objects.create_user(
        username=username,
        password="pw-" + username,
        staff_role=staff_role,
        phone=extra.pop("phone", "+8613800000000"),
        email=extra.pop("email", f"{username}@example.test"),
        **extra,
    )


@pytest.fixture
def clerk(db):
    return make_user("clerk", StaffRole.CLERK)


@pytest.fixture
def admin_user(db):
    return make_user("admin", StaffRole.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def arbitrator(db):
    return make_user("arbitrator", StaffRole.ARBITRATOR)


@pytest.fixture
def arbitrators(db, arbitrator):
    return [
        arbitrator,
        make_user("arb2", StaffRole.ARBITRATOR),
        make_user("arb3", StaffRole.ARBITRATOR),
    ]


@pytest.fixture
def mediator(db):
    return make_user("mediator", StaffRole.MEDIATOR)


@pytest.fixture
def applicant(db):
    return make_user("applicant")


@pytest.fixture
def respondent(db):
    return make_user("respondent")


@pytest.fixture
def agent(db):
    return make_user("agent")


@pytest.fixture
def legal_aid(db):
    return make_user("legalaid", StaffRole.LEGAL_AID)


@pytest.fixture
def observer(db):
    return make_user("observer", StaffRole.OBSERVER)


@pytest.fixture
def outsider(db):
    return make_user("outsider")


def submit_online(user: User, **overrides) -> Case:
    data = dict(
        actor=user,
        kind="worker_v_employer",
        procedure="arbitration",
        channel="online",
        title="Unpaid wages",
        facts="The employer has not paid wages since March.",
        applicants=[PartyInput(name="Zhang San", id_type="resident_id", id_number=VALID_ID)],
        respondents=[
            PartyInput(
                name="Shenzhen Example Co.",
                id_type="business_licence",
                id_number=LICENCE,
                is_organisation=True,
            )
        ],
        claims=[ClaimInput(description="Unpaid wages March-May", amount="18000.00")],
    )
    data.update(overrides)
    return case_submit(**data)


@pytest.fixture
def filed_case(db, applicant, respondent, agent, clerk, legal_aid, observer) -> Case:
    """A case filed online by `applicant`, with respondent, agent, legal aid and observer linked."""
    case = submit_online(applicant)
    resp_party = case.parties.get(side="respondent")
    app_party = case.parties.get(side="applicant")
    case_add_member(
        actor=clerk, case=case, user=respondent, role=CaseRole.RESPONDENT, party=resp_party
    )
    case_add_member(actor=clerk, case=case, user=agent, role=CaseRole.AGENT, party=app_party)
    case_add_member(actor=clerk, case=case, user=legal_aid, role=CaseRole.LEGAL_AID)
    case_add_member(actor=clerk, case=case, user=observer, role=CaseRole.OBSERVER)
    return case
