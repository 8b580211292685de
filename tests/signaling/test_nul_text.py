"""Control characters in the protocol's text fields: NUL (which PostgreSQL cannot store) and the
rest of C0 get `invalid_frame` naming the field and change nothing; chat keeps newlines and tabs.
Run it on PostgreSQL too (DATABASE_URL=postgres://...)."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async

from case_core.models import AuditEntry
from signaling.models import HearingEvent, HearingRoom, IdentityCheck, Seat
from tests.support.hearing_client import Client, connect, control, verified_and_admitted

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("no_error_logged")]


def _state(hearing) -> tuple:
    return (
        list(HearingEvent.objects.filter(hearing=hearing).values_list("seq", "kind")),
        AuditEntry.objects.count(),
        IdentityCheck.objects.count(),
        list(HearingRoom.objects.filter(hearing=hearing).values_list("key", "label")),
        list(
            Seat.objects.filter(hearing=hearing)
            .order_by("user_id")
            .values_list("user_id", "admission", "room_id", "verified", "muted")
        ),
    )


async def test_it_refuses_control_characters_in_every_text_field_and_changes_nothing(
    hearing, arbitrator, clerk, applicant, respondent
):
    chair = await connect(hearing, arbitrator)
    desk = await connect(hearing, clerk)
    await control(desk, "open")
    party = await connect(hearing, applicant)
    await verified_and_admitted(desk, party)
    await control(chair, "start")
    waiting = await connect(hearing, respondent)
    before = await database_sync_to_async(_state)(hearing)
    r = respondent.pk
    cases = [
        (party, "chat.send", {"text": "payslips\x00attached"}, "text"),
        (party, "chat.send", {"text": "\x00"}, "text"),
        (party, "chat.send", {"text": "bell\x07 and escape\x1b[2J"}, "text"),
        (party, "chat.send", {"text": "carriage\rreturn"}, "text"),
        (chair, "room.open", {"label": "Applicant\x00side", "members": []}, "label"),
        (chair, "room.open", {"label": "two\nlines", "members": []}, "label"),
        (chair, "room.open", {"label": "tab\there", "members": []}, "label"),
        (desk, "refuse", {"user": r, "reason": "no\x00reason"}, "reason"),
        (desk, "refuse.all", {"reason": "\x00"}, "reason"),
        (chair, "participant.remove", {"user": applicant.pk, "reason": "dis\x00order"}, "reason"),
        (desk, "identity.verify", {"user": r, "method": "other", "note": "id\x00"}, "note"),
        (desk, "identity.verify", {"user": r, "method": "other", "note": "del\x7f"}, "note"),
        (party, "ping", {"ref": "p\x00"}, "ref"),
    ]
    for client, frame_type, fields, field in cases:
        reply = (
            await client.refused(frame_type, "invalid_frame", **fields) if field != "ref" else None
        )
        if reply is None:  # a bad ref cannot be echoed: the error comes back without one
            frame = {"type": frame_type, "v": 1, "hearing": hearing.pk, **fields}
            await client.send_raw(json.dumps(frame))
            reply = await client.expect(lambda f: f["type"] == "error")
            assert reply["code"] == "invalid_frame" and reply["ref"] is None
        assert reply["details"]["errors"] == [{"field": field, "problem": "control_character"}], (
            frame_type,
            fields,
            reply,
        )
    assert await database_sync_to_async(_state)(hearing) == before
    # a credential with a NUL: refused the same way, and the connection stays open for a real one
    fresh = await Client(hearing.pk, respondent).open()
    reply = await fresh.refused("hello", "invalid_frame", credential="abc\x00")
    assert reply["details"]["errors"] == [{"field": "credential", "problem": "control_character"}]
    assert (await fresh.request("ping"))["code"] == "not_joined"
    await fresh.close()
    # everyone is still connected; chat, reasons and notes may span lines, with tabs
    text = "Line one\n\tLine two"
    assert (await party.ok("chat.send", text=text))["room"] == "main"
    chat = await chair.expect(lambda f: f["type"] == "chat")
    assert chat["text"] == text
    await desk.ok("identity.verify", user=r, method="other", note="Passport\nchecked\ton camera")
    await desk.ok("refuse", user=r, reason="Not a party\nto this case")
    assert await waiting.closed() == 4403
    for c in (chair, desk, party):
        await c.close()
