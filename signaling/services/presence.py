"""Presence: joining, leaving, dropping and rejoining within the reconnect grace period."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from case_core.errors import DomainError, forbidden, not_found
from case_core.models import HearingStatus
from signaling.frames import seat_frame, seat_json
from signaling.models import MAIN, WAITING, Admission, HearingRoom, Presence
from signaling.services._common import TRIBUNAL, emit, ensure_seat, hearing_action
from signaling.services.snapshot import roster


def _seat_frame(seat) -> dict:
    return seat_frame(seat)


def seat_join(*, actor, hearing_id: int, channel_name: str) -> dict:
    """Seat `actor` (already authenticated by a credential): tribunal in the main room, everyone
    else in the waiting room unless they were admitted and are back within the grace period.
    Returns {"seat": ..., "replaced": old channel or "", "roster": ...}."""
    with hearing_action(hearing_id, actor) as ctx:
        if ctx.role is None:
            raise not_found()
        if ctx.hearing.status == HearingStatus.CLOSED:
            raise DomainError("hearing_closed", _("This hearing is closed."), status=410)
        seat = ensure_seat(ctx, actor, ctx.role)
        if seat.admission == Admission.REFUSED:
            raise forbidden(_("You were not admitted to this hearing."))
        if seat.admission == Admission.REMOVED:
            raise forbidden(_("You were removed from this hearing."))
        now = timezone.now()
        replaced = seat.channel_name if seat.presence == Presence.JOINED else ""
        grace = timedelta(seconds=settings.TRIBUNAL_RECONNECT_GRACE)
        within_grace = seat.presence == Presence.JOINED or (
            seat.presence == Presence.RECONNECTING
            and seat.disconnected_at is not None
            and now - seat.disconnected_at <= grace
        )
        rejoined = seat.room_id is not None and within_grace
        if ctx.role in TRIBUNAL:
            seat.admission = Admission.ADMITTED
            if not rejoined:
                seat.room = HearingRoom.objects.get(hearing=ctx.hearing, key=MAIN)
        elif not (rejoined and seat.admission == Admission.ADMITTED):
            seat.admission = Admission.WAITING
            seat.room = HearingRoom.objects.get(hearing=ctx.hearing, key=WAITING)
            seat.hand_raised = seat.has_floor = False
        seat.presence = Presence.JOINED
        seat.channel_name = channel_name
        seat.disconnected_at = None
        seat.save()
        kind = "presence.rejoined" if rejoined else "presence.joined"
        emit(
            ctx,
            kind,
            frame=_seat_frame(seat),
            scope="present",
            subject=actor,
            room=seat.room.key,
            meta={"channel": channel_name},
        )
        return {
            "seat": seat_json(seat),
            "role": ctx.role,
            "replaced": replaced,
            "rejoined": rejoined,
            "roster": roster(ctx.hearing),
        }


def seat_leave(*, actor, hearing_id: int, channel_name: str, clean: bool) -> dict | None:
    """A connection ended: `clean` (the `leave` frame) -> left; otherwise -> reconnecting.
    Ignored when a newer connection of the same person holds the seat. Returns the seat or None."""
    with hearing_action(hearing_id, actor) as ctx:
        seat = (
            ctx.hearing.seats.select_for_update(of=("self",))
            .select_related("user", "room")
            .filter(user=actor)
            .first()
        )
        if seat is None or seat.channel_name != channel_name or seat.presence != Presence.JOINED:
            return None
        seat.channel_name = ""
        seat.hand_raised = False
        if clean:
            seat.presence = Presence.LEFT
            seat.room = None
            seat.has_floor = False
        else:
            seat.presence = Presence.RECONNECTING
            seat.disconnected_at = timezone.now()
        seat.save()
        emit(
            ctx,
            "presence.left" if clean else "presence.reconnecting",
            frame=_seat_frame(seat),
            scope="present",
            subject=actor,
            room=seat.room.key if seat.room_id else "",
        )
        return {"seat": seat_json(seat), "disconnected_at": seat.disconnected_at}


def seat_grace_expire(*, hearing_id: int, user_id: int, disconnected_at) -> bool:
    """After the grace period: a participant still reconnecting has left (back to the waiting room
    when they return). Returns True if the seat changed."""
    with hearing_action(hearing_id, None) as ctx:
        seat = (
            ctx.hearing.seats.select_for_update(of=("self",))
            .select_related("user", "room")
            .filter(user_id=user_id)
            .first()
        )
        if (
            seat is None
            or seat.presence != Presence.RECONNECTING
            or seat.disconnected_at != disconnected_at
        ):
            return False
        room = seat.room.key if seat.room_id else ""
        seat.presence = Presence.LEFT
        seat.room = None
        seat.has_floor = False
        seat.save()
        emit(
            ctx,
            "presence.grace_expired",
            frame=_seat_frame(seat),
            scope="present",
            subject=seat.user,
            room=room,
        )
        return True
