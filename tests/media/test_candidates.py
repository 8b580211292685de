"""ICE candidates are checked before the engine sends a single connectivity check: ports
1..65535, allowed addresses only (public, listed networks, this machine's own networks), a limit
per connection; every refusal a typed bad_candidate, in the offer's SDP as well as trickled."""

from __future__ import annotations

import logging
import re

import pytest

from media.candidates import CandidatePolicy, interface_networks
from media.errors import MediaError
from tests.support.media import delta, join, wait_for

H = "hearing-ice"


def _own_address() -> str:
    networks = [n for n in interface_networks() if n.version == 4] or interface_networks()
    assert networks, "this machine has no non-loopback interface"
    network = networks[0]
    return str(network[1] if network.num_addresses > 2 else network[0])


def _check(policy: CandidatePolicy, ip: str, port: int = 40000, protocol: str = "udp") -> str:
    try:
        policy.check(ip=ip, port=port, protocol=protocol, type="host", component=1)
    except MediaError as exc:
        assert exc.code == "bad_candidate"
        return exc.details["reason"]
    return "ok"


def test_it_allows_public_addresses_and_refuses_what_a_participant_should_not_name():
    policy = CandidatePolicy.parse("")  # the default: public + this machine's networks
    assert policy.local and policy.limit == 50
    assert _check(policy, "8.8.8.8") == "ok"
    assert _check(policy, "2001:4860:4860::8888") == "ok"
    for address in ("127.0.0.1", "::1", "169.254.10.10", "fe80::1", "224.0.0.251", "0.0.0.0"):
        assert _check(policy, address) == "address", address
    assert _check(policy, "evil.example.com") == "address"
    assert _check(policy, "8.8.8.8", port=70000) == "port"
    assert _check(policy, "8.8.8.8", port=0) == "port"
    assert _check(policy, "8.8.8.8", protocol="tcp") == "transport"


def test_it_allows_private_networks_only_when_the_deployment_is_on_them():
    own = _own_address()
    public_only = CandidatePolicy.parse("public")
    assert _check(public_only, own) == "address"
    assert _check(public_only, "10.20.30.40") == "address"
    assert _check(public_only, "abcd-1234.local") == "address"  # mDNS: resolved on our link
    assert _check(CandidatePolicy.parse("local"), own) == "ok"
    assert _check(CandidatePolicy.parse("local"), "abcd-1234.local") == "ok"
    listed = CandidatePolicy.parse("10.0.0.0/8, fd12::/16")
    assert not listed.local
    assert _check(listed, "10.20.30.40") == "ok" and _check(listed, "fd12::5") == "ok"
    assert _check(listed, "::ffff:10.1.2.3") == "ok"  # an IPv4-mapped address is its IPv4
    assert _check(listed, "192.168.1.1") == "address"
    assert _check(listed, "127.0.0.1") == "address"
    for bad in ("10.0.0.0/33", "intranet", "public, local"):
        with pytest.raises(MediaError) as caught:
            CandidatePolicy.parse(bad)
        assert caught.value.code == "bad_networks"


def _candidate(sdp: str, **changes) -> dict:
    line = re.search(r"^a=(candidate:[^\r\n]+ typ host)", sdp, re.M).group(1)
    parts = line.split()
    if "ip" in changes:
        parts[4] = changes["ip"]
    if "port" in changes:
        parts[5] = str(changes["port"])
    return {"candidate": " ".join(parts), "sdpMid": "0", "sdpMLineIndex": 0}


async def test_it_refuses_a_port_above_65535_and_the_connection_lives_on(engine, media, caplog):
    chair = await join(engine, media, H, "arbitrator", slots=2)
    party = await join(engine, media, H, "applicant", slots=2)
    try:
        assert await wait_for(lambda: chair.received("video") > 10)
        caplog.clear()
        sdp = party.pc.localDescription.sdp
        with pytest.raises(MediaError) as caught:
            await engine.add_candidate(H, "applicant", _candidate(sdp, port=70000))
        assert (caught.value.code, caught.value.details["reason"]) == ("bad_candidate", "port")
        for address in ("127.0.0.1", "169.254.3.3", "224.0.0.1"):
            with pytest.raises(MediaError) as caught:
                await engine.add_candidate(H, "applicant", _candidate(sdp, ip=address))
            assert caught.value.details["reason"] == "address"
        got = await delta({"chair": chair}, "video", 1.5)
        assert got["chair"] > 20, "the refused candidates did not disturb the connection"
        assert engine.stats()["peer_connections"] == 2
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    finally:
        await chair.close()
        await party.close()


async def test_it_accepts_at_most_the_limit_of_candidates_per_connection(engine, media):
    engine.candidates = CandidatePolicy.parse("", limit=8)
    party = await join(engine, media, H, "applicant", slots=1)
    try:
        sdp = party.pc.localDescription.sdp
        kept = len(engine.hearings[H].seats["applicant"].candidates)
        assert 1 <= kept <= 8  # the offer's own candidates count
        accepted, refused = 0, []
        for port in range(41000, 41012):
            try:
                await engine.add_candidate(H, "applicant", _candidate(sdp, port=port))
                accepted += 1
            except MediaError as exc:
                refused.append(exc.details["reason"])
        assert accepted == 8 - kept and set(refused) == {"limit"}
        # the same candidate again is not a new one
        again = _candidate(sdp, port=41000)
        await engine.add_candidate(H, "applicant", again)
    finally:
        await party.close()


async def test_it_drops_disallowed_candidates_from_an_offer(engine, media):
    from media import testing

    await engine.set_room(H, "applicant", "main")
    client = testing.LoadClient(media, slots=1)
    try:
        offer = await client.offer()
        own = re.search(r"^a=candidate:\S+ 1 udp \d+ (\S+) (\d+) typ host", offer, re.M)
        bad = [
            f"a=candidate:9 1 udp 2130706431 127.0.0.1 {own.group(2)} typ host",
            f"a=candidate:8 1 udp 2130706431 {own.group(1)} 70000 typ host",
            f"a=candidate:7 1 udp 2130706431 169.254.1.1 {own.group(2)} typ host",
        ]
        offer = offer.replace(own.group(0), "\r\n".join([*bad, own.group(0)]), 1)
        await client.accept(await engine.offer(H, "applicant", offer))
        remote = engine.hearings[H].seats["applicant"].pc.remoteDescription.sdp
        assert "127.0.0.1" not in remote and " 70000 " not in remote and "169.254" not in remote
        assert await wait_for(lambda: engine.hearings[H].seats["applicant"].connected)
    finally:
        await client.close()
