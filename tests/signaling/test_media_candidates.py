"""Trickled ICE candidates are checked before the media engine contacts anything: a port above
65535, a loopback, link-local or multicast address, or more candidates than a connection may
have is refused with a typed `bad_candidate` error (details.reason), with no traceback, and the
connection goes on."""

from __future__ import annotations

import logging
import re

import pytest

from tests.support.hearing_client import connect, control
from tests.support.hearing_media import (
    embedded_engine,
    offer_through,
    wait_for,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_worker_cleanup"),
    pytest.mark.usefixtures("no_error_logged"),
]


def _candidate(sdp: str, ip: str | None = None, port: int | None = None) -> dict:
    parts = re.search(r"^a=(candidate:[^\r\n]+ typ host)", sdp, re.M).group(1).split()
    if ip is not None:
        parts[4] = ip
    if port is not None:
        parts[5] = str(port)
    return {"candidate": " ".join(parts), "sdpMid": "0", "sdpMLineIndex": 0}


async def test_it_refuses_candidates_it_must_not_contact_with_typed_errors(
    mediation, mediator, media, caplog
):
    chair = await connect(mediation, mediator)
    await control(chair, "open")
    client, reply = await offer_through(chair, media, slots=1)
    try:
        assert reply["type"] == "media.answer", reply
        assert await wait_for(lambda: embedded_engine().stats()["connected"] == 1)
        caplog.clear()
        sdp = client.pc.localDescription.sdp
        err = await chair.refused(
            "media.candidate", "bad_candidate", candidate=_candidate(sdp, port=70000)
        )
        assert err["details"]["reason"] == "port" and err["message"]
        for address in ("127.0.0.1", "169.254.7.7", "224.0.0.251", "::1"):
            err = await chair.refused(
                "media.candidate", "bad_candidate", candidate=_candidate(sdp, ip=address)
            )
            assert err["details"]["reason"] == "address", address
        # an allowed candidate (this machine's own address) is still taken
        ok = await chair.request("media.candidate", candidate=_candidate(sdp, port=40123))
        assert ok["type"] == "ack", ok
        # at most TRIBUNAL_ICE_MAX_CANDIDATES (50) distinct candidates per connection
        replies = [
            await chair.request("media.candidate", candidate=_candidate(sdp, port=port))
            for port in range(42000, 42060)
        ]
        acked = [r for r in replies if r["type"] == "ack"]
        refused = [r for r in replies if r["type"] == "error"]
        assert refused and {(r["code"], r["details"]["reason"]) for r in refused} == {
            ("bad_candidate", "limit")
        }
        seat = embedded_engine().hearings[str(mediation.pk)].seats[str(mediator.pk)]
        assert len(seat.candidates) == 50 and len(acked) < 60
        assert embedded_engine().stats()["connected"] == 1, "the connection survived"
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    finally:
        await client.close()
        await chair.close()
