"""Drafts of case documents: write from the kind's template, edit (each edit a version), issue.

    draft_create  -> a draft of `kind` with version 1 rendered from its template and the case file
    draft_edit    -> a new version (title, text, the final-award flag)
    draft_issue   -> the latest version laid out as a PDF and issued through
                     case_core.services.signing: under the seal alone (notices: sealed and served
                     at once) or for the tribunal's signatures (the award: served once sealed)

Errors: unknown_kind, template_error (422), draft_not_editable, no_signers (the award before a
tribunal is assigned), no_hearing, signing_unavailable (503, nothing issued).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from case_core import pki
from case_core.audit import audit_record
from case_core.errors import DomainError, conflict, invalid
from case_core.models import Case, Hearing, SignableDocument, User
from case_core.services.signing import document_create, document_issue, document_issue_sealed
from case_core.validators import require_text
from documents.context import case_context
from documents.kinds import KINDS, LANGUAGES, Kind, signers_for
from documents.models import Draft, DraftStatus, DraftVersion
from documents.pdf import render_document
from documents.permissions import authorize
from documents.render import render_kind

MAX_BODY = 20_000


def kind_of(name: str) -> Kind:
    kind = KINDS.get(name or "")
    if kind is None:
        raise invalid(
            _("Unknown kind of document."), details={"field": "kind", "code": "unknown_kind"}
        )
    return kind


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def draft_create(
    *,
    actor: User,
    case: Case,
    kind: str,
    language: str = "zh-hans",
    hearing: Hearing | None = None,
    extra: dict | None = None,
) -> Draft:
    """A draft of `kind`, its first version written by the kind's template from the case file."""
    with transaction.atomic():
        case = _lock(case)
        authorize(actor, case, "paper.draft")
        spec = kind_of(kind)
        if language not in LANGUAGES:
            raise invalid(_("Choose Chinese or English."), details={"field": "language"})
        if spec.hearing:
            hearing = hearing or case.hearings.order_by("-scheduled_start").first()
            if hearing is None:
                raise conflict("no_hearing", _("Schedule a hearing before writing its notice."))
        if hearing is not None and hearing.case_id != case.pk:
            raise invalid(_("That hearing belongs to another case."), details={"field": "hearing"})
        with translation.override(language):
            context = case_context(case, hearing=hearing, extra=extra)
            title, body = render_kind(spec, language, context)
        draft = Draft.objects.create(
            case=case, kind=spec.name, language=language, hearing=hearing, created_by=actor
        )
        DraftVersion.objects.create(draft=draft, number=1, title=title, body=body, created_by=actor)
        audit_record(
            actor=actor,
            case=case,
            action="paper.drafted",
            data={"draft": draft.pk, "kind": spec.name, "language": language},
        )
    return draft


def draft_edit(
    *, actor: User, draft: Draft, title: str, body: str, final: bool = False
) -> DraftVersion:
    """Save an edit of the draft as its next version."""
    title = require_text(title, field="title", max_length=200)
    body = require_text(body, field="body", max_length=MAX_BODY)
    with transaction.atomic():
        _lock(draft.case)
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        authorize(actor, draft.case, "paper.draft")
        if draft.status != DraftStatus.EDITING:
            raise conflict("draft_not_editable", _("This draft was issued; it cannot be edited."))
        spec = kind_of(draft.kind)
        final = bool(final) and spec.final_flag
        latest = draft.latest()
        if spec.final_flag and final != latest.final:
            body = _swap_finality(draft, spec, body, final)
        version = DraftVersion.objects.create(
            draft=draft,
            number=latest.number + 1,
            title=title,
            body=body,
            final=final,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            case=draft.case,
            action="paper.edited",
            data={"draft": draft.pk, "version": version.number, "final": final},
        )
    return version


def _swap_finality(draft: Draft, spec: Kind, body: str, final: bool) -> str:
    """Replace the template's sentence on finality (final or not) with the other one; a text
    the writer has reworded there is left as it is."""
    with translation.override(draft.language):
        variants = {}
        for flag in (False, True):
            context = case_context(draft.case, hearing=draft.hearing, extra={"final": flag})
            variants[flag] = render_kind(spec, draft.language, context)[1].split("\n")
    old_lines = set(variants[not final]) - set(variants[final])
    new_lines = [line for line in variants[final] if line not in set(variants[not final])]
    for old in old_lines:
        if old.strip() and old in body and new_lines:
            return body.replace(old, new_lines[0], 1)
    return body


def _filename(draft: Draft) -> str:
    number = re.sub(r"[^A-Za-z0-9_-]+", "-", draft.case.number or str(draft.case_id)).strip("-")
    return f"{draft.kind}-{number}-{draft.pk}.pdf"


def _footer(draft: Draft, version: DraftVersion, signers) -> str:
    if signers:
        names = ", ".join(f"{user.name}" for user, _role in signers)
        return _("Signed inside this PDF by %(names)s and sealed by %(committee)s.") % {
            "names": names,
            "committee": pki.committee_name(),
        }
    return _("Sealed inside this PDF by %(committee)s. Version %(version)d.") % {
        "committee": pki.committee_name(),
        "version": version.number,
    }


def draft_issue(*, actor: User, draft: Draft) -> SignableDocument:
    """Lay out the latest version as a PDF and issue it (sealed, or out for signature)."""
    # Imported here: service imports drafts' kinds, and drafts serves what it issues.
    from documents.services.service import service_start

    with transaction.atomic():
        case = _lock(draft.case)
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        authorize(actor, case, "paper.issue")
        if draft.status != DraftStatus.EDITING:
            raise conflict("draft_not_editable", _("This draft was already issued."))
        spec = kind_of(draft.kind)
        version = draft.latest()
        signers = signers_for(spec, case)
        if spec.signers != "seal" and not signers:
            raise conflict(
                "no_signers",
                _("Assign the arbitrators (or the mediator) who sign this document first."),
            )
        with translation.override(draft.language):
            pdf = render_document(
                title=version.title,
                body=version.body,
                footer=str(_footer(draft, version, signers)),
                author=pki.committee_name(),
            )
        common = dict(
            actor=actor,
            case=case,
            kind=spec.name,
            title=version.title,
            content=pdf,
            filename=_filename(draft),
            hearing=draft.hearing,
            language=draft.language,
        )
        if signers:
            document = document_create(signers=signers, **common)
        else:
            document = document_issue_sealed(**common)
        draft.status = DraftStatus.ISSUED
        draft.issued_at = timezone.now()
        draft.document = document
        draft.save(update_fields=["status", "issued_at", "document"])
        audit_record(
            actor=actor,
            case=case,
            action="paper.issued",
            data={
                "draft": draft.pk,
                "version": version.number,
                "kind": spec.name,
                "document": document.pk,
                "final": version.final,
            },
        )
        if signers:
            path = reverse("documents:page", args=[document.pk])
            link = settings.TRIBUNAL_PUBLIC_URL.rstrip("/") + path
            document = document_issue(actor=actor, document=document, link=link)
        else:
            service_start(document=document, actor=actor)
    return document


def draft_discard(*, actor: User, draft: Draft) -> Draft:
    with transaction.atomic():
        _lock(draft.case)
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        authorize(actor, draft.case, "paper.draft")
        if draft.status != DraftStatus.EDITING:
            raise conflict("draft_not_editable", _("This draft was already issued."))
        draft.status = DraftStatus.DISCARDED
        draft.save(update_fields=["status"])
        audit_record(
            actor=actor, case=draft.case, action="paper.discarded", data={"draft": draft.pk}
        )
    return draft


__all__ = ["DomainError", "draft_create", "draft_discard", "draft_edit", "draft_issue"]
