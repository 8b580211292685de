"""The SHA-256 of a transcript's reviewed content, recorded in the audit log when it is reviewed,
put into minutes and exported, and re-computed by `tribunal verify`.

It covers the transcript's id and language and, for each segment in order, its speaker, times and
text (not the engine's text, which never changes). A segment edited in the database after review
changes it.
"""

from __future__ import annotations

import hashlib
import json

from transcription.transcript_models import Segment, Transcript


def transcript_content(transcript: Transcript) -> dict:
    """What the hash covers, as a dict (the case bundle ships it so it can be recomputed)."""
    segments = [
        {
            "order": s.order,
            "speaker": s.speaker_id,
            "speaker_name": s.speaker_name,
            "speaker_role": s.speaker_role,
            "start": round(s.start, 3),
            "end": round(s.end, 3),
            "text": s.text,
        }
        for s in Segment.objects.filter(transcript=transcript).order_by("order", "id")
    ]
    return {"transcript": transcript.pk, "language": transcript.language, "segments": segments}


def content_sha256(content: dict) -> str:
    body = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def transcript_sha256(transcript: Transcript) -> str:
    return content_sha256(transcript_content(transcript))
