"""Which remote ICE candidates the engine will send connectivity checks to.

A participant names the addresses the engine should try (trickled `media.candidate`, or
`a=candidate` lines in an offer). Unchecked, that lets anyone make the server send packets to any
address and port: its loopback services, the private network behind it, a port that does not
exist (aioice then fails on every check). :class:`CandidatePolicy` allows:

* UDP candidates of type host, srflx or relay, component 1..256, port 1..65535;
* addresses that are public (globally routable), or inside a network the deployment lists, or
  (`local`, the default) inside a network of one of this machine's own interfaces, loopback and
  link-local excepted: a deployment on a private network reaches its participants there;
* mDNS names (``<uuid>.local``, resolved on this machine's own link) only when `local` is on;
* at most `limit` distinct candidates per peer connection.

Multicast, broadcast and unspecified addresses are never allowed. Every refusal is
``MediaError("bad_candidate", ..., details={"reason": ...})``.

Imported by the project's settings (``CandidatePolicy.parse``): standard library only at import.
"""

from __future__ import annotations

import ipaddress
import re
import time
from dataclasses import dataclass, field

from media.errors import MediaError

DEFAULT_LIMIT = 50
CANDIDATE_TYPES = ("host", "srflx", "relay")
MDNS_NAME = re.compile(r"^[a-zA-Z0-9-]{1,63}\.local$")
LOCAL_KEYWORD = "local"
PUBLIC_KEYWORD = "public"
INTERFACES_TTL = 30.0

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def bad_candidate(reason: str, message: str) -> MediaError:
    return MediaError("bad_candidate", message, details={"reason": reason})


def interface_networks() -> list[Network]:
    """The networks of this machine's interfaces, without loopback and link-local ones."""
    import ifaddr  # aioice's dependency, imported only when a candidate is checked

    networks: list[Network] = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            address = ip.ip if isinstance(ip.ip, str) else ip.ip[0]
            try:
                network = ipaddress.ip_network(f"{address}/{ip.network_prefix}", strict=False)
            except ValueError:
                continue
            if network.is_loopback or network.is_link_local:
                continue
            networks.append(network)
    return networks


@dataclass
class CandidatePolicy:
    networks: tuple[Network, ...] = ()
    local: bool = True
    limit: int = DEFAULT_LIMIT
    _interfaces: list[Network] = field(default_factory=list, repr=False)
    _interfaces_at: float = field(default=-INTERFACES_TTL, repr=False)

    @classmethod
    def parse(cls, value: str | None, *, limit: int = DEFAULT_LIMIT) -> CandidatePolicy:
        """A comma list of CIDR networks and the keyword ``local`` (this machine's own networks);
        ``public`` alone allows public addresses only. Empty or None means ``local``."""
        text = (value or "").strip() or LOCAL_KEYWORD
        items = [item.strip() for item in text.split(",") if item.strip()]
        if PUBLIC_KEYWORD in items and len(items) > 1:
            raise MediaError("bad_networks", "'public' cannot be combined with other networks.")
        networks: list[Network] = []
        for item in items:
            if item in (LOCAL_KEYWORD, PUBLIC_KEYWORD):
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise MediaError(
                    "bad_networks", f"{item!r} is not a network (CIDR), 'local' or 'public'."
                ) from None
        if limit < 1:
            raise MediaError("bad_networks", "The candidate limit must be at least 1.")
        return cls(networks=tuple(networks), local=LOCAL_KEYWORD in items, limit=limit)

    # ---- checks ------------------------------------------------------------------------------
    def check(self, *, ip: str, port: int, protocol: str, type: str, component: int) -> None:
        """Raise bad_candidate unless the engine may send connectivity checks there."""
        if str(protocol).lower() != "udp":
            raise bad_candidate("transport", "Only UDP candidates are used.")
        if type not in CANDIDATE_TYPES:
            raise bad_candidate("type", f"A candidate's type must be one of {CANDIDATE_TYPES}.")
        if not 1 <= component <= 256:
            raise bad_candidate("component", "A candidate's component must be 1..256.")
        if not 1 <= port <= 65535:
            raise bad_candidate("port", "A candidate's port must be 1..65535.")
        self.check_address(ip)

    def check_address(self, host: str) -> None:
        if MDNS_NAME.match(host or ""):
            if self.local:
                return  # resolved on this machine's own link only
            raise bad_candidate("address", "mDNS candidates are not allowed here.")
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            raise bad_candidate("address", "A candidate's address must be an IP address.") from None
        if not self.allows(address):
            raise bad_candidate("address", f"The address {address} is not allowed.")

    def allows(self, address: Address) -> bool:
        mapped = getattr(address, "ipv4_mapped", None)
        if mapped is not None:
            address = mapped
        if address.is_multicast or address.is_unspecified:
            return False
        if isinstance(address, ipaddress.IPv4Address) and address == ipaddress.IPv4Address(
            "255.255.255.255"
        ):
            return False
        if any(address in network for network in self.networks):
            return True
        if self.local and any(address in network for network in self._own_networks()):
            return True
        return address.is_global

    def _own_networks(self) -> list[Network]:
        now = time.monotonic()
        if now - self._interfaces_at >= INTERFACES_TTL:
            self._interfaces = interface_networks()
            self._interfaces_at = now
        return self._interfaces

    def describe(self) -> str:
        parts = [str(n) for n in self.networks] + ([LOCAL_KEYWORD] if self.local else [])
        return ", ".join(parts) or PUBLIC_KEYWORD


def candidate_key(*, ip: str, port: int, protocol: str, component: int) -> tuple:
    return (str(ip).lower(), int(port), str(protocol).lower(), int(component))
