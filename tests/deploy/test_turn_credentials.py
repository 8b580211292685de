"""Time-limited TURN credentials (signaling/ice.py), accepted and refused by a real coturn
configured as scripts/cluster configures it (hearing_server/cluster/conf.py)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import shutil
import subprocess
import time

import pytest
from aioice import turn

from hearing_server.cluster import conf
from hearing_server.cluster.run import free_port, reachable
from signaling.ice import ice_servers_for, turn_credential
from tests.support.require import need

SECRET = "a-shared-secret-for-the-test"


@pytest.fixture
def coturn(tmp_path):
    need(
        shutil.which("turnserver") is not None, "coturn is not installed (scripts/system-packages)"
    )
    port = free_port()
    path = tmp_path / "turnserver.conf"
    path.write_text(
        conf.turn_conf(
            run=tmp_path, logs=tmp_path, listen="127.0.0.1", port=port, relay_ip="127.0.0.1",
            relay_range=(49400, 49419), secret=SECRET, realm="test.local", loopback_peers=True,
        )
    )  # fmt: skip
    process = subprocess.Popen(
        ["turnserver", "-c", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 10
        while not reachable("127.0.0.1", port):
            assert process.poll() is None and time.monotonic() < deadline, "coturn did not start"
            time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


async def _allocate(port: int, username: str, password: str):
    transport, _ = await turn.create_turn_endpoint(
        asyncio.DatagramProtocol, ("127.0.0.1", port), username, password
    )
    relayed = transport.get_extra_info("sockname")
    transport.close()
    return relayed


def test_it_makes_the_coturn_rest_api_credential():
    username, credential = turn_credential("s3cret", 42, ttl=600, now=1_700_000_000)
    assert username == "1700000600:42"
    expected = hmac.new(b"s3cret", b"1700000600:42", hashlib.sha1).digest()
    assert base64.b64decode(credential) == expected


async def test_it_allocates_a_relay_with_a_fresh_credential(coturn):
    username, credential = turn_credential(SECRET, 7, ttl=600)
    host, port = await _allocate(coturn, username, credential)
    assert host == "127.0.0.1" and 49400 <= port <= 49419


@pytest.mark.parametrize(
    "made",
    [
        lambda: turn_credential(SECRET, 7, ttl=60, now=time.time() - 120),  # expired
        lambda: turn_credential("another-secret", 7, ttl=600),  # not ours
        lambda: (
            turn_credential(SECRET, 7, ttl=600)[0].replace(":7", ":8"),
            turn_credential(SECRET, 7, ttl=600)[1],
        ),
    ],
    ids=["expired", "wrong-secret", "other-user"],
)
async def test_it_is_refused_by_coturn_when_expired_or_forged(coturn, made):
    username, credential = made()
    with pytest.raises(Exception, match="401|Unauthorized|Forbidden|403"):
        await _allocate(coturn, username, credential)


def test_it_hands_the_page_turn_with_a_credential_for_its_user(settings):
    settings.TRIBUNAL_ICE_SERVERS = [{"urls": "stun:stun.example.org:3478"}]
    settings.TRIBUNAL_TURN_URLS = ["turn:turn.example.org:3478?transport=udp"]
    settings.TRIBUNAL_TURN_SECRET = SECRET
    settings.TRIBUNAL_TURN_TTL = 3600
    stun, relay = ice_servers_for(5)
    assert stun == {"urls": "stun:stun.example.org:3478"}
    expiry, user = relay["username"].split(":")
    assert user == "5" and 3590 <= int(expiry) - time.time() <= 3600
    assert relay["urls"] == ["turn:turn.example.org:3478?transport=udp"]
    assert relay["credential"] == turn_credential(SECRET, 5, ttl=0, now=int(expiry))[1]
    json.dumps(relay)
    settings.TRIBUNAL_TURN_URLS = []
    assert ice_servers_for(5) == [stun]
