"""Where the review page finds the composite recording a transcript is aligned to.

`recording_url(transcript)` is the recording app's file view (HTTP Range, so the player can seek;
it authorises and audits each viewing) for the composite of the recording the transcript was made
from (`transcript.recording_ref` = "recording:<pk>"), else of the hearing's newest recording with
a composite. None while no composite exists (the page then lists the segments without playback).
"""

from __future__ import annotations

from django.urls import reverse

from recording.models import FileRole, RecordingFile
from transcription.transcript_models import Transcript


def recording_url(transcript: Transcript) -> str | None:

    composites = RecordingFile.objects.filter(
        role=FileRole.COMPOSITE, recording__hearing_id=transcript.hearing_id
    )
    kind, _sep, value = (transcript.recording_ref or "").partition(":")
    composite = None
    if kind == "recording" and value.isdigit():
        composite = composites.filter(recording_id=int(value)).first()
    if composite is None:
        composite = composites.order_by("-recording__finalized_at", "-recording_id").first()
    if composite is None:
        return None
    return reverse("recording:file", args=[composite.evidence_id])
