"""Observers only receive: the engine refuses an offer of theirs that sends, and nothing of a
seat that may not publish is forwarded or given to a sink, whatever its client does."""

from __future__ import annotations

import asyncio

import pytest

from media import testing
from media.errors import MediaError
from tests.support.media import Collector, delta, from_whom, join, wait_for

H = "hearing-observers"


async def test_it_refuses_an_observers_sending_offer_and_lets_them_receive(engine, media):
    chair = await join(engine, media, H, "arbitrator", slots=2)
    await engine.set_room(H, "trainee", "main", publish=False)
    sending = testing.LoadClient(media, slots=2)
    try:
        with pytest.raises(MediaError) as caught:
            await engine.offer(H, "trainee", await sending.offer())
        assert caught.value.code == "publish_forbidden" and caught.value.status == 403
        assert engine.stats()["peer_connections"] == 1
        receiving = testing.LoadClient(None, slots=2)  # receive-only slots: accepted
        await receiving.connect(engine, H, "trainee")
        receiving.participant_id = "trainee"
        assert await wait_for(lambda: from_whom(engine, H, receiving, "arbitrator")["video"] > 10)
        await receiving.close()
    finally:
        await sending.close()
        await chair.close()


async def test_it_forwards_and_records_nothing_of_a_seat_that_may_not_publish(engine, media):
    sink = Collector()
    engine.attach(H, sink, rooms=("main",))
    chair = await join(engine, media, H, "arbitrator", slots=2)
    party = await join(engine, media, H, "applicant", slots=2)
    try:
        assert await wait_for(lambda: sink.count("applicant-mic") > 10)
        await engine.set_room(H, "applicant", "main", publish=False)  # the role says: observer
        await asyncio.sleep(0.3)
        assert not {"applicant-mic", "applicant-camera"} & sink.reaching
        got = await delta({"chair": chair}, "audio", 1.0)
        assert got["chair"] == 0 and from_whom(engine, H, chair, "applicant") == {
            "audio": 0,
            "video": 0,
        }
    finally:
        await chair.close()
        await party.close()
