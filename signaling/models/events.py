"""The hearing's event log (hash-chained per hearing; feeds the minutes) and live state.

The chain is the shared one (`case_core.models.chain`): `HearingEvent` is an append-only
`ChainedEntry`, `HearingLive` its `ChainHead`; appended by `case_core.chain.chain_append`.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from case_core.models.chain import GENESIS, ChainedEntry, ChainHead

__all__ = ["GENESIS", "HearingEvent", "HearingLive"]


class HearingLive(ChainHead):
    """Per-hearing live state and the head of its event log; locked by every hearing service."""

    hearing = models.OneToOneField(
        "case_core.Hearing", on_delete=models.CASCADE, related_name="live"
    )
    recording = models.BooleanField(default=False)
    recording_started_at = models.DateTimeField(null=True, blank=True)
    caucus_counter = models.PositiveIntegerField(default=0)
    # The media worker (its channel name) this hearing's media is pinned to; "" until the first
    # media frame. Set by signaling.services.media; see docs/architecture.md.
    media_worker = models.CharField(max_length=100, blank=True)
    # Live captions asked for by the chair or the clerk (captions.set); the pinned media worker
    # captions the main room while this is on and the hearing has media.
    captions = models.BooleanField(default=False)


class HearingEvent(ChainedEntry):
    """One thing that happened in a hearing: join, admit, verify, move, control, chat, state."""

    hearing = models.ForeignKey(
        "case_core.Hearing", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=48)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    room = models.CharField(max_length=32, blank=True)
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["hearing", "seq"]
        constraints = [models.UniqueConstraint(fields=["hearing", "seq"], name="one_event_per_seq")]

    def chain_fields(self) -> dict:
        return {
            "hearing": self.hearing_id,
            "kind": self.kind,
            "actor": self.actor_id,
            "subject": self.subject_id,
            "room": self.room,
            "data": self.data,
            "at": self.created_at.isoformat(),
        }
