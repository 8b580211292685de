"""Evidence: hashed uploads with size and type limits, and cross-examination opinions."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from case_core.audit import audit_record
from case_core.errors import DomainError, conflict, forbidden, invalid
from case_core.filetypes import sniff_content_type
from case_core.models import Case, CaseStatus, CrossExamination, Evidence, User
from case_core.models.evidence import Opinion
from case_core.permissions import authorize, party_side
from case_core.validators import require_text

CLOSED = (CaseStatus.REJECTED, CaseStatus.WITHDRAWN, CaseStatus.CLOSED)


def _digest(upload: File) -> tuple[str, int, bytes]:
    sha = hashlib.sha256()
    size = 0
    head = b""
    limit = settings.TRIBUNAL_EVIDENCE_MAX_BYTES
    upload.seek(0)
    for chunk in (
        upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b"")
    ):
        if len(head) < 4096:
            head += chunk[: 4096 - len(head)]
        size += len(chunk)
        if size > limit:
            raise DomainError(
                "too_large",
                _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)},
                status=413,
            )
        sha.update(chunk)
    upload.seek(0)
    return sha.hexdigest(), size, head


def evidence_upload(
    *,
    actor: User,
    case: Case,
    upload: File,
    title: str,
    description: str = "",
    kind: str = "document",
) -> Evidence:
    """Store a file in the case file with its SHA-256; rejects empty, oversized and unknown types."""
    authorize(actor, case, "evidence.upload")
    if case.status in CLOSED:
        raise conflict("case_closed", _("This case is closed to new evidence."))
    title = require_text(title, field="title", max_length=200)
    name = (getattr(upload, "name", "") or "upload").rsplit("/", 1)[-1][:255]
    sha256, size, head = _digest(upload)
    if size == 0:
        raise DomainError("empty_file", _("The file is empty."), status=400)
    content_type = sniff_content_type(head, name)
    if content_type is None:
        raise DomainError(
            "unsupported_type",
            _("This type of file is not accepted. Use PDF, an image, audio, video, Word or text."),
            status=415,
        )
    side = party_side(actor, case) or ""
    with transaction.atomic():
        evidence = Evidence(
            case=case,
            kind=kind,
            title=title,
            description=(description or "").strip()[:5000],
            original_name=name,
            content_type=content_type,
            size=size,
            sha256=sha256,
            submitted_by=actor,
            side=side,
        )
        evidence.file.save(name, upload, save=False)
        evidence.save()
        audit_record(
            actor=actor,
            case=case,
            action="evidence.uploaded",
            data={
                "evidence": evidence.pk,
                "title": title,
                "sha256": sha256,
                "size": size,
                "kind": kind,
                "side": side,
            },
        )
    return evidence


def evidence_open(*, actor: User, evidence: Evidence):
    """Open a stored file for reading, recording who viewed it (chain of custody)."""
    authorize(actor, evidence.case, "evidence.download")
    audit_record(
        actor=actor,
        case=evidence.case,
        action="evidence.viewed",
        data={"evidence": evidence.pk, "sha256": evidence.sha256},
    )
    return evidence.file.open("rb")


def evidence_opinion(
    *,
    actor: User,
    evidence: Evidence,
    authenticity: str,
    legality: str,
    relevance: str,
    comment: str = "",
) -> CrossExamination:
    """A party's cross-examination opinion on evidence submitted by the other side."""
    case = evidence.case
    authorize(actor, case, "evidence.opinion")
    side = party_side(actor, case)
    if side is None:
        raise forbidden(_("Only a party or their agent can give an opinion on evidence."))
    if evidence.side == side:
        raise invalid(_("Opinions are given on the other side's evidence."))
    for field, value in (
        ("authenticity", authenticity),
        ("legality", legality),
        ("relevance", relevance),
    ):
        if value not in Opinion.values:
            raise invalid(
                _("Choose admitted, disputed or cannot confirm."), details={"field": field}
            )
    try:
        with transaction.atomic():
            opinion = CrossExamination.objects.create(
                evidence=evidence,
                author=actor,
                side=side,
                authenticity=authenticity,
                legality=legality,
                relevance=relevance,
                comment=(comment or "").strip()[:5000],
            )
            audit_record(
                actor=actor,
                case=case,
                action="evidence.opinion",
                data={
                    "evidence": evidence.pk,
                    "authenticity": authenticity,
                    "legality": legality,
                    "relevance": relevance,
                },
            )
    except IntegrityError:
        raise conflict(
            "opinion_exists", _("Your side has already given its opinion on this evidence.")
        ) from None
    return opinion
