"""Each connection speaks its page's language (`?lang=` on the WebSocket path): server notices
and errors come back in it, whatever the hearing's language; and a connection that stops
sending heartbeats is closed (4408) and its seat marked reconnecting."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async

from signaling.models import Seat
from tests.support.hearing_client import Client, connect, control, issue

pytestmark = pytest.mark.django_db(transaction=True)


async def _connect(hearing, user, lang: str) -> Client:
    client = Client(hearing.pk, user, path=f"/ws/hearings/{hearing.pk}/?lang={lang}")
    await client.join(await issue(user, hearing.pk))
    return client


async def test_it_renders_notices_and_errors_in_each_recipients_language(
    hearing, arbitrator, clerk, applicant
):
    assert hearing.language == "zh-hans"
    chair = await connect(hearing, arbitrator)  # no ?lang: the site's default (zh-hans)
    await control(chair, "open")
    await control(chair, "start")
    desk = await _connect(hearing, clerk, "en")
    await desk.ok("recording.start")
    english = await desk.expect(lambda f: f.get("event") == "recording.started")
    chinese = await chair.expect(lambda f: f.get("event") == "recording.started")
    assert english["message"] == "This hearing is now being recorded."
    assert not chinese["message"].isascii()
    refused = await desk.refused("recording.start", "already_recording")
    assert refused["message"] == "The hearing is already being recorded."
    refused = await chair.refused("recording.start", "already_recording")
    assert not refused["message"].isascii()
    party = await _connect(hearing, applicant, "xx")  # not offered: the default language
    denied = await party.refused("recording.stop", "forbidden")
    assert not denied["message"].isascii()
    for c in (chair, desk, party):
        await c.close()


async def test_it_keeps_a_pinging_connection_and_closes_a_silent_one(hearing, applicant, settings):
    settings.TRIBUNAL_WS_HEARTBEAT = 1
    settings.TRIBUNAL_WS_HEARTBEAT_MISSES = 2
    party = await connect(hearing, applicant)
    for _ in range(8):  # 4 s of heartbeats every half second: twice the limit, still open
        assert (await party.request("ping"))["type"] == "pong"
        await asyncio.sleep(0.5)
    assert await party.closed(timeout=6) == 4408  # then silence
    await party.close()  # the server's close completes (Daphne then calls disconnect)
    seat = await database_sync_to_async(Seat.objects.get)(hearing=hearing, user=applicant)
    assert seat.presence == "reconnecting"
