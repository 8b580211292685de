"""Live captions from the media engine: a media sink (media/sinks.py) like the recorder.

`attach_caption_tap` attaches a :class:`CaptionTap` to a hearing's microphones in the captioned
rooms (``engine.attach(hearing, tap, rooms=("main",), kinds=("audio",))``). The engine's one
routing rule decides what reaches it: only speech in a captioned room, from nobody muted by the
chair and no observer; nobody in the waiting room or a private caucus. Nothing polls the engine:
a microphone that stops reaching the tap (it left the room, was muted, its connection closed)
has its last words flushed as a final caption.

    tap = await attach_caption_tap(engine, hearing_id, on_caption, language="en")
    ...
    await tap.stop()
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from media.sinks import MediaSink
from transcription.live.pipeline import CaptionEvent, CaptionSession

logger = logging.getLogger(__name__)
CAPTIONED_KINDS = ("audio",)


class CaptionTap(MediaSink):
    def __init__(self, hearing_id: str, session: CaptionSession) -> None:
        self.hearing_id = str(hearing_id)
        self.session = session
        self.attachment = None

    def attach(self, engine, *, rooms=("main",)) -> CaptionTap:
        self.attachment = engine.attach(
            self.hearing_id, self, rooms=tuple(rooms), kinds=CAPTIONED_KINDS
        )
        return self

    async def stop(self) -> None:
        if self.attachment is not None:
            self.attachment.detach()
            self.attachment = None
        self.session.close()

    # ---- media sink --------------------------------------------------------------------------
    def on_packet(self, pub, packet) -> None:
        self.session.feed_packet(pub.participant_id, packet)

    def publication_removed(self, pub) -> None:
        self.session.leave(pub.participant_id)


async def attach_caption_tap(
    engine,
    hearing_id: str,
    on_caption: Callable[[CaptionEvent], object],
    *,
    language: str,
    rooms=("main",),
    partials: bool | None = None,
) -> CaptionTap:
    """Caption every microphone of `hearing_id` in `rooms` on `engine` (a media.MediaEngine).

    `on_caption(event)` is called on the event loop (a coroutine function is scheduled). Raises
    DomainError no_model when no model covers `language`. The model loads in a thread, so this
    never blocks the loop for the seconds a first load takes."""
    loop = asyncio.get_running_loop()
    session = await asyncio.to_thread(
        CaptionSession, str(hearing_id), language, on_caption, partials=partials, loop=loop
    )
    return CaptionTap(hearing_id, session).attach(engine, rooms=rooms)
