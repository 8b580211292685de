"""The batch transcription job on a real recording: per-speaker Opus WebM tracks written by
RecordingSink from real speech, transcribed by a worker with the real whisper base model."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.management import call_command

from case_core.errors import DomainError
from case_core.jobs import progress_of
from case_core.models import AuditEntry
from tests.support.asr_models import LIBRI_REFERENCE
from tests.support.recordings import Speaker, make_recording
from tests.support.require import speech_clip
from transcription import audio, batch
from transcription.scoring import normalise_words
from transcription.services import transcription_notices, transcription_request
from transcription.track_models import TrackResult
from transcription.transcript_models import Transcript

A_START, B_START = 6.0, 0.5  # on the recorder's timeline; the composite starts at B_START


@pytest.fixture
def english(hearing):
    hearing.language = "en"
    hearing.save(update_fields=["language"])
    return hearing


@pytest.fixture
def recording(english, settings, tmp_path, applicant, respondent, arbitrator):
    settings.TRIBUNAL_RECORDING_DIR = str(tmp_path / "recordings")
    directory = tmp_path / "recordings" / f"hearing-{english.pk}-20260101T100000"
    return make_recording(
        directory,
        [
            Speaker(str(applicant.pk), audio.decode_pcm(speech_clip("libri_1995-1837-0001.wav")),
                    A_START),
            Speaker(str(respondent.pk), audio.decode_pcm(speech_clip("vosk_test.wav")), B_START),
            Speaker(str(arbitrator.pk), np.zeros(audio.SAMPLE_RATE * 3, np.int16), 2.0),
        ],
        hearing_id=str(english.pk),
    )  # fmt: skip


def covered(reference: str, text: str) -> float:
    said = set(normalise_words(text))
    words = normalise_words(reference)
    return sum(w in said for w in words) / len(words)


@pytest.mark.django_db(transaction=True)
def test_it_transcribes_each_speaker_track_in_a_worker(
    models, english, recording, clerk, applicant, respondent, arbitrator
):
    task_id = transcription_request(actor=clerk, hearing=english)
    call_command("worker", batch=True, verbosity=0)
    from django_tasks import default_task_backend

    result = default_task_backend.get_result(task_id)
    assert result.status == "SUCCESSFUL", result.errors
    transcript = Transcript.objects.get(pk=result.return_value["transcript"])
    assert transcript.recording_ref == f"dir:{recording}"
    segments = list(transcript.segments.order_by("order"))
    mine = [s for s in segments if s.speaker_id == applicant.pk]
    theirs = [s for s in segments if s.speaker_id == respondent.pk]
    assert covered(LIBRI_REFERENCE, " ".join(s.text for s in mine)) >= 0.8, mine
    assert covered(LIBRI_REFERENCE, " ".join(s.text for s in theirs)) < 0.3
    assert "cotton" not in " ".join(s.text for s in theirs).lower()
    assert not [s for s in segments if s.speaker_id == arbitrator.pk]  # silence: no segment
    assert {s.speaker_role for s in mine} == {"applicant"} and mine[
        0
    ].speaker_name == applicant.name
    # On the composite's timeline: the applicant's track starts A_START - B_START in.
    assert A_START - B_START - 0.2 <= mine[0].start <= A_START - B_START + 1.5
    assert mine[-1].end <= A_START - B_START + 8.7 + 0.5
    assert theirs[0].start < 1.5
    starts = [s.start for s in segments]
    assert starts == sorted(starts) and all(s.start < s.end for s in segments)
    assert transcript.duration == pytest.approx(A_START - B_START + 8.7, abs=0.3)
    progress = progress_of(task_id)
    assert (progress.done, progress.total, progress.percent) == (3, 3, 100)
    assert AuditEntry.objects.filter(action="transcript.created", case=english.case).exists()
    assert AuditEntry.objects.filter(action="transcript.requested", case=english.case).exists()
    assert TrackResult.objects.count() == 3

    with pytest.raises(DomainError) as refused:
        transcription_request(actor=clerk, hearing=english)
    assert refused.value.code == "already_transcribed"


@pytest.mark.django_db(transaction=True)
def test_it_never_transcribes_a_track_twice(models, english, recording, monkeypatch):
    first = batch.transcribe_recording(hearing=english)
    real = batch.recognizer_for("whisper", "en")

    class Refusing:
        engine, model = real.engine, real.model

        def transcribe(self, *args, **kwargs):
            raise AssertionError("a track was transcribed twice")

    monkeypatch.setattr(batch, "recognizer_for", lambda engine, language: Refusing())
    again = batch.transcribe_recording(hearing=english)
    assert [s.text for s in again.segments.all()] == [s.text for s in first.segments.all()]
    assert TrackResult.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_it_says_no_model_and_leaves_a_notice_in_the_case_file(
    empty_models, english, recording, clerk
):
    for _ in range(2):
        with pytest.raises(DomainError) as refused:
            transcription_request(actor=clerk, hearing=english)
        assert refused.value.code == "no_model"
    notices = transcription_notices(english)
    assert [(n["kind"], n["language"], n["code"]) for n in notices] == [
        ("transcription.unavailable", "en", "no_model")
    ]
    assert AuditEntry.objects.filter(
        action="hearing.transcription.unavailable", case=english.case
    ).exists()


@pytest.mark.django_db
def test_it_lets_only_the_clerk_or_the_presiding_arbitrator_order_it(
    models, english, applicant, outsider
):
    with pytest.raises(DomainError) as refused:
        transcription_request(actor=applicant, hearing=english)
    assert refused.value.code == "forbidden"
    with pytest.raises(DomainError) as refused:
        transcription_request(actor=outsider, hearing=english)
    assert refused.value.code == "not_found"


@pytest.mark.django_db
def test_it_says_when_there_is_no_recording(models, english, arbitrator, settings, tmp_path):
    settings.TRIBUNAL_RECORDING_DIR = str(tmp_path / "none")
    with pytest.raises(DomainError) as refused:
        transcription_request(actor=arbitrator, hearing=english)
    assert refused.value.code == "no_recording"


@pytest.mark.django_db
def test_it_takes_the_tracks_from_the_case_file_once_the_recording_is_finalized(
    english, recording, applicant, respondent
):
    import json

    from recording.services import recording_finalize
    from transcription.recorded import decode_timed, finished_recording, origin

    manifest = json.loads((recording / "manifest.json").read_text())
    files = [{**f, "path": str(recording / f["path"])} for f in manifest["files"]]
    stored = recording_finalize(hearing=english, files=files, directory=str(recording))
    found = finished_recording(english)
    assert found.ref == f"recording:{stored.pk}"
    speakers = {t.user_id: t for t in found.speakers}
    assert applicant.pk in speakers and respondent.pk in speakers
    assert origin(found) == pytest.approx(B_START, abs=0.05)
    start, pcm = decode_timed(speakers[applicant.pk])
    assert start == pytest.approx(A_START, abs=0.05)
    assert len(pcm) / audio.SAMPLE_RATE == pytest.approx(8.7, abs=0.1)
