"""The cross-examination opinion: nothing chosen in advance, a summary before submitting (the
script on the case page), and a side may change its opinion until the evidence period ends."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from case_core.errors import DomainError
from case_core.models import AuditEntry, CrossExamination
from case_core.services.evidence import evidence_opinion, evidence_upload
from documents.services.pleadings import evidence_period_set


@pytest.fixture
def payslip(paper_case, applicant):
    return evidence_upload(
        actor=applicant,
        case=paper_case,
        title="Payslip",
        upload=SimpleUploadedFile("payslip.txt", b"March wages: 0\n", content_type="text/plain"),
    )


def opinion_data(item, **values):
    data = {f"op{item.pk}-{k}": v for k, v in values.items()}
    data.setdefault(f"op{item.pk}-comment", "")
    return data


def test_it_offers_the_opinion_with_nothing_chosen_and_the_summary_script(
    paper_case, payslip, respondent
):
    client = Client()
    client.force_login(respondent)
    page = client.get(f"/cases/{paper_case.pk}/").content.decode()
    radios = re.findall(rf'<input type="radio" name="op{payslip.pk}-\w+"[^>]*>', page)
    assert len(radios) == 9 and not [r for r in radios if "checked" in r]
    assert "documents/opinion.js" in page and 'id="opinion-texts"' in page


def test_it_lets_a_side_change_its_opinion_until_the_evidence_period_ends(
    paper_case, payslip, respondent, clerk
):
    client = Client()
    client.force_login(respondent)
    url = f"/evidence/{payslip.pk}/opinion/"
    first = opinion_data(payslip, authenticity="admit", legality="admit", relevance="admit")
    assert client.post(url, first).status_code == 302
    page = client.get(f"/cases/{paper_case.pk}/").content.decode()
    assert f'name="op{payslip.pk}-change"' in page  # offered again, as a change
    changed = opinion_data(
        payslip, authenticity="dispute", legality="admit", relevance="admit", change="True"
    )
    assert client.post(url, changed).status_code == 302
    opinion = CrossExamination.objects.get()
    assert opinion.authenticity == "dispute"
    assert AuditEntry.objects.filter(action="evidence.opinion_changed").count() == 1
    evidence_period_set(actor=clerk, case=paper_case, ends_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(DomainError) as closed:
        evidence_opinion(
            actor=respondent,
            evidence=payslip,
            authenticity="admit",
            legality="admit",
            relevance="admit",
            change=True,
        )
    assert closed.value.code == "opinion_closed" and closed.value.status == 409
    assert CrossExamination.objects.get().authenticity == "dispute"
    page = client.get(f"/cases/{paper_case.pk}/").content.decode()
    assert f'name="op{payslip.pk}-change"' not in page


def test_it_refuses_an_opinion_with_a_choice_left_empty(paper_case, payslip, respondent):
    client = Client()
    client.force_login(respondent)
    missing = opinion_data(payslip, authenticity="admit", legality="admit")
    response = client.post(f"/evidence/{payslip.pk}/opinion/", missing)
    assert response.status_code == 400 and not CrossExamination.objects.exists()
