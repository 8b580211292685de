"""`tribunal verify` on what lives above case_core: hearing event logs (against the signed
checkpoints), reviewed transcripts, recording files; minutes refused from a broken event log.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils import timezone

from case_core.errors import DomainError
from case_core.integrity.verify import verify_record
from minutes.services import minutes_generate
from recording.models import RecordingFile
from recording.services import recording_finalize
from signaling.models import HearingEvent
from tests.support.record import raw, signed_checkpoint
from tests.support.transcripts import log_event
from transcription.review import transcript_mark_reviewed
from transcription.transcript_models import Segment


def failures(report, check):
    return [f"{f.subject}: {f.problem}" for f in report.failures if f.check == check]


@pytest.fixture
def logged(hearing, clerk, arbitrator):
    for kind in ("hearing.open", "chat.message", "hearing.close"):
        log_event(hearing, kind, actor=arbitrator, data={"text": kind})
    signed_checkpoint()
    return hearing


def test_it_verifies_a_hearing_log_signed_into_a_checkpoint(logged):
    report = verify_record(logged.case_id)
    assert report.ok, report.failures
    assert report.checked["hearing events"] == 3


def test_it_catches_a_hearing_log_rewritten_with_its_hashes_recomputed(logged):
    events = list(HearingEvent.objects.filter(hearing=logged).order_by("seq"))
    prev = events[0].prev_hash
    for event in events:  # the chat message changed, every hash and the head recomputed
        if event.kind == "chat.message":
            event.data = {"text": "something nobody said"}
        event.prev_hash = prev
        event.hash = event.compute_hash()
        raw(
            "UPDATE signaling_hearingevent SET data = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [f'{{"text": "{event.data["text"]}"}}', event.prev_hash, event.hash, event.pk],
        )
        prev = event.hash
    raw("UPDATE signaling_hearinglive SET last_hash = %s WHERE hearing_id = %s", [prev, logged.pk])
    found = failures(verify_record(logged.case_id), "hearing_log")
    assert found == [f"hearing-{logged.pk} seq 3: differs from checkpoint 1 (chain rewritten)"]


def test_it_refuses_minutes_from_a_broken_event_log(logged, clerk):
    event = HearingEvent.objects.get(hearing=logged, seq=2)
    raw("UPDATE signaling_hearingevent SET data = %s WHERE id = %s", ['{"text": "x"}', event.pk])
    with pytest.raises(DomainError) as err:
        minutes_generate(actor=clerk, hearing=logged)
    assert err.value.code == "hearing_log_broken"


def test_it_catches_a_reviewed_transcript_edited_in_the_database(transcript, clerk):
    transcript_mark_reviewed(actor=clerk, transcript=transcript)
    case_id = transcript.hearing.case_id
    assert verify_record(case_id).ok
    segment = Segment.objects.filter(transcript=transcript).first()
    raw("UPDATE transcription_segment SET text = %s WHERE id = %s", ["I owe nothing.", segment.pk])
    found = failures(verify_record(case_id), "transcript")
    assert found == [f"transcript {transcript.pk}: changed since it was reviewed"]


@pytest.fixture
def recorded(hearing, applicant, arbitrator, tmp_path):
    directory = tmp_path / "rec"
    directory.mkdir()
    video = directory / f"{applicant.pk}-camera.webm"
    video.write_bytes(bytes(range(256)) * 40)
    audio = directory / f"{arbitrator.pk}-mic.webm"
    audio.write_bytes(b"\x1a\x45\xdf\xa3" + b"a" * 2000)
    files = [
        {"path": video, "kind": "video", "participant_id": str(applicant.pk), "label": "camera"},
        {"path": audio, "kind": "audio", "participant_id": str(arbitrator.pk), "label": "mic"},
    ]
    return recording_finalize(
        hearing=hearing, files=files, actor=arbitrator, started_at=timezone.now()
    )


def test_it_catches_a_relabelled_recording(recorded, arbitrator, applicant):
    case_id = recorded.case_id
    assert verify_record(case_id).ok, verify_record(case_id).failures
    video = RecordingFile.objects.get(recording=recorded, label="camera")
    raw(
        "UPDATE recording_recordingfile SET speaker_id = %s WHERE id = %s",
        [arbitrator.pk, video.pk],
    )
    raw("UPDATE case_core_evidence SET kind = 'document' WHERE id = %s", [video.evidence_id])
    report = verify_record(case_id)
    assert failures(report, "recording") == [
        f"recording file {video.pk} (evidence {video.evidence_id}): relabelled: speaker differ "
        "from its entry"
    ]
    assert any("kind differs" in p for p in failures(report, "evidence"))


def _flip(path):
    content = bytearray(path.read_bytes())
    content[10] ^= 0x01
    path.write_bytes(bytes(content))


def test_it_never_composes_a_changed_track(recorded):
    from recording.tasks import recording_composite

    track = RecordingFile.objects.filter(recording=recorded, role="track").first()
    _flip(Path(track.evidence.file.path))
    with pytest.raises(ValueError, match=f"track {track.evidence_id} does not match its hash"):
        context = SimpleNamespace(task_result=SimpleNamespace(id="composite-test"))
        recording_composite.func(context, recorded.pk)
    recorded.refresh_from_db()
    assert "does not match its hash" in recorded.composite_error


def test_it_never_transcribes_a_changed_track(recorded):
    from transcription.recorded import from_case_file

    finished = from_case_file(recorded.hearing)
    assert all(track.opener() for track in finished.tracks)  # intact: opened
    track = RecordingFile.objects.filter(recording=recorded, label="mic").get()
    _flip(Path(track.evidence.file.path))
    finished = from_case_file(recorded.hearing)
    with pytest.raises(DomainError) as err:
        for item in finished.tracks:
            item.opener()
    assert err.value.code == "track_changed"
    assert err.value.details == {"evidence": track.evidence_id}
