"""Hearing state transitions, rescheduling and recording."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from case_core.errors import DomainError, conflict, invalid
from case_core.models import Hearing, HearingStatus, Invitee
from case_core.notifications import notify
from signaling.frames import hearing_frame, notice_frame, seat_frame
from signaling.models import Seat
from signaling.services._common import Ctx, emit, hearing_action, require_live
from signaling.services.links import links_reissue

H = HearingStatus

# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "open": ((H.SCHEDULED, H.ADJOURNED), H.OPEN),
    "start": ((H.OPEN,), H.IN_SESSION),
    "pause": ((H.IN_SESSION,), H.PAUSED),
    "resume": ((H.PAUSED,), H.IN_SESSION),
    "adjourn": ((H.OPEN, H.IN_SESSION, H.PAUSED), H.ADJOURNED),
    "close": ((H.SCHEDULED, H.OPEN, H.IN_SESSION, H.PAUSED, H.ADJOURNED), H.CLOSED),
}


def _state_frame(ctx: Ctx) -> dict:
    return hearing_frame(ctx.hearing, ctx.live)


def hearing_transition(*, actor, hearing_id: int, action: str) -> Hearing:
    """open / start / pause / resume / adjourn / close, each guarded and logged."""
    if action not in TRANSITIONS:
        raise invalid(_("Unknown hearing action."), details={"field": "action"})
    with hearing_action(hearing_id, actor, f"hearing.{action}") as ctx:
        hearing = Hearing.objects.select_for_update(of=("self",)).get(pk=hearing_id)
        hearing.case = ctx.hearing.case
        ctx.hearing = hearing
        allowed, target = TRANSITIONS[action]
        if hearing.status not in allowed:
            raise conflict(
                "invalid_transition",
                _("The hearing is %(status)s; that is not possible now.")
                % {"status": hearing.get_status_display()},
            )
        before = hearing.status
        now = timezone.now()
        if action == "start" and hearing.started_at is None:
            hearing.started_at = now
        if action == "close":
            hearing.ended_at = now
        if action in ("adjourn", "close"):
            if ctx.live.recording:
                _recording_off(ctx)
            _clear_floor_and_hands(ctx)
        hearing.status = target
        hearing.save()
        emit(ctx, f"hearing.{action}", frame=_state_frame(ctx), data={"from": before, "to": target})
    return hearing


def hearing_reschedule(*, actor, hearing_id: int, start: datetime) -> Hearing:
    """Move a scheduled or adjourned hearing to a new start and notify every invitee; parties'
    personal links are replaced (signaling/services/links.py)."""
    if not isinstance(start, datetime) or timezone.is_naive(start):
        raise invalid(
            _("Give the start as a date and time with a time zone."), details={"field": "start"}
        )
    if start <= timezone.now():
        raise invalid(_("The new start must be in the future."), details={"field": "start"})
    with hearing_action(hearing_id, actor, "hearing.reschedule") as ctx:
        hearing = (
            Hearing.objects.select_for_update(of=("self",))
            .select_related("case")
            .get(pk=hearing_id)
        )
        ctx.hearing = hearing
        if hearing.status not in (H.SCHEDULED, H.ADJOURNED):
            raise conflict(
                "invalid_transition",
                _("Only a scheduled or adjourned hearing can be rescheduled."),
            )
        before = hearing.scheduled_start
        hearing.scheduled_start = start
        hearing.status = H.SCHEDULED
        hearing.save()
        emit(
            ctx,
            "hearing.rescheduled",
            frame=_state_frame(ctx),
            data={"from": before.isoformat(), "to": start.isoformat()},
        )
        invitees = list(Invitee.objects.filter(hearing=hearing).select_related("user"))
        # Every earlier personal link stops working; parties get a new one, everyone else signs in.
        links = links_reissue(actor=actor, hearing=hearing, invitees=invitees)
        transaction.on_commit(lambda: _notify_rescheduled(hearing, invitees, links))
    return hearing


def _notify_rescheduled(hearing: Hearing, invitees: list[Invitee], links: dict) -> None:
    """Tell every invitee the new start: parties with their new personal link (it asks for a
    texted code), the tribunal, clerks and staff with the hearing page, where they sign in."""
    page = settings.TRIBUNAL_PUBLIC_URL.rstrip("/") + reverse(
        "signaling:hearing", kwargs={"hearing_id": hearing.pk}
    )
    with override(hearing.language):
        when = timezone.localtime(hearing.scheduled_start).strftime("%Y-%m-%d %H:%M")
        case = hearing.case.number or hearing.case.title
        for inv in invitees:
            if inv.user_id in links:
                url, expires_at = links[inv.user_id]
                body = _(
                    "The hearing in case %(case)s now starts at %(when)s. Your personal link: "
                    "%(link)s It asks for a code sent to this phone and works until %(until)s. "
                    "Do not forward it."
                ) % {
                    "case": case,
                    "when": when,
                    "link": url,
                    "until": timezone.localtime(expires_at).strftime("%Y-%m-%d %H:%M"),
                }
            else:
                body = _(
                    "The hearing in case %(case)s now starts at %(when)s. Sign in to join: %(link)s"
                ) % {"case": case, "when": when, "link": page}
            notify(user=inv.user, case=hearing.case, subject=_("Hearing rescheduled"), body=body)


def _recording_off(ctx: Ctx) -> None:
    ctx.live.recording = False
    ctx.live.save(update_fields=["recording"])
    with override(ctx.hearing.language):
        message = _("Recording has stopped.")
    emit(
        ctx,
        "recording.stopped",
        frame=notice_frame(message, {"recording": False}),
    )
    emit(ctx, "hearing.state", frame=_state_frame(ctx), audit=False)


def recording_start(*, actor, hearing_id: int) -> None:
    with hearing_action(hearing_id, actor, "recording.start") as ctx:
        if ctx.hearing.status not in (H.IN_SESSION, H.PAUSED):
            raise DomainError(
                "hearing_not_in_session",
                _("Recording can start only while the hearing is in session."),
                status=409,
            )
        if ctx.live.recording:
            raise conflict("already_recording", _("The hearing is already being recorded."))
        ctx.live.recording = True
        ctx.live.recording_started_at = timezone.now()
        ctx.live.save(update_fields=["recording", "recording_started_at"])
        with override(ctx.hearing.language):
            message = _("This hearing is now being recorded.")
        emit(
            ctx,
            "recording.started",
            frame=notice_frame(message, {"recording": True}),
        )
        emit(ctx, "hearing.state", frame=_state_frame(ctx), audit=False)


def recording_stop(*, actor, hearing_id: int) -> None:
    with hearing_action(hearing_id, actor, "recording.stop") as ctx:
        require_live(ctx)
        if not ctx.live.recording:
            raise conflict("not_recording", _("The hearing is not being recorded."))
        _recording_off(ctx)


def _clear_floor_and_hands(ctx: Ctx) -> None:
    seats = (
        Seat.objects.select_for_update(of=("self",))
        .select_related("user", "room")
        .filter(hearing=ctx.hearing)
    )
    for seat in seats:
        if seat.has_floor or seat.hand_raised:
            seat.has_floor = seat.hand_raised = False
            seat.save(update_fields=["has_floor", "hand_raised", "updated_at"])
            emit(
                ctx,
                "seat.update",
                frame=seat_frame(seat),
                scope="present",
                subject=seat.user,
                audit=False,
            )
