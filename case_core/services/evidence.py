"""Evidence: hashed uploads with size and type limits, and cross-examination opinions.

A side's opinion on a piece of evidence can be changed (`change=True`) while the opinion window is open: by
default while the case is open; the documents app, which keeps the evidence period, provides
the real check in its AppConfig.ready (`provide_opinion_window`), so an opinion can be changed
until the evidence period ends (then `opinion_closed`, 409).
"""

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
from case_core.integrity.serving import HashingReader
from case_core.models import Case, CaseStatus, CrossExamination, Evidence, User
from case_core.models.evidence import Opinion
from case_core.permissions import authorize, party_side
from case_core.validators import require_text

CLOSED = (CaseStatus.REJECTED, CaseStatus.WITHDRAWN, CaseStatus.CLOSED)
DECIDED = (*CLOSED, CaseStatus.AWARDED, CaseStatus.MEDIATED)
_opinion_window = None


def provide_opinion_window(check) -> None:
    """A higher layer says until when opinions may change: `check(case) -> bool`."""
    global _opinion_window
    _opinion_window = check


def opinion_changeable(case: Case) -> bool:
    """Whether a side may still change its cross-examination opinions on this case."""
    if case.status in DECIDED:
        return False
    return _opinion_window(case) if _opinion_window is not None else True


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
    return HashingReader(evidence.file.open("rb"), evidence)  # hashed while it is sent


def evidence_opinion(
    *,
    actor: User,
    evidence: Evidence,
    authenticity: str,
    legality: str,
    relevance: str,
    comment: str = "",
    change: bool = False,
) -> CrossExamination:
    """A party's cross-examination opinion on evidence submitted by the other side. A side gives
    one opinion per piece of evidence (`opinion_exists`); with `change` it replaces its earlier one
    while the opinion window is open (`opinion_closed` after)."""
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
    comment = (comment or "").strip()[:5000]
    existing = CrossExamination.objects.filter(evidence=evidence, side=side).first()
    if existing is not None and change:
        return _opinion_change(actor, existing, authenticity, legality, relevance, comment)
    try:
        with transaction.atomic():
            opinion = CrossExamination.objects.create(
                evidence=evidence,
                author=actor,
                side=side,
                authenticity=authenticity,
                legality=legality,
                relevance=relevance,
                comment=comment,
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


def _opinion_change(actor, opinion, authenticity, legality, relevance, comment):
    """Change a side's opinion while the window is open (the earlier one stays in the audit)."""
    case = opinion.evidence.case
    with transaction.atomic():
        Case.objects.select_for_update().get(pk=case.pk)
        opinion = CrossExamination.objects.select_for_update().get(pk=opinion.pk)
        if not opinion_changeable(case):
            raise conflict(
                "opinion_closed",
                _("The evidence period has ended; your side's opinion can no longer be changed."),
            )
        before = {
            "authenticity": opinion.authenticity,
            "legality": opinion.legality,
            "relevance": opinion.relevance,
        }
        opinion.author = actor
        opinion.authenticity, opinion.legality = authenticity, legality
        opinion.relevance, opinion.comment = relevance, comment
        opinion.save(update_fields=["author", "authenticity", "legality", "relevance", "comment"])
        audit_record(
            actor=actor,
            case=case,
            action="evidence.opinion_changed",
            data={
                "evidence": opinion.evidence_id,
                "before": before,
                "authenticity": authenticity,
                "legality": legality,
                "relevance": relevance,
            },
        )
    return opinion
