"""Forwarding tracks: one per receive slot of a subscriber, fed with encoded packets."""

from __future__ import annotations

import asyncio
import time
from fractions import Fraction
from typing import TYPE_CHECKING

from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from media.passthrough import OutgoingPacket

if TYPE_CHECKING:
    from media.room import Publication

# A subscriber that falls this far behind loses its backlog (and waits for a keyframe) rather
# than accumulating delay: a hearing must stay live.
MAX_BACKLOG = {"audio": 50, "video": 90}
KEYFRAME_RETRY_SECONDS = 0.5


class ForwardingTrack(MediaStreamTrack):
    """A subscriber's slot. Yields :class:`OutgoingPacket` from whichever publication is bound.

    Binding another source keeps the outgoing timestamps continuous (rebased on wall time), and
    for video drops everything until the new source's next keyframe, which it requests.
    """

    def __init__(self, kind: str, mid: str | None = None) -> None:
        super().__init__()
        self.kind = kind
        self.mid = mid
        self.source: Publication | None = None
        self._queue: asyncio.Queue = asyncio.Queue()
        self._need_keyframe = kind == "video"
        self._last_keyframe_request = 0.0
        self._offset: int | None = None
        self._last_out_pts: int | None = None
        self._last_out_wall = 0.0
        self._time_base: Fraction | None = None
        self.forwarded = 0
        self.dropped = 0

    # routing side -------------------------------------------------------------------------
    def bind(self, source: Publication | None) -> None:
        if source is self.source:
            return
        self.source = source
        self._clear()
        self._offset = None
        if self.kind == "video":
            self._need_keyframe = True
            if source is not None:
                self._request_keyframe(force=True)

    def push(self, source: Publication, data: bytes, pts: int, tb: Fraction, key: bool) -> None:
        if source is not self.source or self.readyState != "live":
            return
        if self._need_keyframe:
            if not key:
                self.dropped += 1
                self._request_keyframe()
                return
            self._need_keyframe = False
        if self._queue.qsize() >= MAX_BACKLOG[self.kind]:
            self._clear()
            if self.kind == "video":
                self._need_keyframe = True
                self._request_keyframe(force=True)
                return
        if self._offset is None:
            self._offset = self._rebase(pts, tb)
        self._queue.put_nowait((data, pts + self._offset, tb))

    def keyframe_requested(self) -> None:
        """The subscriber asked for a keyframe (PLI/FIR): ask the publisher."""
        if self.source is not None:
            self.source.request_keyframe()

    def _request_keyframe(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last_keyframe_request >= KEYFRAME_RETRY_SECONDS:
            self._last_keyframe_request = now
            if self.source is not None:
                self.source.request_keyframe(force=force)

    def _rebase(self, pts: int, tb: Fraction) -> int:
        if self._last_out_pts is None or self._time_base != tb:
            return -pts
        elapsed = max(time.monotonic() - self._last_out_wall, 0.001)
        return self._last_out_pts + max(1, int(elapsed / tb)) - pts

    def _clear(self) -> None:
        self.dropped += self._queue.qsize()
        while not self._queue.empty():
            self._queue.get_nowait()

    # sender side --------------------------------------------------------------------------
    async def recv(self) -> OutgoingPacket:
        if self.readyState != "live":
            raise MediaStreamError
        item = await self._queue.get()
        if item is None:
            raise MediaStreamError
        data, pts, tb = item
        self._last_out_pts = pts
        self._last_out_wall = time.monotonic()
        self._time_base = tb
        self.forwarded += 1
        return OutgoingPacket(data, pts, tb)

    def stop(self) -> None:
        if self.readyState == "live":
            self.source = None
            self._clear()
            self._queue.put_nowait(None)
        super().stop()
