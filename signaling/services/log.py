"""Checking a hearing's event log chain (the minutes are built from it), on `case_core.chain`."""

from __future__ import annotations

from case_core.chain import chain_verify
from signaling.models import HearingEvent, HearingLive


def hearing_log_verify(*, hearing_id: int) -> tuple[bool, int]:
    """(ok, number of events): every link and hash recomputed, and the head matches the last."""
    report = chain_verify(
        HearingEvent.objects.filter(hearing_id=hearing_id),
        HearingLive.objects.filter(hearing_id=hearing_id).first(),
    )
    return report.ok, report.entries
