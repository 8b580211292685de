"""Caucuses (private rooms), moving people, locking rooms and room-scoped chat."""

import pytest
from channels.db import database_sync_to_async

from signaling.services import room_members, room_of
from tests.support.hearing_client import connect, control
from tests.support.hearing_media import admitted_mediation

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_opens_a_caucus_with_one_side_and_keeps_its_chat_private(
    mediation, mediator, applicant, respondent
):
    chair, a, r = await admitted_mediation(mediation, mediator, applicant, respondent)
    room = await chair.ok("room.open", label="Applicant side", members=[applicant.pk])
    assert room["key"] == "caucus-1" and room["kind"] == "caucus"
    await a.seat_of(applicant.pk, room="caucus-1")
    await chair.ok("room.move", user=mediator.pk, room="caucus-1")
    members = await database_sync_to_async(room_members)(mediation.pk, "caucus-1")
    assert sorted(members) == sorted([mediator.pk, applicant.pk])
    assert await database_sync_to_async(room_of)(mediation.pk, respondent.pk) == "main"
    await a.ok("chat.send", text="Our lowest figure is 15000.")
    chat = await chair.expect(lambda f: f["type"] == "chat")
    assert chat["room"] == "caucus-1" and chat["from"]["user"] == applicant.pk
    await r.ok("chat.send", text="Hello?")
    # the respondent's message stays in the main room; the caucus never sees it
    mine = await r.expect(lambda f: f["type"] == "chat")
    assert mine["room"] == "main" and mine["text"] == "Hello?"
    assert not [f for f in r.inbox if f["type"] == "chat"]
    pong = await a.request("ping")
    assert pong["type"] == "pong"
    assert not [f for f in a.inbox if f["type"] == "chat" and f["room"] == "main"]
    # closing the caucus sends everyone in it back to the main room
    closed = await chair.ok("room.close", room="caucus-1")
    assert closed["open"] is False
    await a.seat_of(applicant.pk, room="main")
    assert await database_sync_to_async(room_of)(mediation.pk, mediator.pk) == "main"
    for c in (chair, a, r):
        await c.close()


async def test_it_moves_someone_back_to_the_waiting_room(
    mediation, mediator, applicant, respondent
):
    chair, a, r = await admitted_mediation(mediation, mediator, applicant, respondent)
    await chair.ok("room.move", user=respondent.pk, room="waiting")
    seat = await r.seat_of(respondent.pk, room="waiting")
    assert seat["admission"] == "waiting"
    await r.refused("chat.send", "not_present", text="hello")
    await chair.refused("room.move", "tribunal_not_waiting", user=mediator.pk, room="waiting")
    for c in (chair, a, r):
        await c.close()


async def test_it_refuses_moves_into_locked_or_unknown_rooms(
    mediation, mediator, applicant, respondent
):
    chair, a, r = await admitted_mediation(mediation, mediator, applicant, respondent)
    await chair.ok("room.open", label="Respondent side")
    locked = await chair.ok("room.lock", room="caucus-1", locked=True)
    assert locked["locked"] is True
    await chair.refused("room.move", "room_locked", user=respondent.pk, room="caucus-1")
    await chair.refused("room.move", "no_such_room", user=respondent.pk, room="caucus-9")
    await chair.refused("room.move", "already_there", user=respondent.pk, room="main")
    await chair.refused("room.close", "room_permanent", room="main")
    await chair.refused("room.lock", "room_permanent", room="waiting", locked=True)
    for c in (chair, a, r):
        await c.close()


async def test_it_lets_the_panel_deliberate_alone(hearing, arbitrator, clerk, applicant):
    chair = await connect(hearing, arbitrator)
    desk = await connect(hearing, clerk)
    await control(chair, "open")
    party = await connect(hearing, applicant)
    await desk.ok("identity.verify", user=applicant.pk, method="in_person")
    await desk.ok("admit", user=applicant.pk)
    await chair.ok("room.open", label="Deliberation", members=[arbitrator.pk])
    seat = await party.seat_of(arbitrator.pk, room="caucus-1")
    assert seat["role"] == "presiding"
    assert await database_sync_to_async(room_members)(hearing.pk, "caucus-1") == [arbitrator.pk]
    for c in (chair, desk, party):
        await c.close()
