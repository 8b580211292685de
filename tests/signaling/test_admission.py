"""Joining, the waiting room, identity verification and admission."""

import pytest
from channels.db import database_sync_to_async

from signaling.models import IdentityCheck
from signaling.services import room_members, room_of
from tests.support.hearing_client import connect, control, verified_and_admitted

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_seats_the_tribunal_in_the_main_room_and_parties_in_the_waiting_room(
    hearing, arbitrator, clerk, applicant
):
    chair = await connect(hearing, arbitrator)
    assert chair.welcome["you"]["room"] == "main"
    assert chair.welcome["you"]["admission"] == "admitted"
    assert chair.welcome["hearing"]["status"] == "scheduled"
    party = await connect(hearing, applicant)
    assert party.welcome["you"]["room"] == "waiting"
    assert party.welcome["you"]["admission"] == "waiting"
    # a waiting party sees only themselves; the tribunal sees the whole roster
    assert [x["user"] for x in party.welcome["seats"]] == [applicant.pk]
    seat = await chair.seat_of(applicant.pk, presence="joined")
    assert seat["room"] == "waiting"
    assert await database_sync_to_async(room_of)(hearing.pk, applicant.pk) == "waiting"
    assert await database_sync_to_async(room_members)(hearing.pk, "main") == [arbitrator.pk]
    await chair.close()
    await party.close()


async def test_it_refuses_to_admit_an_unverified_party_to_an_arbitration_hearing(
    hearing, clerk, applicant
):
    desk = await connect(hearing, clerk)
    await control(desk, "open")
    party = await connect(hearing, applicant)
    await desk.refused("admit", "not_verified", user=applicant.pk)
    await desk.ok("identity.verify", user=applicant.pk, method="face_match", note="matched")
    check = await database_sync_to_async(IdentityCheck.objects.get)(hearing=hearing, user=applicant)
    assert (check.verified_by_id, check.method, check.note) == (clerk.pk, "face_match", "matched")
    assert check.verified_at is not None
    await desk.ok("admit", user=applicant.pk)
    seat = await party.seat_of(applicant.pk, admission="admitted")
    assert seat["room"] == "main" and seat["verified"] is True
    assert await database_sync_to_async(room_of)(hearing.pk, applicant.pk) == "main"
    await desk.close()
    await party.close()


async def test_it_admits_in_a_mediation_without_identity_check(mediation, mediator, applicant):
    chair = await connect(mediation, mediator)
    await control(chair, "open")
    party = await connect(mediation, applicant)
    await chair.ok("admit", user=applicant.pk)
    await party.seat_of(applicant.pk, admission="admitted", room="main")
    await chair.close()
    await party.close()


async def test_it_admits_all_verified_and_reports_the_rest(hearing, clerk, applicant, respondent):
    desk = await connect(hearing, clerk)
    await control(desk, "open")
    a = await connect(hearing, applicant)
    r = await connect(hearing, respondent)
    await desk.ok("identity.verify", user=applicant.pk, method="in_person")
    result = await desk.ok("admit.all")
    assert result["admitted"] == [applicant.pk]
    assert result["skipped"] == [{"user": respondent.pk, "code": "not_verified"}]
    await a.seat_of(applicant.pk, admission="admitted")
    for c in (desk, a, r):
        await c.close()


async def test_it_refuses_one_person_and_closes_their_connection(hearing, clerk, applicant):
    desk = await connect(hearing, clerk)
    await control(desk, "open")
    party = await connect(hearing, applicant)
    await desk.ok("refuse", user=applicant.pk, reason="not a party")
    seat = await party.seat_of(applicant.pk, admission="refused")
    assert seat["room"] is None
    err = await party.expect(lambda f: f["type"] == "error")
    assert err["code"] == "refused"
    assert await party.closed() == 4403
    # a refused person cannot get a new credential
    from case_core.errors import DomainError
    from signaling.services import credential_issue

    with pytest.raises(DomainError):
        await database_sync_to_async(credential_issue)(actor=applicant, hearing_id=hearing.pk)
    await desk.close()


async def test_it_refuses_everyone_waiting_at_once(hearing, clerk, applicant, respondent):
    desk = await connect(hearing, clerk)
    await control(desk, "open")
    a = await connect(hearing, applicant)
    r = await connect(hearing, respondent)
    result = await desk.ok("refuse.all", reason="wrong hearing")
    assert sorted(result["refused"]) == sorted([applicant.pk, respondent.pk])
    assert await a.closed() == 4403
    assert await r.closed() == 4403
    await desk.close()


async def test_it_does_not_admit_before_the_waiting_room_opens(hearing, clerk, applicant):
    desk = await connect(hearing, clerk)
    party = await connect(hearing, applicant)
    await desk.ok("identity.verify", user=applicant.pk, method="real_name_account")
    await desk.refused("admit", "hearing_not_open", user=applicant.pk)
    await desk.close()
    await party.close()


async def test_it_refuses_admission_while_the_main_room_is_locked(hearing, clerk, applicant):
    desk = await connect(hearing, clerk)
    await control(desk, "open")
    party = await connect(hearing, applicant)
    await desk.ok("identity.verify", user=applicant.pk, method="in_person")
    await desk.ok("room.lock", room="main", locked=True)
    await desk.refused("admit", "room_locked", user=applicant.pk)
    await desk.ok("room.lock", room="main", locked=False)
    await verified_and_admitted(desk, party)
    await desk.close()
    await party.close()


async def test_it_requires_a_note_when_the_verification_method_is_other(hearing, clerk, applicant):
    desk = await connect(hearing, clerk)
    party = await connect(hearing, applicant)
    await desk.refused("identity.verify", "invalid", user=applicant.pk, method="other")
    await desk.ok("identity.verify", user=applicant.pk, method="other", note="video call")
    await desk.refused("identity.verify", "not_verifiable", user=clerk.pk, method="in_person")
    await desk.close()
    await party.close()
