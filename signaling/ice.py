"""The ICE servers a hearing page hands its browser, with time-limited TURN credentials.

TRIBUNAL_ICE_SERVERS go as configured. TRIBUNAL_TURN_URLS get a credential made for this person
now, by the TURN REST API scheme coturn implements (`use-auth-secret` + `static-auth-secret`):
username ``<unix expiry>:<user id>``, credential ``base64(HMAC-SHA1(secret, username))``. The TURN
server checks the HMAC and refuses the username once the expiry has passed, so a credential
copied out of a page is worth TRIBUNAL_TURN_TTL seconds, and the secret never leaves the servers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from django.conf import settings


def turn_credential(secret: str, user_id: int | str, *, ttl: int, now: float | None = None):
    """(username, credential) for `user_id`, valid `ttl` seconds from `now`."""
    expiry = int(now if now is not None else time.time()) + ttl
    username = f"{expiry}:{user_id}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode("ascii")


def ice_servers_for(user_id: int | str) -> list[dict]:
    servers = [dict(server) for server in settings.TRIBUNAL_ICE_SERVERS]
    if settings.TRIBUNAL_TURN_URLS:
        username, credential = turn_credential(
            settings.TRIBUNAL_TURN_SECRET, user_id, ttl=settings.TRIBUNAL_TURN_TTL
        )
        servers.append(
            {
                "urls": list(settings.TRIBUNAL_TURN_URLS),
                "username": username,
                "credential": credential,
            }
        )
    return servers
