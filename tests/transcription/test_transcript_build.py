"""Merging each speaker's recognised track into one transcript on the composite timeline."""

from __future__ import annotations

from case_core.models import AuditEntry
from transcription.transcript_models import TranscriptStatus
from transcription.transcripts import SpeakerTrack, transcript_from_segments


def test_it_orders_segments_of_all_speakers_by_time_on_the_composite(
    transcript, arbitrator, applicant, respondent
):
    rows = list(transcript.segments.values_list("order", "speaker", "speaker_role", "start", "end"))
    assert rows == [
        (0, arbitrator.pk, "presiding", 1.0, 3.0),
        (1, applicant.pk, "applicant", 4.5, 8.5),  # 2.0 s into a track starting at 2.5 s
        (2, respondent.pk, "respondent", 11.5, 14.0),
        (3, arbitrator.pk, "presiding", 20.0, 22.5),
    ]


def test_it_keeps_the_machine_text_and_confidence_and_starts_unreviewed(transcript):
    first = transcript.segments.first()
    assert first.text == first.machine_text == "The hearing is now open."
    assert first.confidence == 0.9 and first.version == 0 and not first.edited
    assert transcript.status == TranscriptStatus.MACHINE_DONE
    assert transcript.language == "en" and transcript.engine == "whisper"
    assert transcript.duration == 22.5


def test_it_leaves_out_silence_and_records_an_audit_entry(transcript):
    assert transcript.segments.count() == 4  # the applicant's blank segment is dropped
    entry = AuditEntry.objects.get(action="transcript.created")
    assert entry.data["segments"] == 4 and entry.data["speakers"] == 3


def test_it_makes_an_empty_transcript_from_silent_tracks(hearing, applicant):
    silent = SpeakerTrack(
        user=applicant, name=applicant.name, role="applicant", offset=0.0, segments=[]
    )
    result = transcript_from_segments(hearing=hearing, tracks=[silent])
    assert result.segments.count() == 0 and result.language == hearing.language


def test_it_breaks_ties_by_track_order_and_clamps_negative_times(hearing, applicant, respondent):
    tracks = [
        SpeakerTrack(
            user=applicant,
            name="A",
            role="applicant",
            offset=-1.0,
            segments=[{"start": 0.5, "end": 2.0, "text": "early", "confidence": 1}],
        ),
        SpeakerTrack(
            user=respondent,
            name="R",
            role="respondent",
            offset=0.0,
            segments=[{"start": 0.0, "end": 1.0, "text": "same time", "confidence": 1}],
        ),
    ]
    result = transcript_from_segments(hearing=hearing, tracks=tracks)
    assert list(result.segments.values_list("speaker_name", "start", "end")) == [
        ("A", 0.0, 1.0),  # -0.5 s on the composite, clamped to its start
        ("R", 0.0, 1.0),  # same time: the order of the tracks decides
    ]
