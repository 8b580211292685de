"""The pages of documents (/paperwork/...): drafts, issue, the service link a recipient opens on
a phone, the clerk's service table, receipts, filings and the evidence period.

The section on the case page is `documents/case_section.html` (template tag `case_paperwork`).
Plain views over documents.services; a refused action is shown as a message on the page it came
from (outsiders still get not_found, members without the right forbidden).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from case_core.errors import DomainError, invalid, not_found
from case_core.models import Case, SignableDocument
from case_core.permissions import authorize as case_authorize
from documents.kinds import KINDS
from documents.models import Draft, Filing, Service
from documents.permissions import authorize, can
from documents.services.drafts import draft_create, draft_edit, draft_issue
from documents.services.pleadings import evidence_period_set, filing_decide, filing_submit
from documents.services.service import (
    receipt_pdf,
    service_by_token,
    service_for,
    service_open,
    service_postal,
)


def _case(user, case_id: int) -> Case:
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise not_found()
    case_authorize(user, case, "case.view")
    return case


def _back(case: Case, anchor: str = "paperwork"):
    return redirect(reverse("web:case", args=[case.pk]) + f"#{anchor}")


def _refused(request, error: DomainError) -> None:
    if error.status in (403, 404):
        raise error
    messages.error(request, error.message)


def _parsed(parse, value: str):
    """A date or datetime from a form, or None (also for impossible ones such as month 13)."""
    try:
        return parse((value or "").strip()[:40]) if value else None
    except ValueError:
        return None


def _pdf(content: bytes, filename: str, *, download: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- drafts ----------------------------------------------------------------------------------


@login_required
@require_POST
def draft_new(request, case_id: int):
    case = _case(request.user, case_id)
    try:
        draft = draft_create(
            actor=request.user,
            case=case,
            kind=request.POST.get("kind", ""),
            language=request.POST.get("language", "zh-hans"),
            extra={"place": request.POST.get("place", "")[:200]},
        )
    except DomainError as error:
        _refused(request, error)
        return _back(case)
    return redirect("paperwork:draft", draft_id=draft.pk)


def _draft(user, draft_id: int) -> Draft:
    draft = Draft.objects.select_related("case").filter(pk=draft_id).first()
    if draft is None:
        raise not_found()
    authorize(user, draft.case, "paper.draft")
    return draft


@login_required
@require_http_methods(["GET", "POST"])
def draft_page(request, draft_id: int):
    draft = _draft(request.user, draft_id)
    if request.method == "POST":
        try:
            draft_edit(
                actor=request.user,
                draft=draft,
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
                final=request.POST.get("final") == "on",
            )
            messages.success(request, _("Saved as a new version."))
        except DomainError as error:
            _refused(request, error)
        return redirect("paperwork:draft", draft_id=draft.pk)
    return render(
        request,
        "documents/draft.html",
        {
            "draft": draft,
            "case": draft.case,
            "kind": KINDS.get(draft.kind),
            "latest": draft.latest(),
            "versions": draft.versions.order_by("-number"),
            "can_issue": can(request.user, draft.case, "paper.issue"),
        },
    )


@login_required
@require_GET
@xframe_options_sameorigin
def draft_preview(request, draft_id: int):
    from documents.pdf import render_document

    draft = _draft(request.user, draft_id)
    latest = draft.latest()
    content = render_document(title=latest.title, body=latest.body, footer="", author="")
    return _pdf(content, f"draft-{draft.pk}.pdf")


@login_required
@require_POST
def draft_issue_view(request, draft_id: int):
    draft = _draft(request.user, draft_id)
    try:
        document = draft_issue(actor=request.user, draft=draft)
    except DomainError as error:
        _refused(request, error)
        return redirect("paperwork:draft", draft_id=draft.pk)
    if document.status == "signed":
        messages.success(request, _("Issued under the committee seal and served."))
        return redirect("paperwork:service_table", document_id=document.pk)
    messages.success(request, _("Sent to the tribunal for signature; it is served once sealed."))
    return redirect("documents:page", document_id=document.pk)


# --- service ---------------------------------------------------------------------------------


@login_required
@require_GET
def service_table(request, document_id: int):
    document = SignableDocument.objects.select_related("case").filter(pk=document_id).first()
    if document is None:
        raise not_found()
    authorize(request.user, document.case, "service.table")
    return render(
        request,
        "documents/service_table.html",
        {
            "document": document,
            "case": document.case,
            "services": document.services.select_related("recipient"),
            "can_post": can(request.user, document.case, "service.postal"),
            "today": timezone.localdate().isoformat(),
        },
    )


@login_required
@require_POST
def postal(request, service_id: int):
    service = service_for(request.user, service_id)
    posted = _parsed(parse_date, request.POST.get("posted_on", ""))
    try:
        if posted is None:
            raise invalid(
                _("Enter the date it was posted (not in the future)."),
                details={"field": "posted_on"},
            )
        service_postal(
            actor=request.user,
            service=service,
            tracking=request.POST.get("tracking", ""),
            posted_on=posted,
        )
        messages.success(request, _("Service by post recorded."))
    except DomainError as error:
        _refused(request, error)
    return redirect("paperwork:service_table", document_id=service.document_id)


@require_GET
def open_page(request, token: str):
    """What a recipient sees after tapping the texted link (opening it does not serve yet)."""
    service = service_by_token(token)
    return render(
        request,
        "documents/open.html",
        {
            "service": service,
            "document": service.document,
            "case": service.document.case,
            "token": token,
        },
    )


@require_GET
@xframe_options_sameorigin
def open_file(request, token: str):
    service = service_by_token(token)
    content = service_open(service=service, opener=None, via="link")
    return _pdf(content, service.document.filename)


@require_GET
def token_receipt(request, token: str):
    service = service_by_token(token)
    return _pdf(receipt_pdf(service), f"receipt-{service.pk}.pdf", download=True)


def _ics(service: Service) -> HttpResponse:
    if not service.calendar:
        raise not_found()
    response = HttpResponse(service.calendar, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hearing-{service.document_id}.ics"'
    return response


@require_GET
def token_calendar(request, token: str):
    return _ics(service_by_token(token))


@login_required
@require_GET
@xframe_options_sameorigin
def inbox_file(request, service_id: int):
    service = service_for(request.user, service_id)
    content = service_open(service=service, opener=request.user, via="inbox")
    return _pdf(content, service.document.filename)


@login_required
@require_GET
def receipt(request, service_id: int):
    service = service_for(request.user, service_id)
    return _pdf(receipt_pdf(service), f"receipt-{service.pk}.pdf", download=True)


@login_required
@require_GET
def calendar(request, service_id: int):
    return _ics(service_for(request.user, service_id))


# --- pleadings -------------------------------------------------------------------------------


@login_required
@require_POST
def filing_new(request, case_id: int):
    case = _case(request.user, case_id)
    try:
        filing_submit(
            actor=request.user,
            case=case,
            kind=request.POST.get("kind", ""),
            text=request.POST.get("text", ""),
            amount=request.POST.get("amount", ""),
        )
        messages.success(request, _("Filed. The other side is served with it."))
    except DomainError as error:
        _refused(request, error)
    return _back(case)


@login_required
@require_POST
def filing_decide_view(request, filing_id: int):
    filing = Filing.objects.select_related("case").filter(pk=filing_id).first()
    if filing is None:
        raise not_found()
    try:
        filing_decide(
            actor=request.user,
            filing=filing,
            approve=request.POST.get("decision") == "approve",
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        _refused(request, error)
    return _back(filing.case)


@login_required
@require_POST
def evidence_period(request, case_id: int):
    case = _case(request.user, case_id)
    raw = request.POST.get("ends_at", "")
    ends = _parsed(parse_datetime, raw)
    try:
        if ends is None:
            raise invalid(
                _("Enter the date and time the evidence period ends."), details={"field": "ends_at"}
            )
        if timezone.is_naive(ends):
            ends = timezone.make_aware(ends)
        evidence_period_set(actor=request.user, case=case, ends_at=ends)
        messages.success(request, _("Evidence period set."))
    except DomainError as error:
        _refused(request, error)
    return _back(case)
