"""A hearing's media state: seats, their publications and receive slots, attached sinks, and
routing by room.

Routing rule: a participant receives exactly the active publications of the other people in
the same room; nobody in the waiting room receives anything, and a waiting seat's tracks go one
way to the seats that watch the waiting room (``watches_waiting``: the clerk and the chair, who
check identities on camera) and to nobody else, never to a sink; a participant muted by the
chair has their microphone neither forwarded nor given to any sink; a seat that may not publish
(an observer) has nothing forwarded. Sinks (media/sinks.py) get what is in their rooms by the same
rule. :meth:`HearingMedia.route` applies it at once (slots are rebound, no renegotiation), so a
room move takes effect in well under a second both ways.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import av
from aiortc import RTCPeerConnection
from aiortc.rtcrtpreceiver import RTCRtpReceiver

from media import passthrough
from media.sinks import Attachment, MediaSink, call
from media.tracks import ForwardingTrack

logger = logging.getLogger(__name__)
WAITING_ROOM = "waiting"
MAIN_ROOM = "main"
# Keyframe requests to a publisher: subscribers' PLI/FIR at most once a second (a storm of
# keyframes would eat the bandwidth); a new subscriber or recorder may ask five times a second.
KEYFRAME_REQUEST_INTERVAL = 1.0
FORCED_KEYFRAME_REQUEST_INTERVAL = 0.2
INACTIVE_AFTER_SECONDS = 3.0
LABEL_ORDER = {"camera": 0, "screen": 1, "mic": 2}


class Publication:
    """One track a participant sends (mic, camera or screen), fanned out without decoding."""

    def __init__(self, seat: Seat, label: str, kind: str, receiver: RTCRtpReceiver) -> None:
        self.seat = seat
        self.label = label
        self.kind = kind
        self.receiver = receiver
        self.subscribers: set[ForwardingTrack] = set()
        self.sinks: list[MediaSink] = []  # the attached sinks it reaches now (routing keeps it)
        self.packets = 0
        self.keyframe_requests = 0
        self.last_packet = 0.0
        self.active = False
        self.on_activity: Callable[[Publication], None] | None = None
        self._last_keyframe_request = 0.0

    @property
    def key(self) -> str:
        return f"{self.seat.participant_id}-{self.label}"

    @property
    def participant_id(self) -> str:
        return self.seat.participant_id

    @property
    def silenced(self) -> bool:
        """Neither forwarded nor given to sinks: a muted microphone, or an observer's track."""
        return not self.seat.publish or (self.kind == "audio" and self.seat.muted)

    @property
    def forwardable(self) -> bool:
        if not self.active or self.seat.room in (None, WAITING_ROOM):
            return False
        return not self.silenced

    @property
    def waiting(self) -> bool:
        """Active in the waiting room: forwarded only to seats that watch the waiting room."""
        return self.active and self.seat.room == WAITING_ROOM and not self.silenced

    def on_packet(self, packet: av.Packet) -> None:
        self.packets += 1
        self.last_packet = time.monotonic()
        if not self.active:
            self.active = True
            if self.on_activity is not None:
                self.on_activity(self)
        if self.subscribers:
            data = bytes(packet)
            pts, tb, key = packet.pts, packet.time_base, packet.is_keyframe
            for slot in tuple(self.subscribers):
                slot.push(self, data, pts, tb, key)
        for sink in tuple(self.sinks):
            try:
                sink.on_packet(self, packet)
            except Exception:  # one sink's bug must not cost the others (or forwarding)
                logger.exception("media sink %r failed on a packet", sink)

    def request_keyframe(self, *, force: bool = False) -> None:
        if self.kind != "video":
            return
        now = time.monotonic()
        interval = FORCED_KEYFRAME_REQUEST_INTERVAL if force else KEYFRAME_REQUEST_INTERVAL
        if now - self._last_keyframe_request < interval:
            return
        self._last_keyframe_request = now
        self.keyframe_requests += 1
        passthrough.request_keyframe(self.receiver)


@dataclass(eq=False)
class Seat:
    """A participant's place in the hearing's media: room, mute, peer connection, tracks."""

    participant_id: str
    room: str | None = None
    muted: bool = False
    publish: bool = True  # False: an observer, who only receives (offers may not send)
    watches_waiting: bool = False  # the clerk and the chair: also receive waiting-room tracks
    joined: float = field(default_factory=time.monotonic)
    pc: RTCPeerConnection | None = None
    pc_started: float = 0.0
    connected: bool = False
    publications: dict[str, Publication] = field(default_factory=dict)
    slots: list[ForwardingTrack] = field(default_factory=list)
    layout: list[dict] = field(default_factory=list)
    candidates: set[tuple] = field(default_factory=set)  # distinct remote candidates, this pc


class HearingMedia:
    """All seats of one hearing, pinned to one engine (one media worker), and its sinks."""

    def __init__(self, hearing_id: str, on_layout: Callable[[Seat, list[dict]], None]) -> None:
        self.hearing_id = hearing_id
        self.seats: dict[str, Seat] = {}
        self.attachments: list[Attachment] = []
        self._on_layout = on_layout

    def publications(self):
        for seat in self.seats.values():
            yield from seat.publications.values()

    # ---- sinks -------------------------------------------------------------------------------
    def attach(self, sink: MediaSink, rooms, kinds) -> Attachment:
        attachment = Attachment(self, sink, rooms, kinds, self._detached)
        self.attachments.append(attachment)
        for seat in self.seats.values():
            call(sink.on_seat, "present", seat.participant_id, room=seat.room, muted=seat.muted)
        self._route_sinks()
        return attachment

    def _detached(self, attachment: Attachment) -> None:
        if attachment in self.attachments:
            self.attachments.remove(attachment)

    def seat_event(self, kind: str, participant_id: str, **data) -> None:
        for attachment in tuple(self.attachments):
            call(attachment.sink.on_seat, kind, participant_id, **data)

    # ---- routing -----------------------------------------------------------------------------
    def route(self) -> None:
        ordered = sorted(self.seats.values(), key=lambda s: s.joined)
        for seat in ordered:
            if not seat.slots:
                continue
            wanted: list[Publication] = []
            if seat.room not in (None, WAITING_ROOM):
                for other in ordered:
                    if other is seat or other.room != seat.room:
                        continue
                    pubs = sorted(other.publications.values(), key=lambda p: LABEL_ORDER[p.label])
                    wanted.extend(p for p in pubs if p.forwardable)
                if seat.watches_waiting:
                    for other in ordered:
                        if other is seat or other.room != WAITING_ROOM:
                            continue
                        pubs = sorted(
                            other.publications.values(), key=lambda p: LABEL_ORDER[p.label]
                        )
                        wanted.extend(p for p in pubs if p.waiting)
            wanted_set = set(wanted)
            placed: set[Publication] = set()
            for slot in seat.slots:
                if slot.source is not None and slot.source not in wanted_set:
                    self._bind(slot, None)
                elif slot.source is not None:
                    placed.add(slot.source)
            for pub in wanted:
                if pub in placed:
                    continue
                free = next(
                    (s for s in seat.slots if s.source is None and s.kind == pub.kind), None
                )
                if free is None:
                    continue
                self._bind(free, pub)
                placed.add(pub)
            layout = [
                {
                    "mid": slot.mid,
                    "kind": slot.kind,
                    "participant_id": slot.source.seat.participant_id if slot.source else None,
                    "source": slot.source.label if slot.source else None,
                }
                for slot in seat.slots
            ]
            unplaced = [
                {"participant_id": p.seat.participant_id, "source": p.label}
                for p in wanted
                if p not in placed
            ]
            if unplaced:
                layout.append({"mid": None, "unplaced": unplaced})
            if layout != seat.layout:
                seat.layout = layout
                self._on_layout(seat, layout)
        self._route_sinks()

    @staticmethod
    def _bind(slot: ForwardingTrack, pub: Publication | None) -> None:
        if slot.source is not None:
            slot.source.subscribers.discard(slot)
        slot.bind(pub)
        if pub is not None:
            pub.subscribers.add(slot)

    def _route_sinks(self) -> None:
        """Tell each sink what starts and stops reaching it (the one rule: Attachment.wants)."""
        current = set(self.publications())
        for attachment in tuple(self.attachments):
            for pub in list(attachment.publications):
                if pub not in current or not attachment.wants(pub):
                    attachment.remove(pub)
            for pub in current:
                if pub not in attachment.publications and attachment.wants(pub):
                    attachment.add(pub)
