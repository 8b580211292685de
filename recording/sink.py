"""RecordingSink: per-speaker tracks muxed from forwarded packets, plus a JSON-lines event log.

Shaped like aiortc's MediaRecorder (add / start / stop), but it is fed encoded packets and never
decodes or encodes. It is a media sink (media/sinks.py) like any other: the media worker attaches
it to a hearing's main room (``engine.attach(hearing, sink, rooms=("main",))``) and the engine's
one routing rule decides what it gets; seat changes arrive in ``on_seat`` for the event log. Each speaker track (``<participant>-<mic|camera|screen>``) is its own WebM
file, written live so that a crash loses at most the last cluster (about a second). Timestamps
are on one timeline for the whole recording (seconds since ``start``), so the files line up for
the composite; a gap (a caucus, a reconnection) stays a gap.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import re
import time
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path

import av

from media.sinks import MediaSink
from recording.hashing import sha256_file
from recording.webm import LiveWebmWriter

_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def is_vp8_keyframe(data: bytes) -> bool:
    return bool(data) and (data[0] & 0x01) == 0


def vp8_dimensions(data: bytes) -> tuple[int, int] | None:
    if len(data) < 10 or not is_vp8_keyframe(data) or data[3:6] != b"\x9d\x01\x2a":
        return None
    return (
        int.from_bytes(data[6:8], "little") & 0x3FFF,
        int.from_bytes(data[8:10], "little") & 0x3FFF,
    )


@dataclass
class RecordedFile:
    path: Path
    kind: str  # "audio", "video" or "events"
    sha256: str
    size: int
    participant_id: str | None = None
    label: str | None = None
    packets: int = 0

    def as_dict(self) -> dict:
        data = asdict(self)
        data["path"] = str(self.path)
        return data


@dataclass
class _Track:
    key: str
    kind: str
    participant_id: str | None
    label: str | None
    path: Path
    writer: LiveWebmWriter | None = None
    epoch: object = None
    offset: int = 0
    last_pts: int | None = None
    need_keyframe: bool = True
    dropped: int = 0
    extra: dict = field(default_factory=dict)


class RecordingSink(MediaSink):
    def __init__(self, directory: str | Path, *, hearing_id: str | None = None) -> None:
        self.directory = Path(directory)
        self.hearing_id = hearing_id
        self.tracks: dict[str, _Track] = {}
        self.started: float | None = None
        self.started_wall: datetime.datetime | None = None
        self._events = None
        self._readers: list[asyncio.Task] = []
        self._pending_tracks: list[tuple] = []

    # ---- media sink (media/sinks.py) ------------------------------------------------------
    def publication_added(self, pub) -> None:
        """A speaker track (mic, camera, screen) is in the recorded room: record it from its
        next keyframe, asked for at once."""
        self.add(pub.key, kind=pub.kind, participant_id=pub.participant_id, label=pub.label)
        pub.request_keyframe(force=True)

    def on_packet(self, pub, packet: av.Packet) -> None:
        self.write(pub.key, packet, epoch=id(pub))
        # A lost keyframe request (or one sent before the publisher was ready) must not cost a
        # camera its whole recording: keep asking, rate-limited, until the track has started.
        if self.needs_keyframe(pub.key):
            pub.request_keyframe(force=True)

    def on_seat(self, kind: str, participant_id: str, **data) -> None:
        self.event(kind, participant_id=participant_id, **data)

    @property
    def has_media(self) -> bool:
        """True once any speaker track has a file (a packet was written)."""
        return any(track.writer is not None for track in self.tracks.values())

    # ---- MediaRecorder-like shape ----------------------------------------------------------
    def add(
        self, key: str, *, kind: str, participant_id: str | None = None, label: str | None = None
    ) -> None:
        """Declare a speaker track. Adding it again (after a pause) waits for a keyframe."""
        if kind not in ("audio", "video"):
            raise ValueError(f"kind must be audio or video, not {kind!r}")
        track = self.tracks.get(key)
        if track is None:
            name = _SAFE.sub("_", key) + ".webm"
            self.tracks[key] = _Track(key, kind, participant_id, label, self.directory / name)
        elif kind == "video":
            track.need_keyframe = True

    def add_track(
        self, track, key: str, *, participant_id: str | None = None, label: str | None = None
    ) -> None:
        """Record a track whose ``recv()`` yields ``av.Packet`` (a passthrough receiver's track)."""
        self.add(key, kind=track.kind, participant_id=participant_id, label=label)
        self._pending_tracks.append((track, key))
        if self.started is not None:
            self._start_readers()

    async def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.started = time.monotonic()
        self.started_wall = datetime.datetime.now(datetime.UTC)
        self._events = open(self.directory / "events.jsonl", "a", encoding="utf-8", buffering=1)
        self.event("recording_started", hearing_id=self.hearing_id)
        self._start_readers()

    def needs_keyframe(self, key: str) -> bool:
        """True while video track `key` is waiting for a keyframe to start (or restart) on."""
        track = self.tracks.get(key)
        return track is not None and track.kind == "video" and track.need_keyframe

    def write(self, key: str, packet: av.Packet, *, epoch: object = None) -> None:
        """Mux one encoded packet of track `key`. A new `epoch` (a new publication, after a
        reconnection) re-anchors its timestamps to the recording's clock."""
        track = self.tracks.get(key)
        if track is None or self.started is None or packet.pts is None:
            return
        data = bytes(packet)
        tb: Fraction = packet.time_base
        if track.kind == "video":
            if epoch != track.epoch:
                track.need_keyframe = True
            if track.need_keyframe:
                if not is_vp8_keyframe(data):
                    track.dropped += 1
                    return
                track.need_keyframe = False
        if track.writer is None:
            dims = vp8_dimensions(data) if track.kind == "video" else (0, 0)
            if dims is None:
                return
            track.writer = LiveWebmWriter(track.path, track.kind, width=dims[0], height=dims[1])
            self.event(
                "track_started",
                key=key,
                kind=track.kind,
                participant_id=track.participant_id,
                label=track.label,
                file=track.path.name,
            )
        if epoch != track.epoch:
            track.epoch = epoch
            now = round((time.monotonic() - self.started) / tb)
            track.offset = now - packet.pts
        pts = packet.pts + track.offset
        if track.last_pts is not None and pts <= track.last_pts:
            pts = track.last_pts + 1
        track.last_pts = pts
        track.writer.write(data, pts, tb, packet.is_keyframe or track.kind == "audio")

    def event(self, type: str, **data) -> None:
        if self._events is None:
            return
        line = {
            "t": round(time.monotonic() - self.started, 3),
            "at": datetime.datetime.now(datetime.UTC).isoformat(),
            "type": type,
            **data,
        }
        self._events.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")

    async def stop(self) -> list[RecordedFile]:
        """Close every file, hash it, and write manifest.json; returns the files."""
        for task in self._readers:
            task.cancel()
        await asyncio.gather(*self._readers, return_exceptions=True)
        self._readers = []
        self.event("recording_stopped")
        for track in self.tracks.values():
            if track.writer is not None:
                track.writer.close()
        if self._events is not None:
            self._events.close()
            self._events = None
        files = []
        for track in self.tracks.values():
            if track.writer is None:
                continue
            digest, size = await asyncio.to_thread(sha256_file, track.path)
            files.append(
                RecordedFile(
                    track.path,
                    track.kind,
                    digest,
                    size,
                    track.participant_id,
                    track.label,
                    track.writer.packets,
                )
            )
        events = self.directory / "events.jsonl"
        digest, size = await asyncio.to_thread(sha256_file, events)
        files.append(RecordedFile(events, "events", digest, size))
        manifest = {
            "hearing_id": self.hearing_id,
            "started": self.started_wall.isoformat() if self.started_wall else None,
            "files": [f.as_dict() | {"path": f.path.name} for f in files],
        }
        (self.directory / "manifest.json").write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False)
        )
        self.started = None
        return files

    def _start_readers(self) -> None:
        while self._pending_tracks:
            track, key = self._pending_tracks.pop()
            self._readers.append(asyncio.ensure_future(self._read(track, key)))

    async def _read(self, track, key: str) -> None:
        from aiortc.mediastreams import MediaStreamError

        epoch = object()
        while True:
            try:
                packet = await track.recv()
            except MediaStreamError:
                return
            self.write(key, packet, epoch=epoch)
