"""Building a hearing's transcript from each speaker's recognised track, merged by time.

Every speaker's recording is recognised on its own, so each segment has the right speaker by
construction. A track's segment times count from the start of that track; `offset` is where the
track starts on the composite recording's timeline, so `start + offset` lines the segment up
with the composite (which is what the review page plays).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from case_core.audit import audit_record
from case_core.errors import DomainError, conflict
from case_core.models import DocumentStatus, Hearing, SignableDocument, User
from transcription.transcript_models import Segment, Transcript

MINUTES = "minutes"


@dataclass(frozen=True)
class SpeakerTrack:
    """One speaker's recognised track: who spoke, where the track starts, what the engine heard.

    `segments` holds engine segments (transcription.results.Segment) or dicts with start, end,
    text and confidence; times are seconds from the start of this track.
    """

    name: str
    role: str
    offset: float
    segments: Sequence[Any]
    user: User | None = None


def _field(item, name: str, default=None):
    return item.get(name, default) if isinstance(item, dict) else getattr(item, name, default)


def merged_rows(tracks: Iterable[SpeakerTrack]) -> list[dict]:
    """Every non-empty segment of every track on the composite timeline, ordered by time."""
    rows = []
    for track_index, track in enumerate(tracks):
        offset = float(track.offset or 0)
        for seg_index, seg in enumerate(track.segments):
            text = (_field(seg, "text", "") or "").strip()
            if not text:
                continue  # silence, or noise the engine returned as nothing
            start = max(0.0, float(_field(seg, "start", 0.0)) + offset)
            end = max(start, float(_field(seg, "end", 0.0)) + offset)
            rows.append(
                {
                    "key": (start, end, track_index, seg_index),
                    "track": track,
                    "start": round(start, 3),
                    "end": round(end, 3),
                    "text": text,
                    "confidence": float(_field(seg, "confidence", 0.0) or 0.0),
                }
            )
    rows.sort(key=lambda row: row["key"])
    return rows


def transcript_from_segments(
    *,
    hearing: Hearing,
    tracks: Sequence[SpeakerTrack],
    language: str | None = None,
    engine: str = "",
    model: str = "",
    duration: float | None = None,
    recording_ref: str = "",
    actor: User | None = None,
) -> Transcript:
    """Merge the speakers' tracks into one machine transcript of the hearing, ordered by time."""
    if hearing_minutes_signed(hearing):
        raise conflict(
            "minutes_signed",
            _("The minutes of this hearing are signed; its transcript can no longer change."),
        )
    rows = merged_rows(tracks)
    with transaction.atomic():
        transcript = Transcript.objects.create(
            hearing=hearing,
            language=language or hearing.language,
            engine=engine,
            model=model,
            duration=float(duration if duration is not None else (rows[-1]["end"] if rows else 0)),
            recording_ref=recording_ref,
        )
        Segment.objects.bulk_create(
            Segment(
                transcript=transcript,
                order=index,
                speaker=row["track"].user,
                speaker_name=row["track"].name[:200],
                speaker_role=row["track"].role[:32],
                start=row["start"],
                end=row["end"],
                text=row["text"],
                machine_text=row["text"],
                confidence=row["confidence"],
            )
            for index, row in enumerate(rows)
        )
        audit_record(
            actor=actor,
            case=hearing.case,
            action="transcript.created",
            data={
                "hearing": hearing.pk,
                "transcript": transcript.pk,
                "segments": len(rows),
                "speakers": len(tracks),
                "engine": engine,
                "model": model,
            },
        )
    return transcript


def hearing_minutes(hearing: Hearing, *statuses: str):
    return SignableDocument.objects.filter(hearing=hearing, kind=MINUTES, status__in=statuses)


def hearing_minutes_signed(hearing: Hearing) -> bool:
    return hearing_minutes(hearing, DocumentStatus.SIGNED).exists()


def require_editable(transcript: Transcript) -> None:
    """Refuse changes once the hearing's minutes are signed, or while they are being signed."""
    if hearing_minutes_signed(transcript.hearing):
        raise conflict(
            "minutes_signed",
            _("The minutes of this hearing are signed; its transcript can no longer change."),
        )
    if hearing_minutes(transcript.hearing, DocumentStatus.AWAITING).exists():
        raise DomainError(
            "minutes_awaiting_signatures",
            _(
                "The minutes of this hearing are out for signature. Withdraw them before "
                "changing the transcript, then generate them again."
            ),
            status=409,
        )
