"""Controls in a live hearing: muting, removing, hands and the floor, and chat.

Muting and removing act on people who are admitted and connected (`not_present` otherwise). Only
the chair (presiding arbitrator or mediator) may mute a member of the tribunal or ask them to
unmute; nobody removes one.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import override

from case_core.errors import conflict, forbidden, invalid
from signaling.frames import notice_frame, seat_frame, seat_json
from signaling.models import WAITING, Admission, Presence, Seat
from signaling.services._common import (
    CHAIRS,
    TRIBUNAL,
    Ctx,
    emit,
    hearing_action,
    require_live,
)
from signaling.services.links import links_revoke_for

CHAT_MAX_CHARS = 2000


def _update(ctx: Ctx, seat: Seat, kind: str, data: dict | None = None, audit: bool = True) -> dict:
    seat.save()
    emit(
        ctx,
        kind,
        frame=seat_frame(seat),
        scope="present",
        subject=seat.user,
        room=seat.room.key if seat.room_id else "",
        data=data,
        audit=audit,
    )
    return seat_json(seat)


def _present(seat: Seat) -> None:
    if seat.admission != Admission.ADMITTED or seat.presence != Presence.JOINED:
        raise conflict("not_present", _("That person is not in the hearing now."))


def _may_mute(ctx: Ctx, seat: Seat) -> None:
    if seat.role in TRIBUNAL and ctx.role not in CHAIRS:
        raise forbidden(
            _("Only the chair may mute a member of the tribunal or ask them to unmute.")
        )


def participant_mute(*, actor, hearing_id: int, user_id: int) -> dict:
    """Mute someone; they cannot unmute themselves until asked to (participant.ask_unmute)."""
    with hearing_action(hearing_id, actor, "participant.mute") as ctx:
        seat = ctx.seat(user_id)
        _may_mute(ctx, seat)
        _present(seat)
        seat.muted = True
        seat.mute_locked = True
        return _update(ctx, seat, "participant.muted")


def participant_ask_unmute(*, actor, hearing_id: int, user_id: int) -> dict:
    """Ask someone to unmute: lifts the mute lock and sends them a notice; they choose."""
    with hearing_action(hearing_id, actor, "participant.ask_unmute") as ctx:
        seat = ctx.seat(user_id)
        _may_mute(ctx, seat)
        _present(seat)
        seat.mute_locked = False
        result = _update(ctx, seat, "participant.unmute_requested")
        with override(ctx.hearing.language):
            message = str(_("You are asked to unmute your microphone."))
        emit(
            ctx,
            "notice.unmute_requested",
            audit=False,
            subject=seat.user,
            scope="user",
            frame=notice_frame(message, {"by": actor.pk}),
        )
        return result


def self_mute(*, actor, hearing_id: int, muted: bool) -> dict:
    with hearing_action(hearing_id, actor, "self.mute") as ctx:
        seat = ctx.seat(actor.pk)
        if not muted and seat.mute_locked:
            raise conflict("mute_locked", _("You were muted; wait to be asked to unmute."))
        seat.muted = muted
        return _update(ctx, seat, "self.muted" if muted else "self.unmuted", audit=False)


def participant_remove(*, actor, hearing_id: int, user_id: int, reason: str = "") -> dict:
    """Remove someone from the hearing; they are disconnected and cannot rejoin it."""
    reason = (reason or "").strip()[:500]
    with hearing_action(hearing_id, actor, "participant.remove") as ctx:
        seat = ctx.seat(user_id)
        if seat.role in TRIBUNAL:
            raise conflict(
                "tribunal_not_removable", _("Members of the tribunal cannot be removed.")
            )
        _present(seat)
        room = seat.room.key if seat.room_id else ""
        seat.admission = Admission.REMOVED
        seat.room = None
        seat.presence = Presence.LEFT
        seat.channel_name = ""
        seat.has_floor = seat.hand_raised = False
        seat.save()
        links_revoke_for(actor=actor, hearing=ctx.hearing, user_id=user_id, reason="removed")
        emit(
            ctx,
            "participant.removed",
            frame=seat_frame(seat),
            scope="present",
            subject=seat.user,
            room=room,
            data={"reason": reason},
        )
        return seat_json(seat)


def hand_raise(*, actor, hearing_id: int, raised: bool) -> dict:
    with hearing_action(hearing_id, actor, "hand.raise") as ctx:
        require_live(ctx)
        seat = ctx.seat(actor.pk)
        _present(seat)
        if seat.hand_raised == raised:
            raise conflict("no_change", _("Nothing to change."))
        seat.hand_raised = raised
        return _update(ctx, seat, "hand.raised" if raised else "hand.lowered", audit=False)


def floor_grant(*, actor, hearing_id: int, user_id: int | None) -> dict:
    """Give the floor to one admitted participant (their hand goes down), or take it back (None)."""
    with hearing_action(hearing_id, actor, "floor.grant") as ctx:
        require_live(ctx)
        target = ctx.seat(user_id) if user_id is not None else None
        if target is not None:
            _present(target)
        for seat in (
            Seat.objects.select_for_update(of=("self",))
            .select_related("user", "room")
            .filter(hearing=ctx.hearing, has_floor=True)
        ):
            if target is None or seat.pk != target.pk:
                seat.has_floor = False
                _update(ctx, seat, "floor.revoked")
        if target is None:
            return {"floor": None}
        target.has_floor = True
        target.hand_raised = False
        return _update(ctx, target, "floor.granted")


def chat_send(*, actor, hearing_id: int, text: str) -> dict:
    """A chat message to everyone in the sender's room; kept in the hearing's event log."""
    text = (text or "").strip()
    if not text:
        raise invalid(_("A message cannot be empty."), details={"field": "text"})
    if len(text) > CHAT_MAX_CHARS:
        raise invalid(
            _("A message is at most %(n)d characters.") % {"n": CHAT_MAX_CHARS},
            details={"field": "text"},
        )
    with hearing_action(hearing_id, actor, "chat.send") as ctx:
        require_live(ctx)
        seat = ctx.seat(actor.pk)
        _present(seat)
        if seat.room_id is None or seat.room.key == WAITING:
            raise conflict("not_in_room", _("Chat is not available in the waiting room."))
        room = seat.room.key
        frame = {
            "type": "chat",
            "room": room,
            "from": {"user": actor.pk, "name": actor.name, "role": seat.role},
            "text": text,
        }
        event = emit(
            ctx,
            "chat.message",
            frame=frame,
            scope="room",
            subject=actor,
            room=room,
            data={"text": text},
            audit=False,
        )
        return {"seq": event.seq, "room": room}
