from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from case_core.models import AuditEntry, CrossExamination, Evidence

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def upload(client, case, content: bytes, name="contract.pdf", title="Labour contract"):
    return client.post(
        reverse("web:evidence_upload", args=[case.pk]),
        {
            "title": title,
            "description": "Shows the agreed wage",
            "file": SimpleUploadedFile(name, content),
        },
    )


def test_it_uploads_evidence_through_the_case_page(as_user, filed_case, applicant):
    client = as_user(applicant)
    response = upload(client, filed_case, PDF)
    assert response.status_code == 302 and response.url == reverse("web:case", args=[filed_case.pk])
    item = Evidence.objects.get()
    assert item.side == "applicant" and item.content_type == "application/pdf"
    page = client.get(reverse("web:case", args=[filed_case.pk])).content.decode()
    assert "Labour contract" in page and reverse("web:evidence_download", args=[item.pk]) in page
    assert "Evidence submitted" in page


def test_it_refuses_an_empty_file(as_user, filed_case, applicant):
    response = upload(as_user(applicant), filed_case, b"")
    assert response.status_code == 400 and not Evidence.objects.exists()
    assert "The file is empty." in response.content.decode()


def test_it_refuses_an_oversized_file(as_user, filed_case, applicant, settings):
    settings.TRIBUNAL_EVIDENCE_MAX_BYTES = 1024 * 1024
    response = upload(as_user(applicant), filed_case, PDF + b"0" * (1024 * 1024))
    assert response.status_code == 413 and not Evidence.objects.exists()
    assert "The file is larger than" in response.content.decode()


def test_it_refuses_a_file_of_the_wrong_type(as_user, filed_case, applicant):
    response = upload(as_user(applicant), filed_case, b"MZ\x90\x00binary", name="setup.exe")
    assert response.status_code == 415 and not Evidence.objects.exists()
    assert "This type of file is not accepted." in response.content.decode()


def test_it_refuses_uploads_from_outsiders_and_observers(as_user, filed_case, outsider, observer):
    assert upload(as_user(outsider), filed_case, PDF).status_code == 404
    assert upload(as_user(observer), filed_case, PDF).status_code == 403
    assert not Evidence.objects.exists()


def test_it_downloads_evidence_and_records_the_view(
    as_user, filed_case, applicant, respondent, outsider
):
    upload(as_user(applicant), filed_case, PDF)
    item = Evidence.objects.get()
    client = as_user(respondent)
    response = client.get(reverse("web:evidence_download", args=[item.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response.headers["Content-Disposition"]
    assert AuditEntry.objects.filter(action="evidence.viewed", actor=respondent).exists()
    refused = as_user(outsider).get(reverse("web:evidence_download", args=[item.pk]))
    assert refused.status_code == 404
    assert not AuditEntry.objects.filter(action="evidence.viewed", actor=outsider).exists()


def test_it_records_a_cross_examination_opinion_on_the_other_sides_evidence(
    as_user, filed_case, applicant, respondent
):
    upload(as_user(applicant), filed_case, PDF)
    item = Evidence.objects.get()
    own_page = as_user(applicant).get(reverse("web:case", args=[filed_case.pk])).content.decode()
    assert reverse("web:evidence_opinion", args=[item.pk]) not in own_page
    client = as_user(respondent)
    page = client.get(reverse("web:case", args=[filed_case.pk])).content.decode()
    assert reverse("web:evidence_opinion", args=[item.pk]) in page
    data = {
        f"op{item.pk}-authenticity": "admit",
        f"op{item.pk}-legality": "admit",
        f"op{item.pk}-relevance": "dispute",
        f"op{item.pk}-comment": "Does not show overtime.",
    }
    response = client.post(reverse("web:evidence_opinion", args=[item.pk]), data)
    assert response.status_code == 302
    opinion = CrossExamination.objects.get()
    assert opinion.side == "respondent" and opinion.relevance == "dispute"
    again = client.post(reverse("web:evidence_opinion", args=[item.pk]), data)
    assert again.status_code == 409 and CrossExamination.objects.count() == 1
    assert "already given its opinion" in again.content.decode()


def test_it_refuses_an_opinion_on_ones_own_evidence(as_user, filed_case, applicant):
    upload(as_user(applicant), filed_case, PDF)
    item = Evidence.objects.get()
    data = {
        f"op{item.pk}-authenticity": "admit",
        f"op{item.pk}-legality": "admit",
        f"op{item.pk}-relevance": "admit",
    }
    response = as_user(applicant).post(reverse("web:evidence_opinion", args=[item.pk]), data)
    assert response.status_code == 400 and not CrossExamination.objects.exists()
    assert "other side&#x27;s evidence" in response.content.decode()
