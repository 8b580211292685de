"""A hearing's finished recording as the transcription job sees it: per-speaker tracks on one
timeline, decoded with their gaps kept.

Two sources, tried in this order:
* the case file: the hearing's latest ``recording.models.Recording`` whose ``RecordingFile``
  rows (role "track") point at Evidence of kind "recording" (written by recording_finalize);
* a recorder directory (``manifest.json`` written by ``recording.sink.RecordingSink.stop``),
  given explicitly or the newest ``hearing-<id>-*`` folder under TRIBUNAL_RECORDING_DIR.

Every track file has its packets stamped on the recording's timeline (seconds since the recorder
started; a caucus or reconnection leaves a gap). The composite starts at the earliest packet of
any track, so a track's offset on the composite is ``track.start - recording.origin``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from case_core.errors import DomainError
from case_core.integrity.verify import sha256_bytes_of
from case_core.models import Hearing
from recording.models import FileRole, Recording
from transcription import audio, errors

GAP_SECONDS = 0.1  # a jump in timestamps longer than this is a gap, filled with silence


@dataclass(frozen=True)
class RecordedTrack:
    key: str  # "<participant>-<label>", as the recorder named it
    kind: str  # "audio" or "video"
    sha256: str
    opener: Callable[[], object]  # returns a path or an open binary file for PyAV
    participant_id: str | None = None
    label: str | None = None
    user_id: int | None = None


@dataclass(frozen=True)
class FinishedRecording:
    ref: str  # "recording:<pk>" or "dir:<path>": Transcript.recording_ref
    tracks: tuple[RecordedTrack, ...]

    @property
    def speakers(self) -> list[RecordedTrack]:
        return [t for t in self.tracks if t.kind == "audio"]


def no_recording() -> DomainError:
    return DomainError(
        "no_recording",
        _("This hearing has no finished recording to transcribe."),
        status=409,
    )


def participant_user_id(participant_id: str | None) -> int | None:
    """Signaling seats media participants by user id ("12", or "user-12")."""
    text = str(participant_id or "").rsplit("-", 1)[-1]
    return int(text) if text.isdigit() else None


def finished_recording(
    hearing: Hearing, directory: str | Path | None = None, *, ref: str | None = None
) -> FinishedRecording:
    """The recording to transcribe: the one `ref` names ("recording:<pk>" or "dir:<path>"),
    else the one in `directory`, else the newest; no_recording if there is none."""
    if ref:
        kind, _sep, value = ref.partition(":")
        if kind == "dir":
            return from_directory(Path(value))
        if kind == "recording" and value.isdigit():
            found = from_case_file(hearing, recording_id=int(value))
            if found is not None:
                return found
        raise no_recording()
    if directory is not None:
        return from_directory(Path(directory))
    found = from_case_file(hearing)
    if found is not None:
        return found
    newest = newest_directory(hearing)
    if newest is None:
        raise no_recording()
    return from_directory(newest)


def from_case_file(hearing: Hearing, recording_id: int | None = None) -> FinishedRecording | None:
    recordings = Recording.objects.filter(hearing=hearing).order_by("-finalized_at", "-id")
    if recording_id is not None:
        recordings = recordings.filter(pk=recording_id)
    recording = recordings.first()
    if recording is None:
        return None
    tracks = []
    checked: set[int] = set()  # tracks whose bytes were checked against their hash
    for item in recording.files.filter(role=FileRole.TRACK).select_related("evidence"):
        evidence = item.evidence
        tracks.append(
            RecordedTrack(
                key=Path(evidence.original_name).stem or str(evidence.pk),
                kind=item.kind or "audio",
                sha256=evidence.sha256,
                opener=lambda e=evidence: _evidence_source(e, checked),
                participant_id=str(item.speaker_id) if item.speaker_id else None,
                label=item.label or None,
                user_id=item.speaker_id,
            )
        )
    if not tracks:
        return None
    return FinishedRecording(ref=f"recording:{recording.pk}", tracks=tuple(tracks))


def _evidence_source(evidence, checked: set[int]):
    """A local path when the storage has one (PyAV reads it directly), else an open file; the
    stored bytes are checked against the track's hash first (once), so a changed file is never
    transcribed."""
    if evidence.pk not in checked:
        if sha256_bytes_of(evidence.file) != evidence.sha256:
            raise DomainError(
                "track_changed",
                _("A recorded track no longer matches its hash; it is not used."),
                status=409,
                details={"evidence": evidence.pk},
            )
        checked.add(evidence.pk)
    try:
        return Path(evidence.file.path)
    except NotImplementedError:
        return evidence.file.open("rb")


def newest_directory(hearing: Hearing) -> Path | None:
    base = Path(settings.TRIBUNAL_RECORDING_DIR)
    if not base.is_dir():
        return None
    found = [p for p in base.glob(f"hearing-{hearing.pk}-*") if (p / "manifest.json").is_file()]
    return max(found, key=lambda p: p.name) if found else None


def from_directory(directory: Path) -> FinishedRecording:
    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise no_recording() from None
    tracks = []
    for item in manifest.get("files", []):
        if item.get("kind") not in ("audio", "video"):
            continue
        path = directory / item["path"]
        tracks.append(
            RecordedTrack(
                key=Path(item["path"]).stem,
                kind=item["kind"],
                sha256=item.get("sha256", ""),
                opener=lambda p=path: p,
                participant_id=item.get("participant_id"),
                label=item.get("label"),
                user_id=participant_user_id(item.get("participant_id")),
            )
        )
    if not tracks:
        raise no_recording()
    return FinishedRecording(ref=f"dir:{directory}"[:300], tracks=tuple(tracks))


def _open(track: RecordedTrack):
    source = track.opener()
    try:
        return av.open(str(source) if isinstance(source, Path) else source)
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise errors.audio_unreadable(track.key, str(exc)) from exc


def first_timestamp(track: RecordedTrack) -> float | None:
    """Seconds on the recording's timeline of the track's first packet (demux only)."""
    with _open(track) as container:
        for packet in container.demux():
            if packet.pts is not None and packet.size:
                return float(packet.pts * packet.time_base)
    return None


def origin(recording: FinishedRecording) -> float:
    """Where the composite starts: the earliest packet of any track (audio or video)."""
    starts = [s for s in (first_timestamp(t) for t in recording.tracks) if s is not None]
    return min(starts) if starts else 0.0


def decode_timed(track: RecordedTrack) -> tuple[float, np.ndarray]:
    """(start seconds on the recording's timeline, int16 mono 16 kHz PCM from there on), with
    every gap in the track's timestamps filled with silence so times stay on the timeline."""
    rate = audio.SAMPLE_RATE
    pieces: list[np.ndarray] = []
    start: float | None = None
    length = 0
    with _open(track) as container:
        if not container.streams.audio:
            raise errors.audio_unreadable(track.key, "no audio stream")
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
        try:
            for frame in container.decode(stream):
                if frame.pts is not None:
                    at = float(frame.pts * frame.time_base)
                    if start is None:
                        start = at
                    gap = at - (start + length / rate)
                    if gap > GAP_SECONDS:
                        pieces.append(np.zeros(int(round(gap * rate)), np.int16))
                        length += len(pieces[-1])
                for out in resampler.resample(frame):
                    pieces.append(out.to_ndarray().reshape(-1).astype(np.int16, copy=False))
                    length += len(pieces[-1])
            for out in resampler.resample(None):
                pieces.append(out.to_ndarray().reshape(-1).astype(np.int16, copy=False))
        except av.error.FFmpegError as exc:
            raise errors.audio_unreadable(track.key, str(exc)) from exc
    pcm = np.concatenate(pieces) if pieces else np.zeros(0, np.int16)
    return (start or 0.0), pcm
