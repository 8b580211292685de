"""The media worker: a loop on ``channel_layer.receive(<channel>)`` driving one media engine.

Commands are signaling's typed `MediaCommand`s (signaling/media_commands.py): seat routing
states after every seat change, negotiation from a participant's connection (answered to its
``reply_to`` channel), recording start/stop, live captions, the hearing's end. Each is parsed
once and dispatched by its type through `MediaWorker.handlers`. Commands of one hearing run one at
a time, in arrival order; hearings run side by side. A refusal (the library's MediaError, or a
DomainError) is answered with the same code; anything else is logged and answered `internal`.
Engine events (layout, connection state, ICE timeout) go to the participant's group as ready
``media.*`` frames.

Embedded mode runs one worker as an asyncio task in the server process (embedded.py); workers
mode runs `tribunal mediaworker`, which registers and heartbeats (`run(register=True)`).
"""

from __future__ import annotations

import asyncio
import logging

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from pydantic import ValidationError
from redis.exceptions import RedisError

from case_core.errors import DomainError
from hearing_server.mediaworker.captions import WorkerCaptions
from hearing_server.mediaworker.errors import MESSAGES, wire_error
from hearing_server.mediaworker.recording import WorkerRecordings
from media import network
from media.candidates import CandidatePolicy
from media.engine import MediaEngine, MediaEvent
from media.errors import MediaError
from signaling import media_commands as mc
from signaling import mediaworkers as mw

log = logging.getLogger(__name__)


def engine_from_settings(listener) -> MediaEngine:
    # The UDP sockets' addresses, ports and advertised public address (media/network.py).
    network.install(
        network.HostNetwork.parse(
            bind=settings.TRIBUNAL_MEDIA_BIND_IP,
            public_ip=settings.TRIBUNAL_MEDIA_PUBLIC_IP,
            port_min=settings.TRIBUNAL_MEDIA_PORT_MIN,
            port_max=settings.TRIBUNAL_MEDIA_PORT_MAX,
        )
    )
    return MediaEngine(
        ice_servers=settings.TRIBUNAL_ICE_SERVERS,
        ice_timeout=settings.TRIBUNAL_MEDIA_ICE_TIMEOUT,
        candidates=CandidatePolicy.parse(
            settings.TRIBUNAL_ICE_ALLOWED_NETWORKS, limit=settings.TRIBUNAL_ICE_MAX_CANDIDATES
        ),
        listener=listener,
    )


def _not_admitted() -> DomainError:
    return DomainError("not_admitted", str(MESSAGES["not_admitted"]), status=403)


class MediaWorker:
    def __init__(self, channel: str, *, engine: MediaEngine | None = None, layer=None) -> None:
        self.channel = channel
        self.layer = layer or get_channel_layer()
        self.engine = engine or engine_from_settings(self._on_event)
        if engine is not None:
            engine.listener = self._on_event
        # hearing -> participant -> {"room", "muted", "publish", "name", "role", "seq"}
        self.routing: dict[str, dict[str, dict]] = {}
        self.sessions: dict[tuple[str, str], str] = {}  # (hearing, participant) -> connection
        self.recordings = WorkerRecordings(self)
        self.captions = WorkerCaptions(self)  # live captions per hearing (captions.start/stop)
        self.locks: dict[str, asyncio.Lock] = {}
        self.tasks: set[asyncio.Task] = set()
        self.main: asyncio.Task | None = None
        self.handled = 0
        self.handlers = {
            mc.Route: self._route,
            mc.Offer: self._offer,
            mc.Restart: self._offer,
            mc.Candidate: self._candidate,
            mc.Hangup: self._hangup,
            mc.RecordStart: self._record_start,
            mc.RecordStop: self._record_stop,
            mc.CaptionsStart: self._captions_start,
            mc.CaptionsStop: self._captions_stop,
            mc.Close: self._close,
            mc.Stats: self._stats,
        }

    # ---- the loop ----------------------------------------------------------------------------
    async def run(self, *, register: bool = False) -> None:
        heartbeat = None
        if register:
            await database_sync_to_async(mw.worker_register)(channel=self.channel)
            heartbeat = asyncio.ensure_future(self._heartbeat())
        try:
            while True:
                try:
                    message = await self.layer.receive(self.channel)
                except (OSError, RedisError) as exc:
                    # Redis restarting or unreachable: keep the hearings' media, try again.
                    log.warning("media worker cannot reach the channel layer: %s", exc)
                    await asyncio.sleep(1)
                    continue
                self._spawn(self.handle(message))
        finally:
            if heartbeat is not None:
                heartbeat.cancel()
            if register:
                await database_sync_to_async(mw.worker_unregister)(channel=self.channel)

    def start(self) -> asyncio.Task:
        self.main = asyncio.ensure_future(self.run())
        return self.main

    async def stop(self) -> None:
        if self.main is not None:
            self.main.cancel()
            await asyncio.gather(self.main, return_exceptions=True)
        if self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)
        for hearing in list(self.engine.hearings):
            try:  # a recording still running is closed and stored in the case file
                await self._close(mc.Close(hearing=int(hearing)))
            except Exception:
                log.exception("closing hearing %s on shutdown failed", hearing)
        await self.captions.stop_all()
        await self.engine.shutdown()

    def _spawn(self, coro) -> None:
        task = asyncio.ensure_future(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _heartbeat(self) -> None:
        while True:
            stats = self.engine.stats()
            try:
                await database_sync_to_async(mw.worker_heartbeat)(
                    channel=self.channel,
                    hearings=stats["hearings"],
                    peer_connections=stats["peer_connections"],
                )
            except Exception:
                log.exception("media worker heartbeat failed")
            await asyncio.sleep(settings.TRIBUNAL_MEDIA_HEARTBEAT)

    # ---- one command ---------------------------------------------------------------------------
    async def handle(self, message: dict) -> None:
        try:
            command = mc.parse_command(message)
        except ValidationError as exc:
            log.warning("refused a malformed media command: %s", exc.errors()[:3])
            error = {"code": "invalid", "message": str(MESSAGES["invalid"]), "details": {}}
            await self._reply(message.get("reply_to"), message.get("call"), ok=False, error=error)
            return
        lock = self.locks.setdefault(str(command.hearing), asyncio.Lock())
        async with lock:
            self.handled += 1
            try:
                result = await self.handlers[type(command)](command)
            except (MediaError, DomainError) as exc:
                err = wire_error(exc) if isinstance(exc, MediaError) else exc
                error = {"code": err.code, "message": str(err.message), "details": err.details}
                if not command.reply_to:
                    log.warning("media command %s failed: %s", command.cmd, error)
                await self._reply(command.reply_to, command.call, ok=False, error=error)
            except Exception:
                log.exception(
                    "media command %s for hearing %s failed", command.cmd, command.hearing
                )
                error = {"code": "internal", "message": "The media server failed.", "details": {}}
                await self._reply(command.reply_to, command.call, ok=False, error=error)
            else:
                await self._reply(command.reply_to, command.call, ok=True, result=result)

    async def _reply(self, reply_to: str | None, call: str | None, **body) -> None:
        if not reply_to:
            return
        reply = mc.MediaReply(call=call, **body)
        try:
            await self.layer.send(reply_to, reply.model_dump(mode="json"))
        except Exception:
            log.exception("replying to %s failed", reply_to)

    # ---- the handlers (one per command type) ---------------------------------------------------
    async def _route(self, c: mc.Route) -> None:
        hearing = str(c.hearing)
        table = self.routing.setdefault(hearing, {})
        for entry in c.seats:
            pid = str(entry.participant)
            known = table.get(pid)
            if known is not None and c.seq < known["seq"]:
                continue  # an older state arriving late
            table[pid] = {
                "room": entry.room,
                "muted": entry.muted,
                "publish": entry.publish,
                "watches_waiting": entry.watches_waiting,
                "name": entry.name,
                "role": entry.role,
                "seq": c.seq,
            }
            if entry.room is None:
                await self.engine.leave(hearing, pid)
                self.sessions.pop((hearing, pid), None)
            else:
                await self.engine.set_room(
                    hearing,
                    pid,
                    entry.room,
                    publish=entry.publish,
                    watches_waiting=entry.watches_waiting,
                )
                await self.engine.mute(hearing, pid, entry.muted)
        media = self.engine.hearings.get(hearing)
        if media is not None and not media.seats and not media.attachments:
            await self.engine.close_hearing(hearing)

    async def _offer(self, c: mc.Offer | mc.Restart) -> dict:
        hearing, participant = str(c.hearing), str(c.participant)
        state = self.routing.get(hearing, {}).get(participant)
        if state is None or state["room"] is None:
            raise _not_admitted()  # a waiting seat sends one way, to the clerk and the chair
        call = self.engine.offer if c.cmd == "offer" else self.engine.restart_ice
        sdp = await call(hearing, participant, c.sdp, sources=dict(c.sources))
        self.sessions[(hearing, participant)] = c.session
        return {"sdp": sdp}

    async def _candidate(self, c: mc.Candidate) -> None:
        candidate = c.candidate.model_dump() if c.candidate is not None else None
        await self.engine.add_candidate(str(c.hearing), str(c.participant), candidate)

    async def _hangup(self, c: mc.Hangup) -> None:
        """Close one participant's peer connection, keep their seat (room, mute)."""
        hearing, participant = str(c.hearing), str(c.participant)
        owner = self.sessions.get((hearing, participant))
        if owner is None or (c.session and owner != c.session):
            return  # nothing open, or a newer connection of the same person owns the media
        del self.sessions[(hearing, participant)]
        await self.engine.leave(hearing, participant)
        state = self.routing.get(hearing, {}).get(participant)
        if state is not None and state["room"] is not None:
            await self.engine.set_room(
                hearing,
                participant,
                state["room"],
                publish=state["publish"],
                watches_waiting=state.get("watches_waiting", False),
            )
            await self.engine.mute(hearing, participant, state["muted"])

    async def _record_start(self, c: mc.RecordStart) -> dict:
        return await self.recordings.start(str(c.hearing), c.rooms)

    async def _record_stop(self, c: mc.RecordStop) -> dict:
        return await self.recordings.stop(str(c.hearing), c.actor)

    async def _captions_start(self, c: mc.CaptionsStart) -> dict:
        return await self.captions.start(str(c.hearing), c.language)

    async def _captions_stop(self, c: mc.CaptionsStop) -> None:
        await self.captions.stop(str(c.hearing))

    async def _close(self, c: mc.Close) -> None:
        hearing = str(c.hearing)
        try:
            await self.captions.stop(hearing)
            await self.recordings.stop_if_running(hearing, c.actor)
        finally:  # the media ends even if filing the recording failed (that is logged)
            await self.engine.close_hearing(hearing)
            self.routing.pop(hearing, None)
            for key in [k for k in self.sessions if k[0] == hearing]:
                del self.sessions[key]

    async def _stats(self, c: mc.Stats) -> dict:
        return {**self.engine.stats(), "handled": self.handled}

    # ---- engine events -> participants ----------------------------------------------------------
    def _on_event(self, event: MediaEvent):
        if event.participant_id is None:
            return None
        hearing, pid = event.hearing_id, event.participant_id
        if event.type == "layout":
            names = self.routing.get(hearing, {})
            slots = [
                {
                    "mid": slot["mid"],
                    "kind": slot["kind"],
                    "participant_id": int(slot["participant_id"]),
                    "source": slot["source"],
                    "name": names.get(slot["participant_id"], {}).get("name", ""),
                }
                for slot in event.data.get("slots", [])
                if slot.get("mid") is not None and slot.get("participant_id") is not None
            ]
            frame = {"type": "media.layout", "slots": slots}
        elif event.type == "connection":
            frame = {"type": "media.state", "state": event.data.get("state", "")}
        elif event.type == "ice_timeout":
            frame = {"type": "media.state", "state": "ice_timeout"}
        else:
            return None
        frame.update({"v": 1, "hearing": int(hearing), "ref": None})
        return self._to_participant(hearing, pid, frame)

    async def _to_participant(self, hearing: str, pid: str, frame: dict) -> None:
        try:
            await self.layer.group_send(
                mw.user_group(hearing, pid), {"type": "media.event", "frame": frame}
            )
        except Exception:
            log.exception("sending a media event to hearing %s user %s failed", hearing, pid)
