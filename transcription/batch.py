"""The batch transcription of a hearing's finished recording (run by transcription.tasks).

Each speaker's audio track is decoded on the recording's timeline, recognised on its own with
the batch engine (so every segment has the right speaker by construction), placed on the
composite's timeline by its offset, and merged into one transcript ordered by time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.db import IntegrityError

from case_core.errors import DomainError
from case_core.models import Hearing, Invitee, User
from transcription import recorded
from transcription.engines import recognizer_for
from transcription.recorded import FinishedRecording, RecordedTrack
from transcription.services import ENGINE, UNAVAILABLE_CODES, transcription_unavailable
from transcription.track_models import TrackResult
from transcription.transcript_models import Transcript
from transcription.transcripts import SpeakerTrack, transcript_from_segments

logger = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # (tracks done, tracks in all, what is being done)


def _recognizer(hearing: Hearing):
    try:
        return recognizer_for(ENGINE, hearing.language)
    except DomainError as exc:
        if exc.code in UNAVAILABLE_CODES:
            transcription_unavailable(hearing=hearing, error=exc)
        raise


def speaker_of(hearing: Hearing, track: RecordedTrack) -> tuple[str, str, User | None]:
    """(name, hearing role, user) of a track's speaker; the track's own name if unknown."""
    user = User.objects.filter(pk=track.user_id).first() if track.user_id else None
    if user is None:
        return (track.participant_id or track.key), "", None
    role = Invitee.objects.filter(hearing=hearing, user=user).values_list("role", flat=True).first()
    return user.name, role or "", user


def track_result(recognizer, track: RecordedTrack, language: str) -> TrackResult:
    """What the engine heard on `track`, transcribing it only if no result is stored yet."""
    key = {
        "sha256": track.sha256,
        "engine": recognizer.engine,
        "model": recognizer.model.name,
        "language": language,
    }
    if track.sha256:
        done = TrackResult.objects.filter(**key).first()
        if done is not None:
            logger.info("track %s transcribed already: reused", track.key)
            return done
    began = time.perf_counter()
    start, pcm = recorded.decode_timed(track)
    result = recognizer.transcribe(pcm, language=language)
    fields = {
        "key": track.key[:200],
        "start": round(start, 3),
        "duration": result.duration,
        "segments": [
            {"start": s.start, "end": s.end, "text": s.text, "confidence": s.confidence}
            for s in result.segments
        ],
        "seconds": round(time.perf_counter() - began, 3),
    }
    if not track.sha256:
        return TrackResult(**key, **fields)
    try:
        return TrackResult.objects.create(**key, **fields)
    except IntegrityError:  # another job stored it meanwhile
        return TrackResult.objects.get(**key)


def transcribe_recording(
    *,
    hearing: Hearing,
    actor: User | None = None,
    recording: FinishedRecording | None = None,
    progress: Progress | None = None,
) -> Transcript:
    """Transcribe every speaker's track of `recording` (default: the hearing's newest)."""
    recognizer = _recognizer(hearing)
    recording = recording or recorded.finished_recording(hearing)
    origin = recorded.origin(recording)
    speakers = recording.speakers
    report = progress or (lambda done, total, message: None)
    tracks: list[SpeakerTrack] = []
    end = 0.0
    for index, track in enumerate(speakers):
        name, role, user = speaker_of(hearing, track)
        report(index, len(speakers), name)
        result = track_result(recognizer, track, hearing.language)
        offset = max(0.0, result.start - origin)
        end = max(end, offset + result.duration)
        tracks.append(
            SpeakerTrack(name=name, role=role, offset=offset, segments=result.segments, user=user)
        )
    report(len(speakers) or 1, len(speakers) or 1, "")  # 100% even with no speaker track
    return transcript_from_segments(
        hearing=hearing,
        tracks=tracks,
        language=hearing.language,
        engine=recognizer.engine,
        model=recognizer.model.name,
        duration=round(end, 3),
        recording_ref=recording.ref,
        actor=actor,
    )
