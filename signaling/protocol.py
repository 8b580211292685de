"""The hearing signaling protocol, version 1: inbound frame schemas and parsing.

Every inbound frame is a JSON object with "type", "v" (1) and "hearing" (the id in the URL), an
optional "ref" echoed in the reply, and the fields of its type; nothing else. See docs/protocol.md.
Text fields refuse control characters (NUL and the rest of C0, and DEL; multi-line text keeps
newline and tab): PostgreSQL cannot store NUL, and nobody types the others. A media offer's
`sources` must name sections of its SDP of the right kind (`bad_sdp`).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

VERSION = 1

# C0 control characters and DEL; multi-line text may hold newlines and tabs.
CONTROL_IN_LINE = re.compile(r"[\x00-\x1f\x7f]")
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _refuse(pattern: re.Pattern) -> AfterValidator:
    def check(value: str) -> str:
        if pattern.search(value):
            raise PydanticCustomError(
                "control_character", "Control characters (such as NUL) are not allowed here."
            )
        return value

    return AfterValidator(check)


Line = Annotated[str, _refuse(CONTROL_IN_LINE)]  # one line of text: no control characters
Text = Annotated[str, _refuse(CONTROL_IN_TEXT)]  # text that may span lines: newline and tab only

Ref = Annotated[Line, Field(min_length=1, max_length=64)]
UserId = Annotated[int, Field(ge=1)]
RoomKey = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[a-z0-9-]+$")]
Reason = Annotated[Text, Field(max_length=500)]


class Frame(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    type: str
    v: int
    hearing: int
    ref: Ref | None = None


class Hello(Frame):
    type: Literal["hello"]
    credential: Annotated[Line, Field(min_length=1, max_length=1000)]


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


class Invite(Frame):
    type: Literal["invite"]
    role: Literal["witness", "interpreter", "agent", "observer"]
    name: Annotated[Line, Field(min_length=1, max_length=100)]
    phone: Annotated[Line, Field(min_length=6, max_length=32)]


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
    label: Annotated[Line, Field(min_length=1, max_length=100)]
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
    text: Annotated[Text, Field(min_length=1, max_length=2000)]


class CaptionsSet(Frame):
    type: Literal["captions.set"]
    enabled: bool


# --- media (docs/protocol.md section 10) -------------------------------------------------------

MEDIA_MAX_BYTES = 64 * 1024  # media.offer / media.restart carry an SDP
Sdp = Annotated[str, Field(min_length=1, max_length=MEDIA_MAX_BYTES)]
Mid = Annotated[Line, Field(min_length=1, max_length=32)]
Sources = Annotated[dict[Mid, Literal["mic", "camera", "screen"]], Field(max_length=16)]
SOURCE_KIND = {"mic": "audio", "camera": "video", "screen": "video"}


def sdp_sections(sdp: str) -> dict[str, str]:
    """The SDP's media sections as {mid: kind} ("audio", "video", "application", ...)."""
    sections: dict[str, str] = {}
    kind = None
    for line in sdp.splitlines():
        if line.startswith("m="):
            kind = line[2:].split(" ", 1)[0]
        elif kind is not None and line.startswith("a=mid:"):
            sections.setdefault(line[6:].strip(), kind)
    return sections


class _Offer(Frame):
    sdp: Sdp
    sources: Sources

    @model_validator(mode="after")
    def _sources_match_sections(self):
        """Each source names a section of the SDP of its kind (mic: audio; camera, screen: video)."""
        sections = sdp_sections(self.sdp)
        for mid, label in self.sources.items():
            if sections.get(mid) != SOURCE_KIND[label]:
                raise PydanticCustomError(
                    "bad_sdp",
                    "Source {label} names mid {mid}, which is not a section of kind {kind} in the SDP.",
                    {"label": label, "kind": SOURCE_KIND[label], "mid": mid},
                )
        return self


class MediaOffer(_Offer):
    type: Literal["media.offer"]


class MediaRestart(_Offer):
    type: Literal["media.restart"]


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
        Invite,
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
    """The frame's ref if it can be echoed: a short line of text (no control characters and no
    lone surrogates, which could not be sent back as UTF-8)."""
    ref = data.get("ref")
    if not isinstance(ref, str) or not 0 < len(ref) <= 64 or CONTROL_IN_LINE.search(ref):
        return None
    try:
        ref.encode()
    except UnicodeEncodeError:
        return None
    return ref


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
        found = err.errors(include_url=False, include_input=False)
        if found and found[0]["type"] == "bad_sdp":  # a media offer's sources vs its SDP
            raise ProtocolError("bad_sdp", found[0]["msg"], ref) from None
        errors = [
            {"field": ".".join(str(p) for p in e["loc"]), "problem": e["type"]} for e in found
        ][:10]
        raise ProtocolError(
            "invalid_frame", "The frame does not match its schema.", ref, {"errors": errors}
        ) from None
    if frame.hearing != hearing_id:
        raise ProtocolError(
            "wrong_hearing", "This frame is for another hearing than this connection's.", ref
        )
    return frame
