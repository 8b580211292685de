"""Each role's permissions: every control frame from a role that may not use it is refused."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from case_core.models import Invitee
from signaling.services._common import PERMISSIONS
from tests.support.hearing_client import connect, control
from tests.support.personas import make_user

pytestmark = pytest.mark.django_db(transaction=True)

NOBODY = 999999
# Each frame with arguments that fail *after* the permission check (or do no harm).
PROBES = {
    "hearing.control": ("hearing.open", {"action": "open"}),  # already open: refused after
    "hearing.reschedule": (
        "hearing.reschedule",
        {"start": (timezone.now() + timedelta(days=9)).isoformat()},
    ),
    "admit": ("admit", {"user": NOBODY}),
    "admit.all": ("admit", {}),
    "refuse": ("refuse", {"user": NOBODY}),
    "refuse.all": ("refuse", {}),
    # an observer without an account: refused after the permission check
    "invite": ("invite", {"role": "observer", "name": "Probe", "phone": "13900000000"}),
    "identity.verify": ("identity.verify", {"user": NOBODY, "method": "in_person"}),
    "room.open": ("room.open", {"label": "Probe"}),
    "room.close": ("room.close", {"room": "caucus-99"}),
    "room.move": ("room.move", {"user": NOBODY, "room": "main"}),
    "room.lock": ("room.lock", {"room": "caucus-99", "locked": True}),
    "participant.mute": ("participant.mute", {"user": NOBODY}),
    "participant.ask_unmute": ("participant.ask_unmute", {"user": NOBODY}),
    "participant.remove": ("participant.remove", {"user": NOBODY}),
    "floor.grant": ("floor.grant", {"user": NOBODY}),
    "recording.start": ("recording.start", {}),
    "recording.stop": ("recording.stop", {}),
    "hand.raise": ("hand.raise", {"raised": False}),
    "chat.send": ("chat.send", {"text": "probe"}),
    "self.mute": ("self.mute", {"muted": True}),
}
ROLES = [
    "presiding",
    "arbitrator",
    "clerk",
    "applicant",
    "respondent",
    "agent",
    "witness",
    "observer",
    "mediator",
]


@pytest.mark.parametrize("role", ROLES)
async def test_it_allows_each_role_only_its_controls(role, hearing, mediation, clerk):
    target = mediation if role == "mediator" else hearing
    user = await database_sync_to_async(
        lambda: Invitee.objects.filter(hearing=target, role=role).first()
    )()
    if user is None:  # roles the fixtures do not invite: add one
        user = await database_sync_to_async(
            lambda: Invitee.objects.create(hearing=target, user=make_user(f"x-{role}"), role=role)
        )()
    user = await database_sync_to_async(lambda: user.user)()
    desk = await connect(target, clerk)
    await control(desk, "open")
    me = desk if user.pk == clerk.pk else await connect(target, user)
    for frame_type, (action, fields) in PROBES.items():
        reply = await me.request(frame_type, **fields)
        allowed = role in PERMISSIONS[action]
        if allowed:
            assert reply.get("code") != "forbidden", (role, frame_type, reply)
        else:
            assert reply["type"] == "error" and reply["code"] == "forbidden", (role, frame_type)
    await desk.close()
    if me is not desk:
        await me.close()
