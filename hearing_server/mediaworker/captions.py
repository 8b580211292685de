"""Live captions in the media worker: the commands `captions.start` / `captions.stop`.

`captions.start` attaches a caption tap (transcription.live.tap) to the hearing's media, a
sink like the recorder: every microphone in the main room that is not muted is recognised on its
own, so each caption names its speaker by construction. Each caption goes, as a ready `caption`
frame, to the per-person groups of the people whose routing room is "main" (never the waiting
room or a caucus); each final caption is also appended to the hearing's event log (kind "caption") for the minutes. With no model for the
hearing's language (or a model that cannot load) the tribunal gets a `notice`
(captions.unavailable) and the hearing's log says why; media is untouched.
"""

from __future__ import annotations

import asyncio
import logging

from channels.db import database_sync_to_async

from case_core.errors import DomainError
from signaling import mediaworkers as mw
from signaling.services.captions import caption_log, captions_unavailable
from transcription.live.tap import attach_caption_tap

log = logging.getLogger(__name__)
CAPTIONED_ROOM = "main"


def _user(participant_id: str) -> int | None:
    text = str(participant_id)
    return int(text) if text.isdigit() else None


class WorkerCaptions:
    def __init__(self, worker) -> None:
        self.worker = worker
        self.taps: dict[str, object] = {}  # hearing -> CaptionTap
        self.log_locks: dict[str, asyncio.Lock] = {}

    async def start(self, hearing: str, language: str) -> dict:
        if hearing in self.taps:
            return {"captions": True}

        try:
            tap = await attach_caption_tap(
                self.worker.engine,
                hearing,
                lambda event: self._deliver(hearing, event),
                language=language,
                rooms=(CAPTIONED_ROOM,),
            )
        except DomainError as exc:
            log.warning("no live captions for hearing %s: %s", hearing, exc.code)
            await self._unavailable(hearing, exc)
            return {"captions": False, "code": exc.code}
        self.taps[hearing] = tap
        return {"captions": True}

    async def stop(self, hearing: str) -> None:
        tap = self.taps.pop(hearing, None)
        if tap is not None:
            await tap.stop()

    async def stop_all(self) -> None:
        for hearing in list(self.taps):
            try:
                await self.stop(hearing)
            except Exception:
                log.exception("stopping the captions of hearing %s failed", hearing)

    async def _deliver(self, hearing: str, event) -> None:
        routing = self.worker.routing.get(hearing, {})
        speaker = routing.get(str(event.participant_id), {})
        user = _user(event.participant_id)
        frame = event.frame(
            name=speaker.get("name", ""),
            role=speaker.get("role", ""),
            user=user if user is not None else event.participant_id,
        )
        frame.update({"v": 1, "hearing": int(hearing), "ref": None})
        members = [pid for pid, state in routing.items() if state.get("room") == CAPTIONED_ROOM]
        await mw.send_to_users(hearing, members, frame, layer=self.worker.layer)
        if event.final:
            lock = self.log_locks.setdefault(hearing, asyncio.Lock())
            async with lock:  # in the order they were made
                try:
                    await database_sync_to_async(caption_log)(
                        hearing_id=int(hearing),
                        speaker=user,
                        text=event.text,
                        start=frame["start"],
                        end=frame["end"],
                        seq=event.seq,
                    )
                except Exception:
                    log.exception("logging a caption of hearing %s failed", hearing)

    async def _unavailable(self, hearing: str, exc: DomainError) -> None:

        try:
            notice = await database_sync_to_async(captions_unavailable)(
                hearing_id=int(hearing),
                code=exc.code,
                message=str(exc.message),
                engine=(exc.details or {}).get("engine", "whisper"),
            )
        except Exception:
            log.exception("recording that hearing %s has no captions failed", hearing)
            return
        await mw.send_to_users(hearing, notice["users"], notice["frame"], layer=self.worker.layer)
