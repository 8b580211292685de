"""One-way media from the waiting room over the real consumer and embedded media worker: a
waiting party's camera and microphone reach the chair and the clerk (who check the identity on
camera) and nobody else; an observer in the waiting room still has no media."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from case_core.models import Invitee
from tests.support.hearing_client import connect, control
from tests.support.hearing_media import embedded_engine, offer_through, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_worker_cleanup"),
]


def _sees(hearing, viewer, party) -> bool:
    layout = embedded_engine().layout(str(hearing.pk), str(viewer.pk))
    return any(s.get("participant_id") == str(party.pk) for s in layout)


async def test_it_sends_a_waiting_partys_camera_to_the_chair_and_clerk_only(
    mediation, mediator, clerk, applicant, respondent, observer, media
):
    await database_sync_to_async(Invitee.objects.create)(
        hearing=mediation, user=observer, role="observer"
    )
    chair = await connect(mediation, mediator)
    await control(chair, "open")
    k = await connect(mediation, clerk)
    r = await connect(mediation, respondent)
    await chair.ok("admit", user=respondent.pk)
    await r.seat_of(respondent.pk, admission="admitted")
    a = await connect(mediation, applicant)  # waits
    o = await connect(mediation, observer)  # waits
    clients = []
    try:
        for ws in (chair, k, r, a):
            client, reply = await offer_through(ws, media, slots=4)
            clients.append(client)
            assert reply["type"] == "media.answer", reply
        assert await wait_for(lambda: _sees(mediation, mediator, applicant), timeout=10)
        assert await wait_for(lambda: _sees(mediation, clerk, applicant), timeout=10)
        assert await wait_for(lambda: _sees(mediation, respondent, mediator), timeout=10)
        assert not _sees(mediation, respondent, applicant)
        assert not _sees(mediation, applicant, mediator)  # the waiting party receives nothing
        watcher, reply = await offer_through(o, media, slots=2)
        clients.append(watcher)
        assert reply["type"] == "error" and reply["code"] == "not_admitted", reply
    finally:
        for c in clients:
            await c.close()
        for ws in (chair, k, r, a, o):
            await ws.close()
