"""Presence: joined, left, reconnecting; rejoining within and after the grace period."""

import asyncio

import pytest
from channels.db import database_sync_to_async

from signaling.models import Seat
from signaling.services import room_of
from tests.support.hearing_client import connect, control, verified_and_admitted

pytestmark = pytest.mark.django_db(transaction=True)


async def _admitted(hearing, clerk, applicant):
    desk = await connect(hearing, clerk)
    await control(desk, "open")
    party = await connect(hearing, applicant)
    await verified_and_admitted(desk, party)
    return desk, party


async def test_it_keeps_the_seat_when_a_participant_rejoins_within_the_grace_period(
    hearing, clerk, applicant, settings
):
    settings.TRIBUNAL_RECONNECT_GRACE = 30
    desk, party = await _admitted(hearing, clerk, applicant)
    await party.close()  # the connection drops without a leave frame
    seat = await desk.seat_of(applicant.pk, presence="reconnecting")
    assert seat["room"] == "main"
    assert await database_sync_to_async(room_of)(hearing.pk, applicant.pk) == "main"
    again = await connect(hearing, applicant)
    assert again.welcome["rejoined"] is True
    assert again.welcome["you"]["room"] == "main"
    assert again.welcome["you"]["admission"] == "admitted"
    await desk.seat_of(applicant.pk, presence="joined", room="main")
    await desk.close()
    await again.close()


async def test_it_sends_a_participant_back_to_the_waiting_room_after_the_grace_period(
    hearing, clerk, applicant, settings
):
    settings.TRIBUNAL_RECONNECT_GRACE = 1
    desk, party = await _admitted(hearing, clerk, applicant)
    await party.close()
    await desk.seat_of(applicant.pk, presence="reconnecting")
    seat = await desk.seat_of(applicant.pk, presence="left")  # the grace timer fired
    assert seat["room"] is None
    assert await database_sync_to_async(room_of)(hearing.pk, applicant.pk) is None
    again = await connect(hearing, applicant)
    assert again.welcome["rejoined"] is False
    assert again.welcome["you"]["room"] == "waiting"
    assert again.welcome["you"]["admission"] == "waiting"
    assert again.welcome["you"]["verified"] is True  # the identity check stands
    settings.TRIBUNAL_RECONNECT_GRACE = 30
    await desk.close()
    await again.close()


async def test_it_rechecks_the_grace_period_on_rejoin_when_no_timer_ran(
    hearing, clerk, applicant, settings
):
    settings.TRIBUNAL_RECONNECT_GRACE = 30
    desk, party = await _admitted(hearing, clerk, applicant)
    await party.close()
    await desk.seat_of(applicant.pk, presence="reconnecting")
    settings.TRIBUNAL_RECONNECT_GRACE = 0  # as if the process holding the timer had died
    await asyncio.sleep(0.05)
    again = await connect(hearing, applicant)
    assert again.welcome["you"]["room"] == "waiting"
    settings.TRIBUNAL_RECONNECT_GRACE = 30
    await desk.close()
    await again.close()


async def test_it_marks_a_clean_leave_as_left(hearing, clerk, applicant):
    desk, party = await _admitted(hearing, clerk, applicant)
    reply = await party.request("leave")
    assert reply["type"] == "ack"
    assert await party.closed() == 1000
    seat = await desk.seat_of(applicant.pk, presence="left")
    assert seat["room"] is None
    await desk.close()


async def test_it_replaces_an_older_connection_of_the_same_person(hearing, clerk, applicant):
    desk, party = await _admitted(hearing, clerk, applicant)
    second = await connect(hearing, applicant)
    assert second.welcome["you"]["room"] == "main"  # a live seat moves to the new connection
    assert await party.closed() == 4409
    await asyncio.sleep(0.05)
    seat = await database_sync_to_async(Seat.objects.get)(hearing=hearing, user=applicant)
    assert seat.presence == "joined" and seat.channel_name
    await second.ok("chat.send", text="still here")
    await desk.expect(lambda f: f["type"] == "chat")
    await desk.close()
    await second.close()


async def test_it_keeps_the_tribunal_in_its_caucus_on_a_quick_rejoin(mediation, mediator, settings):
    settings.TRIBUNAL_RECONNECT_GRACE = 30
    chair = await connect(mediation, mediator)
    await control(chair, "open")
    await chair.ok("room.open", label="Notes", members=[mediator.pk])
    await chair.close()
    again = await connect(mediation, mediator)
    assert again.welcome["you"]["room"] == "caucus-1"
    await again.close()
