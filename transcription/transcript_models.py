"""The transcript of a hearing: segments per speaker on the composite recording's timeline.

Every change the clerk makes is a SegmentEdit (who, when, old and new); the engine's text stays
in `Segment.machine_text`. Changes go through transcription.review, never through the ORM.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TranscriptStatus(models.TextChoices):
    MACHINE_DONE = "machine_done", _("Machine transcript")
    REVIEWED = "reviewed", _("Reviewed")


class Transcript(models.Model):
    hearing = models.ForeignKey(
        "case_core.Hearing", on_delete=models.CASCADE, related_name="transcripts"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=TranscriptStatus.choices,
        default=TranscriptStatus.MACHINE_DONE,
    )
    language = models.CharField(_("language"), max_length=8)
    engine = models.CharField(max_length=32, blank=True)
    model = models.CharField(max_length=100, blank=True)
    duration = models.FloatField(default=0)  # seconds of the composite recording
    recording_ref = models.CharField(max_length=300, blank=True)  # which recording it transcribes
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")

    def __str__(self) -> str:
        return f"{self.hearing} ({self.get_status_display()})"


class Segment(models.Model):
    """One speaker's stretch of speech, start/end in seconds from the composite's start."""

    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="segments")
    order = models.PositiveIntegerField()
    speaker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    speaker_name = models.CharField(_("speaker"), max_length=200)
    speaker_role = models.CharField(_("role"), max_length=32, blank=True)
    start = models.FloatField()
    end = models.FloatField()
    text = models.TextField(_("text"))
    machine_text = models.TextField(blank=True)
    confidence = models.FloatField(default=0)
    version = models.PositiveIntegerField(default=0)  # number of edits so far

    class Meta:
        ordering = ["transcript", "order", "id"]
        indexes = [models.Index(fields=["transcript", "order"])]

    @property
    def edited(self) -> bool:
        return self.text != self.machine_text


class EditKind(models.TextChoices):
    TEXT = "text", _("Text edited")
    MERGE = "merge", _("Merged")
    SPLIT = "split", _("Split")
    SPEAKER = "speaker", _("Speaker reassigned")


class SegmentEdit(models.Model):
    """One versioned change to a segment; `data` keeps whatever else the change replaced."""

    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="edits")
    segment = models.ForeignKey(
        Segment, on_delete=models.SET_NULL, null=True, blank=True, related_name="edits"
    )
    version = models.PositiveIntegerField()  # the segment's version after this change
    kind = models.CharField(max_length=16, choices=EditKind.choices)
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    old_text = models.TextField(blank=True)
    new_text = models.TextField(blank=True)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["created_at", "id"]
