"""Shared by tests/media and tests/recording: test media made once per session, and a hearing
of aiortc clients (everything on this host: aioice uses the machine's interface address)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from media import testing
from media.engine import MediaEngine
from media.sinks import MediaSink

_MEDIA: dict[str, testing.EncodedMedia] = {}


def media_file(directory: Path) -> Path:
    """2 s of 320x240 VP8 (one keyframe, at the start) and an Opus tone, encoded once."""
    path = directory / "test-media.webm"
    if not path.exists():
        testing.make_test_media(path, seconds=2, width=320, height=240, bitrate=300_000)
    return path


def encoded_media(directory: Path) -> testing.EncodedMedia:
    if "small" not in _MEDIA:
        _MEDIA["small"] = testing.load_media(media_file(directory))
    return _MEDIA["small"]


async def wait_for(predicate, timeout: float = 8.0, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(interval)
    return predicate()


async def join(engine, media, hearing: str, who: str, room: str = "main", **kwargs):
    await engine.set_room(hearing, who, room)
    client = testing.LoadClient(media, **kwargs)
    client.participant_id = who
    await client.connect(engine, hearing, who)
    return client


async def delta(clients: dict, kind: str, seconds: float) -> dict:
    """Packets of `kind` each client receives during `seconds`."""
    before = {name: c.received(kind) for name, c in clients.items()}
    await asyncio.sleep(seconds)
    return {name: c.received(kind) - before[name] for name, c in clients.items()}


def from_whom(engine, hearing: str, client, who: str) -> dict[str, int]:
    """Packets a client received per kind in the slots currently bound to `who`."""
    counts = {"audio": 0, "video": 0}
    for slot in engine.layout(hearing, client.participant_id):
        if slot.get("participant_id") == who:
            counts[slot["kind"]] += client.counters[slot["mid"]].packets
    return counts


class Recording:
    """A RecordingSink attached to a hearing's main room, as the media worker attaches it."""

    def __init__(self, engine, hearing: str, directory: Path, rooms=("main",)) -> None:
        from recording.sink import RecordingSink

        self.sink = RecordingSink(directory, hearing_id=hearing)
        self.engine, self.hearing, self.rooms = engine, hearing, rooms
        self.attachment = None

    async def start(self) -> Path:
        await self.sink.start()
        self.attachment = self.engine.attach(self.hearing, self.sink, rooms=self.rooms)
        return self.sink.directory

    async def stop(self) -> list:
        self.attachment.detach()
        return await self.sink.stop()


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("media")
    media_file(directory)
    return directory


@pytest.fixture(scope="session")
def media(media_dir):
    return encoded_media(media_dir)


@pytest.fixture
async def engine(tmp_path):
    events = []
    engine = MediaEngine(ice_timeout=10, listener=events.append)
    engine.events = events
    yield engine
    await engine.shutdown()


class Collector(MediaSink):
    """Records what the engine tells it, as a caption tap or recorder would see it."""

    def __init__(self) -> None:
        self.reaching: set[str] = set()
        self.added: list[str] = []
        self.removed: list[str] = []
        self.packets: dict[str, int] = {}
        self.seats: list[tuple] = []

    def publication_added(self, pub) -> None:
        self.reaching.add(pub.key)
        self.added.append(pub.key)

    def publication_removed(self, pub) -> None:
        self.reaching.discard(pub.key)
        self.removed.append(pub.key)

    def on_packet(self, pub, packet) -> None:
        assert pub.key in self.reaching, "a packet of a publication that does not reach the sink"
        self.packets[pub.key] = self.packets.get(pub.key, 0) + 1

    def on_seat(self, kind, participant_id, **data) -> None:
        self.seats.append((kind, participant_id, data.get("room")))

    def count(self, key: str) -> int:
        return self.packets.get(key, 0)
