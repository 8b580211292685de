"""Read-only adapter over the hearing's event log (signaling.models.HearingEvent) for the minutes.

Kept to one module so the minutes depend on a small, stable shape:
    hearing_events(hearing) -> [{"kind", "at", "actor_id", "actor_name", "subject_id",
                                 "subject_name", "room", "data"}]   in log order
    identity_checks(hearing) -> {user_id: {"method", "method_label", "at", "by", "note"}}
"room" is the key of the room an event happened in: MAIN_ROOM, WAITING_ROOM or "caucus-<n>".
"""

from __future__ import annotations

from case_core.models import Hearing
from signaling.models import MAIN as MAIN_ROOM
from signaling.models import WAITING as WAITING_ROOM
from signaling.models import HearingEvent, IdentityCheck

__all__ = ["MAIN_ROOM", "WAITING_ROOM", "hearing_events", "identity_checks"]


def hearing_events(hearing: Hearing) -> list[dict]:
    rows = []
    events = (
        HearingEvent.objects.filter(hearing=hearing)
        .select_related("actor", "subject")
        .order_by("seq")
    )
    for event in events:
        rows.append(
            {
                "kind": event.kind,
                "at": event.created_at,
                "actor_id": event.actor_id,
                "actor_name": event.actor.name if event.actor else "",
                "subject_id": event.subject_id,
                "subject_name": event.subject.name if event.subject else "",
                "room": event.room,
                "data": event.data or {},
            }
        )
    return rows


def identity_checks(hearing: Hearing) -> dict[int, dict]:
    checks = {}
    for check in IdentityCheck.objects.filter(hearing=hearing).select_related("verified_by"):
        checks[check.user_id] = {
            "method": check.method,
            "method_label": str(check.get_method_display()),
            "at": check.verified_at,
            "by": check.verified_by.name,
            "note": check.note,
        }
    return checks
