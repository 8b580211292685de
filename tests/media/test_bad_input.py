"""Bad input gets a typed error and leaves nothing behind, without disturbing the others."""

from __future__ import annotations

import asyncio

import pytest

from media import testing
from media.errors import MediaError
from tests.support.media import delta, join, wait_for

pytestmark = pytest.mark.usefixtures("no_error_logged")

H = "hearing-2"


@pytest.mark.parametrize(
    "sdp, code",
    [
        ("", "bad_sdp"),
        ("hello", "bad_sdp"),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", "bad_sdp"),
        ("v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\n", "bad_sdp"),
        ("v=0\r\n" + "a=x\r\n" * 40000, "bad_sdp"),
    ],
)
async def test_it_refuses_malformed_sdp_with_a_typed_error(engine, sdp, code):
    await engine.set_room(H, "applicant", "main")
    with pytest.raises(MediaError) as caught:
        await engine.offer(H, "applicant", sdp)
    assert caught.value.code == code
    assert engine.stats()["peer_connections"] == 0


async def test_it_refuses_an_offer_without_vp8_or_opus(engine, media):
    client = testing.LoadClient(media, slots=1)
    offer = await client.offer()
    offer = offer.replace("VP8/90000", "H265/90000")
    await engine.set_room(H, "applicant", "main")
    with pytest.raises(MediaError) as caught:
        await engine.offer(H, "applicant", offer)
    assert caught.value.code == "unsupported_codec"
    await client.close()


async def test_it_refuses_media_before_admission(engine, media):
    outsider = testing.LoadClient(media, slots=1)
    with pytest.raises(MediaError) as caught:
        await engine.offer(H, "outsider", await outsider.offer())
    assert caught.value.code == "not_admitted"
    with pytest.raises(MediaError) as caught:
        await engine.add_candidate(
            H, "outsider", {"candidate": "candidate:1 1 udp 1 192.0.2.2 9 typ host", "sdpMid": "0"}
        )
    assert caught.value.code == "not_admitted"
    assert engine.stats()["peer_connections"] == 0
    await outsider.close()


async def test_it_refuses_candidates_for_another_session_or_unparsable(engine, media):
    client = await join(engine, media, H, "applicant", slots=1)
    try:
        with pytest.raises(MediaError) as caught:
            await engine.add_candidate(
                H,
                "applicant",
                {
                    "candidate": "candidate:1 1 udp 2130706431 192.0.2.2 40000 typ host",
                    "sdpMid": "0",
                    "usernameFragment": "someone-else",
                },
            )
        assert caught.value.code == "wrong_session"
        with pytest.raises(MediaError) as caught:
            await engine.add_candidate(
                H, "applicant", {"candidate": "candidate:garbage", "sdpMid": "0"}
            )
        assert caught.value.code == "bad_candidate"
        await engine.add_candidate(H, "applicant", None)  # end of candidates is fine
    finally:
        await client.close()


async def test_it_cleans_up_a_client_that_never_completes_ice(engine, media):
    engine.ice_timeout = 1.5
    chair = await join(engine, media, H, "arbitrator", slots=2)
    party = await join(engine, media, H, "applicant", slots=2)
    try:
        assert await wait_for(lambda: chair.received("video") > 10)
        tasks_before = len(asyncio.all_tasks())
        await engine.set_room(H, "ghost", "main")
        ghost = testing.LoadClient(media, slots=2)
        await engine.offer(H, "ghost", await ghost.offer())  # the answer never reaches the client
        await ghost.close()
        assert engine.stats()["peer_connections"] == 3
        assert await wait_for(lambda: engine.stats()["peer_connections"] == 2, timeout=5)
        assert any(e.type == "ice_timeout" and e.participant_id == "ghost" for e in engine.events)
        await asyncio.sleep(0.5)
        assert len(asyncio.all_tasks()) <= tasks_before
        got = await delta({"chair": chair, "party": party}, "video", 1.0)
        assert got["chair"] > 20 and got["party"] > 20, "the others are not disturbed"
    finally:
        await chair.close()
        await party.close()


async def test_it_leaves_no_peer_connections_or_tasks_behind(engine, media):
    tasks_before = len(asyncio.all_tasks())
    a = await join(engine, media, H, "arbitrator", slots=2)
    b = await join(engine, media, H, "applicant", slots=2)
    assert await wait_for(lambda: a.received("video") > 10)
    await engine.leave(H, "applicant")
    await engine.leave(H, "arbitrator")
    await a.close()
    await b.close()
    assert engine.stats()["peer_connections"] == 0
    await engine.shutdown()
    assert engine.stats() == {
        "hearings": 0,
        "seats": 0,
        "peer_connections": 0,
        "connected": 0,
        "tasks": 0,
        "sinks": 0,
    }
    assert await wait_for(lambda: len(asyncio.all_tasks()) <= tasks_before, timeout=5)
