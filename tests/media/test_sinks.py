"""Sinks (the recorder, live captions) attach to a hearing's media by room and kind and follow
one routing rule: in one of the sink's rooms and not muted. Nothing polls the engine."""

from __future__ import annotations

import asyncio

from media.sinks import MediaSink
from tests.support.media import Collector, Recording, join, wait_for

H = "hearing-sinks"


async def _grows(sink: Collector, key: str, seconds: float = 0.6) -> int:
    before = sink.count(key)
    await asyncio.sleep(seconds)
    return sink.count(key) - before


async def test_it_gives_a_sink_the_microphones_of_its_room_as_they_come_and_go(engine, media):
    mics = Collector()
    attachment = engine.attach(H, mics, rooms=("main",), kinds=("audio",))
    chair = await join(engine, media, H, "arbitrator", slots=1)
    party = await join(engine, media, H, "applicant", slots=1)
    try:
        assert await wait_for(
            lambda: mics.count("arbitrator-mic") > 20 and mics.count("applicant-mic") > 20
        )
        assert mics.reaching == {"arbitrator-mic", "applicant-mic"}, "cameras are not audio"
        # a caucus takes the applicant out of the sink's room
        await engine.set_room(H, "applicant", "caucus-1")
        assert "applicant-mic" in mics.removed and "applicant-mic" not in mics.reaching
        assert await _grows(mics, "applicant-mic") == 0
        await engine.set_room(H, "applicant", "main")
        assert await wait_for(lambda: "applicant-mic" in mics.reaching)
        # a microphone muted by the chair stops reaching it, and comes back when unmuted
        await engine.mute(H, "arbitrator")
        assert "arbitrator-mic" not in mics.reaching
        assert await _grows(mics, "arbitrator-mic") == 0
        await engine.mute(H, "arbitrator", False)
        assert await wait_for(
            lambda: mics.count("arbitrator-mic") > 0 and "arbitrator-mic" in mics.reaching
        )
        assert await _grows(mics, "applicant-mic") > 10
        # a closed connection removes its publications; detaching removes the rest
        await engine.leave(H, "applicant")
        assert mics.reaching == {"arbitrator-mic"}
        attachment.detach()
        assert mics.reaching == set()
        assert await _grows(mics, "arbitrator-mic") == 0
        assert engine.stats()["sinks"] == 0
    finally:
        await chair.close()
        await party.close()
    assert ("room", "applicant", "caucus-1") in mics.seats


async def test_it_treats_the_recorder_and_another_sink_alike(engine, media, tmp_path):
    everything = Collector()
    engine.attach(H, everything, rooms=("main",))
    recording = Recording(engine, H, tmp_path / "rec")
    chair = await join(engine, media, H, "arbitrator", slots=1)
    party = await join(engine, media, H, "applicant", slots=1, video=False)
    try:
        await recording.start()
        assert engine.stats()["sinks"] == 2
        assert await wait_for(lambda: everything.count("applicant-mic") > 20)
        await asyncio.sleep(1.0)
        await engine.mute(H, "applicant")
        await asyncio.sleep(1.0)
        files = await recording.stop()
    finally:
        await chair.close()
        await party.close()
    recorded = {f.path.stem for f in files if f.kind != "events"}
    assert (
        recorded
        == everything.reaching | {"applicant-mic"}
        == {
            "arbitrator-mic",
            "arbitrator-camera",
            "applicant-mic",
        }
    )


async def test_it_keeps_forwarding_and_the_other_sinks_when_a_sink_fails(engine, media):
    class Broken(MediaSink):
        def publication_added(self, pub):
            raise RuntimeError("a buggy consumer")

        def on_packet(self, pub, packet):
            raise RuntimeError("a buggy consumer")

    engine.attach(H, Broken(), rooms=("main",))
    good = Collector()
    engine.attach(H, good, rooms=("main",))
    chair = await join(engine, media, H, "arbitrator", slots=2)
    party = await join(engine, media, H, "applicant", slots=2)
    try:
        assert await wait_for(
            lambda: chair.received("video") > 20 and good.count("applicant-camera") > 20
        )
    finally:
        await chair.close()
        await party.close()
