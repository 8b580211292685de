"""The media bus: signaling's contract with the media workers, typed once for both ends.

Signaling (signaling/services/media.py, signaling/media_consumer.py) builds a `MediaCommand` and
sends it with `signaling.mediaworkers.send_command`; a worker (hearing_server/mediaworker) parses
it with `parse_command` and dispatches on its type. On the channel layer a command is one
message ``{"type": "media.command", "cmd": ..., "hearing": 7, ...}`` (``type`` is Channels'
dispatch, ``cmd`` the discriminator). Commands that want an answer carry ``reply_to`` (the
consumer's channel) and ``call`` (an id) and get a `MediaReply` there.

| cmd | from | what |
| --- | --- | --- |
| route | every hearing service | the routing state of seats (room or none, mute, may publish) |
| offer, restart | a participant's media.offer / media.restart | answer an SDP offer |
| candidate | media.candidate | a trickled ICE candidate (null: end of candidates) |
| hangup | media.leave, a closed connection | close the connection, keep the seat |
| record.start, record.stop | recording.start / recording.stop | the main room's recording |
| captions.start, captions.stop | captions.set | live captions of the main room |
| close | hearing.close | end all media of the hearing |
| stats | tools and tests | the worker's counters |
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from signaling.protocol import IceCandidate, Sdp, Sources

CHANNEL_TYPE = "media.command"
REPLY_TYPE = "media.reply"
Room = Annotated[str, Field(min_length=1, max_length=64)]


class _Command(BaseModel):
    """Every command names its hearing; any may ask for an answer (`reply_to` + `call`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hearing: int
    reply_to: str | None = None
    call: str | None = None


class _ParticipantCall(_Command):
    participant: int
    session: str = ""  # the consumer's channel that owns this media connection


class SeatRoute(BaseModel):
    """One seat as the worker routes it. `room` None: no media seat (left, removed, away)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    participant: int
    room: Room | None
    muted: bool
    publish: bool  # False: an observer, who receives only (media.publish in the role matrix)
    watches_waiting: bool = False  # the clerk and the chair see the waiting room's cameras
    name: str = ""
    role: str = ""


class Route(_Command):
    cmd: Literal["route"] = "route"
    seq: int = 0  # the hearing event log's seq: an older state never overwrites a newer one
    seats: list[SeatRoute]


class Offer(_ParticipantCall):
    cmd: Literal["offer"] = "offer"
    sdp: Sdp
    sources: Sources = {}


class Restart(_ParticipantCall):
    cmd: Literal["restart"] = "restart"
    sdp: Sdp
    sources: Sources = {}


class Candidate(_ParticipantCall):
    cmd: Literal["candidate"] = "candidate"
    candidate: IceCandidate | None = None


class Hangup(_ParticipantCall):
    cmd: Literal["hangup"] = "hangup"


class RecordStart(_Command):
    cmd: Literal["record.start"] = "record.start"
    rooms: list[Room] = ["main"]


class RecordStop(_Command):
    cmd: Literal["record.stop"] = "record.stop"
    actor: int | None = None


class CaptionsStart(_Command):
    cmd: Literal["captions.start"] = "captions.start"
    language: str = ""


class CaptionsStop(_Command):
    cmd: Literal["captions.stop"] = "captions.stop"


class Close(_Command):
    cmd: Literal["close"] = "close"
    actor: int | None = None


class Stats(_Command):
    cmd: Literal["stats"] = "stats"


MediaCommand = Annotated[
    Route
    | Offer
    | Restart
    | Candidate
    | Hangup
    | RecordStart
    | RecordStop
    | CaptionsStart
    | CaptionsStop
    | Close
    | Stats,
    Field(discriminator="cmd"),
]
_COMMAND = TypeAdapter(MediaCommand)


def parse_command(message: dict) -> MediaCommand:
    """The command in a channel-layer message (pydantic.ValidationError when it is not one)."""
    body = {k: v for k, v in message.items() if k != "type"}
    return _COMMAND.validate_python(body)


def command_message(command: MediaCommand) -> dict:
    """The channel-layer message carrying `command`."""
    return {"type": CHANNEL_TYPE, **command.model_dump(mode="json")}


class ReplyError(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    message: str = ""
    details: dict[str, Any] = {}


class MediaReply(BaseModel):
    """A worker's answer to a command that carried `reply_to`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["media.reply"] = REPLY_TYPE
    call: str | None = None
    ok: bool
    result: dict[str, Any] | None = None
    error: ReplyError | None = None
