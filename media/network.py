"""Where the engine's media sockets live and what address it advertises (behind NAT, in a container).

aioice binds one UDP socket per interface address on an ephemeral port and advertises that
address. A deployment needs more: a fixed port range it can publish or open in a firewall, and
the public address clients reach (a container's or a NAT'd host's own address is not it). A
:class:`HostNetwork` says so:

* ``bind``: the addresses to bind (empty: every interface address, as aioice does; ``0.0.0.0``
  receives on all of them with one socket);
* ``public_ip``: the address written into the host candidates instead of the bound one
  (one-to-one NAT, as Janus' ``nat_1_1_mapping`` or mediasoup's ``announcedIp``);
* ``port_min``..``port_max``: the UDP ports to bind (0, 0: ephemeral).

:func:`install` makes aiortc's ICE gatherer use a :class:`aioice.Connection` subclass that
gathers its host candidates that way; server-reflexive and relayed candidates are aioice's own.
aiortc is pinned (media/passthrough.py); :func:`install` checks that the gatherer still builds
its connection from the module attribute it replaces.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import random
import socket
from dataclasses import dataclass

import aioice
from aioice import ice as aioice_ice
from aioice import turn as aioice_turn
from aioice.candidate import Candidate, candidate_foundation, candidate_priority

from media.errors import MediaError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HostNetwork:
    bind: tuple[str, ...] = ()
    public_ip: str = ""
    port_min: int = 0
    port_max: int = 0

    @classmethod
    def parse(cls, *, bind: str = "", public_ip: str = "", port_min: int = 0, port_max: int = 0):
        """Checked values from the settings; a bad one raises MediaError("bad_network")."""
        addresses = tuple(item.strip() for item in (bind or "").split(",") if item.strip())
        for address in (*addresses, *([public_ip] if public_ip else [])):
            try:
                ipaddress.ip_address(address)
            except ValueError:
                raise MediaError("bad_network", f"{address!r} is not an IP address.") from None
        if any(ipaddress.ip_address(a).is_unspecified for a in addresses) and not public_ip:
            raise MediaError(
                "bad_network", "binding every address (0.0.0.0) needs the public address to name."
            )
        if (port_min or port_max) and not (1024 <= port_min <= port_max <= 65535):
            raise MediaError(
                "bad_network",
                f"the media port range must lie within 1024..65535, got {port_min}..{port_max}.",
            )
        return cls(bind=addresses, public_ip=public_ip or "", port_min=port_min, port_max=port_max)

    @property
    def is_default(self) -> bool:
        return not (self.bind or self.public_ip or self.port_min)

    def ports(self) -> list[int]:
        """The ports to try, from a random start so that workers sharing a range spread out."""
        if not self.port_min:
            return [0]
        ports = list(range(self.port_min, self.port_max + 1))
        start = random.randrange(len(ports))
        return ports[start:] + ports[:start]


async def _bind(connection, address: str, network: HostNetwork):
    loop = asyncio.get_running_loop()
    for port in network.ports():
        try:
            transport, protocol = await loop.create_datagram_endpoint(
                lambda: aioice_ice.StunProtocol(connection), local_addr=(address, port)
            )
        except OSError:
            continue
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, aioice_turn.UDP_SOCKET_BUFFER_SIZE)
        return protocol
    log.warning("no free UDP port on %s in %s..%s", address, network.port_min, network.port_max)
    return None


def connection_class(network: HostNetwork) -> type:
    """An aioice Connection whose host candidates follow `network`."""

    class HostNetworkConnection(aioice.Connection):
        async def get_component_candidates(self, component, addresses, timeout=5):
            if self._transport_policy != aioice.TransportPolicy.ALL:
                return await super().get_component_candidates(component, addresses, timeout)
            hosts = []
            for address in network.bind or tuple(addresses):
                protocol = await _bind(self, address, network)
                if protocol is None:
                    continue
                bound = protocol.transport.get_extra_info("sockname")
                advertised = network.public_ip or bound[0]
                protocol.local_candidate = Candidate(
                    foundation=candidate_foundation("host", "udp", advertised),
                    component=component,
                    transport="udp",
                    priority=candidate_priority(component, "host"),
                    host=advertised,
                    port=bound[1],
                    type="host",
                )
                self._protocols.append(protocol)
                hosts.append(protocol.local_candidate)
            # STUN and TURN as aioice does them (no second host socket: no addresses).
            return hosts + await super().get_component_candidates(component, [], timeout)

    return HostNetworkConnection


def install(network: HostNetwork) -> None:
    """Make every ICE gatherer created from now on in this process use `network`."""
    from aiortc import rtcicetransport

    current = getattr(rtcicetransport, "Connection", None)
    if current is None or not issubclass(current, aioice.Connection):
        raise MediaError("bad_network", "aiortc no longer builds its ICE connection here.")
    base = getattr(current, "_tribunal_base", current)
    if network.is_default:
        rtcicetransport.Connection = base
        return
    cls = connection_class(network)
    cls._tribunal_base = base
    rtcicetransport.Connection = cls
