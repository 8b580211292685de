"""Serialising seats, rooms and the hearing into the JSON shapes of docs/protocol.md."""

from __future__ import annotations

from case_core.models import Hearing
from signaling.models import HearingLive, HearingRoom, Seat


def seat_json(seat: Seat) -> dict:
    user = seat.user
    return {
        "user": seat.user_id,
        "name": user.name,
        "role": seat.role,
        "room": seat.room.key if seat.room_id else None,
        "admission": seat.admission,
        "presence": seat.presence,
        "verified": seat.verified,
        "muted": seat.muted,
        "mute_locked": seat.mute_locked,
        "hand_raised": seat.hand_raised,
        "floor": seat.has_floor,
    }


def room_json(room: HearingRoom) -> dict:
    return {
        "key": room.key,
        "kind": room.kind,
        "label": room.label,
        "locked": room.locked,
        "open": room.is_open,
    }


def hearing_json(hearing: Hearing, live: HearingLive | None = None) -> dict:
    live = live or HearingLive.objects.filter(hearing=hearing).first()
    return {
        "id": hearing.pk,
        "kind": hearing.kind,
        "status": hearing.status,
        "scheduled_start": hearing.scheduled_start.isoformat(),
        "started_at": hearing.started_at.isoformat() if hearing.started_at else None,
        "ended_at": hearing.ended_at.isoformat() if hearing.ended_at else None,
        "language": hearing.language,
        "recording": bool(live and live.recording),
        "captions": bool(live and live.captions),
        "case": {"id": hearing.case_id, "number": hearing.case.number, "title": hearing.case.title},
    }


def roster(hearing: Hearing) -> dict:
    """Every seat and open room of the hearing, and the last event seq they reflect."""
    live = HearingLive.objects.filter(hearing=hearing).first()
    seats = Seat.objects.filter(hearing=hearing).select_related("user", "room")
    rooms = HearingRoom.objects.filter(hearing=hearing, is_open=True)
    return {
        "seq": live.last_seq if live else 0,
        "hearing": hearing_json(hearing, live),
        "seats": [seat_json(s) for s in seats],
        "rooms": [room_json(r) for r in rooms],
    }
