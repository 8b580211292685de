"""What the batch engine heard on one recorded track, kept so no track is transcribed twice.

Keyed by the track file's SHA-256 and the engine, model and language: a job that is retried
after a crash, or a second request for the same recording, reuses every track already done.
"""

from django.db import models


class TrackResult(models.Model):
    sha256 = models.CharField(max_length=64)
    engine = models.CharField(max_length=32)
    model = models.CharField(max_length=100)
    language = models.CharField(max_length=16)
    key = models.CharField(max_length=200, blank=True)  # the recorder's track name, for people
    start = models.FloatField(default=0)  # the track's first packet on the recording's timeline
    duration = models.FloatField(default=0)  # seconds of decoded audio
    segments = models.JSONField(default=list)  # [{"start", "end", "text", "confidence"}]
    seconds = models.FloatField(default=0)  # processing time, for the throughput figures
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sha256", "engine", "model", "language"], name="one_result_per_track"
            )
        ]
