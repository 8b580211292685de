"""MediaEngine: the media side of every hearing held by this worker.

The signaling layer calls these coroutines and relays their results; it owns room state and
tells the engine about it with :meth:`MediaEngine.set_room`. Refusals are DomainErrors.

Negotiation contract (the client always offers, the engine answers):
* a ``sendrecv``/``sendonly`` audio section is the microphone; the first sending video section
  the camera, a second one the screen share (or name them with ``sources={mid: label}``).
  A browser can keep the screen section without a track and ``replaceTrack`` into it later.
* each ``recvonly`` section is a receive slot; the engine puts the other people's tracks into
  slots and reports who is in which mid through the ``layout`` event. Offer as many slots as
  people you can show (for example 8 audio + 8 video).
* ICE restart or renegotiation: make a new offer (``restart_ice``); the engine replaces the
  peer connection but keeps the seat, the room, the mute and the recording files.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.sdp import candidate_from_sdp

from case_core.errors import DomainError
from hearing_server.media import passthrough
from hearing_server.media.config import rtc_configuration
from hearing_server.media.room import WAITING_ROOM, HearingMedia, Publication, Seat
from hearing_server.media.sdp import narrow_offer
from hearing_server.media.tracks import ForwardingTrack

logger = logging.getLogger(__name__)
HOUSEKEEPING_INTERVAL = 0.5
SOURCE_LABELS = ("mic", "camera", "screen")


@dataclass
class MediaEvent:
    """Sent to the listener: ``layout`` (data: {"slots": [...]}), ``connection``
    (data: {"state": ...}), ``ice_timeout``, ``recording`` (data: {"state": ...})."""

    type: str
    hearing_id: str
    participant_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


Listener = Callable[[MediaEvent], Any]


def not_admitted() -> DomainError:
    return DomainError(
        "not_admitted", "This participant has no seat in the hearing's media.", status=403
    )


def no_session() -> DomainError:
    return DomainError("no_session", "There is no media session to apply this to.", status=409)


class MediaEngine:
    def __init__(
        self,
        *,
        ice_servers: list[dict] | None = None,
        ice_timeout: float = 20.0,
        recording_dir: str | Path | None = None,
        listener: Listener | None = None,
    ) -> None:
        passthrough.check_aiortc_internals()
        self.ice_servers = list(ice_servers or [])
        self.ice_timeout = ice_timeout
        self.recording_dir = Path(recording_dir) if recording_dir else None
        self.listener = listener
        self.hearings: dict[str, HearingMedia] = {}
        self._tasks: set[asyncio.Task] = set()
        self._housekeeper: asyncio.Task | None = None

    @classmethod
    def from_settings(cls, listener: Listener | None = None) -> MediaEngine:
        from django.conf import settings

        return cls(
            ice_servers=settings.TRIBUNAL_ICE_SERVERS,
            ice_timeout=settings.TRIBUNAL_MEDIA_ICE_TIMEOUT,
            recording_dir=settings.TRIBUNAL_RECORDING_DIR,
            listener=listener,
        )

    # ---- room state from signaling ---------------------------------------------------------
    async def set_room(self, hearing_id: str, participant_id: str, room: str) -> None:
        """Seat the participant (creating the hearing's media on first use) in `room`.
        ``"waiting"`` gives a seat that neither receives nor is forwarded."""
        if not isinstance(room, str) or not room:
            raise DomainError("invalid", "A room name is required.")
        hearing = self.hearings.get(hearing_id)
        if hearing is None:
            hearing = HearingMedia(hearing_id, self._layout_changed_for(hearing_id))
            self.hearings[hearing_id] = hearing
        seat = hearing.seats.get(participant_id)
        if seat is None:
            seat = Seat(participant_id)
            hearing.seats[participant_id] = seat
        if seat.room != room:
            previous, seat.room = seat.room, room
            if hearing.recorder is not None:
                hearing.recorder.event(
                    "room", participant_id=participant_id, room=room, previous=previous
                )
        hearing.route()
        self._ensure_housekeeper()

    async def mute(self, hearing_id: str, participant_id: str, muted: bool = True) -> None:
        """The chair mutes (or unmutes) a participant: their microphone is not forwarded."""
        hearing, seat = self._seat(hearing_id, participant_id)
        if seat.muted != muted:
            seat.muted = muted
            if hearing.recorder is not None:
                hearing.recorder.event("mute", participant_id=participant_id, muted=muted)
        hearing.route()

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
        text, description = narrow_offer(sdp)
        if sources is not None and not all(v in SOURCE_LABELS for v in sources.values()):
            raise DomainError("bad_sdp", f"Source labels must be among {', '.join(SOURCE_LABELS)}.")
        if seat.pc is not None:
            await self._close_pc(hearing, seat)
        pc = RTCPeerConnection(rtc_configuration(self.ice_servers))
        seat.pc, seat.pc_started, seat.connected = pc, time.monotonic(), False
        try:
            await pc.setRemoteDescription(RTCSessionDescription(sdp=text, type="offer"))
            self._attach_tracks(hearing, seat, pc, description, sources or {})
            answer = await pc.createAnswer()
            await pc.setLocalDescription(answer)
        except DomainError:
            await self._close_pc(hearing, seat)
            raise
        except Exception as exc:
            await self._close_pc(hearing, seat)
            raise DomainError("bad_sdp", f"The SDP offer was refused: {exc}") from None
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
        seat (room, mute, recording files) carries over; media resumes on the new one."""
        return await self.offer(hearing_id, participant_id, sdp, sources=sources)

    async def add_candidate(
        self, hearing_id: str, participant_id: str, candidate: dict | None
    ) -> None:
        """A trickled RTCIceCandidateInit (``{"candidate", "sdpMid", "sdpMLineIndex",
        "usernameFragment"}``); None or an empty candidate means end of candidates."""
        _, seat = self._seat(hearing_id, participant_id)
        pc = seat.pc
        if pc is None or pc.remoteDescription is None:
            raise no_session()
        if candidate is None or not candidate.get("candidate"):
            await pc.addIceCandidate(None)
            return
        if not isinstance(candidate, dict):
            raise DomainError("bad_candidate", "A candidate must be an object.")
        ufrag = candidate.get("usernameFragment")
        remote = pc.remoteDescription
        expected = {m.ice.usernameFragment for m in _parsed(remote.sdp).media if m.ice}
        if ufrag and ufrag not in expected:
            raise DomainError(
                "wrong_session", "This candidate belongs to another session.", status=409
            )
        text = str(candidate.get("candidate", ""))
        if text.startswith("candidate:"):
            text = text[len("candidate:") :]
        try:
            parsed = candidate_from_sdp(text)
        except Exception:
            raise DomainError("bad_candidate", "The ICE candidate cannot be parsed.") from None
        parsed.sdpMid = candidate.get("sdpMid")
        parsed.sdpMLineIndex = candidate.get("sdpMLineIndex")
        if parsed.sdpMid is None and parsed.sdpMLineIndex is None:
            raise DomainError("bad_candidate", "A candidate needs sdpMid or sdpMLineIndex.")
        await pc.addIceCandidate(parsed)

    async def leave(self, hearing_id: str, participant_id: str) -> None:
        """The participant left (or was removed): close their connection and free the seat."""
        hearing = self.hearings.get(hearing_id)
        if hearing is None or participant_id not in hearing.seats:
            return
        seat = hearing.seats.pop(participant_id)
        await self._close_pc(hearing, seat)
        if hearing.recorder is not None:
            hearing.recorder.event("leave", participant_id=participant_id)
        hearing.route()

    async def close_hearing(self, hearing_id: str) -> list:
        """End all media of a hearing; stops its recording and returns the finished files."""
        hearing = self.hearings.get(hearing_id)
        if hearing is None:
            return []
        files = await self.stop_recording(hearing_id) if hearing.recorder else []
        for participant_id in list(hearing.seats):
            await self.leave(hearing_id, participant_id)
        self.hearings.pop(hearing_id, None)
        return files

    async def shutdown(self) -> None:
        for hearing_id in list(self.hearings):
            await self.close_hearing(hearing_id)
        if self._housekeeper is not None:
            self._housekeeper.cancel()
            await asyncio.gather(self._housekeeper, return_exceptions=True)
            self._housekeeper = None
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    # ---- recording -------------------------------------------------------------------------
    async def start_recording(
        self, hearing_id: str, directory: str | Path | None = None, *, rooms=("main",)
    ) -> Path:
        """Record every speaker in `rooms` (not caucuses, by default) as separate tracks."""
        from recording.sink import RecordingSink

        hearing = self.hearings.get(hearing_id)
        if hearing is None:
            raise no_session()
        if hearing.recorder is not None:
            raise DomainError(
                "already_recording", "This hearing is already being recorded.", status=409
            )
        base = Path(directory) if directory else self.recording_dir
        if base is None:
            raise DomainError("no_recording_dir", "No recording directory is configured.")
        target = base / f"hearing-{hearing_id}-{time.strftime('%Y%m%dT%H%M%S')}"
        sink = RecordingSink(target, hearing_id=hearing_id)
        await sink.start()
        for seat in hearing.seats.values():
            sink.event(
                "present", participant_id=seat.participant_id, room=seat.room, muted=seat.muted
            )
        hearing.recorder = sink
        hearing.recorded_rooms = frozenset(rooms)
        hearing.route()
        self._emit(MediaEvent("recording", hearing_id, data={"state": "started"}))
        return target

    async def stop_recording(self, hearing_id: str) -> list:
        hearing = self.hearings.get(hearing_id)
        if hearing is None or hearing.recorder is None:
            raise DomainError("not_recording", "This hearing is not being recorded.", status=409)
        sink, hearing.recorder = hearing.recorder, None
        hearing.stop_recording_sinks()
        files = await sink.stop()
        self._emit(MediaEvent("recording", hearing_id, data={"state": "stopped"}))
        return files

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
            "recording": sum(1 for h in self.hearings.values() if h.recorder),
        }

    def publication(self, hearing_id: str, participant_id: str, label: str) -> Publication | None:
        return self._seat(hearing_id, participant_id)[1].publications.get(label)

    # ---- internals -------------------------------------------------------------------------
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
                    raise DomainError(
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
            pub.sinks.clear()
        seat.publications = {}
        for slot in seat.slots:
            if slot.source is not None:
                slot.source.subscribers.discard(slot)
            slot.stop()
        seat.slots = []
        seat.layout = []
        if pc is not None:
            try:
                await pc.close()
            except Exception:
                logger.exception("closing a peer connection failed")
        hearing.route()

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


__all__ = ["MediaEngine", "MediaEvent", "WAITING_ROOM"]
