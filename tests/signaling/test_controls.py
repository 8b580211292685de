"""Hearing state, recording, muting, removal, hands, the floor and chat, by role."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from case_core.audit import audit_verify
from case_core.models import Hearing, Notification
from signaling.models import HearingEvent
from signaling.services import hearing_log_verify
from tests.support.hearing_client import connect, control, verified_and_admitted

pytestmark = pytest.mark.django_db(transaction=True)


async def _in_session(hearing, arbitrator, clerk, applicant):
    chair = await connect(hearing, arbitrator)
    desk = await connect(hearing, clerk)
    await control(desk, "open")
    party = await connect(hearing, applicant)
    await verified_and_admitted(desk, party)
    await control(chair, "start")
    await party.expect(lambda f: f["type"] == "hearing" and f["hearing"]["status"] == "in_session")
    return chair, desk, party


async def test_it_walks_the_hearing_through_its_states(hearing, arbitrator, clerk, applicant):
    chair, desk, party = await _in_session(hearing, arbitrator, clerk, applicant)
    for action, status in (
        ("pause", "paused"),
        ("resume", "in_session"),
        ("adjourn", "adjourned"),
        ("open", "open"),
        ("close", "closed"),
    ):
        result = await control(chair, action)
        assert result["status"] == status
    # closing the hearing ends every connection with 4410
    assert await party.closed() == 4410
    h = await database_sync_to_async(Hearing.objects.get)(pk=hearing.pk)
    assert h.started_at and h.ended_at
    await chair.close()
    await desk.close()


async def test_it_refuses_impossible_transitions_and_other_roles(
    hearing, arbitrator, clerk, applicant
):
    chair, desk, party = await _in_session(hearing, arbitrator, clerk, applicant)
    await chair.refused("hearing.control", "invalid_transition", action="resume")
    await desk.refused("hearing.control", "forbidden", action="pause")
    await party.refused("hearing.control", "forbidden", action="close")
    for c in (chair, desk, party):
        await c.close()


async def test_it_announces_recording_to_everyone_and_logs_it(
    hearing, arbitrator, clerk, applicant, respondent
):
    chair, desk, party = await _in_session(hearing, arbitrator, clerk, applicant)
    waiting = await connect(hearing, respondent)
    await party.refused("recording.start", "forbidden")
    await desk.ok("recording.start")
    for c in (chair, party, waiting):
        notice = await c.expect(
            lambda f: f["type"] == "notice" and f["event"] == "recording.started"
        )
        assert notice["message"]
        state = await c.expect(lambda f: f.get("event") == "hearing.state")
        assert state["hearing"]["recording"] is True
    await desk.refused("recording.start", "already_recording")
    await desk.ok("recording.stop")
    await party.expect(lambda f: f["type"] == "notice" and f["event"] == "recording.stopped")
    kinds = await database_sync_to_async(
        lambda: list(HearingEvent.objects.filter(hearing=hearing).values_list("kind", flat=True))
    )()
    assert "recording.started" in kinds and "recording.stopped" in kinds
    for c in (chair, desk, party, waiting):
        await c.close()


async def test_it_mutes_asks_to_unmute_and_respects_the_lock(hearing, arbitrator, clerk, applicant):
    chair, desk, party = await _in_session(hearing, arbitrator, clerk, applicant)
    await party.ok("self.mute", muted=True)
    await party.ok("self.mute", muted=False)
    await desk.ok("participant.mute", user=applicant.pk)
    await party.seat_of(applicant.pk, muted=True, mute_locked=True)
    await party.refused("self.mute", "mute_locked", muted=False)
    await party.refused("participant.mute", "forbidden", user=clerk.pk)
    await chair.ok("participant.ask_unmute", user=applicant.pk)
    notice = await party.expect(lambda f: f["type"] == "notice")
    assert notice["event"] == "notice.unmute_requested"
    assert not [f for f in chair.inbox if f["type"] == "notice"]
    await party.ok("self.mute", muted=False)
    await party.seat_of(applicant.pk, muted=False)
    for c in (chair, desk, party):
        await c.close()


async def test_it_raises_hands_and_grants_the_floor(hearing, arbitrator, clerk, applicant, agent):
    chair, desk, party = await _in_session(hearing, arbitrator, clerk, applicant)
    second = await connect(hearing, agent)
    await verified_and_admitted(desk, second)
    await party.ok("hand.raise", raised=True)
    await chair.seat_of(applicant.pk, hand_raised=True)
    await party.refused("hand.raise", "no_change", raised=True)
    await desk.refused("floor.grant", "forbidden", user=applicant.pk)
    await chair.ok("floor.grant", user=applicant.pk)
    seat = await party.seat_of(applicant.pk, floor=True)
    assert seat["hand_raised"] is False
    await chair.ok("floor.grant", user=agent.pk)
    await party.seat_of(applicant.pk, floor=False)
    await party.seat_of(agent.pk, floor=True)
    assert (await chair.ok("floor.grant", user=None)) == {"floor": None}
    await second.seat_of(agent.pk, floor=False)
    for c in (chair, desk, party, second):
        await c.close()


async def test_it_removes_a_participant_who_cannot_come_back(hearing, arbitrator, clerk, applicant):
    chair, desk, party = await _in_session(hearing, arbitrator, clerk, applicant)
    await party.refused("participant.remove", "forbidden", user=clerk.pk)
    await desk.refused("participant.remove", "tribunal_not_removable", user=arbitrator.pk)
    await chair.ok("participant.remove", user=applicant.pk, reason="disorder")
    await party.seat_of(applicant.pk, admission="removed")
    assert await party.closed() == 4403
    from case_core.errors import DomainError
    from tests.support.hearing_client import issue

    with pytest.raises(DomainError) as err:
        await issue(applicant, hearing.pk)
    assert err.value.code == "forbidden"
    await chair.close()
    await desk.close()


async def test_it_keeps_chat_in_the_event_log_and_the_chains_intact(
    hearing, arbitrator, clerk, applicant, observer
):
    chair, desk, party = await _in_session(hearing, arbitrator, clerk, applicant)
    trainee = await connect(hearing, observer)
    assert trainee.welcome["you"]["room"] == "waiting"  # observers are not tribunal
    await desk.ok("admit", user=observer.pk)
    await party.ok("chat.send", text="  I have the payslips here.  ")
    for c in (chair, desk, party):
        chat = await c.expect(lambda f: f["type"] == "chat")
        assert chat["text"] == "I have the payslips here."
        assert chat["from"] == {"user": applicant.pk, "name": "applicant", "role": "applicant"}
    await trainee.refused("chat.send", "forbidden", text="hi")
    await party.refused("chat.send", "invalid", text="   ")
    event = await database_sync_to_async(
        lambda: HearingEvent.objects.get(hearing=hearing, kind="chat.message")
    )()
    assert event.data == {"text": "I have the payslips here."} and event.actor_id == applicant.pk
    ok, count = await database_sync_to_async(hearing_log_verify)(hearing_id=hearing.pk)
    assert ok and count > 5
    assert (await database_sync_to_async(audit_verify)()).ok
    for c in (chair, desk, party, trainee):
        await c.close()


async def test_it_reschedules_and_notifies_every_invitee(hearing, arbitrator, clerk, applicant):
    desk = await connect(hearing, clerk)
    party = await connect(hearing, applicant)
    start = (timezone.now() + timedelta(days=10)).replace(microsecond=0)
    await party.refused("hearing.reschedule", "forbidden", start=start.isoformat())
    await desk.refused("hearing.reschedule", "invalid_frame", start="next tuesday")
    result = await desk.ok("hearing.reschedule", start=start.isoformat())
    assert result["status"] == "scheduled"
    state = await party.expect(lambda f: f["type"] == "hearing")
    assert state["event"] == "hearing.rescheduled"
    notes = await database_sync_to_async(
        lambda: list(
            Notification.objects.filter(body__contains=f"/hearings/{hearing.pk}/").values_list(
                "user_id", "body"
            )
        )
    )()
    invited = {applicant.pk, clerk.pk, arbitrator.pk}
    assert invited <= {uid for uid, _ in notes}
    linked = {uid for uid, body in notes if f"/hearings/{hearing.pk}/join/" in body}
    assert applicant.pk in linked and not linked & {clerk.pk, arbitrator.pk}  # they sign in
    await desk.close()
    await party.close()
