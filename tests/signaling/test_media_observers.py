"""Observers (the legal-aid officer, the trainee) receive the hearing's audio and video but may
not send any: the media worker refuses an observer's offer that sends (`publish_forbidden`),
whatever their browser does, and their page does not open a microphone or camera."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from case_core.models import Invitee
from tests.support.hearing_client import connect
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


async def test_it_refuses_an_observers_microphone_and_camera_and_lets_them_watch(
    mediation, mediator, applicant, respondent, observer, media
):
    await database_sync_to_async(Invitee.objects.create)(
        hearing=mediation, user=observer, role="observer"
    )
    chair, a, r = await admitted_mediation(mediation, mediator, applicant, respondent)
    trainee = await connect(mediation, observer)
    await chair.ok("admit", user=observer.pk)
    await trainee.seat_of(observer.pk, admission="admitted")
    clients = []
    try:
        chair_media, reply = await offer_through(chair, media, slots=2)
        clients.append(chair_media)
        assert reply["type"] == "media.answer", reply
        # the trainee's browser (or a tampered one) offers a microphone and a camera: refused
        sending, reply = await offer_through(trainee, media, slots=2)
        clients.append(sending)
        assert reply["type"] == "error" and reply["code"] == "publish_forbidden", reply
        hearing = embedded_engine().hearings[str(mediation.pk)]
        assert not hearing.seats[str(observer.pk)].publications
        # receive-only slots: answered, and the trainee sees and hears the mediator
        watching, reply = await offer_through(trainee, None, slots=2)
        clients.append(watching)
        assert reply["type"] == "media.answer", reply
        layout = await trainee.expect(
            lambda f: (
                f["type"] == "media.layout"
                and {"mic", "camera"}
                <= {s["source"] for s in f["slots"] if s["participant_id"] == mediator.pk}
            ),
            timeout=8,
        )
        assert await wait_for(lambda: from_user(layout, watching, mediator.pk)["video"] > 10)
        assert all(
            slot["participant_id"] != observer.pk
            for slot in embedded_engine().layout(str(mediation.pk), str(mediator.pk))
        )
    finally:
        for c in clients:
            await c.close()
        for ws in (chair, a, r, trainee):
            await ws.close()
