"""Appointment booking (phone first) and the clerks' side of paper intake: the slots they keep
and the record of an application received by mail. Each posts to a portal service."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from case_core.errors import DomainError, forbidden
from case_core.models import Case, DisputeKind
from portal.models import Booking, BookingSlot, BookingStatus, Office
from portal.services import (
    booking_cancel,
    booking_create,
    free_places,
    mail_intake_record,
    slot_create,
)


class BookingForm(forms.Form):
    slot = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Dispute kind"), choices=DisputeKind.choices)
    workers = forms.IntegerField(
        label=gettext_lazy("Number of workers"), min_value=1, max_value=1000000, initial=1
    )
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=100)
    phone = forms.CharField(
        label=gettext_lazy("Mobile phone number"),
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class SlotForm(forms.Form):
    office = forms.ModelChoiceField(label=gettext_lazy("Office"), queryset=Office.objects.all())
    day = forms.DateField(label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(
        label=gettext_lazy("From"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end = forms.TimeField(label=gettext_lazy("To"), widget=forms.TimeInput(attrs={"type": "time"}))
    capacity = forms.IntegerField(
        label=gettext_lazy("Places"), min_value=1, max_value=200, initial=4
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MailForm(forms.Form):
    sender = forms.CharField(label=gettext_lazy("Sender"), max_length=200)
    postmark_date = forms.DateField(
        label=gettext_lazy("Postmark date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    received_date = forms.DateField(
        label=gettext_lazy("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    tracking_number = forms.CharField(
        label=gettext_lazy("Tracking number"), max_length=64, required=False
    )
    case_number = forms.CharField(
        label=gettext_lazy("Case number (once filed)"), max_length=64, required=False
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)


def _upcoming_slots():
    slots = BookingSlot.objects.filter(start__gt=timezone.now()).select_related("office")[:60]
    return [(slot, free_places(slot)) for slot in slots]


def _show(form, error: DomainError):
    field = (error.details or {}).get("field")
    form.add_error(field if field in form.fields else None, error.message)


@login_required
def booking_new(request):
    kind = request.GET.get("kind", "")
    initial = {
        "kind": kind if kind in DisputeKind.values else DisputeKind.COLLECTIVE,
        "name": request.user.name if request.user.display_name else "",
        "phone": request.user.phone,
        "workers": 10 if kind == DisputeKind.COLLECTIVE else 1,
    }
    form = BookingForm(request.POST or None, initial=initial)
    ctx = {"form": form, "slots": _upcoming_slots(), "collective": kind == DisputeKind.COLLECTIVE}
    ctx["offices"] = Office.objects.filter(published=True)
    ctx["mine"] = Booking.objects.filter(
        user=request.user, status=BookingStatus.BOOKED, slot__start__gt=timezone.now()
    ).select_related("slot__office")
    if request.method != "POST":
        return render(request, "web_client/booking/new.html", ctx)
    if not form.is_valid():
        return render(request, "web_client/booking/new.html", ctx, status=400)
    slot = BookingSlot.objects.filter(pk=form.cleaned_data["slot"] or 0).first()
    if slot is None:
        form.add_error(None, _("Choose a time."))
        return render(request, "web_client/booking/new.html", ctx, status=400)
    try:
        booking = booking_create(
            actor=request.user,
            slot=slot,
            name=form.cleaned_data["name"],
            phone=form.cleaned_data["phone"],
            kind=form.cleaned_data["kind"],
            workers=form.cleaned_data["workers"],
        )
    except DomainError as error:
        _show(form, error)
        return render(request, "web_client/booking/new.html", ctx, status=error.status)
    return render(request, "web_client/booking/done.html", {"booking": booking})


@login_required
def booking_cancel_view(request, booking_id: int):
    booking = Booking.objects.filter(pk=booking_id).first()
    if booking is None or (booking.user_id != request.user.pk and not request.user.is_clerk):
        raise forbidden()
    if request.method == "POST":
        booking_cancel(actor=request.user, booking=booking)
        messages.success(request, _("The booking was cancelled."))
    return redirect("web:booking_new")


@login_required
def slots(request):
    if not request.user.is_clerk:
        raise forbidden()
    form = SlotForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            tz = timezone.get_current_timezone()
            try:
                slot_create(
                    actor=request.user,
                    office=d["office"],
                    start=datetime.combine(d["day"], d["start"], tzinfo=tz),
                    end=datetime.combine(d["day"], d["end"], tzinfo=tz),
                    capacity=d["capacity"],
                )
                messages.success(request, _("Slot added."))
                return redirect("web:booking_slots")
            except DomainError as error:
                _show(form, error)
                status = error.status
        else:
            status = 400
    bookings = Booking.objects.filter(
        status=BookingStatus.BOOKED, slot__start__gt=timezone.now()
    ).select_related("slot__office")
    return render(
        request,
        "web_client/booking/slots.html",
        {"form": form, "slots": _upcoming_slots(), "bookings": bookings},
        status=status,
    )


@login_required
def mail_intake(request):
    if not request.user.is_clerk:
        raise forbidden()
    form = MailForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            case = None
            if d["case_number"]:
                case = Case.objects.filter(number=d["case_number"].strip()).first()
            if d["case_number"] and case is None:
                form.add_error("case_number", _("No case has this number."))
                status = 400
            else:
                try:
                    intake = mail_intake_record(
                        actor=request.user,
                        sender=d["sender"],
                        postmark_date=d["postmark_date"],
                        received_date=d["received_date"],
                        tracking_number=d["tracking_number"],
                        scans=request.FILES.getlist("scans"),
                        case=case,
                        note=d["note"],
                    )
                    messages.success(
                        request,
                        _("Recorded. Time limits count from the postmark date, %(date)s.")
                        % {"date": intake.counts_from.isoformat()},
                    )
                    return redirect("web:mail_intake")
                except DomainError as error:
                    _show(form, error)
                    status = error.status
        else:
            status = 400
    return render(request, "web_client/booking/mail.html", {"form": form}, status=status)

