"""Replaying audio through a CaptionSession at real-time pace (tests, benchmarks, the demo).

    events = replay_pcm(decode_pcm("clip.wav"), language="en")            # 20 ms PCM chunks
    events = replay_packets(opus_packets, language="en")                    # 20 ms Opus packets
`speed` > 1 feeds faster than real time (a test's shortcut; latencies then mean less).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from transcription import audio
from transcription.live.engines import CaptionEngine
from transcription.live.pipeline import CaptionEvent, CaptionSession


def _paced(items: Iterable, seconds_each: float, speed: float, feed: Callable) -> float:
    """Feed items at the pace of the audio they carry; returns the wall time of the first."""
    start = time.monotonic()
    for index, item in enumerate(items):
        delay = start + index * seconds_each / speed - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        feed(item)
    return start


def _replay(items, feed_name: str, *, language, participant_id, speed, tail, timeout, **kw):
    events: list[CaptionEvent] = []
    lock = threading.Lock()

    def collect(event: CaptionEvent) -> None:
        with lock:
            events.append(event)

    session = CaptionSession("replay", language, collect, **kw)
    session.loop = None  # deliver on the lane's thread: nobody runs a loop here
    feed = getattr(session, feed_name)
    _paced(items, 0.02, speed, lambda item: feed(participant_id, item))
    if tail:  # trailing silence so the endpointer closes the last utterance by itself
        silence = np.zeros(int(tail * audio.SAMPLE_RATE), np.int16)
        _paced(
            audio.chunks(silence, 0.02), 0.02, 1.0, lambda c: session.feed_pcm(participant_id, c)
        )
    session.close(wait=timeout)
    with lock:
        return list(events)


def replay_pcm(
    pcm: np.ndarray | str | Path,
    *,
    language: str = "en",
    participant_id: str = "1",
    speed: float = 1.0,
    engine: CaptionEngine | None = None,
    partials: bool = False,
    tail: float = 1.0,
    timeout: float = 120.0,
) -> list[CaptionEvent]:
    """Captions for `pcm` (int16 16 kHz, or a file) fed in 20 ms chunks."""
    chunks = audio.chunks(audio.as_pcm(pcm), 0.02)
    return _replay(
        chunks, "feed_pcm", language=language, participant_id=participant_id, speed=speed,
        tail=tail, timeout=timeout, engine=engine, partials=partials,
    )  # fmt: skip


def replay_packets(
    packets: list,
    *,
    language: str = "en",
    participant_id: str = "1",
    speed: float = 1.0,
    engine: CaptionEngine | None = None,
    partials: bool = False,
    tail: float = 1.0,
    timeout: float = 120.0,
) -> list[CaptionEvent]:
    """Captions for 20 ms Opus packets (``av.Packet`` or bytes) fed as the media engine would."""
    return _replay(
        packets, "feed_packet", language=language, participant_id=participant_id, speed=speed,
        tail=tail, timeout=timeout, engine=engine, partials=partials,
    )  # fmt: skip
