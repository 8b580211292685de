"""Background jobs of recordings (django-tasks, run by `tribunal worker`)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django_tasks import task

from case_core.jobs import job_progress
from recording.composite import make_composite
from recording.hashing import sha256_file
from recording.models import FileRole, Recording


def _local_copy(evidence, directory: Path) -> Path:
    """A local path for ffmpeg: the stored file itself on local storage, else a copy."""
    try:
        return Path(evidence.file.path)
    except NotImplementedError:  # remote storage (S3)
        target = directory / f"{evidence.pk}-{evidence.original_name}"
        with evidence.file.open("rb") as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
        return target


@task(takes_context=True)
def recording_composite(context, recording_id: int) -> dict:
    """Make the composite (grid video, mixed normalised audio) of a stored recording."""
    from recording.services import recording_attach_composite, recording_composite_failed

    recording = Recording.objects.select_related("case", "hearing").get(pk=recording_id)
    case = recording.case
    tracks = list(
        recording.files.filter(role=FileRole.TRACK).select_related("evidence").order_by("id")
    )
    job_progress(context, name="recording_composite", done=0, total=100, case=case)
    last = [0]

    def progress(fraction: float, _info: dict) -> None:
        percent = int(fraction * 100)
        if percent > last[0]:
            last[0] = percent
            job_progress(
                context,
                name="recording_composite",
                done=percent,
                total=100,
                message=f"{percent}%",
                case=case,
            )

    try:
        with tempfile.TemporaryDirectory(prefix="composite-") as tmp:
            directory = Path(tmp)
            paths = [_local_copy(t.evidence, directory) for t in tracks]
            for track, path in zip(tracks, paths, strict=True):  # never compose a changed track
                if sha256_file(path)[0] != track.evidence.sha256:
                    raise ValueError(f"track {track.evidence.pk} does not match its hash")
            output = make_composite(paths, directory / "composite.mp4", progress=progress)
            evidence = recording_attach_composite(recording=recording, path=output)
    except Exception as exc:
        recording_composite_failed(recording=recording, error=str(exc))
        raise
    job_progress(context, name="recording_composite", done=100, total=100, case=case)
    return {"recording": recording_id, "evidence": evidence.pk, "sha256": evidence.sha256}
