"""Request rate limits for the hearing's HTTP endpoints, counted in Django's cache.

Fixed one-minute windows per (scope, key): local memory embedded, Redis with REDIS_URL (so every
server process counts the same requests). Going over answers `429 rate_limited` with
details.retry_after; the first refusal of each window is written to the case's audit log.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.utils.translation import gettext as _

from case_core.audit import audit_record
from case_core.errors import DomainError

WINDOW = 60  # seconds


def _count(scope: str, key: str) -> tuple[int, int]:
    """Count one request; return (requests in this window, seconds left in it)."""
    now = time.time()
    bucket = int(now // WINDOW)
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    name = f"ratelimit:{digest}:{bucket}"
    cache.add(name, 0, timeout=WINDOW + 5)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=WINDOW + 5)
        count = 1
    return count, max(1, int((bucket + 1) * WINDOW - now) + 1)


def rate_limit(
    *, scope: str, key: str, limit: int, actor=None, case=None, audit: dict | None = None
) -> None:
    """Count one `scope` request from `key`; over `limit` per minute raise 429 rate_limited."""
    count, retry_after = _count(scope, key)
    if count <= limit:
        return
    if count == limit + 1:
        audit_record(
            actor=actor,
            case=case,
            action="hearing.rate_limited",
            data={"scope": scope, "limit": limit, "window": WINDOW, **(audit or {})},
        )
    raise DomainError(
        "rate_limited",
        _("Too many requests. Try again in %(n)d seconds.") % {"n": retry_after},
        status=429,
        details={"retry_after": retry_after, "scope": scope},
    )
