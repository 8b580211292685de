"""The clerk's "Generate the minutes" button (posted from the transcript review page).

On success the clerk lands on the minutes' signing page (documents:page); a refusal other than
403/404 comes back as a message on the transcript review page (or the case's transcripts page).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from case_core.errors import DomainError, not_found
from case_core.models import Hearing
from case_core.permissions import authorize
from minutes.services import minutes_generate


@login_required
@require_POST
def generate(request, hearing_id: int):
    hearing = Hearing.objects.select_related("case").filter(pk=hearing_id).first()
    if hearing is None:
        raise not_found()
    authorize(request.user, hearing.case, "case.view")
    try:
        document = minutes_generate(actor=request.user, hearing=hearing)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
        transcript = hearing.transcripts.order_by("-created_at").first()
        if transcript is not None:
            return redirect("transcription:review", transcript_id=transcript.pk)
        return redirect("transcription:case", case_id=hearing.case_id)
    messages.success(request, _("The minutes were generated and sent for signature."))
    return redirect("documents:page", document_id=document.pk)
