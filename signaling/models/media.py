"""Media workers: the registry (one row per running worker, kept fresh by its heartbeat).

A hearing's media is pinned to one worker: `HearingLive.media_worker` holds that worker's channel.
"""

from django.db import models


class MediaWorker(models.Model):
    """A running media worker process (`tribunal mediaworker`), found through its heartbeat."""

    channel = models.CharField(max_length=100, unique=True)  # channel-layer name it receives on
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField(db_index=True)
    hearings = models.PositiveIntegerField(default=0)  # hearings it holds, from the heartbeat
    peer_connections = models.PositiveIntegerField(default=0)
    stopped = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.channel
