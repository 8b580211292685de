"""ICE configuration: the servers to use (nothing public by default) and the RTC configuration.

Imported by the project's settings, so it must stay light (aiortc is imported only when used).
A bad value raises MediaError("bad_ice_servers"); the settings turn it into their own error."""

from __future__ import annotations

import json

from media.errors import MediaError


def _bad(message: str) -> MediaError:
    return MediaError("bad_ice_servers", message)


def parse_ice_servers(value: str | None) -> list[dict]:
    """TRIBUNAL_ICE_SERVERS: JSON (a list of {"urls", "username", "credential"}) or a comma list
    of URLs (stun:host:port, turn:host:port?transport=udp). Empty means no servers at all."""
    if value is None or not value.strip():
        return []
    text = value.strip()
    if text.startswith("["):
        try:
            servers = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _bad(f"TRIBUNAL_ICE_SERVERS is not valid JSON: {exc}") from None
    else:
        servers = [{"urls": item.strip()} for item in text.split(",") if item.strip()]
    result = []
    for server in servers:
        if not isinstance(server, dict) or "urls" not in server:
            raise _bad(f"TRIBUNAL_ICE_SERVERS entry needs 'urls': {server!r}")
        urls = server["urls"] if isinstance(server["urls"], list) else [server["urls"]]
        for url in urls:
            if not isinstance(url, str) or not url.startswith(
                ("stun:", "stuns:", "turn:", "turns:")
            ):
                raise _bad(f"TRIBUNAL_ICE_SERVERS url must be stun:/turn:, got {url!r}")
        unknown = set(server) - {"urls", "username", "credential"}
        if unknown:
            raise _bad(f"TRIBUNAL_ICE_SERVERS entry has unknown keys {sorted(unknown)}")
        result.append(dict(server))
    return result


def rtc_configuration(ice_servers: list[dict]):
    """Explicit servers only (an empty list keeps aiortc from using its public STUN default),
    and MAX_BUNDLE so several video tracks share one transport (aiortc issue 1414)."""
    from aiortc import RTCBundlePolicy, RTCConfiguration, RTCIceServer  # not at settings load

    return RTCConfiguration(
        iceServers=[RTCIceServer(**server) for server in ice_servers],
        bundlePolicy=RTCBundlePolicy.MAX_BUNDLE,
    )
