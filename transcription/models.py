"""Database models of the transcription app (Django discovers them here)."""

from transcription.track_models import TrackResult  # noqa: F401
from transcription.transcript_models import (  # noqa: F401
    EditKind,
    Segment,
    SegmentEdit,
    Transcript,
    TranscriptStatus,
)
