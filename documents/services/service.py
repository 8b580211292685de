"""Electronic service (送达) of issued documents, with receipts.

    service_start   -> once a document is sealed: one Service per recipient, a link texted and
                       e-mailed to each (the link's SHA-256 kept, not the link); a hearing notice
                       adds each party's personal join link (signaling.services.links) and an
                       .ics; the notice to answer texts a respondent with no account its access
                       code (accounts.services.access_code_issue). A recipient with neither phone
                       nor e-mail is recorded as `no_address` for the clerk to serve by post.
    service_open    -> the recipient opens the document (their link, or their inbox signed in):
                       at the first opening service is complete, and the SHA-256 of the bytes
                       opened is recorded and audited (`service.completed`)
    services_deem   -> services not opened within TRIBUNAL_SERVICE_DEEMED_DAYS are deemed served
                       (run by the scheduler)
    service_postal  -> the clerk records service by post (tracking number, date)
    receipt_pdf     -> the receipt of a completed service, as a PDF under the committee seal

Nothing already served is changed: opening again, deeming or posting a completed service leaves
it as it was (postal: `already_served`).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from case_core import pades, pki
from case_core.audit import audit_record
from case_core.errors import DomainError, conflict, invalid, not_found
from case_core.models import Party, SignableDocument, User
from case_core.notifications import notify
from case_core.permissions import roles_on
from case_core.validators import require_text
from documents.kinds import KINDS, recipients_for
from documents.models import SERVICE_DONE, Service, ServiceStatus
from documents.pdf import render_table
from documents.permissions import authorize

log = logging.getLogger(__name__)
S = ServiceStatus


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def service_url(token: str) -> str:
    return settings.TRIBUNAL_PUBLIC_URL.rstrip("/") + reverse("paperwork:open", args=[token])


def _masked(address: str) -> str:
    if "@" in address:
        name, _at, domain = address.partition("@")
        return f"{name[:1]}***@{domain}"
    return (
        address[:3] + "*" * max(len(address) - 7, 0) + address[-4:] if len(address) > 7 else "****"
    )


def _recipients(document: SignableDocument) -> list[tuple[User, str]]:
    filing = getattr(document, "filing", None)
    if filing is not None:
        other = "respondent" if filing.side == "applicant" else "applicant"
        return recipients_for(other, document.case)
    kind = KINDS.get(document.kind)
    return recipients_for(kind.serve_on if kind else "parties", document.case)


def _party_without_account(document: SignableDocument) -> list[Party]:
    """Respondents with no member on the case yet (served with their access code)."""
    kind = KINDS.get(document.kind)
    if kind is None or not kind.access_code:
        return []
    parties = document.case.parties.filter(side=kind.serve_on, user__isnull=True)
    return [p for p in parties if not document.case.members.filter(party=p, active=True).exists()]


def _join_links(document: SignableDocument, actor) -> dict[int, tuple]:
    """For a hearing notice: each party's new personal link {user_id: (url, expires_at)}."""
    from case_core.models import Invitee
    from signaling.services.links import links_reissue

    hearing = document.hearing
    if hearing is None:
        return {}
    invitees = list(Invitee.objects.filter(hearing=hearing).select_related("user"))
    return links_reissue(actor=actor, hearing=hearing, invitees=invitees)


def _calendar(document: SignableDocument, join_url: str) -> str:
    from icalendar import Calendar, Event

    hearing = document.hearing
    calendar = Calendar()
    calendar.add("prodid", "-//OpenTribunal//hearing notice//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"hearing-{hearing.pk}-doc-{document.pk}@opentribunal")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", hearing.scheduled_start)
    event.add("dtend", hearing.scheduled_start + timedelta(hours=2))
    event.add("summary", f"{document.title} {document.case.number or ''}".strip())
    if join_url:
        event.add("url", join_url)
        event.add("location", join_url)
        event.add("description", join_url)
    calendar.add_component(event)
    return calendar.to_ical().decode()


def service_start(*, document: SignableDocument, actor: User) -> list[Service]:
    """Serve a sealed document on its recipients (inside the caller's transaction)."""
    if Service.objects.filter(document=document).exists():
        return list(Service.objects.filter(document=document))
    case = document.case
    links = (
        _join_links(document, actor)
        if KINDS.get(document.kind, None) and KINDS[document.kind].hearing
        else {}
    )
    made: list[tuple[Service, str, dict]] = []
    for user, side in _recipients(document):
        token = secrets.token_urlsafe(24)
        address = user.phone or user.email or ""
        service = Service.objects.create(
            document=document,
            recipient=user,
            name=user.name or user.username,
            side=side,
            token_sha256=_digest(token),
            address=_masked(address) if address else "",
            status=S.PENDING if address else S.NO_ADDRESS,
        )
        extra = {}
        if user.pk in links:
            join_url, _expires = links[user.pk]
            extra["join"] = join_url
        if document.hearing is not None and KINDS[document.kind].hearing:
            service.calendar = _calendar(document, extra.get("join", ""))
            service.save(update_fields=["calendar"])
        made.append((service, token, extra))
    for party in _party_without_account(document):
        from accounts.services.access import access_code_issue

        token = secrets.token_urlsafe(24)
        service = Service.objects.create(
            document=document,
            party=party,
            name=party.name,
            side=party.side,
            token_sha256=_digest(token),
            address=_masked(party.phone) if party.phone else "",
            status=S.PENDING if party.phone else S.NO_ADDRESS,
        )
        code = access_code_issue(actor=actor, case=case, party=party) if party.phone else ""
        made.append((service, token, {"code": code, "phone": party.phone}))
    for service, _token, _extra in made:
        audit_record(
            actor=actor,
            case=case,
            action="service.sent" if service.status == S.PENDING else "service.no_address",
            data={
                "service": service.pk,
                "document": document.pk,
                "recipient": service.recipient_id,
                "party": service.party_id,
                "name": service.name,
                "address": service.address,
            },
        )
    language = document.language or translation.get_language()
    transaction.on_commit(lambda: _tell(document, made, language))
    return [service for service, _t, _e in made]


def _tell(document: SignableDocument, made, language: str) -> None:
    from accounts.sms import text_phone

    case_label = document.case.number or document.case.title
    with translation.override(language):
        for service, token, extra in made:
            if service.status != S.PENDING:
                continue
            body = _("%(title)s in case %(case)s is served on you. Open it here: %(link)s") % {
                "title": document.title,
                "case": case_label,
                "link": service_url(token),
            }
            if document.hearing is not None and KINDS[document.kind].hearing:
                body += " " + _("The hearing starts at %(time)s.") % {
                    "time": timezone.localtime(document.hearing.scheduled_start).strftime(
                        "%Y-%m-%d %H:%M"
                    )
                }
            if extra.get("join"):
                body += " " + _("Your personal link to join the hearing: %(link)s") % {
                    "link": extra["join"]
                }
            subject = _("Served on you: %(title)s") % {"title": document.title}
            if service.recipient is not None:
                notify(user=service.recipient, case=document.case, subject=subject, body=body)
            else:
                if extra.get("code"):
                    body += " " + _(
                        "To answer online, sign up with this phone number and claim case "
                        "%(case)s with your ID number and the access code %(code)s."
                    ) % {"case": case_label, "code": extra["code"]}
                text_phone(phone=extra["phone"], subject=subject, body=body)
            Service.objects.filter(pk=service.pk).update(notified_at=timezone.now())


# --- opening ---------------------------------------------------------------------------------


def service_by_token(token: str) -> Service:
    token = (token or "").strip()
    service = None
    if 16 <= len(token) <= 64:
        service = (
            Service.objects.select_related("document", "document__case", "recipient")
            .filter(token_sha256=_digest(token))
            .first()
        )
    if service is None or service.document.status != "signed":
        raise not_found(_("This service link is not valid."))
    return service


def service_for(user: User, service_id: int) -> Service:
    """A service the signed-in `user` may see: their own, or any on a case they staff."""
    service = (
        Service.objects.select_related("document", "document__case", "recipient")
        .filter(pk=service_id)
        .first()
    )
    if service is None or not roles_on(user, service.document.case):
        raise not_found()
    if service.recipient_id != user.pk:
        authorize(user, service.document.case, "service.table")
    return service


def service_open(*, service: Service, opener: User | None, via: str) -> bytes:
    """The document's bytes; the recipient's first opening completes service (hash recorded)."""
    document = service.document
    with document.file.open("rb") as stream:
        content = stream.read()
    is_recipient = via == "link" or (opener is not None and opener.pk == service.recipient_id)
    if not is_recipient:
        return content
    with transaction.atomic():
        service = Service.objects.select_for_update().get(pk=service.pk)
        if service.status in (S.PENDING, S.NO_ADDRESS):
            service.status = S.SERVED
            service.opened_at = timezone.now()
            service.opened_sha256 = hashlib.sha256(content).hexdigest()
            service.save(update_fields=["status", "opened_at", "opened_sha256"])
            audit_record(
                actor=service.recipient,
                case=document.case,
                action="service.completed",
                data={
                    "service": service.pk,
                    "document": document.pk,
                    "recipient": service.recipient_id,
                    "name": service.name,
                    "via": via,
                    "sha256": service.opened_sha256,
                    "document_sha256": document.sha256,
                },
            )
    return content


def services_deem(*, now=None) -> int:
    """Services not opened within TRIBUNAL_SERVICE_DEEMED_DAYS become deemed served."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.TRIBUNAL_SERVICE_DEEMED_DAYS)
    count = 0
    for pk in Service.objects.filter(status=S.PENDING, created_at__lte=cutoff).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            service = Service.objects.select_for_update().select_related("document").get(pk=pk)
            if service.status != S.PENDING:
                continue
            service.status = S.DEEMED
            service.deemed_at = now
            service.save(update_fields=["status", "deemed_at"])
            audit_record(
                actor=None,
                case=service.document.case,
                action="service.deemed",
                data={"service": service.pk, "document": service.document_id, "name": service.name},
            )
            count += 1
    return count


def service_postal(*, actor: User, service: Service, tracking: str, posted_on: date) -> Service:
    """The clerk records service by post for a recipient not (yet) served electronically."""
    tracking = require_text(tracking, field="tracking", max_length=64)
    if not isinstance(posted_on, date) or posted_on > timezone.localdate():
        raise invalid(
            _("Enter the date it was posted (not in the future)."), details={"field": "posted_on"}
        )
    with transaction.atomic():
        service = Service.objects.select_for_update().select_related("document").get(pk=service.pk)
        authorize(actor, service.document.case, "service.postal")
        if service.status in SERVICE_DONE:
            raise conflict(
                "already_served", _("This document was already served on this recipient.")
            )
        service.status = S.POSTAL
        service.postal_tracking = tracking
        service.postal_date = posted_on
        service.save(update_fields=["status", "postal_tracking", "postal_date"])
        audit_record(
            actor=actor,
            case=service.document.case,
            action="service.postal",
            data={
                "service": service.pk,
                "document": service.document_id,
                "tracking": tracking,
                "posted_on": posted_on.isoformat(),
            },
        )
    return service


# --- receipts --------------------------------------------------------------------------------


def receipt_pdf(service: Service) -> bytes:
    """The receipt of service as a PDF, sealed by the committee (verifiable like the document)."""
    if service.status not in SERVICE_DONE:
        raise conflict("not_served", _("This document has not been served yet."))
    document = service.document
    method = {
        S.SERVED: _("Electronic service: opened by the recipient"),
        S.DEEMED: _("Electronic service: deemed served (not opened in time)"),
        S.POSTAL: _("Service by post"),
    }[service.status]
    when = service.completed_at
    when_text = (
        timezone.localtime(when).strftime("%Y-%m-%d %H:%M:%S %Z")
        if hasattr(when, "hour")
        else (when.isoformat() if when else "")
    )
    rows = [
        (_("Case"), document.case.number or document.case.title),
        (_("Document"), document.title),
        (_("Document SHA-256"), document.sha256),
        (_("Recipient"), service.name),
        (_("Sent to"), service.address or "-"),
        (_("Method"), str(method)),
        (_("Served at"), when_text),
    ]
    if service.status == S.SERVED:
        rows.append((_("SHA-256 of the file opened"), service.opened_sha256))
    if service.status == S.POSTAL:
        rows.append((_("Tracking number"), service.postal_tracking))
    with translation.override(document.language or translation.get_language()):
        title = str(_("Receipt of service"))
        rows = [(str(k), str(v)) for k, v in rows]
        note = str(
            _("Issued by %(committee)s from its service record; sealed inside this PDF.")
            % {"committee": pki.committee_name()}
        )
    pdf = render_table(title=title, rows=rows, note=note, author=pki.committee_name())
    try:
        seal = pki.committee_seal()
        return pades.sign(
            pdf,
            credential=seal,
            field="Committee seal",
            name=pki.committee_name(),
            reason=title,
        )
    except (pki.PkiError, pades.PadesError) as exc:
        log.error("cannot seal a receipt: %s", exc)
        raise DomainError(
            "signing_unavailable",
            _("Signing is unavailable right now; try again later or tell the clerk."),
            status=503,
        ) from None


__all__ = [
    "receipt_pdf",
    "service_by_token",
    "service_for",
    "service_open",
    "service_postal",
    "service_start",
    "services_deem",
]
