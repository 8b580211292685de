"""Bad media input gets typed errors and is cleaned up, without disturbing anyone else; leaving
media closes the peer connection (counted)."""

from __future__ import annotations

import json
import re

import pytest

from tests.support.hearing_client import connect, control
from tests.support.hearing_media import (
    admitted_mediation,
    embedded_engine,
    offer_through,
    sources_of,
    wait_for,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_worker_cleanup"),
    pytest.mark.usefixtures("no_error_logged"),
]


def _candidate_line(sdp: str) -> str:
    return re.search(r"^a=(candidate:[^\r\n]+)", sdp, re.M).group(1)


async def test_it_refuses_bad_sdp_early_offers_and_foreign_candidates_with_typed_errors(
    mediation, mediator, applicant, respondent, media
):
    chair = await connect(mediation, mediator)
    await control(chair, "open")
    a = await connect(mediation, applicant)  # in the waiting room
    clients = []
    try:
        chair_media, reply = await offer_through(chair, media, slots=1)
        clients.append(chair_media)
        assert reply["type"] == "media.answer", reply
        # media offered from the waiting room: answered (one way, to the clerk and the chair)
        early, reply = await offer_through(a, media, slots=1)
        clients.append(early)
        assert reply["type"] == "media.answer", reply
        await chair.ok("admit", user=applicant.pk)
        await a.seat_of(applicant.pk, admission="admitted")
        # malformed SDP
        bad = await a.refused("media.offer", sdp="v=0\r\nthis is not sdp", sources={})
        assert bad["code"] == "bad_sdp" and bad["ref"]
        garbage = await a.refused("media.offer", sdp="hello", sources={})
        assert garbage["code"] == "bad_sdp"
        # a candidate before any offer of this connection
        r = await connect(mediation, respondent)
        await chair.ok("admit", user=respondent.pk)
        await r.seat_of(respondent.pk, admission="admitted")
        line = _candidate_line(chair_media.pc.localDescription.sdp)
        early_candidate = {
            "candidate": line,
            "sdpMid": "0",
            "sdpMLineIndex": 0,
            "usernameFragment": None,
        }
        err = await r.refused("media.candidate", candidate=early_candidate)
        assert err["code"] == "no_session"
        # a candidate of another session (the chair's ICE username fragment)
        r_media, reply = await offer_through(r, media, slots=1)
        clients.append(r_media)
        assert reply["type"] == "media.answer", reply
        chair_ufrag = re.search(r"a=ice-ufrag:(\S+)", chair_media.pc.localDescription.sdp).group(1)
        foreign = {**early_candidate, "usernameFragment": chair_ufrag}
        err = await r.refused("media.candidate", candidate=foreign)
        assert err["code"] == "wrong_session"
        unparsable = {**early_candidate, "candidate": "candidate:nonsense"}
        assert (await r.refused("media.candidate", candidate=unparsable))["code"] == "bad_candidate"
        # a wrongly shaped frame never reaches the worker
        shape = await r.refused("media.offer", sdp="v=0", sources={"0": "webcam"})
        assert shape["code"] == "invalid_frame"
        # end of candidates is accepted; the chair's own connection was never disturbed
        assert (await r.request("media.candidate", candidate=None))["type"] == "ack"
        assert await wait_for(lambda: chair_media.received("audio") > 20)
        # the chair's, the respondent's and the applicant's from the waiting room
        assert embedded_engine().stats()["peer_connections"] == 3
        for ws in (chair, a, r):
            await ws.close()
    finally:
        for c in clients:
            await c.close()


async def test_it_takes_large_sdp_frames_and_a_burst_of_candidates_without_flood_errors(
    mediation, mediator, applicant, respondent, media
):
    chair = await connect(mediation, mediator)
    await control(chair, "open")
    client, reply = await offer_through(chair, media, slots=1)
    try:
        assert reply["type"] == "media.answer"
        # a 40 KiB SDP is over the ordinary frame limit but within the media limit: bad_sdp, not
        # frame_too_large; a 40 KiB chat message is too large
        padded = client.pc.localDescription.sdp + "a=x-padding:" + "p" * 40000 + "\r\n"
        reply = await chair.request("media.restart", sdp=padded, sources=sources_of(client))
        assert reply["type"] in ("media.answer", "error")
        assert reply.get("code") != "frame_too_large", reply
        big = await chair.refused("chat.send", text="x" * 40000)
        assert big["code"] == "frame_too_large" and big["details"]["max_bytes"] == 16384
        huge = await chair.refused("media.offer", sdp="v=0" + "x" * 70000, sources={})
        assert huge["code"] == "frame_too_large" and huge["details"]["max_bytes"] == 65536
        # 60 trickled candidates at once (the command bucket holds 30): none is rate limited
        line = _candidate_line(client.pc.localDescription.sdp)
        candidate = {"candidate": line, "sdpMid": "0", "sdpMLineIndex": 0, "usernameFragment": None}
        for i in range(60):
            frame = {"type": "media.candidate", "v": 1, "hearing": mediation.pk, "ref": f"c{i}"}
            await chair.send_raw(json.dumps({**frame, "candidate": candidate}))
        replies = [await chair.expect(lambda f, i=i: f.get("ref") == f"c{i}") for i in range(60)]
        assert not [r for r in replies if r.get("code") == "rate_limited"]
        assert (await chair.request("ping"))["type"] == "pong"
    finally:
        await client.close()
        await chair.close()


async def test_it_leaves_no_peer_connection_behind(
    mediation, mediator, applicant, respondent, media
):
    chair, a, r = await admitted_mediation(mediation, mediator, applicant, respondent)
    clients = []
    try:
        for ws in (chair, a, r):
            client, reply = await offer_through(ws, media, slots=2)
            assert reply["type"] == "media.answer", reply
            clients.append(client)
        assert embedded_engine().stats()["peer_connections"] == 3
        # media.leave: the peer connection closes, the seat stays
        ack = await a.request("media.leave")
        assert ack["type"] == "ack" and ack["of"] == "media.leave"
        assert embedded_engine().stats()["peer_connections"] == 2
        # a dropped connection: its peer connection closes at once (the seat keeps its room)
        await r.close()
        assert await wait_for(lambda: embedded_engine().stats()["peer_connections"] == 1, timeout=3)
        # the chair leaves the hearing: the seat goes too
        await chair.request("leave")
        assert await wait_for(lambda: embedded_engine().stats()["peer_connections"] == 0, timeout=3)
        hearing = embedded_engine().hearings[str(mediation.pk)]
        assert str(mediator.pk) not in hearing.seats
        # the applicant can offer again after media.leave
        again, reply = await offer_through(a, media, slots=1)
        clients.append(again)
        assert reply["type"] == "media.answer"
        assert embedded_engine().stats()["peer_connections"] == 1
        await a.close()
        assert await wait_for(lambda: embedded_engine().stats()["peer_connections"] == 0, timeout=3)
    finally:
        for c in clients:
            await c.close()
