"""Services of the transcription job: ask for a hearing's transcript, and say when none can be
made.

    transcription_request(actor=, hearing=) -> task result id   (clerk or presiding arbitrator)
    transcription_unavailable(hearing=, error=)                  (notice in the hearing's log)
    transcription_notices(hearing) -> [{"kind", "engine", "language", "code", "message", "at"}]

A hearing held in a language with no installed model is still a hearing: the refusal is a
no_model DomainError for whoever asked, and a persistent "transcription.unavailable" event in the
hearing's hash-chained log (audited as "hearing.transcription.unavailable" in the case file), so
the case file says why there is no transcript. Everything else keeps working.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from case_core.audit import audit_record
from case_core.errors import DomainError, conflict, forbidden, not_found
from case_core.models import CaseRole, Hearing, User
from case_core.permissions import roles_on
from signaling.services.notices import speech_notices, speech_unavailable
from transcription import store
from transcription.recorded import finished_recording
from transcription.transcript_models import Transcript
from transcription.transcripts import hearing_minutes_signed

ENGINE = "whisper"  # the batch engine makes the record
REQUESTERS = {CaseRole.CLERK, CaseRole.PRESIDING}
UNAVAILABLE_CODES = {"no_model", "unsupported_language", "model_invalid"}


def _authorize(actor: User, hearing: Hearing) -> None:
    roles = roles_on(actor, hearing.case)
    if not roles:
        raise not_found()
    if not roles & REQUESTERS:
        raise forbidden(_("Only the clerk or the presiding arbitrator can order a transcript."))


def check_model(hearing: Hearing, *, engine: str = ENGINE, what: str = "transcription"):
    """The installed model for the hearing's language; if there is none, log the notice and
    raise no_model (or unsupported_language / model_invalid)."""
    try:
        return store.resolve(engine, hearing.language)
    except DomainError as exc:
        if exc.code in UNAVAILABLE_CODES:
            transcription_unavailable(hearing=hearing, error=exc, engine=engine, what=what)
        raise


def transcription_request(
    *, actor: User, hearing: Hearing, recording_ref: str | None = None
) -> str:
    """Queue the batch transcription of the hearing's finished recording; the task result id.

    Refusals: not_found / forbidden; minutes_signed; no_model (with the notice logged);
    no_recording; already_transcribed (that recording has a transcript already)."""
    _authorize(actor, hearing)
    if hearing_minutes_signed(hearing):
        raise conflict(
            "minutes_signed",
            _("The minutes of this hearing are signed; its transcript can no longer change."),
        )
    check_model(hearing)
    recording = finished_recording(hearing, ref=recording_ref)
    if Transcript.objects.filter(hearing=hearing, recording_ref=recording.ref).exists():
        raise conflict(
            "already_transcribed", _("This recording of the hearing is transcribed already.")
        )
    from transcription.tasks import transcribe_hearing

    result = transcribe_hearing.enqueue(hearing.pk, actor.pk, recording.ref)
    audit_record(
        actor=actor,
        case=hearing.case,
        action="transcript.requested",
        data={"hearing": hearing.pk, "task": str(result.id), "recording": recording.ref},
    )
    return str(result.id)


def transcription_unavailable(
    *, hearing: Hearing, error: DomainError, engine: str = ENGINE, what: str = "transcription"
) -> bool:
    """Log `<what>.unavailable` in the hearing's event log once per language and reason.
    `what` is "transcription" (the record) or "captions". True if a new notice was logged."""
    return speech_unavailable(hearing=hearing, error=error, engine=engine, what=what)


def transcription_notices(hearing: Hearing) -> list[dict]:
    """The hearing's speech-to-text notices, oldest first (for the hearing and case pages)."""
    return speech_notices(hearing)
