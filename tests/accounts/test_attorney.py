"""Agents by power of attorney: uploaded by the agent, approved by the clerk."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AgentKind, AuthorityStatus, PowerOfAttorney
from accounts.services.attorney import attorney_decide, attorney_request
from case_core.errors import DomainError
from case_core.models import AuditEntry, CaseRole, Membership
from case_core.permissions import roles_on
from case_core.services import case_accept
from tests.support.personas import VALID_ID, make_user, submit_online

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def case(applicant, clerk):
    return case_accept(actor=clerk, case=submit_online(applicant))


def upload(data=PDF, name="attorney.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_it_makes_a_lawyer_the_agent_once_the_clerk_approves(case, clerk):
    lawyer = make_user("lawyer")
    row = attorney_request(
        actor=lawyer,
        case_number=case.number,
        id_or_uscc=VALID_ID,
        kind=AgentKind.LAWYER,
        upload=upload(),
    )
    assert row.status == AuthorityStatus.PENDING and not roles_on(lawyer, case)
    attorney_decide(actor=clerk, request=row, approve=True)
    membership = Membership.objects.get(user=lawyer, case=case)
    assert membership.role == CaseRole.AGENT and membership.party.id_number == VALID_ID
    assert membership.party.agents.filter(user=lawyer).exists()
    assert AuditEntry.objects.filter(case=case, action="case.agent_approved").count() == 1
    with pytest.raises(DomainError) as err:
        attorney_decide(actor=clerk, request=row, approve=False, reason="late")
    assert err.value.code == "already_decided"


def test_it_answers_a_wrong_case_or_identifier_like_a_wrong_access_code(case):
    lawyer = make_user("lawyer")
    for number, ident in ((case.number, "11010519491231002X"), ("No-such-case", VALID_ID)):
        with pytest.raises(DomainError) as err:
            attorney_request(
                actor=lawyer,
                case_number=number,
                id_or_uscc=ident,
                kind=AgentKind.LAWYER,
                upload=upload(),
            )
        assert err.value.code == "claim_refused"
    assert not PowerOfAttorney.objects.exists()


def test_it_refuses_a_mislabelled_or_oversized_file(case, settings):
    lawyer = make_user("lawyer")
    args = dict(actor=lawyer, case_number=case.number, id_or_uscc=VALID_ID, kind=AgentKind.RELATIVE)
    with pytest.raises(DomainError) as err:
        attorney_request(**args, upload=upload(b"MZ\x90\x00 not a pdf", "attorney.pdf"))
    assert err.value.code == "invalid" and err.value.details["field"] == "file"
    settings.TRIBUNAL_ATTORNEY_MAX_BYTES = 1024
    with pytest.raises(DomainError) as err:
        attorney_request(**args, upload=upload(PDF + b"0" * 2048))
    assert err.value.code == "too_large" and err.value.status == 413
    assert not PowerOfAttorney.objects.exists()


def test_it_needs_reasons_to_refuse_and_lets_only_clerks_decide(case, clerk, applicant):
    row = attorney_request(
        actor=make_user("lawyer"),
        case_number=case.number,
        id_or_uscc=VALID_ID,
        kind=AgentKind.LAWYER,
        upload=upload(),
    )
    with pytest.raises(DomainError) as err:
        attorney_decide(actor=applicant, request=row, approve=True)
    assert err.value.code == "forbidden"
    with pytest.raises(DomainError) as err:
        attorney_decide(actor=clerk, request=row, approve=False)
    assert err.value.details["field"] == "reason"
    attorney_decide(actor=clerk, request=row, approve=False, reason="Not signed by the party.")
    row.refresh_from_db()
    assert (
        row.status == AuthorityStatus.REFUSED
        and not Membership.objects.filter(user=row.user).exists()
    )
