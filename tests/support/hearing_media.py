"""Helpers for the media tests over the real consumer: aiortc clients negotiating through
`media.*` frames, and the embedded media worker of the test's event loop."""

from __future__ import annotations

import pytest

from hearing_server.mediaworker.embedded import embedded_worker, shutdown_embedded
from media import testing
from tests.support.hearing_client import connect, control
from tests.support.media import wait_for

__all__ = ["wait_for"]


@pytest.fixture
async def media_worker_cleanup(settings, tmp_path):
    settings.TRIBUNAL_RECORDING_DIR = str(tmp_path / "recordings")
    settings.TRIBUNAL_MEDIA_MODE = "embedded"
    yield
    await shutdown_embedded()


def embedded_engine():
    worker = embedded_worker()
    assert worker is not None, "the embedded media worker did not start"
    return worker.engine


def sources_of(client: testing.LoadClient) -> dict[str, str]:
    by_track = {id(track): label for label, track in client.tracks.items()}
    return {
        t.mid: by_track[id(t.sender.track)]
        for t in client.pc.getTransceivers()
        if t.sender.track is not None and id(t.sender.track) in by_track
    }


async def offer_through(ws, media, **kwargs) -> tuple[testing.LoadClient, dict]:
    """Make a real aiortc offer, send it as media.offer; return the client and the reply."""
    client = testing.LoadClient(media, **kwargs)
    sdp = await client.offer()
    reply = await ws.request("media.offer", sdp=sdp, sources=sources_of(client))
    if reply["type"] == "media.answer":
        await client.accept(reply["sdp"])
    return client, reply


async def admitted_mediation(mediation, mediator, applicant, respondent):
    """Mediator, applicant and respondent connected; the two parties admitted to the main room."""
    chair = await connect(mediation, mediator)
    await control(chair, "open")
    a = await connect(mediation, applicant)
    r = await connect(mediation, respondent)
    await chair.ok("admit.all")
    await a.seat_of(applicant.pk, admission="admitted")
    await r.seat_of(respondent.pk, admission="admitted")
    return chair, a, r


def from_user(ws_layout: dict, client: testing.LoadClient, user_id: int) -> dict[str, int]:
    """Packets the client received in the slots the last layout gives to `user_id`."""
    counts = {"audio": 0, "video": 0}
    for slot in ws_layout["slots"]:
        if slot["participant_id"] == user_id:
            counts[slot["kind"]] += client.counters[slot["mid"]].packets
    return counts
