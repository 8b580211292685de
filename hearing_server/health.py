"""Health endpoints for load balancers, container engines and monitoring.

``GET /health``: the process answers (liveness; touches nothing else), 200 ``{"status": "ok"}``.
``GET /ready``: this server can serve (readiness): the database answers and its migrations are
applied, and with REDIS_URL the shared cache and channel layer's Redis answers; 200
``{"status": "ready", "checks": {...}}`` or 503 ``{"status": "unavailable", ...}`` naming what
failed. It also counts the live media workers (workers mode) for monitoring; none live does not
make a web server unready, since it still serves everything but media.

Answered by a middleware placed first, so that a probe needs neither an allowed Host header nor
HTTPS (the engine's probe talks to the container directly) and never reaches a session.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.http import JsonResponse

log = logging.getLogger(__name__)
PATHS = ("/health", "/health/", "/ready", "/ready/")


def _database() -> str | None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return "migrations not applied"
    except Exception as exc:  # any failure means: not ready
        return f"{type(exc).__name__}: {exc}"[:200]
    return None


def _redis() -> str | None:
    if not settings.REDIS_URL:
        return None
    from django.core.cache import cache

    try:
        cache.set("tribunal:ready", "1", timeout=5)
        if cache.get("tribunal:ready") != "1":
            return "redis did not keep a value"
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"[:200]
    return None


def _media_workers() -> int | None:
    from signaling import mediaworkers

    if mediaworkers.embedded():
        return None
    from signaling.models import MediaWorker

    try:
        return MediaWorker.objects.filter(
            stopped=False, heartbeat_at__gte=mediaworkers._fresh_since()
        ).count()
    except Exception:
        return None


def readiness() -> tuple[bool, dict]:
    started = time.monotonic()
    failures = {"database": _database(), "redis": _redis()}
    checks = {name: (problem or "ok") for name, problem in failures.items()}
    if not settings.REDIS_URL:
        checks["redis"] = "not used"
    checks["media_workers"] = _media_workers()
    checks["ms"] = round((time.monotonic() - started) * 1000, 1)
    ready = not any(failures.values())
    if not ready:
        log.warning("not ready: %s", {k: v for k, v in failures.items() if v})
    return ready, checks


class HealthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path not in PATHS or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if request.path.startswith("/health"):
            return JsonResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})
        ready, checks = readiness()
        return JsonResponse(
            {"status": "ready" if ready else "unavailable", "checks": checks},
            status=200 if ready else 503,
            headers={"Cache-Control": "no-store"},
        )
