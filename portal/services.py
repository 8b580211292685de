"""Bookings and mail intake (lock -> authorize -> guard -> change -> audit).

* slot_create(*, actor, office, start, end, capacity): clerks keep the appointment slots.
* booking_create(*, actor, slot, name, phone, kind, workers): anyone signed in books a place;
  the slot is locked and its places counted; confirmed by SMS (audited booking.created).
* booking_cancel(*, actor, booking): the person who booked, or a clerk.
* bookings_remind(*, now=None): texts a reminder for tomorrow's bookings (tribunal command
  `remind_bookings`, run daily), once per booking.
* mail_intake_record(*, actor, sender, postmark_date, received_date, tracking_number, scans,
  case=None, note=""): the clerk's record of a paper application that came by mail; the
  postmark date is the date that counts for time limits. Scans are recognised by their first
  bytes (PDF, JPEG, PNG) and size-limited.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.codes import normalise_phone
from accounts.sms import text_phone
from case_core.audit import audit_record
from case_core.errors import DomainError, forbidden, invalid
from case_core.filetypes import sniff_content_type
from case_core.models import DisputeKind, User
from portal.models import Booking, BookingSlot, BookingStatus, MailIntake, MailScan, Office

SCAN_TYPES = ("application/pdf", "image/jpeg", "image/png")
SCAN_MAX_BYTES = 20 * 1024 * 1024
MAX_SCANS = 20


def _clerk(actor: User) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_clerk:
        raise forbidden()


def slot_create(*, actor: User, office: Office, start, end, capacity: int) -> BookingSlot:
    _clerk(actor)
    if start is None or end is None or end <= start:
        raise invalid(_("The slot must end after it starts."), details={"field": "end"})
    if start < timezone.now():
        raise invalid(_("The slot must be in the future."), details={"field": "start"})
    if not 1 <= capacity <= 200:
        raise invalid(_("Between 1 and 200 places."), details={"field": "capacity"})
    with transaction.atomic():
        slot = BookingSlot.objects.create(
            office=office, start=start, end=end, capacity=capacity, created_by=actor
        )
        audit_record(
            actor=actor,
            case=None,
            action="booking.slot_created",
            data={"slot": slot.pk, "office": office.pk, "start": start.isoformat()},
        )
    return slot


def free_places(slot: BookingSlot) -> int:
    taken = slot.bookings.filter(status=BookingStatus.BOOKED).count()
    return max(slot.capacity - taken, 0)


def booking_create(
    *, actor: User, slot: BookingSlot, name: str, phone: str, kind: str, workers: int = 1
) -> Booking:
    if actor is None or not actor.is_authenticated:
        raise forbidden()
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise invalid(_("Enter your name (at most 100 characters)."), details={"field": "name"})
    phone = normalise_phone(phone)
    if kind not in DisputeKind.values:
        raise invalid(_("Unknown dispute kind."), details={"field": "kind"})
    if not 1 <= workers <= 1000000:
        raise invalid(_("Enter the number of workers."), details={"field": "workers"})
    with transaction.atomic():
        slot = BookingSlot.objects.select_for_update().select_related("office").get(pk=slot.pk)
        if slot.start <= timezone.now():
            raise DomainError("slot_past", _("This time has passed. Choose another."), status=409)
        if free_places(slot) <= 0:
            raise DomainError(
                "slot_full", _("This time is fully booked. Choose another."), status=409
            )
        if (
            Booking.objects.filter(
                user=actor, status=BookingStatus.BOOKED, slot__start__gt=timezone.now()
            ).count()
            >= 3
        ):
            raise DomainError(
                "too_many_bookings",
                _("You already have three bookings to come. Cancel one first."),
                status=409,
            )
        booking = Booking.objects.create(
            slot=slot,
            user=actor,
            name=name,
            phone=phone,
            kind=kind,
            workers=workers,
            reference=secrets.token_hex(4).upper(),
        )
        audit_record(
            actor=actor,
            case=None,
            action="booking.created",
            data={"booking": booking.pk, "slot": slot.pk, "kind": kind, "workers": workers},
        )
    text_phone(phone=phone, subject=_("Appointment booked"), body=_booking_text(booking))
    return booking


def _booking_text(booking: Booking, *, reminder: bool = False) -> str:
    slot = booking.slot
    values = {
        "when": date_format(timezone.localtime(slot.start), "DATETIME_FORMAT"),
        "office": slot.office.name,
        "address": slot.office.address,
        "ref": booking.reference,
    }
    if reminder:
        return (
            _("Reminder: your appointment is %(when)s at %(office)s, %(address)s. Ref %(ref)s.")
            % values
        )
    return (
        _(
            "Appointment booked: %(when)s at %(office)s, %(address)s. Bring your ID and the "
            "materials listed in the guide. Ref %(ref)s."
        )
        % values
    )


def booking_cancel(*, actor: User, booking: Booking) -> Booking:
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.user_id != actor.pk and not actor.is_clerk:
            raise forbidden()
        if booking.status != BookingStatus.BOOKED:
            raise DomainError("not_booked", _("This booking is not active."), status=409)
        booking.status = BookingStatus.CANCELLED
        booking.save(update_fields=["status"])
        audit_record(
            actor=actor, case=None, action="booking.cancelled", data={"booking": booking.pk}
        )
    return booking


def bookings_remind(*, now=None) -> int:
    """Text tomorrow's bookings their reminder (once); returns how many were sent."""
    now = now or timezone.now()
    due = Booking.objects.filter(
        status=BookingStatus.BOOKED,
        reminder_sent_at__isnull=True,
        slot__start__gt=now,
        slot__start__lte=now + timedelta(hours=36),
    ).select_related("slot__office")
    sent = 0
    for booking in due:
        if Booking.objects.filter(pk=booking.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        ):
            text_phone(
                phone=booking.phone,
                subject=_("Appointment reminder"),
                body=_booking_text(booking, reminder=True),
            )
            sent += 1
    return sent


def mail_intake_record(
    *,
    actor: User,
    sender: str,
    postmark_date,
    received_date,
    tracking_number: str = "",
    scans=(),
    case=None,
    note: str = "",
) -> MailIntake:
    _clerk(actor)
    sender = (sender or "").strip()
    if not sender or len(sender) > 200:
        raise invalid(_("Enter the sender."), details={"field": "sender"})
    if postmark_date is None or received_date is None:
        raise invalid(_("Enter the postmark date."), details={"field": "postmark_date"})
    if postmark_date > received_date:
        raise invalid(
            _("The postmark cannot be later than the day the letter arrived."),
            details={"field": "postmark_date"},
        )
    if received_date > timezone.localdate():
        raise invalid(
            _("The letter cannot arrive in the future."), details={"field": "received_date"}
        )
    if len(scans) > MAX_SCANS:
        raise invalid(_("Too many files."), details={"field": "scans"})
    checked = []
    for upload in scans:
        if upload.size > SCAN_MAX_BYTES:
            raise DomainError(
                "too_large",
                _("A scan is larger than 20 MB."),
                status=413,
                details={"field": "scans"},
            )
        data = upload.read()
        mime = sniff_content_type(data[:4096], upload.name or "")
        if mime not in SCAN_TYPES:
            raise invalid(_("Scans must be PDF, JPEG or PNG files."), details={"field": "scans"})
        checked.append((upload.name[:200], mime, data))
    with transaction.atomic():
        intake = MailIntake.objects.create(
            case=case,
            sender=sender,
            postmark_date=postmark_date,
            received_date=received_date,
            tracking_number=(tracking_number or "").strip()[:64],
            counts_from=postmark_date,
            note=(note or "").strip()[:500],
            recorded_by=actor,
        )
        for name, mime, data in checked:
            digest = hashlib.sha256(data).hexdigest()
            scan = MailScan(intake=intake, sha256=digest, content_type=mime, original_name=name)
            scan.file.save(f"{digest}", ContentFile(data), save=False)
            scan.save()
        audit_record(
            actor=actor,
            case=case,
            action="mail.received",
            data={
                "intake": intake.pk,
                "postmark_date": postmark_date.isoformat(),
                "tracking_number": intake.tracking_number,
                "scans": [hashlib.sha256(d).hexdigest() for _n, _m, d in checked],
            },
        )
    return intake
