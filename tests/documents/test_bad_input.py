"""Bad input to the documents pages: a clear, typed 4xx (or the page with a message), nothing
changed, nothing logged as a server fault."""

from __future__ import annotations

import pytest
from django.test import Client

from documents.models import Draft, EvidencePeriod, Filing, Service
from documents.services.drafts import draft_create, draft_issue

pytestmark = pytest.mark.usefixtures("no_error_logged")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_answers_bad_draft_input_without_creating_anything(paper_case, clerk, applicant):
    client = signed_in(clerk)
    url = f"/paperwork/cases/{paper_case.pk}/drafts/"
    for data in ({"kind": "nope"}, {"kind": "award", "language": "fr"}, {}):
        assert client.post(url, data).status_code == 302
    assert not Draft.objects.exists()
    assert signed_in(applicant).post(url, {"kind": "award"}).status_code == 403
    assert client.post("/paperwork/cases/999999/drafts/", {"kind": "award"}).status_code == 404
    draft = draft_create(actor=clerk, case=paper_case, kind="award")
    edit = client.post(f"/paperwork/drafts/{draft.pk}/", {"title": "", "body": "x"})
    assert edit.status_code == 302 and draft.versions.count() == 1
    long = client.post(f"/paperwork/drafts/{draft.pk}/", {"title": "T", "body": "x" * 20_001})
    assert long.status_code == 302 and draft.versions.count() == 1
    assert signed_in(applicant).get(f"/paperwork/drafts/{draft.pk}/").status_code == 403


def test_it_answers_bad_postal_and_period_input_without_changes(
    paper_case, clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = draft_issue(
            actor=clerk, draft=draft_create(actor=clerk, case=paper_case, kind="closure_notice")
        )
    service = Service.objects.filter(document=document).first()
    client = signed_in(clerk)
    for data in (
        {"tracking": "EMS1", "posted_on": "not-a-date"},
        {"tracking": "", "posted_on": "2026-01-01"},
        {"tracking": "EMS1", "posted_on": "2999-01-01"},
    ):
        assert client.post(f"/paperwork/services/{service.pk}/postal/", data).status_code == 302
    service.refresh_from_db()
    assert service.status == "pending" and not service.postal_tracking
    for value in ("", "yesterday", "2026-13-45T25:00"):
        response = client.post(
            f"/paperwork/cases/{paper_case.pk}/evidence-period/", {"ends_at": value}
        )
        assert response.status_code == 302
    assert not EvidencePeriod.objects.exists()


def test_it_answers_bad_filings_without_filing_anything(paper_case, respondent, applicant):
    client = signed_in(respondent)
    url = f"/paperwork/cases/{paper_case.pk}/filings/"
    for data in (
        {"kind": "answer", "text": ""},
        {"kind": "verdict", "text": "x"},
        {"kind": "counterclaim", "text": "x", "amount": "-5"},
        {"kind": "answer", "text": "x" * 20_001},
    ):
        assert client.post(url, data).status_code == 302
    assert signed_in(applicant).post(url, {"kind": "answer", "text": "x"}).status_code == 403
    assert not Filing.objects.exists()
    assert client.post("/paperwork/filings/999999/decide/", {}).status_code == 404
