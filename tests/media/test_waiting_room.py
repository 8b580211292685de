"""The waiting room is one way: a waiting party's tracks reach the seats that watch the waiting
room (the clerk and the chair, who check identities on camera) and nobody else, never a sink;
the waiting party receives nothing."""

from __future__ import annotations

import asyncio

from tests.support.media import Collector, from_whom, join, wait_for

H = "hearing-waiting"


async def test_it_sends_a_waiting_partys_tracks_to_the_clerk_only(engine, media):
    sink = Collector()
    engine.attach(H, sink, rooms=("main",))
    await engine.set_room(H, "clerk", "main", watches_waiting=True)
    clerk = await join(engine, media, H, "clerk", slots=2)
    other = await join(engine, media, H, "respondent", slots=2)
    worker = await join(engine, media, H, "applicant", room="waiting", slots=2)
    try:
        assert await wait_for(lambda: from_whom(engine, H, clerk, "applicant")["video"] > 10)
        assert from_whom(engine, H, clerk, "applicant")["audio"] > 0
        await asyncio.sleep(0.5)
        assert from_whom(engine, H, other, "applicant") == {"audio": 0, "video": 0}
        assert from_whom(engine, H, worker, "clerk") == {"audio": 0, "video": 0}
        assert all(s["participant_id"] is None for s in engine.layout(H, "applicant"))
        assert not {"applicant-mic", "applicant-camera"} & sink.reaching
        # Admitted: the party is in the main room like everyone else, and the sink gets them.
        await engine.set_room(H, "applicant", "main")
        assert await wait_for(lambda: from_whom(engine, H, other, "applicant")["video"] > 10)
        assert await wait_for(lambda: "applicant-mic" in sink.reaching)
    finally:
        for client in (clerk, other, worker):
            await client.close()


async def test_it_stops_a_waiting_partys_tracks_when_the_seat_no_longer_watches(engine, media):
    await engine.set_room(H, "clerk", "main", watches_waiting=True)
    clerk = await join(engine, media, H, "clerk", slots=2)
    worker = await join(engine, media, H, "applicant", room="waiting", slots=2)
    try:
        assert await wait_for(lambda: from_whom(engine, H, clerk, "applicant")["video"] > 10)
        await engine.set_room(H, "clerk", "main", watches_waiting=False)
        assert all(s["participant_id"] != "applicant" for s in engine.layout(H, "clerk"))
    finally:
        await clerk.close()
        await worker.close()
