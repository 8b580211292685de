"""Who is where in a hearing: rooms (main, waiting, caucuses) and one seat per participant.

The seat table is authoritative: the media engine routes audio and video by `Seat.room`, and the
signaling consumers only mirror it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RoomKind(models.TextChoices):
    MAIN = "main", _("Main room")
    WAITING = "waiting", _("Waiting room")
    CAUCUS = "caucus", _("Private room")


MAIN = "main"
WAITING = "waiting"


class HearingRoom(models.Model):
    hearing = models.ForeignKey("case_core.Hearing", on_delete=models.CASCADE, related_name="rooms")
    key = models.CharField(max_length=32)  # "main", "waiting", "caucus-1", ...
    kind = models.CharField(max_length=16, choices=RoomKind.choices)
    label = models.CharField(_("label"), max_length=100, blank=True)
    locked = models.BooleanField(default=False)
    is_open = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["hearing", "key"], name="one_room_key_per_hearing")
        ]

    def __str__(self) -> str:
        return f"{self.hearing_id}/{self.key}"


class Admission(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ADMITTED = "admitted", _("Admitted")
    REFUSED = "refused", _("Refused")
    REMOVED = "removed", _("Removed")


class Presence(models.TextChoices):
    ABSENT = "absent", _("Not yet joined")
    JOINED = "joined", _("Joined")
    RECONNECTING = "reconnecting", _("Reconnecting")
    LEFT = "left", _("Left")


class Seat(models.Model):
    """One invitee's place in a live hearing: room, admission, presence and controls."""

    hearing = models.ForeignKey("case_core.Hearing", on_delete=models.CASCADE, related_name="seats")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=16)  # the invitee role, copied for quick checks
    room = models.ForeignKey(
        HearingRoom, on_delete=models.SET_NULL, null=True, blank=True, related_name="seats"
    )
    admission = models.CharField(
        max_length=16, choices=Admission.choices, default=Admission.WAITING
    )
    presence = models.CharField(max_length=16, choices=Presence.choices, default=Presence.ABSENT)
    channel_name = models.CharField(max_length=200, blank=True)
    disconnected_at = models.DateTimeField(null=True, blank=True)
    verified = models.BooleanField(default=False)  # mirrors IdentityCheck for quick checks
    muted = models.BooleanField(default=False)
    mute_locked = models.BooleanField(default=False)  # muted by the tribunal, not yet asked back
    hand_raised = models.BooleanField(default=False)
    has_floor = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["hearing", "user"], name="one_live_seat_per_user")
        ]
        indexes = [models.Index(fields=["hearing", "room"])]

    def __str__(self) -> str:
        return f"{self.hearing_id}/{self.user_id}@{self.room_id}"
