"""The pages of any signable case document (/documents/<id>/): read, sign, withdraw.

The signer sees the document (the PDF embedded), asks for a code by SMS and enters it; the clerk
may withdraw a document still out for signature. Plain views over case_core.services.signing:
whatever produced the document (e.g. the hearing minutes) is not imported here. Anyone may
download the committee's root certificate (/documents/trust/root.pem) to verify a signed PDF
with `tribunal verify_document` or any PAdES validator.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from case_core import pki
from case_core.errors import DomainError, not_found
from case_core.integrity.auto import record_alert
from case_core.models import InviteeRole, RequiredSigner, SignableDocument
from case_core.permissions import authorize, can
from case_core.services.signing import (
    document_open,
    document_verify,
    document_void,
    signature_confirm,
    signature_request,
)


def _document(user, document_id: int) -> SignableDocument:
    document = SignableDocument.objects.select_related("case").filter(pk=document_id).first()
    if document is None:
        raise not_found()
    authorize(user, document.case, "case.view")
    return document


def _page(document: SignableDocument):
    return redirect("documents:page", document_id=document.pk)


@require_GET
def trust_root(request):
    """The committee's root certificate (PEM), public: what third parties verify against."""
    try:
        pem = pki.trust_root_pem()
    except pki.PkiError:
        raise DomainError(
            "signing_unavailable", _("The committee certificate is unavailable."), status=503
        ) from None
    response = HttpResponse(pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="committee-root.pem"'
    return response


@login_required
@require_GET
def document_page(request, document_id: int):
    document = _document(request.user, document_id)
    report = document_verify(document=document)
    roles = dict(InviteeRole.choices)
    seat = RequiredSigner.objects.filter(document=document, user=request.user).first()
    signed = {check.signature.user_id for check in report.signatures}
    return render(
        request,
        "web_client/document.html",
        {
            "document": document,
            "case": document.case,
            "report": report,
            "record_alert": record_alert(document.case),
            "role_names": roles,
            "signatures": [
                {"check": c, "role": roles.get(c.signature.role, c.signature.role)}
                for c in report.signatures
            ],
            "pending": [
                {"name": s.user.name, "role": roles.get(s.role, s.role)} for s in report.pending
            ],
            "can_sign": seat is not None
            and request.user.pk not in signed
            and report.status == "awaiting_signatures",
            "file_url": reverse("documents:file", args=[document.pk]),
            "trust_url": reverse("documents:trust_root"),
            "can_withdraw": can(request.user, document.case, "document.prepare")
            and document.status in ("draft", "awaiting_signatures"),
        },
    )


@login_required
@require_GET
@xframe_options_sameorigin
def document_file(request, document_id: int):
    document = _document(request.user, document_id)
    handle = document_open(actor=request.user, document=document)
    return FileResponse(handle, filename=document.filename, content_type=document.content_type)


@login_required
@require_POST
def request_code(request, document_id: int):
    document = _document(request.user, document_id)
    try:
        signature_request(actor=request.user, document=document)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
        return _page(document)
    messages.success(request, _("A code was sent to your mobile phone."))
    return _page(document)


@login_required
@require_POST
def confirm(request, document_id: int):
    document = _document(request.user, document_id)
    try:
        signature_confirm(actor=request.user, document=document, code=request.POST.get("code", ""))
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
        return _page(document)
    messages.success(request, _("You have signed the document."))
    return _page(document)


@login_required
@require_POST
def withdraw(request, document_id: int):
    document = _document(request.user, document_id)
    try:
        document_void(actor=request.user, document=document, reason=request.POST.get("reason", ""))
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
        return _page(document)
    messages.success(request, _("The document was withdrawn."))
    return _page(document)
