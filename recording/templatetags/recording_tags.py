"""`{% case_recordings case user as recordings %}`: the case's recordings for the case page."""

from __future__ import annotations

from django import template

from case_core.permissions import can
from recording.models import FileRole, Recording

register = template.Library()


@register.simple_tag
def case_recordings(case, user) -> list[dict]:
    if not can(user, case, "evidence.download"):
        return []
    rows = []
    recordings = (
        Recording.objects.filter(case=case)
        .select_related("hearing")
        .prefetch_related("files__evidence", "files__speaker")
        .order_by("-finalized_at", "-id")
    )
    for recording in recordings:
        files = list(recording.files.all())
        rows.append(
            {
                "recording": recording,
                "composite": next((f for f in files if f.role == FileRole.COMPOSITE), None),
                "tracks": [f for f in files if f.role == FileRole.TRACK],
                "events": next((f for f in files if f.role == FileRole.EVENTS), None),
            }
        )
    return rows
