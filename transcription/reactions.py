"""How transcription reacts to the layers below it (connected in TranscriptionConfig.ready).

* `recording_finalized` (recording.signals): queue the hearing's transcript once the recording
  is committed, when a whisper model covers the hearing's language; else log why there is none
  (`transcription.unavailable`, shown in the hearing's log and the case file). Never fails the
  recording: it is in the case file whatever happens here.
* the caption check signaling asks before it turns live captions on
  (`signaling.caption_support.provide_caption_check`).
"""

from __future__ import annotations

import logging

from django.db import transaction

from case_core.audit import audit_record
from case_core.errors import DomainError
from case_core.models import Hearing
from recording.models import Recording
from transcription.services import UNAVAILABLE_CODES, transcription_unavailable
from transcription.store import resolve
from transcription.tasks import transcribe_hearing
from transcription.transcripts import hearing_minutes_signed

log = logging.getLogger(__name__)


def on_recording_finalized(sender, *, recording: Recording, hearing: Hearing, **kwargs) -> None:
    try:
        with transaction.atomic():
            if hearing_minutes_signed(hearing):
                return  # signed minutes: the transcript can no longer change
            try:
                resolve("whisper", hearing.language)
            except DomainError as exc:
                if exc.code in UNAVAILABLE_CODES:
                    transcription_unavailable(hearing=hearing, error=exc)
                    return
                raise
            ref = f"recording:{recording.pk}"
            result = transcribe_hearing.enqueue(hearing.pk, None, ref)
            audit_record(
                actor=None,
                case=hearing.case,
                action="transcript.requested",
                data={
                    "hearing": hearing.pk,
                    "task": str(result.id),
                    "recording": ref,
                    "automatic": True,
                },
            )
    except Exception:
        log.exception("queueing the transcript of hearing %s failed", hearing.pk)
