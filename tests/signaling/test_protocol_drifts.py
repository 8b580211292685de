"""Where the server once drifted from docs/protocol.md: frame sizes (up to the transport cap and
beyond it), removing people who are not there, source labels against the SDP, the clerk muting
the tribunal, unknown WebSocket paths. None of it may leave a traceback in the log."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time

import pytest
import websockets
from aiortc import RTCPeerConnection
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from signaling import protocol as p
from signaling.models import HearingEvent, Seat
from tests.support.hearing_client import ORIGIN, connect, control, verified_and_admitted

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("no_error_logged")]


async def _events(hearing) -> list[str]:
    return await database_sync_to_async(
        lambda: list(HearingEvent.objects.filter(hearing=hearing).values_list("kind", flat=True))
    )()


async def _seat(hearing, user) -> dict:
    return await database_sync_to_async(
        lambda: (
            Seat.objects.filter(hearing=hearing, user=user)
            .values("admission", "presence", "room_id", "muted", "mute_locked")
            .first()
        )
    )()


async def _in_session(hearing, arbitrator, clerk, applicant):
    chair = await connect(hearing, arbitrator)
    desk = await connect(hearing, clerk)
    await control(desk, "open")
    party = await connect(hearing, applicant)
    await verified_and_admitted(desk, party)
    await control(chair, "start")
    return chair, desk, party


# --- frame sizes -----------------------------------------------------------------------------


async def test_it_answers_an_oversized_media_offer_with_the_media_limit(
    hearing, clerk, applicant, settings
):
    desk = await connect(hearing, clerk)
    media_max = settings.TRIBUNAL_WS_MEDIA_MAX_FRAME_BYTES
    reply = await desk.request("media.offer", sdp="v=0" + "x" * (media_max + 10), sources={})
    assert reply["code"] == "frame_too_large", reply
    assert reply["details"] == {"max_bytes": media_max} and reply["ref"]
    # an oversized chat message gets the ordinary limit, with its ref
    reply = await desk.request("chat.send", text="x" * (settings.TRIBUNAL_WS_MAX_FRAME_BYTES + 10))
    assert reply["code"] == "frame_too_large" and reply["ref"]
    assert reply["details"] == {"max_bytes": settings.TRIBUNAL_WS_MAX_FRAME_BYTES}
    # a megabyte that is not even JSON: the ordinary limit, no ref; the connection stays open
    await desk.send_raw("{" * (1024 * 1024 - 64))
    reply = await desk.expect(lambda f: f["type"] == "error")
    assert reply["code"] == "frame_too_large" and reply["ref"] is None
    assert (await desk.request("ping"))["type"] == "pong"
    assert desk.welcome["limits"]["media_max_frame_bytes"] == media_max  # said up front
    await desk.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    """`tribunal serve` (Daphne) on a free port of its own, with its log."""
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "hearing_server.cli", "serve", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                assert proc.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.2)
        yield f"ws://127.0.0.1:{port}", log_path
    finally:
        proc.terminate()
        proc.wait(10)


async def test_it_answers_big_frames_and_closes_1009_over_the_transport_cap(served, settings):
    base, log_path = served
    url = f"{base}/ws/hearings/1/"
    async with websockets.connect(url, origin="http://127.0.0.1", max_size=None) as ws:
        # far over the protocol's limits but under the transport cap: answered, still open
        frame = {"type": "media.offer", "v": 1, "hearing": 1, "ref": "big", "sources": {}}
        await ws.send(json.dumps({**frame, "sdp": "x" * (512 * 1024)}))
        reply = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert reply["code"] == "frame_too_large" and reply["ref"] == "big"
        assert reply["details"]["max_bytes"] == settings.TRIBUNAL_WS_MEDIA_MAX_FRAME_BYTES
        await ws.send(json.dumps({"type": "ping", "v": 1, "hearing": 1, "ref": "p"}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["code"] == "not_joined"
        # over the transport cap (1 MiB): a close frame 1009, not a dropped connection (1006)
        await ws.send("x" * (1024 * 1024 + 1))
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 10)
        assert ws.close_code == 1009
    # the server is still up, and logged no traceback
    async with websockets.connect(url, origin="http://127.0.0.1") as ws:
        await ws.send(json.dumps({"type": "ping", "v": 1, "hearing": 1}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["code"] == "not_joined"
    assert "Traceback" not in log_path.read_text()


# --- participant.remove: only people who are there ------------------------------------------


async def test_it_refuses_to_remove_someone_who_is_not_present(
    hearing, arbitrator, clerk, applicant, respondent, agent
):
    chair, desk, party = await _in_session(hearing, arbitrator, clerk, applicant)
    waiting = await connect(hearing, respondent)  # in the waiting room
    dropped = await connect(hearing, agent)
    await verified_and_admitted(desk, dropped)
    await dropped.close()  # reconnecting: admitted but not connected
    await chair.seat_of(agent.pk, presence="reconnecting")
    before = await _events(hearing)
    seats = {u.pk: await _seat(hearing, u) for u in (respondent, agent)}
    for user in (respondent, agent):
        reply = await chair.refused("participant.remove", "not_present", user=user.pk)
        assert reply["message"]
    assert await _events(hearing) == before
    assert {u.pk: await _seat(hearing, u) for u in (respondent, agent)} == seats
    # someone present is removed as before
    await chair.ok("participant.remove", user=applicant.pk, reason="Disorder")
    assert await party.closed() == 4403
    for c in (chair, desk, waiting):
        await c.close()


# --- the clerk may not mute the tribunal -----------------------------------------------------


async def test_it_refuses_the_clerk_muting_a_member_of_the_tribunal(
    hearing, arbitrator, clerk, applicant
):
    chair, desk, party = await _in_session(hearing, arbitrator, clerk, applicant)
    before = await _events(hearing)
    seat = await _seat(hearing, arbitrator)
    for frame in ("participant.mute", "participant.ask_unmute"):
        reply = await desk.refused(frame, "forbidden", user=arbitrator.pk)
        assert reply["message"]
    assert await _seat(hearing, arbitrator) == seat and seat["mute_locked"] is False
    assert await _events(hearing) == before
    # the chair may mute the clerk and ask them to unmute; the clerk still mutes parties
    await chair.ok("participant.mute", user=clerk.pk)
    await desk.seat_of(clerk.pk, muted=True, mute_locked=True)
    await chair.ok("participant.ask_unmute", user=clerk.pk)
    await desk.ok("participant.mute", user=applicant.pk)
    for c in (chair, desk, party):
        await c.close()


# --- media.offer: sources must name sections of their kind -----------------------------------


async def _sdp_audio_send_video_receive() -> str:
    """A real offer: mid 0 an audio section we send, mid 1 a video section we only receive."""
    pc = RTCPeerConnection()
    try:
        pc.addTransceiver("audio", direction="sendrecv")
        pc.addTransceiver("video", direction="recvonly")
        await pc.setLocalDescription(await pc.createOffer())
        return pc.localDescription.sdp
    finally:
        await pc.close()


async def test_it_refuses_a_source_naming_a_section_of_the_wrong_kind(
    mediation, mediator, applicant
):
    sdp = await _sdp_audio_send_video_receive()
    chair = await connect(mediation, mediator)
    await control(chair, "open")
    party = await connect(mediation, applicant)
    await chair.ok("admit", user=applicant.pk)
    await party.seat_of(applicant.pk, admission="admitted")
    for sources in ({"0": "mic", "1": "mic"}, {"0": "camera"}, {"0": "mic", "7": "screen"}):
        for kind in ("media.offer", "media.restart"):
            reply = await party.refused(kind, "bad_sdp", sdp=sdp, sources=sources)
            assert reply["ref"] and reply["message"], reply
    # sources that match the sections are the media engine's to answer
    frame = {"type": "media.offer", "v": 1, "hearing": mediation.pk, "sdp": sdp}
    assert p.parse(json.dumps({**frame, "sources": {"0": "mic"}}), mediation.pk).sources == {
        "0": "mic"
    }
    assert (await party.request("ping"))["type"] == "pong"
    await party.close()
    await chair.close()


# --- unknown WebSocket paths -----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/ws/nowhere/", "/ws/hearings/abc/", "/", "/ws/hearings/"])
async def test_it_closes_an_unknown_websocket_path_with_a_typed_close(path):
    from hearing_server.asgi import application

    comm = WebsocketCommunicator(application, path, headers=[ORIGIN])
    connected, _ = await comm.connect()
    assert connected
    frame = await comm.receive_json_from()
    assert frame["type"] == "error" and frame["code"] == "not_found" and frame["message"]
    assert (await comm.receive_output())["code"] == 4404
    await comm.wait()
