"""The clerk's transcript review page, case-wide search and exports.

Members of the case read; only the clerk (`transcript.edit`) changes anything. Views parse input
and call transcription.review; refusals other than 403/404 come back as a message on the page.
"""

from __future__ import annotations

import hashlib
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from case_core.audit import audit_record
from case_core.errors import DomainError, invalid, not_found
from case_core.models import Case, Invitee, User
from case_core.permissions import authorize, can
from transcription import review
from transcription.digest import transcript_sha256
from transcription.exports import role_label, to_json, to_srt, to_webvtt
from transcription.recording_link import recording_url
from transcription.search import transcript_search
from transcription.transcript_models import Segment, Transcript
from transcription.transcripts import MINUTES


def _case(user, case_id: int) -> Case:
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise not_found()
    authorize(user, case, "case.view")
    return case


def _transcript(user, transcript_id: int) -> Transcript:
    transcript = Transcript.objects.select_related("hearing__case").filter(pk=transcript_id).first()
    if transcript is None:
        raise not_found()
    authorize(user, transcript.hearing.case, "case.view")
    return transcript


def _segment(user, segment_id: int) -> Segment:
    segment = (
        Segment.objects.select_related("transcript__hearing__case").filter(pk=segment_id).first()
    )
    if segment is None:
        raise not_found()
    authorize(user, segment.transcript.hearing.case, "case.view")
    return segment


def _apply(request, call, success: str, **kwargs) -> None:
    try:
        call(actor=request.user, **kwargs)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
        return
    messages.success(request, success)


@login_required
@require_GET
def review_page(request, transcript_id: int):
    transcript = _transcript(request.user, transcript_id)
    hearing = transcript.hearing
    case = hearing.case
    segments = list(transcript.segments.order_by("order", "id"))
    for segment in segments:
        segment.role_name = role_label(segment.speaker_role)
    speakers = [
        {"id": inv.user_id, "name": inv.user.name, "role": role_label(inv.role)}
        for inv in Invitee.objects.filter(hearing=hearing).select_related("user")
    ]
    minutes = hearing.documents.filter(kind=MINUTES).order_by("-created_at").first()
    return render(
        request,
        "transcription/review.html",
        {
            "transcript": transcript,
            "hearing": hearing,
            "case": case,
            "segments": segments,
            "speakers": speakers,
            "can_edit": can(request.user, case, "transcript.edit"),
            "can_prepare": can(request.user, case, "document.prepare"),
            "media_url": recording_url(transcript),
            "minutes": minutes,
            "edit_count": transcript.edits.count(),
        },
    )


def _back(segment_or_transcript) -> HttpResponse:
    transcript = getattr(segment_or_transcript, "transcript", segment_or_transcript)
    url = reverse("transcription:review", args=[transcript.pk])
    if isinstance(segment_or_transcript, Segment):
        url += f"#seg-{segment_or_transcript.pk}"
    return redirect(url)


@login_required
@require_POST
def segment_edit(request, segment_id: int):
    segment = _segment(request.user, segment_id)
    _apply(
        request,
        review.segment_edit,
        _("The segment was saved."),
        segment=segment,
        text=request.POST.get("text", ""),
    )
    return _back(segment)


@login_required
@require_POST
def segment_merge(request, segment_id: int):
    segment = _segment(request.user, segment_id)
    _apply(request, review.segment_merge, _("The segments were merged."), segment=segment)
    return _back(segment)


@login_required
@require_POST
def segment_split(request, segment_id: int):
    segment = _segment(request.user, segment_id)
    time = request.POST.get("time") or None
    try:
        at = int(request.POST.get("at", ""))
        time = float(time) if time is not None else None
    except ValueError:
        messages.error(request, _("Say where to split."))
        return _back(segment)
    _apply(
        request,
        review.segment_split,
        _("The segment was split."),
        segment=segment,
        at=at,
        time=time,
    )
    return _back(segment)


@login_required
@require_POST
def segment_speaker(request, segment_id: int):

    segment = _segment(request.user, segment_id)
    authorize(request.user, segment.transcript.hearing.case, "transcript.edit")
    speaker = request.POST.get("speaker", "")
    if speaker and not (speaker.isascii() and speaker.isdigit() and len(speaker) <= 18):
        raise invalid(_("Choose a participant."), details={"field": "speaker"})
    user = User.objects.filter(pk=int(speaker or 0)).first()
    if user is None:
        messages.error(request, _("Choose a participant."))
        return _back(segment)
    _apply(
        request,
        review.segment_reassign_speaker,
        _("The speaker was changed."),
        segment=segment,
        user=user,
    )
    return _back(segment)


@login_required
@require_POST
def mark_reviewed(request, transcript_id: int):
    transcript = _transcript(request.user, transcript_id)
    _apply(
        request,
        review.transcript_mark_reviewed,
        _("The transcript is marked reviewed."),
        transcript=transcript,
    )
    return _back(transcript)


EXPORTS = {
    "vtt": ("text/vtt; charset=utf-8", to_webvtt),
    "srt": ("application/x-subrip; charset=utf-8", to_srt),
    "json": (
        "application/json; charset=utf-8",
        lambda t: json.dumps(to_json(t), ensure_ascii=False, indent=2),
    ),
}


@login_required
@require_GET
def export(request, transcript_id: int, fmt: str):
    transcript = _transcript(request.user, transcript_id)
    if fmt not in EXPORTS:
        raise not_found()
    content_type, render_export = EXPORTS[fmt]
    body = render_export(transcript).encode()
    audit_record(  # every export logged with the hash of the bytes sent
        actor=request.user,
        case=transcript.hearing.case,
        action="transcript.exported",
        data={
            "transcript": transcript.pk,
            "format": fmt,
            "sha256": hashlib.sha256(body).hexdigest(),
            "transcript_sha256": transcript_sha256(transcript),
        },
    )
    response = HttpResponse(body, content_type=content_type)
    name = (
        f"transcript-{transcript.hearing.case.number or transcript.hearing.case_id}-{transcript.pk}"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@require_GET
def case_transcripts(request, case_id: int):
    case = _case(request.user, case_id)
    query = request.GET.get("q", "")
    hits = transcript_search(actor=request.user, case=case, query=query) if query.strip() else []
    transcripts = Transcript.objects.filter(hearing__case=case).select_related("hearing")
    return render(
        request,
        "transcription/case_transcripts.html",
        {"case": case, "transcripts": transcripts, "query": query, "hits": hits},
    )
