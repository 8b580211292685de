"""The minutes' generate button and the signing pages of a document (/documents/<id>/), through
the web client: generate, read, ask for a code, sign, withdraw; outsiders get 404."""

from __future__ import annotations

import pytest

from case_core.models import DocumentStatus, Evidence, SignableDocument
from tests.support.transcripts import (
    sent_code,
)
from transcription.review import transcript_mark_reviewed


@pytest.fixture(autouse=True)
def _no_resend_wait(settings):
    settings.TRIBUNAL_SIGNING_CODE_RESEND_SECONDS = 0


def login(client, user):
    client.force_login(user)
    return client


def test_it_generates_minutes_and_signs_them_in_the_browser(
    client, held, transcript, clerk, arbitrator, applicant, respondent
):
    transcript_mark_reviewed(actor=clerk, transcript=transcript)
    response = login(client, clerk).post(f"/minutes/hearings/{held.pk}/generate/")
    document = SignableDocument.objects.get(hearing=held, kind="minutes")
    assert response.status_code == 302 and response["Location"] == f"/documents/{document.pk}/"
    for user in (clerk, arbitrator, applicant, respondent):
        client.logout()
        login(client, user)
        page = client.get(f"/documents/{document.pk}/").content.decode()
        assert f"/documents/{document.pk}/file/" in page and 'name="code"' in page
        pdf = client.get(f"/documents/{document.pk}/file/")
        assert pdf["X-Frame-Options"] == "SAMEORIGIN"
        assert b"".join(pdf.streaming_content).startswith(b"%PDF")
        client.post(f"/documents/{document.pk}/code/")
        wrong = client.post(f"/documents/{document.pk}/sign/", {"code": "abc"}, follow=True)
        assert wrong.status_code == 200
        client.post(f"/documents/{document.pk}/sign/", {"code": sent_code(user)})
        page = client.get(f"/documents/{document.pk}/").content.decode()
        assert 'name="code"' not in page  # signed: no more signing form
    document.refresh_from_db()
    assert document.status == DocumentStatus.SIGNED
    assert Evidence.objects.filter(case=held.case, kind="minutes").exists()


def test_it_refuses_the_minutes_page_to_an_outsider(client, held, transcript, clerk, outsider):
    transcript_mark_reviewed(actor=clerk, transcript=transcript)
    login(client, clerk).post(f"/minutes/hearings/{held.pk}/generate/")
    document = SignableDocument.objects.get(hearing=held)
    client.logout()
    login(client, outsider)
    assert client.get(f"/documents/{document.pk}/").status_code == 404
    assert client.get(f"/documents/{document.pk}/file/").status_code == 404
    assert client.post(f"/documents/{document.pk}/code/").status_code == 404


def test_it_lets_the_clerk_withdraw_minutes_to_correct_the_transcript(
    client, held, transcript, clerk
):
    transcript_mark_reviewed(actor=clerk, transcript=transcript)
    login(client, clerk).post(f"/minutes/hearings/{held.pk}/generate/")
    document = SignableDocument.objects.get(hearing=held)
    segment = transcript.segments.first()
    client.post(f"/transcripts/segments/{segment.pk}/edit/", {"text": "Too early."})
    segment.refresh_from_db()
    assert segment.text == "The hearing is now open."  # refused while out for signature
    client.post(f"/documents/{document.pk}/withdraw/", {"reason": "Transcript typo"})
    document.refresh_from_db()
    assert document.status == DocumentStatus.VOID and document.void_reason == "Transcript typo"
    client.post(f"/transcripts/segments/{segment.pk}/edit/", {"text": "Now it can change."})
    segment.refresh_from_db()
    assert segment.text == "Now it can change."


def test_it_links_the_minutes_from_the_review_and_case_pages_and_keeps_texted_links_working(
    client, held, transcript, clerk, applicant
):
    transcript_mark_reviewed(actor=clerk, transcript=transcript)
    review = login(client, clerk).get(f"/transcripts/{transcript.pk}/").content.decode()
    assert f'action="/minutes/hearings/{held.pk}/generate/"' in review
    client.post(f"/minutes/hearings/{held.pk}/generate/")
    document = SignableDocument.objects.get(hearing=held)
    review = client.get(f"/transcripts/{transcript.pk}/").content.decode()
    assert f'href="/documents/{document.pk}/"' in review
    client.logout()
    case_page = login(client, applicant).get(f"/cases/{held.case_id}/").content.decode()
    assert f'href="/documents/{document.pk}/"' in case_page
    old = client.get(f"/transcripts/documents/{document.pk}/")  # a link texted before the move
    assert old.status_code == 301 and old["Location"] == f"/documents/{document.pk}/"
