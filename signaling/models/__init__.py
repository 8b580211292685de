"""Live hearing state: rooms, seats, the event log, join credentials and identity checks."""

from signaling.models.events import HearingEvent, HearingLive
from signaling.models.identity import IdentityCheck, IdentityMethod, JoinCredential
from signaling.models.media import MediaWorker
from signaling.models.rooms import (
    MAIN,
    WAITING,
    Admission,
    HearingRoom,
    Presence,
    RoomKind,
    Seat,
)

__all__ = [
    "MAIN",
    "WAITING",
    "Admission",
    "HearingEvent",
    "HearingLive",
    "HearingRoom",
    "IdentityCheck",
    "IdentityMethod",
    "JoinCredential",
    "MediaWorker",
    "Presence",
    "RoomKind",
    "Seat",
]
