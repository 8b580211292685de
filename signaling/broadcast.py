"""Publishing frames to a hearing's channel-layer group (shared across processes with Redis).

Services queue items; after their transaction commits, one group message carries them all:

    {"type": "hearing.frames", "items": [{"frame": {...}, "scope": "all"|"present"|"room"|"user",
                                          "room": "main", "user": 12, ...}]}

Each consumer filters the items for its own participant (see signaling.consumers).
"""

from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def group_name(hearing_id: int) -> str:
    return f"hearing-{hearing_id}"


async def publish(hearing_id: int, items: list[dict]) -> None:
    layer = get_channel_layer()
    await layer.group_send(group_name(hearing_id), {"type": "hearing.frames", "items": items})


def publish_on_commit(hearing_id: int, items: list[dict]) -> None:
    items = list(items)
    transaction.on_commit(lambda: async_to_sync(publish)(hearing_id, items))
