"""Bad input: each class gets a typed error frame or a clean close; nothing changes; server stays up."""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async

from signaling.models import HearingEvent, JoinCredential
from tests.support.hearing_client import Client, connect, control, issue

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("no_error_logged")]


async def _events(hearing):
    return await database_sync_to_async(HearingEvent.objects.filter(hearing=hearing).count)()


async def test_it_answers_each_malformed_frame_with_a_typed_error(
    hearing, clerk, applicant, settings
):
    desk = await connect(hearing, clerk)
    await control(desk, "open")
    party = await connect(hearing, applicant)
    before = await _events(hearing)
    h = hearing.pk
    cases = [
        ("{not json", "bad_json"),
        ("[1, 2]", "bad_json"),
        ('"hello"', "bad_json"),
        (json.dumps({"v": 1, "hearing": h}), "invalid_frame"),
        (json.dumps({"type": 7, "v": 1, "hearing": h}), "invalid_frame"),
        (json.dumps({"type": "teleport", "v": 1, "hearing": h, "ref": "a"}), "unknown_type"),
        (json.dumps({"type": "admit", "v": 2, "hearing": h, "user": 1}), "unsupported_version"),
        (json.dumps({"type": "admit", "hearing": h, "user": 1}), "unsupported_version"),
        (json.dumps({"type": "admit", "v": 1, "hearing": h}), "invalid_frame"),  # missing field
        (json.dumps({"type": "admit", "v": 1, "hearing": h, "user": 1, "x": 1}), "invalid_frame"),
        (json.dumps({"type": "admit", "v": 1, "hearing": h, "user": "1"}), "invalid_frame"),
        (
            json.dumps({"type": "room.lock", "v": 1, "hearing": h, "room": "main", "locked": 1}),
            "invalid_frame",
        ),
        (json.dumps({"type": "admit", "v": 1, "hearing": str(h), "user": 1}), "invalid_frame"),
        (
            json.dumps({"type": "admit", "v": 1, "hearing": h + 1000, "user": applicant.pk}),
            "wrong_hearing",
        ),
        (
            json.dumps({"type": "chat.send", "v": 1, "hearing": h, "text": "x" * 2001}),
            "invalid_frame",
        ),
        (json.dumps({"type": "hello", "v": 1, "hearing": h, "credential": "x"}), "already_joined"),
        ("x" * (settings.TRIBUNAL_WS_MAX_FRAME_BYTES + 1), "frame_too_large"),
        (
            json.dumps({"type": "chat.send", "v": 1, "hearing": h, "text": "é" * 1999})
            if settings.TRIBUNAL_WS_MAX_FRAME_BYTES < 4000
            else "é" * 9000,
            "frame_too_large",
        ),
    ]
    for text, code in cases:
        await desk.send_raw(text)
        reply = await desk.expect(lambda f: f["type"] == "error")
        assert reply["code"] == code, (text[:80], reply)
        assert reply["v"] == 1 and reply["message"]
    ref_reply = await desk.request("admit", user="nope")
    assert ref_reply["code"] == "invalid_frame"
    assert ref_reply["details"]["errors"] == [{"field": "user", "problem": "int_type"}]
    await desk.comm.send_to(bytes_data=b"\x00\x01")
    assert (await desk.expect(lambda f: f["type"] == "error"))["code"] == "binary_not_supported"
    assert await _events(hearing) == before  # nothing in the hearing changed
    # the server is still up for everyone
    assert (await party.request("ping"))["type"] == "pong"
    assert (await desk.request("ping"))["type"] == "pong"
    await desk.close()
    await party.close()


async def test_it_refuses_frames_before_hello_and_closes_without_one(hearing, settings):
    settings.TRIBUNAL_WS_HELLO_TIMEOUT = 1
    client = await Client(hearing.pk).open()
    reply = await client.request("ping")
    assert reply["code"] == "not_joined"
    err = await client.expect(lambda f: f["type"] == "error")
    assert err["code"] == "hello_timeout"
    assert await client.closed() == 4408


async def test_it_refuses_a_replayed_credential(hearing, applicant):
    token = await issue(applicant, hearing.pk)
    first = Client(hearing.pk, applicant)
    await first.join(token)
    await first.request("leave")
    second = Client(hearing.pk, applicant)
    reply = await second.join(token, expect_welcome=False)
    assert reply["code"] == "credential_used"
    assert await second.closed() == 4401


async def test_it_refuses_an_expired_credential(hearing, applicant, settings):
    token = await issue(applicant, hearing.pk)
    await database_sync_to_async(
        lambda: JoinCredential.objects.update(expires_at="2000-01-01T00:00:00Z")
    )()
    client = Client(hearing.pk, applicant)
    assert (await client.join(token, expect_welcome=False))["code"] == "credential_expired"
    assert await client.closed() == 4401
    # and one whose signature is older than the TTL
    token = await issue(applicant, hearing.pk)
    settings.TRIBUNAL_JOIN_CREDENTIAL_TTL = -1
    client = Client(hearing.pk, applicant)
    assert (await client.join(token, expect_welcome=False))["code"] == "credential_expired"
    assert await client.closed() == 4401


async def test_it_refuses_forged_credentials_and_ones_for_another_hearing(
    hearing, mediation, applicant
):
    client = Client(hearing.pk, applicant)
    assert (await client.join("forged:token", expect_welcome=False))["code"] == "credential_invalid"
    assert await client.closed() == 4401
    token = await issue(applicant, mediation.pk)
    client = Client(hearing.pk, applicant)
    reply = await client.join(token, expect_welcome=False)
    assert reply["code"] == "credential_wrong_hearing"
    assert await client.closed() == 4404
    # the credential was not used up by the failed attempt
    ok = Client(mediation.pk, applicant)
    await ok.join(token)
    await ok.close()


async def test_it_rate_limits_and_closes_a_flooding_connection(hearing, clerk, applicant, settings):
    settings.TRIBUNAL_WS_RATE = 5
    settings.TRIBUNAL_WS_BURST = 5
    desk = await connect(hearing, clerk)
    flood = await connect(hearing, applicant)
    frame = json.dumps({"type": "ping", "v": 1, "hearing": hearing.pk})
    for _ in range(40):
        await flood.send_raw(frame)
    codes = []
    while True:
        f = await flood.recv()
        if f["type"] == "__closed__":
            assert f["code"] == 4429
            break
        codes.append(f.get("code", f["type"]))
    assert "rate_limited" in codes and "pong" in codes
    await asyncio.sleep(0.05)
    assert (await desk.request("ping"))["type"] == "pong"  # everyone else is unaffected
    await desk.close()


async def test_it_refuses_an_outsider_everywhere(hearing, outsider):
    from case_core.errors import DomainError

    with pytest.raises(DomainError) as err:
        await issue(outsider, hearing.pk)
    assert err.value.code == "not_found"
