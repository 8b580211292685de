"""The hearing minutes: generated as a PDF in the hearing's language and sent for signature.

Signers are the tribunal (presiding arbitrator, arbitrators or mediator, and the clerk) and the
parties and agents who were present. Generating again replaces minutes that are still out for
signature; once the minutes are signed they are final (and so is the transcript).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from case_core.audit import audit_record
from case_core.errors import conflict
from case_core.models import DocumentStatus, Hearing, Invitee, SignableDocument, User
from case_core.models.hearings import HEARING_PARTY_ROLES, HEARING_TRIBUNAL_ROLES
from case_core.permissions import authorize
from case_core.services.signing import document_create, document_issue, document_void
from minutes.pdf import render_minutes
from minutes.record import latest_transcript, minutes_record
from signaling.services.log import hearing_log_verify
from transcription.digest import transcript_sha256
from transcription.exports import role_label
from transcription.transcript_models import TranscriptStatus
from transcription.transcripts import MINUTES, hearing_minutes, hearing_minutes_signed


def minutes_signers(hearing: Hearing, present: set[int]) -> list[tuple[User, str]]:
    """(user, hearing role) of the tribunal, then the parties present (all invited parties when
    the event log recorded no attendance, e.g. a hearing held off the platform)."""
    invitees = list(Invitee.objects.filter(hearing=hearing).select_related("user"))
    order = {role: i for i, role in enumerate(HEARING_TRIBUNAL_ROLES + HEARING_PARTY_ROLES)}
    invitees.sort(key=lambda inv: (order.get(inv.role, 99), inv.pk))
    tribunal = [inv for inv in invitees if inv.role in HEARING_TRIBUNAL_ROLES]
    parties = [inv for inv in invitees if inv.role in HEARING_PARTY_ROLES]
    if present:
        tribunal = [inv for inv in tribunal if inv.user_id in present] or tribunal
        parties = [inv for inv in parties if inv.user_id in present]
    return [(inv.user, inv.role) for inv in tribunal + parties]


def _filename(hearing: Hearing) -> str:
    number = re.sub(r"[^A-Za-z0-9_-]+", "-", hearing.case.number or str(hearing.case_id))
    return f"minutes-{number.strip('-')}-hearing-{hearing.pk}.pdf"


def minutes_generate(*, actor: User, hearing: Hearing, link: str = "") -> SignableDocument:
    """Build the minutes PDF and send it to the tribunal and the parties present for signature."""
    case = hearing.case
    authorize(actor, case, "document.prepare")
    if hearing_minutes_signed(hearing):
        raise conflict("minutes_signed", _("The minutes of this hearing are already signed."))
    transcript = latest_transcript(hearing)
    if transcript is not None and transcript.status != TranscriptStatus.REVIEWED:
        raise conflict(
            "transcript_not_reviewed",
            _("Review the transcript and mark it reviewed before generating the minutes."),
        )
    if not hearing_log_verify(hearing_id=hearing.pk)[0]:
        raise conflict(
            "hearing_log_broken",
            _("The hearing's event log fails its integrity check; no minutes can be made from it."),
        )
    with translation.override(hearing.language):
        record = minutes_record(hearing)
        signers = minutes_signers(hearing, {p.user_id for p in record.present})
        pdf = render_minutes(record, [(user.name, role_label(role)) for user, role in signers])
        title = _("Minutes of the hearing of %(date)s") % {
            "date": (hearing.started_at or hearing.scheduled_start).strftime("%Y-%m-%d")
        }
        replaced = _("Replaced by newly generated minutes.")
    with transaction.atomic():
        for old in hearing_minutes(hearing, DocumentStatus.DRAFT, DocumentStatus.AWAITING):
            document_void(actor=actor, document=old, reason=str(replaced))
        document = document_create(
            actor=actor,
            case=case,
            hearing=hearing,
            kind=MINUTES,
            title=title,
            content=pdf,
            filename=_filename(hearing),
            signers=signers,
            language=hearing.language,
        )
        if not link:
            path = reverse("documents:page", args=[document.pk])
            link = settings.TRIBUNAL_PUBLIC_URL.rstrip("/") + path
        if transcript is not None:  # the reviewed transcript, as the minutes hold it
            audit_record(
                actor=actor,
                case=case,
                action="transcript.minuted",
                data={
                    "transcript": transcript.pk,
                    "document": document.pk,
                    "sha256": transcript_sha256(transcript),
                },
            )
        document = document_issue(actor=actor, document=document, link=link)
    return document
