"""Where the review page finds the composite recording a transcript is aligned to.

TODO(recording): wire to the recording app once it has a persistent Recording model and a view
that serves the composite with HTTP Range support (needed to seek): return that view's URL for
`transcript.recording_ref` (set by the transcription job from the recording it transcribed).
Until then the review page shows the segments without playback.
"""

from __future__ import annotations

from transcription.transcript_models import Transcript


def recording_url(transcript: Transcript) -> str | None:
    return None
