"""Live captions from the media engine, without touching the engine's code.

Every ``hearing_server.media.room.Publication`` fans its encoded packets out to
``Publication.sinks`` (callables ``sink(pub, packet)``, run on the event loop); the recorder is
one such sink and manages only its own entry. The tap adds one more sink to every microphone
publication of the hearing, found by a light poll of ``engine.hearings[hearing_id]`` (5 times
a second: publications come and go with connections and reconnections, and the engine has no
"publication added" hook). Only speech that is being forwarded in a captioned room is
captioned: nobody in the waiting room or a private caucus, nobody muted by the chair.

    tap = await attach_caption_tap(engine, hearing_id, on_caption, language="en")
    ...
    await tap.stop()
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable

from transcription.captions import CaptionEvent, CaptionSession

logger = logging.getLogger(__name__)
POLL_SECONDS = 0.2


class CaptionTap:
    def __init__(
        self, engine, hearing_id: str, session: CaptionSession, *, rooms=("main",)
    ) -> None:
        self.engine = engine
        self.hearing_id = str(hearing_id)
        self.session = session
        self.rooms = frozenset(rooms)
        self._tapped: weakref.WeakSet = weakref.WeakSet()
        self._speaking: set[str] = set()
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self.scan()
        if self._task is None:
            self._task = asyncio.ensure_future(self._poll())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        for pub in list(self._tapped):
            if self._on_packet in pub.sinks:
                pub.sinks.remove(self._on_packet)
        self._tapped = weakref.WeakSet()
        self.session.close()

    def scan(self) -> None:
        """Tap every new microphone publication; flush speakers whose microphone is gone."""
        hearing = self.engine.hearings.get(self.hearing_id)
        present: set[str] = set()
        for pub in hearing.publications() if hearing is not None else ():
            if pub.kind != "audio":
                continue
            present.add(pub.seat.participant_id)
            if pub not in self._tapped:
                pub.sinks.append(self._on_packet)
                self._tapped.add(pub)
        for participant_id in self._speaking - present:
            self.session.leave(participant_id)
        self._speaking &= present

    def _on_packet(self, pub, packet) -> None:
        seat = pub.seat
        if seat.room not in self.rooms or seat.muted:
            return
        self._speaking.add(seat.participant_id)
        self.session.feed_packet(seat.participant_id, packet)

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            try:
                self.scan()
            except Exception:
                logger.exception("caption tap scan failed")


async def attach_caption_tap(
    engine,
    hearing_id: str,
    on_caption: Callable[[CaptionEvent], object],
    *,
    language: str,
    rooms=("main",),
    partials: bool | None = None,
) -> CaptionTap:
    """Caption every forwarded microphone of `hearing_id` on `engine` (a MediaEngine).

    `on_caption(event)` is called on the event loop (a coroutine function is scheduled). Raises
    DomainError no_model when no model covers `language`. The model loads in a thread, so this
    never blocks the loop for the seconds a first load takes."""
    loop = asyncio.get_running_loop()
    session = await asyncio.to_thread(
        CaptionSession, str(hearing_id), language, on_caption, partials=partials, loop=loop
    )
    tap = CaptionTap(engine, hearing_id, session, rooms=rooms)
    tap.start()
    return tap
