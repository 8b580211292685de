"""Persistent notices in a hearing's event log about its speech-to-text.

`speech_unavailable(hearing=, error=, engine=, what=)` logs `<what>.unavailable` ("captions" or
"transcription") once per language and reason, so the case file says why a hearing has no live
captions or no transcript; `speech_notices(hearing)` reads them back for the pages.
"""

from __future__ import annotations

from case_core.errors import DomainError
from case_core.models import Hearing
from signaling.models import HearingEvent
from signaling.services._common import emit, hearing_action

NOTICE_KINDS = ("transcription.unavailable", "captions.unavailable")


def speech_unavailable(
    *, hearing: Hearing, error: DomainError, engine: str = "whisper", what: str = "transcription"
) -> bool:
    """Log `<what>.unavailable` once per language and reason. True if a new notice was logged."""
    kind = f"{what}.unavailable"
    language = hearing.language
    seen = HearingEvent.objects.filter(
        hearing=hearing, kind=kind, data__language=language, data__code=error.code
    )
    if seen.exists():
        return False
    with hearing_action(hearing.pk, None) as ctx:
        emit(
            ctx,
            kind,
            data={
                "engine": engine,
                "language": language,
                "code": error.code,
                "message": str(error.message),
            },
        )
    return True


def speech_notices(hearing: Hearing) -> list[dict]:
    """The hearing's speech-to-text notices, oldest first."""
    events = HearingEvent.objects.filter(hearing=hearing, kind__in=NOTICE_KINDS).order_by("seq")
    return [{"kind": e.kind, "at": e.created_at, **(e.data or {})} for e in events]
