"""After a recording is stored in the case file, its hearing is transcribed automatically when a
whisper model covers the hearing's language; otherwise the case file says why. The review page
plays the composite (with Range requests) and the case page links the transcripts."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from case_core.models import AuditEntry
from case_core.services import case_accept, case_assign, case_schedule
from recording.models import FileRole, Recording
from recording.services import recording_finalize
from tests.support.asr_models import LIBRI_REFERENCE
from tests.support.require import speech_clip
from transcription import audio
from transcription.recording_link import recording_url
from transcription.scoring import normalise_words
from transcription.services import transcription_notices
from transcription.transcript_models import Transcript

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hearing(filed_case, clerk, arbitrator):
    case_accept(actor=clerk, case=filed_case)
    case_assign(actor=clerk, case=filed_case, presiding=arbitrator)
    return case_schedule(
        actor=clerk, case=filed_case, start=timezone.now() + timedelta(days=6)
    ).new_hearing


def _record(hearing, speaker, tmp_path) -> list[dict]:
    """A real recording (Opus WebM written by the recorder) of `speaker` reading LibriSpeech."""
    from tests.support.recordings import Speaker, make_recording

    pcm = audio.decode_pcm(speech_clip("libri_1995-1837-0001.wav"))
    directory = make_recording(
        tmp_path / "rec", [Speaker(str(speaker.pk), pcm, 0.5)], hearing_id=str(hearing.pk)
    )
    manifest = json.loads((directory / "manifest.json").read_text())
    return [{**item, "path": directory / item["path"]} for item in manifest["files"]]


def _covered(reference: str, text: str) -> float:
    said = set(normalise_words(text))
    words = normalise_words(reference)
    return sum(w in said for w in words) / len(words)


def test_a_stored_recording_is_transcribed_by_the_worker(
    hearing, applicant, arbitrator, clerk, tiny_en_models, tmp_path, client
):
    hearing.language = "en"
    hearing.save(update_fields=["language"])
    recording = recording_finalize(
        hearing=hearing, files=_record(hearing, applicant, tmp_path), actor=arbitrator
    )
    requested = AuditEntry.objects.get(action="transcript.requested", case=hearing.case)
    assert requested.data["recording"] == f"recording:{recording.pk}"
    assert requested.data["automatic"] is True
    call_command("worker", batch=True, verbosity=0)  # the composite and the transcript
    transcript = Transcript.objects.get(hearing=hearing)
    assert transcript.recording_ref == f"recording:{recording.pk}"
    mine = [s for s in transcript.segments.all() if s.speaker_id == applicant.pk]
    assert _covered(LIBRI_REFERENCE, " ".join(s.text for s in mine)) >= 0.8, mine
    assert transcription_notices(hearing) == []
    # the review page plays the composite through the Range-capable recording view
    recording = Recording.objects.get(pk=recording.pk)
    assert recording.composite_status == "done", recording.composite_error
    composite = recording.files.get(role=FileRole.COMPOSITE)
    url = recording_url(transcript)
    assert url == reverse("recording:file", args=[composite.evidence_id])
    client.force_login(clerk)
    ranged = client.get(url, HTTP_RANGE="bytes=0-99")
    assert ranged.status_code == 206 and ranged["Content-Range"].startswith("bytes 0-99/")
    page = client.get(reverse("web:case", args=[hearing.case.pk])).content.decode()
    assert reverse("transcription:case", args=[hearing.case.pk]) in page


def test_without_a_model_the_recording_is_kept_and_the_case_file_says_why(
    hearing, applicant, arbitrator, clerk, tiny_en_models, tmp_path, client
):
    assert hearing.language == "zh-hans"  # only an English model is installed
    recording = recording_finalize(
        hearing=hearing, files=_record(hearing, applicant, tmp_path), actor=arbitrator
    )
    assert recording.files.filter(role=FileRole.TRACK).count() == 1
    assert not AuditEntry.objects.filter(action="transcript.requested").exists()
    (notice,) = transcription_notices(hearing)
    assert (notice["kind"], notice["code"], notice["language"]) == (
        "transcription.unavailable",
        "no_model",
        "zh-hans",
    )
    call_command("worker", batch=True, verbosity=0)  # the composite still gets made
    assert not Transcript.objects.exists()
    client.force_login(clerk)
    page = client.get(reverse("web:case", args=[hearing.case.pk])).content.decode()
    assert 'id="transcripts"' in page and "zh-hans" in page
