"""Media frames through the real consumer: offers answered by the hearing's media worker, layouts
with names, media flowing between real aiortc clients, and room changes reaching the engine."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.hearing_media import (
    admitted_mediation,
    embedded_engine,
    from_user,
    offer_through,
    wait_for,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_worker_cleanup"),
]


def _shows(user_id: int, sources=("mic", "camera")):
    """A layout giving `user_id`'s `sources` a slot each (publications appear as they start)."""
    return lambda f: (
        f["type"] == "media.layout"
        and set(sources) <= {s["source"] for s in f["slots"] if s["participant_id"] == user_id}
    )


async def test_it_answers_offers_sends_layouts_with_names_and_forwards_media(
    mediation, mediator, applicant, respondent, media
):
    chair, a, r = await admitted_mediation(mediation, mediator, applicant, respondent)
    clients = []
    try:
        chair_media, reply = await offer_through(chair, media, slots=2)
        clients.append(chair_media)
        assert reply["type"] == "media.answer" and reply["sdp"].startswith("v=0"), reply
        assert reply["hearing"] == mediation.pk and reply["v"] == 1
        a_media, reply = await offer_through(a, media, slots=2)
        clients.append(a_media)
        assert reply["type"] == "media.answer", reply
        layout = await chair.expect(_shows(applicant.pk), timeout=8)
        mine = [s for s in layout["slots"] if s["participant_id"] == applicant.pk]
        assert {s["source"] for s in mine} == {"mic", "camera"}
        assert {s["kind"] for s in mine} == {"audio", "video"}
        assert all(s["name"] == applicant.name for s in mine)
        state = await chair.expect(lambda f: f["type"] == "media.state", timeout=8)
        assert state["state"] in ("connecting", "connected")
        assert await wait_for(lambda: from_user(layout, chair_media, applicant.pk)["video"] > 20)
        other = await a.expect(_shows(mediator.pk), timeout=8)
        assert await wait_for(lambda: from_user(other, a_media, mediator.pk)["audio"] > 20)
        # the respondent made no offer: nothing is forwarded to them, the others are unaffected
        assert embedded_engine().stats()["peer_connections"] == 2
    finally:
        for c in clients:
            await c.close()
        for ws in (chair, a, r):
            await ws.close()


async def test_it_stops_media_between_people_a_caucus_separates_and_restores_it(
    mediation, mediator, applicant, respondent, media
):
    chair, a, r = await admitted_mediation(mediation, mediator, applicant, respondent)
    clients = []
    try:
        for ws in (chair, a, r):
            client, reply = await offer_through(ws, media, slots=2)
            assert reply["type"] == "media.answer", reply
            clients.append(client)
        _chair_media, a_media, r_media = clients
        layout = await r.expect(_shows(applicant.pk), timeout=8)
        assert await wait_for(lambda: from_user(layout, r_media, applicant.pk)["video"] > 10)
        # the chair takes the applicant into a caucus: the respondent stays in the main room
        await chair.ok("room.open", label="Applicant side", members=[applicant.pk, mediator.pk])
        alone = await r.expect(lambda f: f["type"] == "media.layout" and not f["slots"], timeout=3)
        assert alone["slots"] == []
        await asyncio.sleep(0.3)
        before = r_media.received("video") + r_media.received("audio")
        a_before = a_media.received("audio")
        await asyncio.sleep(1.0)
        assert r_media.received("video") + r_media.received("audio") == before
        assert a_media.received("audio") > a_before  # the caucus hears the mediator
        media_state = embedded_engine().hearings[str(mediation.pk)]
        assert media_state.seats[str(applicant.pk)].room == "caucus-1"
        assert media_state.seats[str(respondent.pk)].room == "main"
        # closing the caucus brings everyone back: media flows again within a second
        await chair.ok("room.close", room="caucus-1")
        back = await r.expect(_shows(applicant.pk), timeout=3)
        assert await wait_for(
            lambda: from_user(back, r_media, applicant.pk)["audio"] > 0, timeout=1.5
        )
    finally:
        for c in clients:
            await c.close()
        for ws in (chair, a, r):
            await ws.close()


async def test_it_tells_the_engine_about_mutes_the_waiting_room_and_grace_expiry(
    mediation, mediator, applicant, respondent, media, settings
):
    settings.TRIBUNAL_RECONNECT_GRACE = 0
    chair, a, r = await admitted_mediation(mediation, mediator, applicant, respondent)
    client, reply = await offer_through(a, media, slots=1)
    try:
        assert reply["type"] == "media.answer", reply
        seats = embedded_engine().hearings[str(mediation.pk)].seats
        await chair.ok("participant.mute", user=applicant.pk)
        assert await wait_for(lambda: seats[str(applicant.pk)].muted, timeout=1)
        await chair.ok("participant.ask_unmute", user=applicant.pk)
        await a.ok("self.mute", muted=False)
        assert await wait_for(lambda: not seats[str(applicant.pk)].muted, timeout=1)
        await chair.ok("room.move", user=applicant.pk, room="waiting")
        assert await wait_for(lambda: seats[str(applicant.pk)].room == "waiting", timeout=1)
        # the respondent drops and does not come back within the grace period: no media seat
        await r.ok("self.mute", muted=True)
        assert await wait_for(
            lambda: str(respondent.pk) in seats and seats[str(respondent.pk)].muted
        )
        await r.close()
        assert await wait_for(lambda: str(respondent.pk) not in seats, timeout=3)
        await asyncio.sleep(0.2)
    finally:
        settings.TRIBUNAL_RECONNECT_GRACE = 60  # no expiry still running when the test ends
        await client.close()
        for ws in (chair, a):
            await ws.close()
