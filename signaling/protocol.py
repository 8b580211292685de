"""The hearing signaling protocol, version 1: inbound frame schemas and parsing.

Every inbound frame is a JSON object with "type", "v" (1) and "hearing" (the id in the URL), an
optional "ref" echoed in the reply, and the fields of its type; nothing else. See docs/protocol.md.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

VERSION = 1

Ref = Annotated[str, Field(min_length=1, max_length=64)]
UserId = Annotated[int, Field(ge=1)]
RoomKey = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[a-z0-9-]+$")]
Reason = Annotated[str, Field(max_length=500)]


class Frame(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    type: str
    v: int
    hearing: int
    ref: Ref | None = None


class Hello(Frame):
    type: Literal["hello"]
    credential: Annotated[str, Field(min_length=1, max_length=1000)]


class Ping(Frame):
    type: Literal["ping"]


class Leave(Frame):
    type: Literal["leave"]


class RosterGet(Frame):
    type: Literal["roster.get"]


class HearingControl(Frame):
    type: Literal["hearing.control"]
    action: Literal["open", "start", "pause", "resume", "adjourn", "close"]


class HearingReschedule(Frame):
    type: Literal["hearing.reschedule"]
    start: datetime


class Admit(Frame):
    type: Literal["admit"]
    user: UserId


class AdmitAll(Frame):
    type: Literal["admit.all"]


class Refuse(Frame):
    type: Literal["refuse"]
    user: UserId
    reason: Reason = ""


class RefuseAll(Frame):
    type: Literal["refuse.all"]
    reason: Reason = ""


class IdentityVerify(Frame):
    type: Literal["identity.verify"]
    user: UserId
    method: Literal[
        "id_document_on_camera", "face_match", "in_person", "real_name_account", "other"
    ]
    note: Reason = ""


class RoomOpen(Frame):
    type: Literal["room.open"]
    label: Annotated[str, Field(min_length=1, max_length=100)]
    members: Annotated[list[UserId], Field(max_length=50)] = []


class RoomClose(Frame):
    type: Literal["room.close"]
    room: RoomKey


class RoomMove(Frame):
    type: Literal["room.move"]
    user: UserId
    room: RoomKey


class RoomLock(Frame):
    type: Literal["room.lock"]
    room: RoomKey
    locked: bool


class ParticipantMute(Frame):
    type: Literal["participant.mute"]
    user: UserId


class ParticipantAskUnmute(Frame):
    type: Literal["participant.ask_unmute"]
    user: UserId


class ParticipantRemove(Frame):
    type: Literal["participant.remove"]
    user: UserId
    reason: Reason = ""


class SelfMute(Frame):
    type: Literal["self.mute"]
    muted: bool


class HandRaise(Frame):
    type: Literal["hand.raise"]
    raised: bool


class FloorGrant(Frame):
    type: Literal["floor.grant"]
    user: UserId | None


class RecordingStart(Frame):
    type: Literal["recording.start"]


class RecordingStop(Frame):
    type: Literal["recording.stop"]


class ChatSend(Frame):
    type: Literal["chat.send"]
    text: Annotated[str, Field(min_length=1, max_length=2000)]


class CaptionsSet(Frame):
    type: Literal["captions.set"]
    enabled: bool


# --- media (docs/protocol.md section 10) -------------------------------------------------------

MEDIA_MAX_BYTES = 64 * 1024  # media.offer / media.restart carry an SDP
Sdp = Annotated[str, Field(min_length=1, max_length=MEDIA_MAX_BYTES)]
Mid = Annotated[str, Field(min_length=1, max_length=32)]
Sources = Annotated[dict[Mid, Literal["mic", "camera", "screen"]], Field(max_length=16)]


class MediaOffer(Frame):
    type: Literal["media.offer"]
    sdp: Sdp
    sources: Sources


class MediaRestart(Frame):
    type: Literal["media.restart"]
    sdp: Sdp
    sources: Sources


class IceCandidate(BaseModel):
    """An RTCIceCandidateInit as the browser gives it (toJSON())."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    candidate: Annotated[str, Field(max_length=1024)]
    sdpMid: Annotated[str, Field(max_length=32)] | None = None  # noqa: N815 (browser names)
    sdpMLineIndex: Annotated[int, Field(ge=0, le=1024)] | None = None  # noqa: N815
    usernameFragment: Annotated[str, Field(max_length=256)] | None = None  # noqa: N815


class MediaCandidate(Frame):
    type: Literal["media.candidate"]
    candidate: IceCandidate | None


class MediaLeave(Frame):
    type: Literal["media.leave"]


SCHEMAS: dict[str, type[Frame]] = {
    cls.model_fields["type"].annotation.__args__[0]: cls  # type: ignore[union-attr]
    for cls in (
        Hello,
        Ping,
        Leave,
        RosterGet,
        HearingControl,
        HearingReschedule,
        Admit,
        AdmitAll,
        Refuse,
        RefuseAll,
        IdentityVerify,
        RoomOpen,
        RoomClose,
        RoomMove,
        RoomLock,
        ParticipantMute,
        ParticipantAskUnmute,
        ParticipantRemove,
        SelfMute,
        HandRaise,
        FloorGrant,
        RecordingStart,
        RecordingStop,
        ChatSend,
        CaptionsSet,
        MediaOffer,
        MediaRestart,
        MediaCandidate,
        MediaLeave,
    )
}
MEDIA_TYPES = frozenset({"media.offer", "media.restart", "media.candidate", "media.leave"})
# Frame types with their own size limit (bytes); others: TRIBUNAL_WS_MAX_FRAME_BYTES.
LARGE_TYPES = frozenset({"media.offer", "media.restart"})


class ProtocolError(Exception):
    """An inbound frame that is refused before anything happens; becomes an error frame."""

    def __init__(self, code: str, message: str, ref: str | None = None, details=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.ref = ref
        self.details = details or {}


def _ref_of(data: dict) -> str | None:
    ref = data.get("ref")
    return ref if isinstance(ref, str) and 0 < len(ref) <= 64 else None


def peek(text: str) -> tuple[str | None, str | None]:
    """The frame's "type" and "ref" if it is a JSON object (to pick its limits), else Nones."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None, None
    if not isinstance(data, dict):
        return None, None
    kind = data.get("type")
    return (kind if isinstance(kind, str) else None), _ref_of(data)


def parse(text: str, hearing_id: int) -> Frame:
    """Parse and validate one text frame for the hearing `hearing_id`, or raise ProtocolError."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ProtocolError("bad_json", "The frame is not valid JSON.") from None
    if not isinstance(data, dict):
        raise ProtocolError("bad_json", "A frame must be a JSON object.")
    ref = _ref_of(data)
    kind = data.get("type")
    if not isinstance(kind, str):
        raise ProtocolError("invalid_frame", 'A frame needs a string "type".', ref)
    schema = SCHEMAS.get(kind)
    if schema is None:
        raise ProtocolError("unknown_type", f"Unknown frame type {kind[:64]!r}.", ref)
    if data.get("v") != VERSION or type(data.get("v")) is not int:
        raise ProtocolError(
            "unsupported_version", f"This server speaks protocol version {VERSION}.", ref
        )
    try:
        frame = schema.model_validate_json(text)
    except ValidationError as err:
        errors = [
            {"field": ".".join(str(p) for p in e["loc"]), "problem": e["type"]}
            for e in err.errors(include_url=False, include_input=False)
        ][:10]
        raise ProtocolError(
            "invalid_frame", "The frame does not match its schema.", ref, {"errors": errors}
        ) from None
    if frame.hearing != hearing_id:
        raise ProtocolError(
            "wrong_hearing", "This frame is for another hearing than this connection's.", ref
        )
    return frame
