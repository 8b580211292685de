"""Where the engine's UDP sockets live and what they advertise (media/network.py)."""

from __future__ import annotations

import asyncio
import re

import pytest
from aiortc import RTCPeerConnection

from media import network
from media.errors import MediaError


@pytest.fixture
def installed():
    def install(**kwargs):
        network.install(network.HostNetwork.parse(**kwargs))

    yield install
    network.install(network.HostNetwork())


def _host_candidates(sdp: str) -> list[tuple[str, int]]:
    return [
        (m.group(1), int(m.group(2)))
        for m in re.finditer(r"a=candidate:\S+ 1 udp \d+ (\S+) (\d+) typ host", sdp)
    ]


async def _offer(pc: RTCPeerConnection) -> str:
    pc.addTransceiver("audio")
    await pc.setLocalDescription(await pc.createOffer())
    return pc.localDescription.sdp


async def test_it_advertises_the_public_address_on_ports_of_the_range(installed):
    installed(bind="127.0.0.1", public_ip="203.0.113.7", port_min=41000, port_max=41009)
    pcs = [RTCPeerConnection() for _ in range(2)]
    try:
        candidates = [_host_candidates(await _offer(pc)) for pc in pcs]
    finally:
        await asyncio.gather(*(pc.close() for pc in pcs))
    for found in candidates:
        assert found and all(host == "203.0.113.7" for host, _ in found), found
        assert all(41000 <= port <= 41009 for _, port in found), found
    assert candidates[0][0][1] != candidates[1][0][1], "two connections on one port"


async def test_it_connects_two_peers_through_the_bound_address(installed):
    installed(bind="127.0.0.1", port_min=41010, port_max=41029)
    a, b = RTCPeerConnection(), RTCPeerConnection()
    try:
        a.createDataChannel("probe")
        await a.setLocalDescription(await a.createOffer())
        assert _host_candidates(a.localDescription.sdp)[0][0] == "127.0.0.1"
        await b.setRemoteDescription(a.localDescription)
        await b.setLocalDescription(await b.createAnswer())
        await a.setRemoteDescription(b.localDescription)
        async with asyncio.timeout(15):
            while not (a.connectionState == b.connectionState == "connected"):
                await asyncio.sleep(0.05)
    finally:
        await asyncio.gather(a.close(), b.close())


async def test_it_leaves_aioice_alone_by_default():
    from aiortc import rtcicetransport

    network.install(network.HostNetwork())
    assert rtcicetransport.Connection is network.aioice.Connection


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"bind": "not-an-ip"}, "not an IP address"),
        ({"public_ip": "example.org"}, "not an IP address"),
        ({"bind": "0.0.0.0"}, "public address"),
        ({"port_min": 80, "port_max": 90}, "1024..65535"),
        ({"port_min": 50000, "port_max": 40000}, "1024..65535"),
    ],
)
def test_it_refuses_bad_network_settings(kwargs, words):
    with pytest.raises(MediaError) as refused:
        network.HostNetwork.parse(**kwargs)
    assert refused.value.code == "bad_network" and words in refused.value.message
