"""Evidence on the case page: upload, download (audited) and cross-examination opinions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from case_core.errors import DomainError, not_found
from case_core.models import Evidence
from case_core.permissions import authorize
from case_core.services.evidence import evidence_open, evidence_opinion, evidence_upload
from web_client.case_forms import EvidenceForm, OpinionForm, apply_error
from web_client.views.cases import render_case
from web_client.views.common import get_case

INLINE_TYPES = ("image/png", "image/jpeg", "image/webp", "application/pdf")


def _evidence(user, evidence_id: int) -> Evidence:
    item = Evidence.objects.select_related("case").filter(pk=evidence_id).first()
    if item is None:
        raise not_found()
    authorize(user, item.case, "case.view")
    return item


@login_required
@require_POST
def upload(request, case_id: int):
    case, roles = get_case(request.user, case_id)
    authorize(request.user, case, "evidence.upload")
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_case(request, case, roles, bound={"evidence": form}, status=400)
    try:
        evidence_upload(
            actor=request.user,
            case=case,
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
        )
    except DomainError as error:
        if error.status in (403, 404):
            raise
        if not apply_error(form, error):
            form.add_error("file", error.message)
        return render_case(
            request, case, roles, bound={"evidence": form}, error=error, status=error.status
        )
    messages.success(request, _("The evidence was added to the case file."))
    return redirect("web:case", case_id=case.pk)


@login_required
@require_GET
def download(request, evidence_id: int):
    """The file as an attachment; `?inline=1` shows an image or PDF in the page (the case page's
    previews), sandboxed so that nothing in the file runs with the site's rights."""
    item = _evidence(request.user, evidence_id)
    inline = request.GET.get("inline") == "1" and item.content_type in INLINE_TYPES
    handle = evidence_open(actor=request.user, evidence=item)
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=item.original_name,
        content_type=item.content_type,
    )
    if inline:
        response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
        response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@login_required
@require_POST
def opinion(request, evidence_id: int):
    item = _evidence(request.user, evidence_id)
    case = item.case
    roles = authorize(request.user, case, "evidence.opinion")
    key = f"opinion-{item.pk}"
    form = OpinionForm(request.POST, prefix=f"op{item.pk}")
    if not form.is_valid():
        return render_case(request, case, roles, bound={key: form}, status=400)
    try:
        evidence_opinion(actor=request.user, evidence=item, **form.cleaned_data)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        apply_error(form, error)
        return render_case(
            request, case, roles, bound={key: form}, error=error, status=error.status
        )
    messages.success(request, _("Your opinion on the evidence was recorded."))
    return redirect("web:case", case_id=case.pk)
