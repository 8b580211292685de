"""A recording of a hearing in the case file: its files are Evidence rows of kind "recording".

`Recording` groups one start..stop of the recorder; `RecordingFile` says what each evidence file
is (a speaker's track, the room's event log, or the composite made afterwards).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CompositeStatus(models.TextChoices):
    PENDING = "pending", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class Recording(models.Model):
    hearing = models.ForeignKey(
        "case_core.Hearing", on_delete=models.PROTECT, related_name="recordings"
    )
    case = models.ForeignKey("case_core.Case", on_delete=models.PROTECT, related_name="+")
    directory = models.CharField(max_length=500, blank=True)  # where the recorder wrote it
    started_at = models.DateTimeField(null=True, blank=True)
    finalized_at = models.DateTimeField(auto_now_add=True)
    composite_status = models.CharField(
        max_length=16, choices=CompositeStatus.choices, default=CompositeStatus.PENDING
    )
    composite_task = models.CharField(max_length=64, blank=True)  # django-tasks result id
    composite_error = models.TextField(blank=True)

    class Meta:
        ordering = ["finalized_at", "id"]


class FileRole(models.TextChoices):
    TRACK = "track", _("Speaker track")
    EVENTS = "events", _("Event log")
    COMPOSITE = "composite", _("Composite")


class RecordingFile(models.Model):
    recording = models.ForeignKey(Recording, on_delete=models.PROTECT, related_name="files")
    evidence = models.OneToOneField(
        "case_core.Evidence", on_delete=models.PROTECT, related_name="recording_file"
    )
    role = models.CharField(max_length=16, choices=FileRole.choices)
    kind = models.CharField(max_length=8, blank=True)  # audio / video for a track
    label = models.CharField(max_length=16, blank=True)  # mic / camera / screen
    speaker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    packets = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["recording", "role", "id"]
