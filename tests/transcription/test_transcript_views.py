"""The review page, search and exports, through the web client."""

from __future__ import annotations

import json


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
