"""The roster: every seat and open room of a hearing, in the shapes of signaling/frames.py."""

from __future__ import annotations

from case_core.models import Hearing
from signaling.frames import hearing_json, room_json, seat_json
from signaling.models import HearingLive, HearingRoom, Seat

__all__ = ["hearing_json", "room_json", "roster", "seat_json"]


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
