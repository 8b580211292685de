"""Background tasks of the transcription app. Run by `tribunal worker`; queued by services."""

from __future__ import annotations

from django_tasks import task

from case_core.jobs import job_progress
from case_core.models import Hearing, User
from transcription.batch import transcribe_recording
from transcription.recorded import finished_recording

NAME = "transcribe_hearing"


@task(takes_context=True)
def transcribe_hearing(
    context, hearing_id: int, actor_id: int | None = None, recording_ref: str | None = None
) -> dict:
    """Transcribe each speaker's track of a hearing's finished recording into one transcript.
    Progress counts speaker tracks (JobProgress keyed by this task's result id)."""
    hearing = Hearing.objects.select_related("case").get(pk=hearing_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None

    def progress(done: int, total: int, message: str) -> None:
        job_progress(context, name=NAME, done=done, total=total, message=message, case=hearing.case)

    transcript = transcribe_recording(
        hearing=hearing,
        actor=actor,
        recording=finished_recording(hearing, ref=recording_ref),
        progress=progress,
    )
    return {
        "transcript": transcript.pk,
        "segments": transcript.segments.count(),
        "recording": transcript.recording_ref,
    }
