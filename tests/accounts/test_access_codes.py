"""Reaching a case with the access code served with the application."""

from __future__ import annotations

import pytest
from django.utils import translation

from accounts.models import AccessCode
from accounts.services import access_code_issue, case_claim, party_invite
from case_core.errors import DomainError
from case_core.models import AuditEntry, CaseRole, Membership
from case_core.permissions import roles_on
from case_core.services import case_accept
from case_core.services.submission import PartyInput
from tests.support.personas import LICENCE, make_user, submit_online

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(applicant, clerk):
    case = case_accept(actor=clerk, case=submit_online(applicant))
    party = case.parties.get(side="respondent")
    return case, party, access_code_issue(actor=clerk, case=case, party=party)


def test_it_returns_the_code_once_and_stores_only_a_hash(served):
    case, party, code = served
    row = AccessCode.objects.get(party=party)
    assert len(code) == 14 and code.count("-") == 2
    assert code not in row.code_hash and code.replace("-", "") not in row.code_hash
    entry = AuditEntry.objects.filter(action="case.access_code_issued").get()
    assert code not in str(entry.data)


def test_it_lets_the_employer_claim_the_case_with_code_and_uscc(served):
    case, party, code = served
    employer = make_user("employer")
    membership = case_claim(
        actor=employer, case_number=case.number, access_code=code.lower(), id_or_uscc=LICENCE
    )
    assert membership.role == CaseRole.RESPONDENT and membership.party == party
    assert CaseRole.RESPONDENT in roles_on(employer, case)
    party.refresh_from_db()
    assert party.user == employer
    assert AuditEntry.objects.filter(case=case, action="case.claimed").count() == 1


def test_it_uses_a_code_up_so_no_one_else_can_claim_with_it(served):
    case, _party, code = served
    case_claim(
        actor=make_user("employer"), case_number=case.number, access_code=code, id_or_uscc=LICENCE
    )
    with pytest.raises(DomainError) as err:
        case_claim(
            actor=make_user("other"), case_number=case.number, access_code=code, id_or_uscc=LICENCE
        )
    assert err.value.code == "claim_refused"


@pytest.mark.parametrize("what", ["case_number", "code", "uscc"])
def test_it_answers_the_same_for_any_wrong_part_and_changes_nothing(served, what):
    case, party, code = served
    args = dict(case_number=case.number, access_code=code, id_or_uscc=LICENCE)
    args[{"case_number": "case_number", "code": "access_code", "uscc": "id_or_uscc"}[what]] = (
        "XXXX-2222-3333" if what == "code" else "91440300MA5EXAMPL9" if what == "uscc" else "No 1"
    )
    guesser = make_user("guesser")
    with translation.override("en"), pytest.raises(DomainError) as err:
        case_claim(actor=guesser, **args)
    assert err.value.code == "claim_refused" and err.value.status == 400
    assert "do not match" in str(err.value.message)
    assert not Membership.objects.filter(user=guesser).exists()
    assert AccessCode.objects.get(party=party).used_at is None


def test_it_stops_a_guesser_after_the_hourly_limit(served, settings):
    settings.TRIBUNAL_CLAIM_FAILURES_PER_HOUR = 3
    case, _party, code = served
    guesser = make_user("guesser")
    for _ in range(3):
        with pytest.raises(DomainError):
            case_claim(
                actor=guesser,
                case_number=case.number,
                access_code="AAAA-BBBB-CCCC",
                id_or_uscc=LICENCE,
            )
    with pytest.raises(DomainError) as err:  # even the right code is refused now
        case_claim(actor=guesser, case_number=case.number, access_code=code, id_or_uscc=LICENCE)
    assert err.value.code == "claim_throttled" and err.value.status == 429


def test_it_completes_a_respondent_filed_by_name_only(applicant, clerk):
    case = submit_online(
        applicant,
        respondents=[
            PartyInput(
                name="Example Noodle Shop",
                id_type="business_licence",
                id_number="",
                is_organisation=True,
                address="1 Example Road",
            )
        ],
    )
    case = case_accept(actor=clerk, case=case)
    party = case.parties.get(side="respondent")
    code = access_code_issue(actor=clerk, case=case, party=party)
    with pytest.raises(DomainError) as err:  # the identifier given must still be a valid USCC
        case_claim(
            actor=make_user("shop"), case_number=case.number, access_code=code, id_or_uscc="123"
        )
    assert err.value.details["field"] == "id_or_uscc"
    case_claim(
        actor=make_user("shop2"), case_number=case.number, access_code=code, id_or_uscc=LICENCE
    )
    party.refresh_from_db()
    assert party.id_number == LICENCE


def test_it_lets_only_a_clerk_issue_codes(served, applicant):
    case, party, _code = served
    with pytest.raises(DomainError) as err:
        access_code_issue(actor=applicant, case=case, party=party)
    assert err.value.code == "forbidden"


def test_it_texts_a_paper_party_its_invitation(served, clerk, settings):
    case, party, _old = served
    party.phone = "13800138001"
    party.save()
    code = party_invite(actor=clerk, case=case, party=party)
    outbox = open(settings.TRIBUNAL_NOTIFICATION_FILE, encoding="utf-8").read()
    assert "+8613800138001" in outbox and code in outbox
    assert AccessCode.objects.filter(party=party, revoked=False, used_at=None).count() == 1
