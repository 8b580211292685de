"""Sinks: what consumes a hearing's media besides the participants (the recorder, captions).

Shaped like aiortc's contrib helpers (MediaRecorder, MediaRelay): a consumer is attached, is told
when a track starts and stops reaching it, and gets the packets in between. Every sink is equal
and follows ONE routing rule: a publication reaches a sink while its publisher's seat is in one
of the sink's rooms, its kind is one of the sink's kinds, and it is not silenced (a microphone
muted by the chair, or a seat that may not publish). Nothing polls the engine:

    attachment = engine.attach(hearing_id, sink, rooms=("main",), kinds=("audio",))
    ...
    attachment.detach()   # publication_removed for each publication still reaching the sink

Callbacks run on the event loop, synchronously, from the engine's routing and from the packet
path, so they must be quick (hand heavy work to a thread). An exception in a sink is logged and
never reaches the engine or the other sinks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from media.room import Publication

logger = logging.getLogger(__name__)
KINDS = ("audio", "video")


class MediaSink:
    """Base class of a consumer; override what you need (every method is a no-op here)."""

    def publication_added(self, pub: Publication) -> None:
        """`pub` now reaches this sink (it started, came into the room, was unmuted...)."""

    def publication_removed(self, pub: Publication) -> None:
        """`pub` no longer reaches this sink (it left the room, was muted, its connection closed,
        or the sink was detached). No packets of it follow until it is added again."""

    def on_packet(self, pub: Publication, packet: Any) -> None:
        """One encoded packet (``av.Packet``, VP8 or Opus) of a publication that reaches us."""

    def on_seat(self, kind: str, participant_id: str, **data: Any) -> None:
        """A change of the hearing's seats, for a timeline: ``present`` (at attach: room,
        muted), ``room`` (room, previous), ``mute`` (muted), ``leave``."""


class Attachment:
    """One sink attached to one hearing: which rooms and kinds it takes, what reaches it now."""

    def __init__(
        self,
        hearing,
        sink: MediaSink,
        rooms: Iterable[str],
        kinds: Iterable[str],
        on_detach: Callable[[Attachment], None],
    ) -> None:
        self.hearing = hearing
        self.sink = sink
        self.rooms = frozenset(rooms)
        self.kinds = frozenset(kinds)
        self.publications: set[Publication] = set()
        self.attached = True
        self._on_detach = on_detach

    def wants(self, pub: Publication) -> bool:
        """The routing rule: in one of the sink's rooms, of one of its kinds, not silenced."""
        return (
            self.attached
            and pub.kind in self.kinds
            and pub.seat.room in self.rooms
            and not pub.silenced
        )

    def detach(self) -> None:
        if not self.attached:
            return
        self.attached = False
        for pub in list(self.publications):
            self.remove(pub)
        self._on_detach(self)

    # called by the hearing's routing -----------------------------------------------------
    def add(self, pub: Publication) -> None:
        self.publications.add(pub)
        pub.sinks.append(self.sink)
        call(self.sink.publication_added, pub)

    def remove(self, pub: Publication) -> None:
        self.publications.discard(pub)
        if self.sink in pub.sinks:
            pub.sinks.remove(self.sink)
        call(self.sink.publication_removed, pub)


def call(method, *args, **kwargs) -> None:
    try:
        method(*args, **kwargs)
    except Exception:
        logger.exception("media sink %s failed", getattr(method, "__qualname__", method))
