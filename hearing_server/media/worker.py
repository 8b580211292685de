"""The media worker: a loop on ``channel_layer.receive(<channel>)`` driving one MediaEngine.

Commands come from the signaling side (signaling/mediaworkers.py describes the messages): seat
routing states after every seat change, negotiation from a participant's connection (answered to
its ``reply_to`` channel), recording start/stop, the hearing's end. Commands of one hearing run
one at a time, in arrival order; hearings run side by side. Engine events (layout, connection
state, ICE timeout) go to the participant's group as ready ``media.*`` frames; live captions
(worker_captions.py, ops ``captions.start``/``captions.stop``) go to the main room's people.

Embedded mode runs one worker as an asyncio task in the server process (`ensure_embedded`);
workers mode runs `tribunal mediaworker`, which registers and heartbeats (`run(register=True)`).
"""

from __future__ import annotations

import asyncio
import logging
import time

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from case_core.errors import DomainError
from hearing_server.media.engine import MediaEngine, MediaEvent
from hearing_server.media.worker_captions import WorkerCaptions
from signaling import mediaworkers as mw

log = logging.getLogger(__name__)
WAITING = "waiting"


def _not_admitted() -> DomainError:
    return DomainError("not_admitted", "Audio and video start once you are admitted.", status=403)


class MediaWorker:
    def __init__(self, channel: str, *, engine: MediaEngine | None = None, layer=None) -> None:
        self.channel = channel
        self.layer = layer or get_channel_layer()
        self.engine = engine or MediaEngine.from_settings(listener=self._on_event)
        if engine is not None:
            engine.listener = self._on_event
        # hearing -> participant -> {"room", "muted", "name", "role", "seq"} (the seat table)
        self.routing: dict[str, dict[str, dict]] = {}
        self.sessions: dict[tuple[str, str], str] = {}  # (hearing, participant) -> connection
        self.recordings: dict[str, dict] = {}
        self.captions = WorkerCaptions(self)  # live captions per hearing (captions.start/stop)
        self.locks: dict[str, asyncio.Lock] = {}
        self.tasks: set[asyncio.Task] = set()
        self.main: asyncio.Task | None = None
        self.handled = 0

    # ---- the loop ----------------------------------------------------------------------------
    async def run(self, *, register: bool = False) -> None:
        heartbeat = None
        if register:
            await database_sync_to_async(mw.worker_register)(channel=self.channel)
            heartbeat = asyncio.ensure_future(self._heartbeat())
        try:
            while True:
                message = await self.layer.receive(self.channel)
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
                await self._op(hearing, {"op": "close", "hearing": hearing})
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
        hearing = str(message.get("hearing"))
        lock = self.locks.setdefault(hearing, asyncio.Lock())
        async with lock:
            self.handled += 1
            try:
                result = await self._op(hearing, message)
            except DomainError as err:
                await self._reply(
                    message,
                    ok=False,
                    error={"code": err.code, "message": err.message, "details": err.details},
                )
            except Exception:
                log.exception("media command %s for hearing %s failed", message.get("op"), hearing)
                await self._reply(
                    message,
                    ok=False,
                    error={
                        "code": "internal",
                        "message": "The media server failed.",
                        "details": {},
                    },
                )
            else:
                await self._reply(message, ok=True, result=result)

    async def _reply(self, message: dict, **body) -> None:
        reply_to = message.get("reply_to")
        if not reply_to:
            if not body.get("ok"):
                log.warning("media command %s failed: %s", message.get("op"), body.get("error"))
            return
        try:
            await self.layer.send(
                reply_to, {"type": "media.reply", "call": message.get("call"), **body}
            )
        except Exception:
            log.exception("replying to %s failed", reply_to)

    async def _op(self, hearing: str, m: dict):
        op = m.get("op")
        participant = str(m.get("participant", ""))
        if op == "route":
            await self._route(hearing, m["seats"], m.get("seq", 0))
            return None
        if op in ("offer", "restart"):
            state = self.routing.get(hearing, {}).get(participant)
            if state is None or state["room"] in (None, WAITING):
                raise _not_admitted()
            call = self.engine.offer if op == "offer" else self.engine.restart_ice
            sdp = await call(hearing, participant, m["sdp"], sources=m.get("sources") or {})
            self.sessions[(hearing, participant)] = m.get("session", "")
            return {"sdp": sdp}
        if op == "candidate":
            await self.engine.add_candidate(hearing, participant, m.get("candidate"))
            return None
        if op == "hangup":
            await self._hangup(hearing, participant, m.get("session", ""))
            return None
        if op == "record.start":
            directory = await self.engine.start_recording(
                hearing, rooms=tuple(m.get("rooms") or ("main",))
            )
            self.recordings[hearing] = {"directory": str(directory), "started": time.time()}
            return {"directory": str(directory)}
        if op == "record.stop":
            files = await self.engine.stop_recording(hearing)
            await self._finalize(hearing, files, m.get("actor"))
            return {"files": len(files)}
        if op == "captions.start":
            return await self.captions.start(hearing, str(m.get("language") or ""))
        if op == "captions.stop":
            await self.captions.stop(hearing)
            return None
        if op == "close":
            await self.captions.stop(hearing)
            files = await self.engine.close_hearing(hearing)
            if files:
                await self._finalize(hearing, files, m.get("actor"))
            self.routing.pop(hearing, None)
            for key in [k for k in self.sessions if k[0] == hearing]:
                del self.sessions[key]
            return None
        if op == "stats":
            return {**self.engine.stats(), "handled": self.handled}
        raise DomainError("invalid", f"Unknown media command {op!r}.")

    async def _route(self, hearing: str, seats: list[dict], seq: int) -> None:
        table = self.routing.setdefault(hearing, {})
        for entry in seats:
            pid = str(entry["participant"])
            known = table.get(pid)
            if known is not None and seq < known["seq"]:
                continue  # an older state arriving late
            table[pid] = {
                "room": entry["room"],
                "muted": bool(entry["muted"]),
                "name": entry.get("name", ""),
                "role": entry.get("role", ""),
                "seq": seq,
            }
            if entry["room"] is None:
                await self.engine.leave(hearing, pid)
                self.sessions.pop((hearing, pid), None)
            else:
                await self.engine.set_room(hearing, pid, entry["room"])
                await self.engine.mute(hearing, pid, bool(entry["muted"]))
        media = self.engine.hearings.get(hearing)
        if media is not None and not media.seats and media.recorder is None:
            await self.engine.close_hearing(hearing)

    async def _hangup(self, hearing: str, participant: str, session: str) -> None:
        """Close one participant's peer connection, keep their seat (room, mute)."""
        owner = self.sessions.get((hearing, participant))
        if owner is None or (session and owner != session):
            return  # nothing open, or a newer connection of the same person owns the media
        del self.sessions[(hearing, participant)]
        await self.engine.leave(hearing, participant)
        state = self.routing.get(hearing, {}).get(participant)
        if state is not None and state["room"] is not None:
            await self.engine.set_room(hearing, participant, state["room"])
            await self.engine.mute(hearing, participant, state["muted"])

    async def _finalize(self, hearing: str, files, actor_id) -> None:
        info = self.recordings.pop(hearing, {})
        from recording.services import recording_finalize_for

        try:
            await database_sync_to_async(recording_finalize_for)(
                hearing_id=int(hearing),
                files=files,
                actor_id=actor_id,
                directory=info.get("directory", ""),
                started=info.get("started"),
            )
        except Exception:
            log.exception("storing the recording of hearing %s in the case file failed", hearing)
            raise

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


# ---- embedded mode: one worker per server process, started on first use ------------------------

_embedded: MediaWorker | None = None


def ensure_embedded() -> MediaWorker:
    """Start (or restart, in a new event loop) this process's embedded media worker."""
    global _embedded
    loop = asyncio.get_running_loop()
    worker = _embedded
    if (
        worker is None
        or worker.main is None
        or worker.main.done()
        or worker.main.get_loop() is not loop
    ):
        mw.EMBEDDED_CHANNEL = mw.new_embedded_channel()  # a new worker: hearings re-pin to it
        worker = MediaWorker(mw.EMBEDDED_CHANNEL)
        worker.start()
        _embedded = worker
    return worker


def embedded_worker() -> MediaWorker | None:
    return _embedded


async def shutdown_embedded() -> None:
    global _embedded
    worker, _embedded = _embedded, None
    if worker is not None and worker.main is not None:
        if worker.main.get_loop() is asyncio.get_running_loop():
            await worker.stop()
