"""`{% case_transcription case user as tr %}`: the case page's transcripts card — how many
transcripts the case has (link to the case's transcripts page) and why any hearing has none
(the speech-to-text notices of transcription.services.transcription_notices)."""

from __future__ import annotations

from django import template

from case_core.models import Hearing
from case_core.permissions import can
from transcription.services import transcription_notices
from transcription.transcript_models import Transcript

register = template.Library()


@register.simple_tag
def case_transcription(case, user) -> dict | None:
    if not can(user, case, "case.view"):
        return None
    notices = []
    for hearing in Hearing.objects.filter(case=case).order_by("scheduled_start", "pk"):
        for notice in transcription_notices(hearing):
            notices.append({**notice, "hearing": hearing})
    count = Transcript.objects.filter(hearing__case=case).count()
    if not count and not notices:
        return None
    return {"count": count, "notices": notices}
