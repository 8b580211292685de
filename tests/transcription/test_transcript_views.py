"""The review page, search, exports and the signing page, through the web client."""

from __future__ import annotations

import json

import pytest

from case_core.models import DocumentStatus, Evidence, SignableDocument
from tests.transcription.transcript_support import (  # noqa: F401
    hearing_fixture,
    held_fixture,
    sent_code,
    transcript_fixture,
)
from transcription.review import transcript_mark_reviewed


@pytest.fixture(autouse=True)
def _no_resend_wait(settings):
    settings.TRIBUNAL_SIGNING_CODE_RESEND_SECONDS = 0


def login(client, user):
    client.force_login(user)
    return client


def test_it_shows_the_clerk_segments_with_edit_controls_and_seek_times(client, transcript, clerk):
    page = login(client, clerk).get(f"/transcripts/{transcript.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "I claim unpaid wages for March to May." in html
    assert 'data-seek="4.500"' in html and "segment_edit" not in html
    assert f"/transcripts/segments/{transcript.segments.first().pk}/edit/" in html
    assert "/export.vtt" in html and "/export.srt" in html and "/export.json" in html


def test_it_shows_members_a_read_only_page_and_hides_it_from_outsiders(
    client, transcript, applicant, outsider
):
    html = login(client, applicant).get(f"/transcripts/{transcript.pk}/").content.decode()
    assert "The company paid the March wages." in html and "<textarea" not in html
    client.logout()
    assert login(client, outsider).get(f"/transcripts/{transcript.pk}/").status_code == 404


def test_it_saves_a_clerks_edit_and_refuses_a_partys(client, transcript, clerk, applicant):
    segment = transcript.segments.get(order=1)
    url = f"/transcripts/segments/{segment.pk}/edit/"
    response = login(client, clerk).post(url, {"text": "Corrected text."})
    assert response.status_code == 302 and response["Location"].endswith(f"#seg-{segment.pk}")
    segment.refresh_from_db()
    assert segment.text == "Corrected text." and segment.version == 1
    client.logout()
    assert login(client, applicant).post(url, {"text": "Mine."}).status_code == 403
    segment.refresh_from_db()
    assert segment.text == "Corrected text."


def test_it_merges_splits_and_reassigns_through_the_page(client, transcript, clerk, agent):
    login(client, clerk)
    first = transcript.segments.get(order=0)
    client.post(f"/transcripts/segments/{first.pk}/split/", {"at": "12"})
    assert transcript.segments.count() == 5
    client.post(f"/transcripts/segments/{first.pk}/merge/")
    assert transcript.segments.count() == 4
    client.post(f"/transcripts/segments/{first.pk}/speaker/", {"speaker": agent.pk})
    first.refresh_from_db()
    assert first.speaker == agent
    response = client.post(f"/transcripts/segments/{first.pk}/merge/", follow=True)
    assert (
        response.status_code == 200 and transcript.segments.count() == 4
    )  # refused: shown as a message


def test_it_downloads_the_exports(client, transcript, applicant):
    login(client, applicant)
    vtt = client.get(f"/transcripts/{transcript.pk}/export.vtt")
    assert vtt["Content-Type"].startswith("text/vtt") and vtt.content.startswith(b"WEBVTT")
    srt = client.get(f"/transcripts/{transcript.pk}/export.srt")
    assert b"00:00:04,500 --> 00:00:08,500" in srt.content
    data = json.loads(client.get(f"/transcripts/{transcript.pk}/export.json").content)
    assert len(data["segments"]) == 4
    assert client.get(f"/transcripts/{transcript.pk}/export.doc").status_code == 404


def test_it_searches_the_cases_transcripts(client, transcript, respondent):
    case = transcript.hearing.case
    html = (
        login(client, respondent)
        .get(f"/transcripts/cases/{case.pk}/", {"q": "march"})
        .content.decode()
    )
    assert "<mark>March</mark>" in html and "wages for " in html


def test_it_generates_minutes_and_signs_them_in_the_browser(
    client, held, transcript, clerk, arbitrator, applicant, respondent
):
    transcript_mark_reviewed(actor=clerk, transcript=transcript)
    response = login(client, clerk).post(f"/transcripts/hearings/{held.pk}/minutes/")
    document = SignableDocument.objects.get(hearing=held, kind="minutes")
    assert (
        response.status_code == 302
        and response["Location"] == f"/transcripts/documents/{document.pk}/"
    )
    for user in (clerk, arbitrator, applicant, respondent):
        client.logout()
        login(client, user)
        page = client.get(f"/transcripts/documents/{document.pk}/").content.decode()
        assert f"/transcripts/documents/{document.pk}/file/" in page and 'name="code"' in page
        pdf = client.get(f"/transcripts/documents/{document.pk}/file/")
        assert pdf["X-Frame-Options"] == "SAMEORIGIN"
        assert b"".join(pdf.streaming_content).startswith(b"%PDF")
        client.post(f"/transcripts/documents/{document.pk}/code/")
        wrong = client.post(
            f"/transcripts/documents/{document.pk}/sign/", {"code": "abc"}, follow=True
        )
        assert wrong.status_code == 200
        client.post(f"/transcripts/documents/{document.pk}/sign/", {"code": sent_code(user)})
        page = client.get(f"/transcripts/documents/{document.pk}/").content.decode()
        assert 'name="code"' not in page  # signed: no more signing form
    document.refresh_from_db()
    assert document.status == DocumentStatus.SIGNED
    assert Evidence.objects.filter(case=held.case, kind="minutes").exists()


def test_it_refuses_the_minutes_page_to_an_outsider(client, held, transcript, clerk, outsider):
    transcript_mark_reviewed(actor=clerk, transcript=transcript)
    login(client, clerk).post(f"/transcripts/hearings/{held.pk}/minutes/")
    document = SignableDocument.objects.get(hearing=held)
    client.logout()
    login(client, outsider)
    assert client.get(f"/transcripts/documents/{document.pk}/").status_code == 404
    assert client.get(f"/transcripts/documents/{document.pk}/file/").status_code == 404
    assert client.post(f"/transcripts/documents/{document.pk}/code/").status_code == 404


def test_it_lets_the_clerk_withdraw_minutes_to_correct_the_transcript(
    client, held, transcript, clerk
):
    transcript_mark_reviewed(actor=clerk, transcript=transcript)
    login(client, clerk).post(f"/transcripts/hearings/{held.pk}/minutes/")
    document = SignableDocument.objects.get(hearing=held)
    segment = transcript.segments.first()
    client.post(f"/transcripts/segments/{segment.pk}/edit/", {"text": "Too early."})
    segment.refresh_from_db()
    assert segment.text == "The hearing is now open."  # refused while out for signature
    client.post(f"/transcripts/documents/{document.pk}/withdraw/", {"reason": "Transcript typo"})
    document.refresh_from_db()
    assert document.status == DocumentStatus.VOID and document.void_reason == "Transcript typo"
    client.post(f"/transcripts/segments/{segment.pk}/edit/", {"text": "Now it can change."})
    segment.refresh_from_db()
    assert segment.text == "Now it can change."
