"""Live hearing state: rooms, seats, the event log, join credentials, personal hearing links and
identity checks."""

from signaling.models.events import HearingEvent, HearingLive
from signaling.models.identity import (
    HearingLink,
    IdentityCheck,
    IdentityMethod,
    JoinCredential,
)
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
    "HearingLink",
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
