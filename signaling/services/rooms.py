"""Rooms: the main room, the waiting room and caucuses; moving people; the routing queries.

`room_of` and `room_members` are what the media engine routes by: a person hears and sees only
the room their seat is in.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from case_core.errors import conflict, invalid
from signaling.frames import room_frame, room_json, seat_frame, seat_json
from signaling.models import (
    MAIN,
    WAITING,
    Admission,
    HearingRoom,
    Presence,
    RoomKind,
    Seat,
)
from signaling.services._common import TRIBUNAL, Ctx, emit, hearing_action, require_live

ROUTABLE = (Presence.JOINED, Presence.RECONNECTING)


def room_of(hearing_id: int, user_id: int) -> str | None:
    """The key of the room `user_id` is in ("main", "waiting", "caucus-N"), or None if absent."""
    return (
        Seat.objects.filter(
            hearing_id=hearing_id,
            user_id=user_id,
            presence__in=ROUTABLE,
            admission__in=(Admission.WAITING, Admission.ADMITTED),
        )
        .values_list("room__key", flat=True)
        .first()
    )


def room_members(hearing_id: int, room_key: str) -> list[int]:
    """User ids of the people in a room (joined or reconnecting), in seat order."""
    return list(
        Seat.objects.filter(
            hearing_id=hearing_id,
            room__key=room_key,
            presence__in=ROUTABLE,
            admission__in=(Admission.WAITING, Admission.ADMITTED),
        ).values_list("user_id", flat=True)
    )


def _move(ctx: Ctx, seat: Seat, room: HearingRoom, kind: str = "room.moved") -> None:
    before = seat.room.key if seat.room_id else None
    seat.room = room
    if room.key == WAITING:
        seat.admission = Admission.WAITING
        seat.has_floor = seat.hand_raised = False
    seat.save()
    emit(
        ctx,
        kind,
        frame=seat_frame(seat),
        scope="present",
        subject=seat.user,
        room=room.key,
        data={"from": before, "to": room.key},
    )


def _movable(ctx: Ctx, seat: Seat, room: HearingRoom) -> None:
    if seat.admission != Admission.ADMITTED or seat.presence not in ROUTABLE:
        raise conflict("not_admitted", _("Only admitted participants can be moved."))
    if room.key == WAITING and seat.role in TRIBUNAL:
        raise conflict("tribunal_not_waiting", _("Members of the tribunal do not wait."))
    if room.locked:
        raise conflict("room_locked", _("That room is locked."))


def room_open(*, actor, hearing_id: int, label: str, members: list[int] | None = None) -> dict:
    """Open a caucus (private room) and move `members` (admitted participants) into it."""
    label = (label or "").strip()
    if not label or len(label) > 100:
        raise invalid(
            _("Give the room a name of up to 100 characters."), details={"field": "label"}
        )
    with hearing_action(hearing_id, actor, "room.open") as ctx:
        require_live(ctx)
        ctx.live.caucus_counter += 1
        ctx.live.save(update_fields=["caucus_counter"])
        room = HearingRoom.objects.create(
            hearing=ctx.hearing,
            key=f"caucus-{ctx.live.caucus_counter}",
            kind=RoomKind.CAUCUS,
            label=label,
            created_by=actor,
        )
        emit(
            ctx,
            "room.opened",
            frame=room_frame(room),
            scope="present",
            room=room.key,
            data={"label": label},
        )
        for user_id in dict.fromkeys(members or []):
            seat = ctx.seat(user_id)
            _movable(ctx, seat, room)
            _move(ctx, seat, room)
        return room_json(room)


def room_close(*, actor, hearing_id: int, room: str) -> dict:
    """Close a caucus; whoever is in it goes back to the main room."""
    with hearing_action(hearing_id, actor, "room.close") as ctx:
        target = ctx.room(room)
        if target.kind != RoomKind.CAUCUS:
            raise conflict("room_permanent", _("The main and waiting rooms cannot be closed."))
        main = ctx.room(MAIN)
        for seat in (
            Seat.objects.select_for_update(of=("self",))
            .select_related("user", "room")
            .filter(room=target)
        ):
            _move(ctx, seat, main)
        target.is_open = False
        target.closed_at = timezone.now()
        target.save(update_fields=["is_open", "closed_at"])
        emit(
            ctx,
            "room.closed",
            frame=room_frame(target),
            scope="present",
            room=target.key,
        )
        return room_json(target)


def room_move(*, actor, hearing_id: int, user_id: int, room: str) -> dict:
    with hearing_action(hearing_id, actor, "room.move") as ctx:
        require_live(ctx)
        target = ctx.room(room)
        seat = ctx.seat(user_id)
        if seat.room_id == target.pk:
            raise conflict("already_there", _("That person is already in that room."))
        _movable(ctx, seat, target)
        _move(ctx, seat, target)
        return seat_json(seat)


def room_lock(*, actor, hearing_id: int, room: str, locked: bool) -> dict:
    """Lock a room: nobody is admitted or moved into it until it is unlocked."""
    with hearing_action(hearing_id, actor, "room.lock") as ctx:
        target = ctx.room(room)
        if target.kind == RoomKind.WAITING:
            raise conflict("room_permanent", _("The waiting room cannot be locked."))
        target.locked = locked
        target.save(update_fields=["locked"])
        emit(
            ctx,
            "room.locked" if locked else "room.unlocked",
            frame=room_frame(target),
            scope="present",
            room=target.key,
        )
        return room_json(target)
