"""Media workers as seen from signaling: channel names, the heartbeat registry, and sending.

A media worker is a loop on ``channel_layer.receive(<its channel>)`` that drives one media engine
(hearing_server/mediaworker, the composition root above signaling). Embedded mode: one worker per
server process, an asyncio task started on first use (`start_embedded`, which calls the starter
the composition root registered in its AppConfig.ready), channel ``mediaworker.embedded-<random>``.
Workers mode: `tribunal mediaworker` processes register a ``MediaWorker`` row and refresh its
``heartbeat_at``; a worker not heard from for HEARTBEAT_MISSES heartbeats is taken for dead and no
hearing is pinned to it.

Messages (all carry "type" for Channels' dispatch):

* to a worker: a typed command (signaling/media_commands.py: ``MediaCommand``, discriminated on
  ``cmd``); commands that need an answer carry ``reply_to`` and ``call`` and get back a
  ``MediaReply`` ``{"type": "media.reply", "call": ..., "ok": bool, "result" | "error": ...}``.
* from a worker to a participant's connections: group ``hearing-<id>-user-<uid>``,
  ``{"type": "media.event", "frame": {...}}`` with a ready ``media.layout``/``media.state`` frame
  (and ``caption`` frames, ``notice`` captions.unavailable / recording.empty).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Callable
from datetime import timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.utils import timezone

from signaling.media_commands import MediaCommand, command_message

log = logging.getLogger(__name__)

HEARTBEAT_MISSES = 3


def new_embedded_channel() -> str:
    return f"mediaworker.embedded-{os.getpid()}-{secrets.token_hex(6)}"


# This process's embedded worker (replaced when a worker is started in a new event loop).
EMBEDDED_CHANNEL = new_embedded_channel()


def new_worker_channel() -> str:
    return f"mediaworker.{socket.gethostname()[:40]}-{os.getpid()}-{secrets.token_hex(4)}"


def user_group(hearing_id: int | str, user_id: int | str) -> str:
    return f"hearing-{hearing_id}-user-{user_id}"


def embedded() -> bool:
    return settings.TRIBUNAL_MEDIA_MODE == "embedded"


# ---- embedded mode: the starter the composition root provides ------------------------------

_embedded_starter: Callable[[], object] | None = None


def provide_embedded_starter(starter: Callable[[], object]) -> None:
    """Called by the composition root (hearing_server's AppConfig.ready): `starter()` makes sure
    this process's embedded worker runs in the current event loop (and sets EMBEDDED_CHANNEL)."""
    global _embedded_starter
    _embedded_starter = starter


def start_embedded() -> bool:
    """Start this process's embedded media worker if needed. False when nobody provided one."""
    if _embedded_starter is None:
        log.warning("no embedded media worker is provided (hearing_server is not installed)")
        return False
    _embedded_starter()
    return True


# ---- registry (workers mode) ------------------------------------------------------------------


def _fresh_since():
    return timezone.now() - timedelta(seconds=HEARTBEAT_MISSES * settings.TRIBUNAL_MEDIA_HEARTBEAT)


def worker_register(*, channel: str) -> None:
    from signaling.models import MediaWorker

    now = timezone.now()
    MediaWorker.objects.update_or_create(
        channel=channel,
        defaults={
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "started_at": now,
            "heartbeat_at": now,
            "stopped": False,
        },
    )


def worker_heartbeat(*, channel: str, hearings: int = 0, peer_connections: int = 0) -> None:
    from signaling.models import MediaWorker

    updated = MediaWorker.objects.filter(channel=channel).update(
        heartbeat_at=timezone.now(), hearings=hearings, peer_connections=peer_connections
    )
    if not updated:  # the row was cleaned away: register again
        worker_register(channel=channel)


def worker_unregister(*, channel: str) -> None:
    from signaling.models import MediaWorker

    MediaWorker.objects.filter(channel=channel).update(stopped=True)


def worker_alive(channel: str) -> bool:
    from signaling.models import MediaWorker

    if embedded():
        return channel == EMBEDDED_CHANNEL
    return MediaWorker.objects.filter(
        channel=channel, stopped=False, heartbeat_at__gte=_fresh_since()
    ).exists()


def worker_choose() -> str | None:
    """The live worker holding the fewest hearings (by its last heartbeat), or None."""
    from signaling.models import MediaWorker

    if embedded():
        return EMBEDDED_CHANNEL
    best = (
        MediaWorker.objects.filter(stopped=False, heartbeat_at__gte=_fresh_since())
        .order_by("hearings", "peer_connections", "?")
        .values_list("channel", flat=True)
        .first()
    )
    return best


# ---- sending ----------------------------------------------------------------------------------


async def send_command(channel: str, command: MediaCommand) -> None:
    await get_channel_layer().send(channel, command_message(command))


async def send_to_users(hearing_id, users, frame: dict, layer=None) -> None:
    """Send a ready frame to each person's connections (their group `hearing-<id>-user-<uid>`)."""
    layer = layer or get_channel_layer()
    for user in users:
        try:
            await layer.group_send(
                user_group(hearing_id, user), {"type": "media.event", "frame": frame}
            )
        except Exception:
            log.exception(
                "sending %s to hearing %s user %s failed", frame.get("type"), hearing_id, user
            )


def send_commands_sync(channel: str, commands: list[MediaCommand]) -> None:
    """From synchronous code (a service's on-commit hook); failures are logged, never raised:
    media routing must not undo a committed seat change."""

    async def _send_all():
        for command in commands:
            await send_command(channel, command)

    try:
        async_to_sync(_send_all)()
    except Exception:
        log.exception("sending media commands to %s failed", channel)
