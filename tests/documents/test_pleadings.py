"""Pleadings: the answer within its deadline (late ones marked), counterclaims, amendments with the
tribunal's approval, the evidence period; each filing sealed, served on the other side, in the
timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from case_core.errors import DomainError
from case_core.models import AuditEntry, Case
from documents.models import Filing, FilingStatus, Service
from documents.services.pleadings import (
    evidence_period_set,
    filing_decide,
    filing_submit,
    late_evidence,
)
from tests.support.paperwork import pyhanko_check


def test_it_files_the_answer_in_time_seals_it_and_serves_it_on_the_applicant_side(
    paper_case, respondent, applicant, agent
):
    filing = filing_submit(actor=respondent, case=paper_case, kind="answer", text="工资已付清。")
    assert filing.status == FilingStatus.FILED and not filing.late
    filing.document.refresh_from_db()
    pyhanko_check(filing.document.evidence.file.read())
    served = set(
        Service.objects.filter(document=filing.document).values_list("recipient", flat=True)
    )
    assert served == {applicant.pk, agent.pk}
    assert AuditEntry.objects.filter(case=paper_case, action="filing.answer").exists()


def test_it_marks_an_answer_after_the_deadline_late(paper_case, respondent):
    Case.objects.filter(pk=paper_case.pk).update(accepted_at=timezone.now() - timedelta(days=11))
    filing = filing_submit(actor=respondent, case=paper_case, kind="answer", text="Late answer.")
    assert filing.late


def test_it_refuses_an_answer_from_the_applicant_side_and_changes_nothing(paper_case, applicant):
    with pytest.raises(DomainError) as refused:
        filing_submit(actor=applicant, case=paper_case, kind="answer", text="Not mine to file.")
    assert refused.value.status == 403
    assert not Filing.objects.exists()


def test_it_refuses_a_counterclaim_with_a_bad_amount(paper_case, respondent):
    with pytest.raises(DomainError) as refused:
        filing_submit(
            actor=respondent, case=paper_case, kind="counterclaim", text="x", amount="12abc"
        )
    assert refused.value.details["field"] == "amount"
    claim = filing_submit(
        actor=respondent,
        case=paper_case,
        kind="counterclaim",
        text="Training costs.",
        amount="3000",
    )
    assert str(claim.amount) == "3000.00"


def test_it_serves_an_amendment_only_once_the_tribunal_approves_it(
    paper_case, applicant, arbitrator, respondent
):
    filing = filing_submit(actor=applicant, case=paper_case, kind="amendment", text="Add overtime.")
    assert filing.status == FilingStatus.PENDING and filing.document is None
    with pytest.raises(DomainError) as party:
        filing_decide(actor=applicant, filing=filing, approve=True)
    assert party.value.code == "forbidden"
    with pytest.raises(DomainError) as no_reason:
        filing_decide(actor=arbitrator, filing=filing, approve=False)
    assert no_reason.value.details["field"] == "reason"
    filing = filing_decide(actor=arbitrator, filing=filing, approve=True)
    assert filing.status == FilingStatus.FILED
    assert Service.objects.filter(document=filing.document, recipient=respondent).exists()
    with pytest.raises(DomainError) as again:
        filing_decide(actor=arbitrator, filing=filing, approve=False, reason="x")
    assert again.value.code == "not_pending"


def test_it_marks_evidence_after_the_evidence_period_late(paper_case, clerk, applicant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from case_core.services.evidence import evidence_upload

    evidence_period_set(actor=clerk, case=paper_case, ends_at=timezone.now() - timedelta(hours=1))
    item = evidence_upload(
        actor=applicant,
        case=paper_case,
        title="Payslip",
        upload=SimpleUploadedFile("payslip.txt", b"March wages: 0\n", content_type="text/plain"),
    )
    assert late_evidence(paper_case) == {item.pk}


def test_it_lets_the_respondent_answer_from_the_case_page(paper_case, respondent, applicant):
    client = Client()
    client.force_login(respondent)
    page = client.get(f"/cases/{paper_case.pk}/")
    assert b'id="answer-form"' in page.content
    response = client.post(
        f"/paperwork/cases/{paper_case.pk}/filings/", {"kind": "answer", "text": "We paid."}
    )
    assert response.status_code == 302
    assert Filing.objects.get().text == "We paid."
    other = Client()
    other.force_login(applicant)
    page = other.get(f"/cases/{paper_case.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert b"We paid." in page.content
    assert b"Answer filed" in page.content and b"Document sent for service" in page.content
