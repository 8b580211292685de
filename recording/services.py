"""Recordings into the case file: each file becomes Evidence of kind "recording" with its SHA-256,
and every step leaves a chain-of-custody audit entry (recording.created, recording.hashed; the
player adds recording.viewed / recording.exported).

`recording_finalize` runs when the recorder stops (in the hearing's media worker) and queues the
composite (recording/tasks.py), which `recording_attach_composite` stores when it is made, and
sends `recording.signals.recording_finalized` on commit (transcription queues the transcript).
"""

from __future__ import annotations

import datetime
import logging
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from case_core.audit import audit_record
from case_core.errors import DomainError
from case_core.models import Evidence, Hearing, Invitee, User
from case_core.models.evidence import EvidenceKind
from recording.hashing import sha256_file
from recording.models import CompositeStatus, FileRole, Recording, RecordingFile
from recording.signals import recording_finalized

log = logging.getLogger(__name__)
CONTENT_TYPES = {"video": "video/webm", "audio": "audio/webm", "events": "application/jsonl"}
LABELS = {
    "mic": gettext_lazy("microphone"),
    "camera": gettext_lazy("camera"),
    "screen": gettext_lazy("screen"),
}


def _field(item, name: str, default=None):
    return item.get(name, default) if isinstance(item, dict) else getattr(item, name, default)


def _custodian(hearing: Hearing, actor) -> User:
    """Who the files are recorded as submitted by: the actor, else the chair, else a clerk."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor
    for role in ("presiding", "mediator", "clerk", "arbitrator"):
        invitee = Invitee.objects.filter(hearing=hearing, role=role).select_related("user").first()
        if invitee is not None:
            return invitee.user
    raise DomainError("no_custodian", "This hearing has no tribunal member to hold its recording.")


def _store(*, case, path: Path, title: str, content_type: str, custodian: User, sha256: str):
    size = path.stat().st_size
    evidence = Evidence(
        case=case,
        kind=EvidenceKind.RECORDING,
        title=title[:200],
        original_name=path.name[:255],
        content_type=content_type,
        size=size,
        sha256=sha256,
        submitted_by=custodian,
        side="",
    )
    with open(path, "rb") as handle:
        evidence.file.save(path.name, File(handle), save=False)
    evidence.save()
    return evidence


def _audit_file(actor, case, evidence: Evidence, recording: Recording, extra: dict) -> None:
    audit_record(
        actor=actor,
        case=case,
        action="recording.created",
        data={
            "recording": recording.pk,
            "hearing": recording.hearing_id,
            "evidence": evidence.pk,
            "file": evidence.original_name,
            "content_type": evidence.content_type,
            **extra,
        },
    )
    audit_record(
        actor=actor,
        case=case,
        action="recording.hashed",
        data={
            "recording": recording.pk,
            "evidence": evidence.pk,
            "algorithm": "sha256",
            "sha256": evidence.sha256,
            "size": evidence.size,
        },
    )


def recording_finalize(
    *,
    hearing: Hearing,
    files: list,
    actor=None,
    directory: str = "",
    started_at: datetime.datetime | None = None,
) -> Recording:
    """Attach a stopped recording's files (recording.sink.RecordedFile or dicts with path, kind,
    sha256, participant_id, label, packets) to the case file; queue the composite."""
    if not files:
        raise DomainError("no_files", "The recording has no files.")
    case = hearing.case
    custodian = _custodian(hearing, actor)
    when = timezone.localtime(started_at or timezone.now()).strftime("%Y-%m-%d %H:%M")
    with transaction.atomic():
        recording = Recording.objects.create(
            hearing=hearing, case=case, directory=str(directory)[:500], started_at=started_at
        )
        for item in files:
            path = Path(_field(item, "path"))
            kind = _field(item, "kind")
            digest, size = sha256_file(path)
            recorder_digest = _field(item, "sha256")
            speaker = None
            pid = _field(item, "participant_id")
            if pid not in (None, ""):
                speaker = User.objects.filter(pk=int(pid)).first()
            label = _field(item, "label") or ""
            if kind == "events":
                title = _("Hearing recording %(when)s: event log") % {"when": when}
            else:
                title = _("Hearing recording %(when)s: %(name)s, %(source)s") % {
                    "when": when,
                    "name": speaker.name if speaker else pid,
                    "source": LABELS.get(label, label),
                }
            evidence = _store(
                case=case,
                path=path,
                title=title,
                content_type=CONTENT_TYPES.get(kind, "application/octet-stream"),
                custodian=custodian,
                sha256=digest,
            )
            RecordingFile.objects.create(
                recording=recording,
                evidence=evidence,
                role=FileRole.EVENTS if kind == "events" else FileRole.TRACK,
                kind="" if kind == "events" else kind,
                label=label,
                speaker=speaker,
                packets=_field(item, "packets", 0) or 0,
            )
            extra = {"role": "events" if kind == "events" else "track", "kind": kind}
            if speaker is not None:
                extra.update(speaker=speaker.pk, source=label)
            if recorder_digest and recorder_digest != digest:
                extra["recorder_sha256"] = recorder_digest  # changed since the recorder closed it
            _audit_file(actor, case, evidence, recording, extra)
        audit_record(
            actor=actor,
            case=case,
            action="recording.finalized",
            data={"recording": recording.pk, "hearing": hearing.pk, "files": len(files)},
        )
        transaction.on_commit(lambda: _queue_composite(recording.pk))
        transaction.on_commit(
            lambda: recording_finalized.send(Recording, recording=recording, hearing=hearing)
        )
    return recording


def _queue_composite(recording_id: int) -> None:
    from recording.tasks import recording_composite

    result = recording_composite.enqueue(recording_id)
    Recording.objects.filter(pk=recording_id).update(composite_task=str(result.id))


def recording_finalize_for(
    *, hearing_id: int, files: list, actor_id=None, directory: str = "", started=None
) -> Recording:
    """`recording_finalize` by ids (called by the media worker)."""
    hearing = Hearing.objects.select_related("case").get(pk=hearing_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    started_at = datetime.datetime.fromtimestamp(started, tz=datetime.UTC) if started else None
    return recording_finalize(
        hearing=hearing, files=files, actor=actor, directory=directory, started_at=started_at
    )


def recording_attach_composite(*, recording: Recording, path: Path) -> Evidence:
    """Store the finished composite (MP4) as evidence of kind recording, hashed and audited."""
    digest, _size = sha256_file(path)
    with transaction.atomic():
        recording = Recording.objects.select_for_update().get(pk=recording.pk)
        custodian = _custodian(recording.hearing, None)
        when = timezone.localtime(recording.started_at or recording.finalized_at)
        evidence = _store(
            case=recording.case,
            path=path,
            title=_("Hearing recording %(when)s: composite") % {"when": f"{when:%Y-%m-%d %H:%M}"},
            content_type="video/mp4",
            custodian=custodian,
            sha256=digest,
        )
        RecordingFile.objects.create(
            recording=recording, evidence=evidence, role=FileRole.COMPOSITE, kind="video"
        )
        _audit_file(None, recording.case, evidence, recording, {"role": "composite"})
        recording.composite_status = CompositeStatus.DONE
        recording.composite_error = ""
        recording.save(update_fields=["composite_status", "composite_error"])
    return evidence


def recording_composite_failed(*, recording: Recording, error: str) -> None:
    Recording.objects.filter(pk=recording.pk).update(
        composite_status=CompositeStatus.FAILED, composite_error=error[:4000]
    )
