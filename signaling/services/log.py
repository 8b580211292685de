"""Checking a hearing's event log chain (the minutes are built from it)."""

from __future__ import annotations

from signaling.models import HearingEvent, HearingLive
from signaling.models.events import GENESIS


def hearing_log_verify(*, hearing_id: int) -> tuple[bool, int]:
    """(ok, number of events): every link and hash recomputed, and the head matches the last."""
    prev, seq, count = GENESIS, 0, 0
    for event in HearingEvent.objects.filter(hearing_id=hearing_id).order_by("seq").iterator():
        count += 1
        seq += 1
        if event.seq != seq or event.prev_hash != prev or event.compute_hash() != event.hash:
            return False, count
        prev = event.hash
    live = HearingLive.objects.filter(hearing_id=hearing_id).first()
    if live is not None and (live.last_seq != seq or live.last_hash != prev):
        return False, count
    return True, count
