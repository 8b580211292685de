"""MediaEngine: the media side of every hearing held by this worker.

The composition root (a media worker) calls these coroutines and relays their results; the
signaling layer owns room state and tells the engine about it with :meth:`MediaEngine.set_room`
(room, and whether the seat may publish). Refusals are :class:`media.errors.MediaError`.
Consumers of the media (the recorder, live captions) are sinks: :meth:`MediaEngine.attach`.

Negotiation contract (the client always offers, the engine answers):
* a ``sendrecv``/``sendonly`` audio section is the microphone; the first sending video section
  the camera, a second one the screen share (or name them with ``sources={mid: label}``).
  A browser can keep the screen section without a track and ``replaceTrack`` into it later.
* each ``recvonly`` section is a receive slot; the engine puts the other people's tracks into
  slots and reports who is in which mid through the ``layout`` event. Offer as many slots as
  people you can show (for example 8 audio + 8 video).
* ICE restart or renegotiation: make a new offer (``restart_ice``); the engine replaces the
  peer connection but keeps the seat, the room, the mute and what its sinks hold.
* a seat that may not publish (``set_room(..., publish=False)``: an observer) must offer
  receive-only sections; an offer that sends is refused (``publish_forbidden``), whatever the
  client does.
* remote candidates (trickled or in the offer) are checked by the engine's
  :class:`media.candidates.CandidatePolicy`: allowed addresses only, ports 1..65535, a limit per
  peer connection. A refused trickled candidate is ``bad_candidate``; refused candidates in an
  offer are dropped from it.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.sdp import candidate_from_sdp

from media import passthrough
from media.candidates import CandidatePolicy, bad_candidate, candidate_key
from media.config import rtc_configuration
from media.errors import MediaError
from media.room import MAIN_ROOM, WAITING_ROOM, HearingMedia, Publication, Seat
from media.sdp import narrow_offer, sending_sections
from media.sinks import KINDS, Attachment, MediaSink
from media.tracks import ForwardingTrack

logger = logging.getLogger(__name__)
HOUSEKEEPING_INTERVAL = 0.5
SOURCE_LABELS = ("mic", "camera", "screen")


@dataclass
class MediaEvent:
    """Sent to the listener: ``layout`` (data: {"slots": [...]}), ``connection``
    (data: {"state": ...}), ``ice_timeout``."""

    type: str
    hearing_id: str
    participant_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


Listener = Callable[[MediaEvent], Any]


def not_admitted() -> MediaError:
    return MediaError(
        "not_admitted", "This participant has no seat in the hearing's media.", status=403
    )


def no_session() -> MediaError:
    return MediaError("no_session", "There is no media session to apply this to.", status=409)


def publish_forbidden() -> MediaError:
    return MediaError(
        "publish_forbidden",
        "This participant may only receive: offer receive-only sections.",
        status=403,
    )


class MediaEngine:
    def __init__(
        self,
        *,
        ice_servers: list[dict] | None = None,
        ice_timeout: float = 20.0,
        candidates: CandidatePolicy | None = None,
        listener: Listener | None = None,
    ) -> None:
        passthrough.check_aiortc_internals()
        self.ice_servers = list(ice_servers or [])
        self.ice_timeout = ice_timeout
        self.candidates = candidates or CandidatePolicy()
        self.listener = listener
        self.hearings: dict[str, HearingMedia] = {}
        self._tasks: set[asyncio.Task] = set()
        self._housekeeper: asyncio.Task | None = None

    # ---- room state from signaling ---------------------------------------------------------
    async def set_room(
        self,
        hearing_id: str,
        participant_id: str,
        room: str,
        *,
        publish: bool | None = None,
        watches_waiting: bool | None = None,
    ) -> None:
        """Seat the participant (creating the hearing's media on first use) in `room`.
        ``"waiting"`` gives a seat that receives nothing and whose tracks reach only the seats
        that watch the waiting room (`watches_waiting` True: the clerk and the chair), never a
        sink. `publish` False: the seat only receives (its offers may not send; nothing of it is
        forwarded or recorded)."""
        if not isinstance(room, str) or not room:
            raise MediaError("invalid", "A room name is required.")
        hearing = self._hearing(hearing_id)
        seat = hearing.seats.get(participant_id)
        if seat is None:
            seat = Seat(participant_id)
            hearing.seats[participant_id] = seat
        if publish is not None:
            seat.publish = bool(publish)
        if watches_waiting is not None:
            seat.watches_waiting = bool(watches_waiting)
        if seat.room != room:
            previous, seat.room = seat.room, room
            hearing.seat_event("room", participant_id, room=room, previous=previous)
        hearing.route()
        self._ensure_housekeeper()

    async def mute(self, hearing_id: str, participant_id: str, muted: bool = True) -> None:
        """The chair mutes (or unmutes) a participant: their microphone is not forwarded."""
        hearing, seat = self._seat(hearing_id, participant_id)
        if seat.muted != muted:
            seat.muted = muted
            hearing.seat_event("mute", participant_id, muted=muted)
        hearing.route()

    # ---- sinks -------------------------------------------------------------------------------
    def attach(
        self, hearing_id: str, sink: MediaSink, *, rooms=(MAIN_ROOM,), kinds=KINDS
    ) -> Attachment:
        """Give `sink` every publication of the hearing that is in one of `rooms`, of one of
        `kinds`, and not silenced, as it comes and goes (media/sinks.py). The hearing's media
        is created if it has none yet (and kept while a sink is attached)."""
        kinds = tuple(kinds)
        if not kinds or not set(kinds) <= set(KINDS):
            raise MediaError("invalid", f"Sink kinds must be among {', '.join(KINDS)}.")
        if not rooms or not all(isinstance(r, str) and r for r in rooms):
            raise MediaError("invalid", "A sink needs at least one room.")
        return self._hearing(hearing_id).attach(sink, rooms, kinds)

    # ---- negotiation -----------------------------------------------------------------------
    async def offer(
        self,
        hearing_id: str,
        participant_id: str,
        sdp: str,
        *,
        sources: dict[str, str] | None = None,
    ) -> str:
        """Answer a client's offer; a second offer replaces the peer connection (ICE restart)."""
        hearing, seat = self._seat(hearing_id, participant_id)
        text, description, kept = narrow_offer(sdp, self.candidates)
        if sources is not None and not all(v in SOURCE_LABELS for v in sources.values()):
            raise MediaError("bad_sdp", f"Source labels must be among {', '.join(SOURCE_LABELS)}.")
        if not seat.publish and sending_sections(description):
            raise publish_forbidden()
        if seat.pc is not None:
            await self._close_pc(hearing, seat)
        pc = RTCPeerConnection(rtc_configuration(self.ice_servers))
        seat.pc, seat.pc_started, seat.connected = pc, time.monotonic(), False
        seat.candidates = set(kept)
        try:
            await pc.setRemoteDescription(RTCSessionDescription(sdp=text, type="offer"))
            self._attach_tracks(hearing, seat, pc, description, sources or {})
            answer = await pc.createAnswer()
            await pc.setLocalDescription(answer)
        except MediaError:
            await self._close_pc(hearing, seat)
            raise
        except Exception as exc:
            await self._close_pc(hearing, seat)
            raise MediaError("bad_sdp", f"The SDP offer was refused: {exc}") from None
        pc.on("connectionstatechange", self._state_handler(hearing, seat, pc))
        hearing.route()
        self._ensure_housekeeper()
        return pc.localDescription.sdp

    async def restart_ice(
        self,
        hearing_id: str,
        participant_id: str,
        sdp: str,
        *,
        sources: dict[str, str] | None = None,
    ) -> str:
        """aiortc 1.16 has no in-place ICE restart: a fresh offer replaces the connection and the
        seat (room, mute, what sinks hold) carries over; media resumes on the new one."""
        return await self.offer(hearing_id, participant_id, sdp, sources=sources)

    async def add_candidate(
        self, hearing_id: str, participant_id: str, candidate: dict | None
    ) -> None:
        """A trickled RTCIceCandidateInit (``{"candidate", "sdpMid", "sdpMLineIndex",
        "usernameFragment"}``); None or an empty candidate means end of candidates. Checked by
        the engine's CandidatePolicy (bad_candidate, with details.reason)."""
        _, seat = self._seat(hearing_id, participant_id)
        pc = seat.pc
        if pc is None or pc.remoteDescription is None:
            raise no_session()
        if candidate is not None and not isinstance(candidate, dict):
            raise bad_candidate("shape", "A candidate must be an object.")
        if candidate is None or not candidate.get("candidate"):
            await self._add_to_pc(pc, None)
            return
        ufrag = candidate.get("usernameFragment")
        remote = pc.remoteDescription
        expected = {m.ice.usernameFragment for m in _parsed(remote.sdp).media if m.ice}
        if ufrag and ufrag not in expected:
            raise MediaError(
                "wrong_session", "This candidate belongs to another session.", status=409
            )
        text = str(candidate.get("candidate", ""))
        if text.startswith("candidate:"):
            text = text[len("candidate:") :]
        try:
            parsed = candidate_from_sdp(text)
        except Exception:
            raise bad_candidate("syntax", "The ICE candidate cannot be parsed.") from None
        parsed.sdpMid = candidate.get("sdpMid")
        parsed.sdpMLineIndex = candidate.get("sdpMLineIndex")
        if parsed.sdpMid is None and parsed.sdpMLineIndex is None:
            raise bad_candidate("syntax", "A candidate needs sdpMid or sdpMLineIndex.")
        self.candidates.check(
            ip=parsed.ip,
            port=parsed.port,
            protocol=parsed.protocol,
            type=parsed.type,
            component=parsed.component,
        )
        key = candidate_key(
            ip=parsed.ip, port=parsed.port, protocol=parsed.protocol, component=parsed.component
        )
        if key not in seat.candidates and len(seat.candidates) >= self.candidates.limit:
            raise bad_candidate(
                "limit", f"At most {self.candidates.limit} candidates per connection."
            )
        seat.candidates.add(key)
        await self._add_to_pc(pc, parsed)

    @staticmethod
    async def _add_to_pc(pc: RTCPeerConnection, candidate) -> None:
        try:
            await pc.addIceCandidate(candidate)
        except ValueError:  # aioice: a candidate after the end of candidates
            raise bad_candidate("ended", "The candidates of this connection have ended.") from None

    async def leave(self, hearing_id: str, participant_id: str) -> None:
        """The participant left (or was removed): close their connection and free the seat."""
        hearing = self.hearings.get(hearing_id)
        if hearing is None or participant_id not in hearing.seats:
            return
        seat = hearing.seats.pop(participant_id)
        await self._close_pc(hearing, seat)
        hearing.seat_event("leave", participant_id)
        hearing.route()

    async def close_hearing(self, hearing_id: str) -> None:
        """End all media of a hearing: every seat leaves and every sink is detached (its owner
        stops it: the engine never finishes a recording or a caption session by itself)."""
        hearing = self.hearings.get(hearing_id)
        if hearing is None:
            return
        for participant_id in list(hearing.seats):
            await self.leave(hearing_id, participant_id)
        for attachment in list(hearing.attachments):
            attachment.detach()
        self.hearings.pop(hearing_id, None)

    async def shutdown(self) -> None:
        for hearing_id in list(self.hearings):
            await self.close_hearing(hearing_id)
        if self._housekeeper is not None:
            self._housekeeper.cancel()
            await asyncio.gather(self._housekeeper, return_exceptions=True)
            self._housekeeper = None
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    # ---- introspection ---------------------------------------------------------------------
    def layout(self, hearing_id: str, participant_id: str) -> list[dict]:
        return list(self._seat(hearing_id, participant_id)[1].layout)

    def stats(self) -> dict:
        seats = [s for h in self.hearings.values() for s in h.seats.values()]
        return {
            "hearings": len(self.hearings),
            "seats": len(seats),
            "peer_connections": sum(1 for s in seats if s.pc is not None),
            "connected": sum(1 for s in seats if s.connected),
            "tasks": len(self._tasks) + (1 if self._housekeeper else 0),
            "sinks": sum(len(h.attachments) for h in self.hearings.values()),
        }

    def publication(self, hearing_id: str, participant_id: str, label: str) -> Publication | None:
        return self._seat(hearing_id, participant_id)[1].publications.get(label)

    # ---- internals -------------------------------------------------------------------------
    def _hearing(self, hearing_id: str) -> HearingMedia:
        hearing = self.hearings.get(hearing_id)
        if hearing is None:
            hearing = HearingMedia(hearing_id, self._layout_changed_for(hearing_id))
            self.hearings[hearing_id] = hearing
        return hearing

    def _seat(self, hearing_id: str, participant_id: str) -> tuple[HearingMedia, Seat]:
        hearing = self.hearings.get(hearing_id)
        seat = hearing.seats.get(participant_id) if hearing else None
        if seat is None:
            raise not_admitted()
        return hearing, seat

    def _attach_tracks(self, hearing, seat, pc, description, sources) -> None:
        directions = {m.rtp.muxId: m.direction for m in description.media}
        videos = 0
        audio_seen = False
        seat.slots = []
        seat.layout = []
        for transceiver in pc.getTransceivers():
            direction = directions.get(transceiver.mid) or "sendrecv"
            if direction in ("sendrecv", "sendonly"):
                label = sources.get(transceiver.mid)
                if label is None:
                    if transceiver.kind == "audio":
                        label = "mic" if not audio_seen else None
                        audio_seen = True
                    else:
                        label = ("camera", "screen")[videos] if videos < 2 else None
                        videos += 1
                if label is None or label in seat.publications:
                    continue  # more sending sections than sources: ignored
                if (label == "mic") != (transceiver.kind == "audio"):
                    raise MediaError(
                        "bad_sdp", f"Source {label} does not match a {transceiver.kind} section."
                    )
                pub = Publication(seat, label, transceiver.kind, transceiver.receiver)
                pub.on_activity = lambda _pub, h=hearing: h.route()
                passthrough.enable_receiver_passthrough(transceiver.receiver, pub.on_packet)
                seat.publications[label] = pub
            elif direction == "recvonly":
                slot = ForwardingTrack(transceiver.kind, mid=transceiver.mid)
                transceiver.direction = "sendonly"
                transceiver.sender.replaceTrack(slot)
                passthrough.on_keyframe_request(transceiver.sender, slot.keyframe_requested)
                seat.slots.append(slot)

    async def _close_pc(self, hearing: HearingMedia, seat: Seat) -> None:
        pc, seat.pc, seat.connected = seat.pc, None, False
        for pub in seat.publications.values():
            for slot in tuple(pub.subscribers):
                slot.bind(None)
            pub.subscribers.clear()
        seat.publications = {}  # route() below tells the sinks they are gone
        for slot in seat.slots:
            if slot.source is not None:
                slot.source.subscribers.discard(slot)
            slot.stop()
        seat.slots = []
        seat.layout = []
        hearing.route()  # before the await: no packet of the old publications reaches a sink
        if pc is not None:
            try:
                await pc.close()
            except Exception:
                logger.exception("closing a peer connection failed")

    def _state_handler(self, hearing: HearingMedia, seat: Seat, pc: RTCPeerConnection):
        async def on_state() -> None:
            if seat.pc is not pc:
                return
            state = pc.connectionState
            seat.connected = state == "connected"
            self._emit(
                MediaEvent("connection", hearing.hearing_id, seat.participant_id, {"state": state})
            )
            if state == "failed":
                self._spawn(self._close_pc(hearing, seat))

        return on_state

    def _layout_changed_for(self, hearing_id: str):
        def changed(seat: Seat, layout: list[dict]) -> None:
            self._emit(MediaEvent("layout", hearing_id, seat.participant_id, {"slots": layout}))

        return changed

    def _emit(self, event: MediaEvent) -> None:
        if self.listener is None:
            return
        try:
            result = self.listener(event)
        except Exception:
            logger.exception("media event listener failed")
            return
        if inspect.isawaitable(result):
            self._spawn(result)

    def _spawn(self, coro) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _ensure_housekeeper(self) -> None:
        if self._housekeeper is None or self._housekeeper.done():
            self._housekeeper = asyncio.ensure_future(self._housekeeping())

    async def _housekeeping(self) -> None:
        """Close connections that never complete ICE; retire publications that went quiet."""
        while self.hearings:
            await asyncio.sleep(HOUSEKEEPING_INTERVAL)
            now = time.monotonic()
            for hearing in list(self.hearings.values()):
                changed = False
                for seat in list(hearing.seats.values()):
                    if (
                        seat.pc is not None
                        and not seat.connected
                        and now - seat.pc_started > self.ice_timeout
                    ):
                        self._emit(
                            MediaEvent("ice_timeout", hearing.hearing_id, seat.participant_id)
                        )
                        await self._close_pc(hearing, seat)
                    for pub in seat.publications.values():
                        if pub.active and now - pub.last_packet > 3.0:
                            pub.active = False
                            changed = True
                if changed:
                    hearing.route()
        self._housekeeper = None


def _parsed(text: str):
    from aiortc.sdp import SessionDescription

    return SessionDescription.parse(text)


__all__ = ["MediaEngine", "MediaEvent", "MediaError", "WAITING_ROOM"]
