"""Transcript exports: WebVTT (with voice tags), SRT and JSON."""

from __future__ import annotations

from django.utils import translation

from case_core.models import InviteeRole
from transcription.transcript_models import Transcript


def _clock(seconds: float, separator: str) -> str:
    millis = int(round(max(seconds, 0.0) * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def vtt_time(seconds: float) -> str:
    return _clock(seconds, ".")


def srt_time(seconds: float) -> str:
    return _clock(seconds, ",")


def role_label(role: str) -> str:
    return str(dict(InviteeRole.choices).get(role, role))


def _speaker(segment) -> str:
    role = role_label(segment.speaker_role)
    return f"{segment.speaker_name} ({role})" if role else segment.speaker_name


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _one_line(text: str) -> str:
    # A blank line ends a cue in both formats, and "-->" would start a new one.
    return " ".join(text.split()).replace("-->", "->")


def to_webvtt(transcript: Transcript) -> str:
    """WebVTT cues with the speaker as a voice tag; role names in the transcript's language."""
    lines = ["WEBVTT", ""]
    for index, seg in enumerate(transcript.segments.order_by("order", "id"), start=1):
        with translation.override(transcript.language):
            speaker = _vtt_escape(_one_line(_speaker(seg)))
        lines += [
            str(index),
            f"{vtt_time(seg.start)} --> {vtt_time(seg.end)}",
            f"<v {speaker}>{_vtt_escape(_one_line(seg.text))}",
            "",
        ]
    return "\n".join(lines)


def to_srt(transcript: Transcript) -> str:
    """SRT cues, each line "Speaker (role): text"; role names in the transcript's language."""
    lines = []
    for index, seg in enumerate(transcript.segments.order_by("order", "id"), start=1):
        with translation.override(transcript.language):
            speaker = _one_line(_speaker(seg))
        lines += [
            str(index),
            f"{srt_time(seg.start)} --> {srt_time(seg.end)}",
            f"{speaker}: {_one_line(seg.text)}",
            "",
        ]
    return "\n".join(lines)


def to_json(transcript: Transcript) -> dict:
    hearing = transcript.hearing
    return {
        "transcript": transcript.pk,
        "case": hearing.case.number or hearing.case_id,
        "hearing": hearing.pk,
        "language": transcript.language,
        "status": transcript.status,
        "engine": transcript.engine,
        "model": transcript.model,
        "duration": transcript.duration,
        "reviewed_at": transcript.reviewed_at.isoformat() if transcript.reviewed_at else None,
        "segments": [
            {
                "id": seg.pk,
                "order": seg.order,
                "start": seg.start,
                "end": seg.end,
                "speaker": {
                    "user": seg.speaker_id,
                    "name": seg.speaker_name,
                    "role": seg.speaker_role,
                },
                "text": seg.text,
                "machine_text": seg.machine_text,
                "confidence": round(seg.confidence, 4),
                "version": seg.version,
            }
            for seg in transcript.segments.order_by("order", "id")
        ],
    }
