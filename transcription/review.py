"""The clerk's review of a transcript: edit, merge, split, reassign a speaker, mark reviewed.

Every service locks the transcript, checks the clerk role (`transcript.edit`), refuses once the
minutes are signed (or out for signature), records a SegmentEdit (who, when, old, new) and an
audit entry. The engine's text stays in `Segment.machine_text`. An edit to a reviewed transcript
returns it to `machine_done` until the clerk marks it reviewed again.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from case_core.audit import audit_record
from case_core.errors import conflict, invalid
from case_core.models import Invitee, User
from case_core.permissions import authorize
from transcription.digest import transcript_sha256
from transcription.transcript_models import (
    EditKind,
    Segment,
    SegmentEdit,
    Transcript,
    TranscriptStatus,
)
from transcription.transcripts import require_editable

MAX_TEXT = 10000


def _lock(actor: User, transcript_id: int) -> Transcript:
    transcript = (
        Transcript.objects.select_for_update().select_related("hearing__case").get(pk=transcript_id)
    )
    authorize(actor, transcript.hearing.case, "transcript.edit")
    require_editable(transcript)
    return transcript


def _fresh(segment: Segment) -> Segment:
    return Segment.objects.select_for_update().get(pk=segment.pk)


def joiner(language: str) -> str:
    return "" if language.startswith("zh") else " "


def _record(transcript, segment, kind, actor, old="", new="", data=None) -> SegmentEdit:
    segment.version += 1
    segment.save()
    edit = SegmentEdit.objects.create(
        transcript=transcript,
        segment=segment,
        version=segment.version,
        kind=kind,
        editor=actor,
        created_at=timezone.now(),
        old_text=old,
        new_text=new,
        data=data or {},
    )
    audit_record(
        actor=actor,
        case=transcript.hearing.case,
        action=f"transcript.{kind}",
        data={
            "transcript": transcript.pk,
            "segment": segment.pk,
            "version": segment.version,
            "old": old,
            "new": new,
            **(data or {}),
        },
    )
    if transcript.status == TranscriptStatus.REVIEWED:
        transcript.status = TranscriptStatus.MACHINE_DONE
        transcript.save(update_fields=["status"])
    return edit


def _snapshot(segment: Segment) -> dict:
    return {
        "id": segment.pk,
        "start": segment.start,
        "end": segment.end,
        "text": segment.text,
        "machine_text": segment.machine_text,
        "speaker": segment.speaker_id,
        "speaker_name": segment.speaker_name,
        "confidence": segment.confidence,
    }


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise invalid(
            _("A segment cannot be empty; merge it with its neighbour instead."),
            details={"field": "text"},
        )
    if len(text) > MAX_TEXT:
        raise invalid(
            _("A segment is at most %(n)d characters.") % {"n": MAX_TEXT}, details={"field": "text"}
        )
    return text


def segment_edit(*, actor: User, segment: Segment, text: str) -> Segment:
    """Correct a segment's text; the old text and the machine text are kept."""
    text = _clean_text(text)
    with transaction.atomic():
        transcript = _lock(actor, segment.transcript_id)
        segment = _fresh(segment)
        if segment.text == text:
            return segment
        old = segment.text
        segment.text = text
        _record(transcript, segment, EditKind.TEXT, actor, old, text)
    return segment


def segment_merge(*, actor: User, segment: Segment) -> Segment:
    """Merge a segment with the one after it (same speaker); the later one is absorbed."""
    with transaction.atomic():
        transcript = _lock(actor, segment.transcript_id)
        first = _fresh(segment)
        second = (
            Segment.objects.select_for_update()
            .filter(transcript=transcript, order__gt=first.order)
            .order_by("order", "id")
            .first()
        )
        if second is None:
            raise conflict("no_next_segment", _("This is the last segment; nothing to merge with."))
        if (first.speaker_id, first.speaker_name) != (second.speaker_id, second.speaker_name):
            raise conflict(
                "speakers_differ",
                _("Only segments of the same speaker can be merged; reassign the speaker first."),
            )
        join = joiner(transcript.language)
        old = first.text
        absorbed = _snapshot(second)
        span_first = max(first.end - first.start, 0.001)
        span_second = max(second.end - second.start, 0.001)
        first.confidence = (first.confidence * span_first + second.confidence * span_second) / (
            span_first + span_second
        )
        first.start = min(first.start, second.start)
        first.end = max(first.end, second.end)
        first.text = join.join((first.text, second.text))
        first.machine_text = join.join(t for t in (first.machine_text, second.machine_text) if t)
        SegmentEdit.objects.filter(segment=second).update(segment=first)
        second.delete()
        Segment.objects.filter(transcript=transcript, order__gt=first.order).update(
            order=F("order") - 1
        )
        _record(transcript, first, EditKind.MERGE, actor, old, first.text, {"absorbed": absorbed})
    return first


def segment_split(
    *, actor: User, segment: Segment, at: int, time: float | None = None
) -> tuple[Segment, Segment]:
    """Split a segment's text at character `at`; the time splits at `time` or proportionally."""
    with transaction.atomic():
        transcript = _lock(actor, segment.transcript_id)
        first = _fresh(segment)
        full = first.text
        try:
            at = int(at)
        except (TypeError, ValueError):
            raise invalid(_("Say where to split."), details={"field": "at"}) from None
        head, tail = full[:at].strip(), full[at:].strip()
        if not (0 < at < len(full)) or not head or not tail:
            raise invalid(
                _("Split inside the text, leaving words on both sides."), details={"field": "at"}
            )
        if time is None:
            time = first.start + (first.end - first.start) * at / len(full)
        time = round(float(time), 3)
        if not first.start < time < first.end:
            raise invalid(
                _("The split time must fall inside the segment."), details={"field": "time"}
            )
        before = _snapshot(first)
        machine_head, machine_tail = first.machine_text, ""
        if first.machine_text == full:
            machine_head, machine_tail = full[:at].strip(), full[at:].strip()
        Segment.objects.filter(transcript=transcript, order__gt=first.order).update(
            order=F("order") + 1
        )
        second = Segment.objects.create(
            transcript=transcript,
            order=first.order + 1,
            speaker=first.speaker,
            speaker_name=first.speaker_name,
            speaker_role=first.speaker_role,
            start=time,
            end=first.end,
            text=tail,
            machine_text=machine_tail,
            confidence=first.confidence,
        )
        first.end = time
        first.text = head
        first.machine_text = machine_head
        data = {"split_from": before, "at": at, "time": time}
        _record(transcript, first, EditKind.SPLIT, actor, full, head, data)
        _record(transcript, second, EditKind.SPLIT, actor, full, tail, data)
    return first, second


def segment_reassign_speaker(*, actor: User, segment: Segment, user: User) -> Segment:
    """Attribute a segment to another participant of the hearing, in their hearing role."""
    with transaction.atomic():
        transcript = _lock(actor, segment.transcript_id)
        segment = _fresh(segment)
        seat = Invitee.objects.filter(hearing=transcript.hearing, user=user).first()
        if seat is None:
            raise invalid(
                _("That person did not take part in this hearing."), details={"field": "speaker"}
            )
        if segment.speaker_id == user.pk:
            return segment
        before = {
            "user": segment.speaker_id,
            "name": segment.speaker_name,
            "role": segment.speaker_role,
        }
        segment.speaker = user
        segment.speaker_name = user.name[:200]
        segment.speaker_role = seat.role
        after = {"user": user.pk, "name": segment.speaker_name, "role": seat.role}
        _record(
            transcript,
            segment,
            EditKind.SPEAKER,
            actor,
            segment.text,
            segment.text,
            {"from": before, "to": after},
        )
    return segment


def transcript_mark_reviewed(*, actor: User, transcript: Transcript) -> Transcript:
    """The clerk has checked the transcript against the recording; the minutes may use it."""
    with transaction.atomic():
        transcript = _lock(actor, transcript.pk)
        if transcript.status == TranscriptStatus.REVIEWED:
            raise conflict("already_reviewed", _("This transcript is already marked reviewed."))
        transcript.status = TranscriptStatus.REVIEWED
        transcript.reviewed_at = timezone.now()
        transcript.reviewed_by = actor
        transcript.save(update_fields=["status", "reviewed_at", "reviewed_by"])
        audit_record(
            actor=actor,
            case=transcript.hearing.case,
            action="transcript.reviewed",
            data={
                "transcript": transcript.pk,
                "edits": transcript.edits.count(),
                "sha256": transcript_sha256(transcript),  # re-computed by `tribunal verify`
            },
        )
    return transcript
