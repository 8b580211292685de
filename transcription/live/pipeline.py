"""Live captions of a hearing: each speaker's own audio recognised on its own, so every caption
has the right speaker by construction.

    session = CaptionSession(hearing_id, "en", on_caption)        # no_model if none installed
    session.feed_packet(participant_id, packet)   # Opus av.Packet as the media engine forwards
    session.feed_pcm(participant_id, pcm)         # or 16 kHz mono int16 PCM
    session.close()
    on_caption(CaptionEvent) -> event.frame(name=, role=, user=) is the WebSocket frame

Called on the event loop: feeding only decodes Opus and measures energy (cheap); recognition
runs on the process-wide lane thread (caption_lane), one whisper job at a time. With a running
loop, `on_caption` is called back on it (a coroutine function is scheduled as a task); without
one (benchmarks, tests), on the lane's thread.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import av
import numpy as np
from django.conf import settings

from transcription import audio
from transcription.live import lane as caption_lane
from transcription.live.engines import (
    CaptionEngine,
    VoskCaptioner,
    WhisperCaptioner,
    caption_engine,
)

logger = logging.getLogger(__name__)
GAP_SECONDS = 1.0  # audio arriving this much later than its stream clock: the speaker paused
VOSK_CHUNK = audio.SAMPLE_RATE // 10


@dataclass(frozen=True)
class CaptionEvent:
    hearing_id: str
    participant_id: str
    text: str
    final: bool
    start: float  # seconds since the caption session started
    end: float
    seq: int  # utterance number for this speaker: a final replaces the partials with its seq
    engine: str
    latency: float  # seconds from the arrival of the utterance's last speech to this event
    at: float = 0.0  # time.monotonic() when it was made (benchmarks)

    def frame(self, *, name: str = "", role: str = "", user: int | str | None = None) -> dict:
        """The `caption` WebSocket frame proposed for the hearing page."""
        return {
            "type": "caption",
            "speaker": user if user is not None else self.participant_id,
            "name": name,
            "role": role,
            "text": self.text,
            "final": self.final,
            "start": round(self.start, 2),
            "end": round(self.end, 2),
            "seq": self.seq,
        }


class OpusDecoder:
    """One speaker's Opus packets -> 16 kHz mono int16 PCM. A bad packet is skipped."""

    def __init__(self) -> None:
        self.codec = av.CodecContext.create("opus", "r")
        self.codec.sample_rate = 48000
        self.resampler = av.AudioResampler(format="s16", layout="mono", rate=audio.SAMPLE_RATE)
        self.errors = 0

    def decode(self, packet: av.Packet | bytes) -> np.ndarray:
        copy = av.Packet(bytes(packet))  # never touch the packet the forwarders share
        try:
            frames = self.codec.decode(copy)
        except av.error.FFmpegError:
            self.errors += 1
            return np.zeros(0, np.int16)
        out = [
            r.to_ndarray().reshape(-1).astype(np.int16, copy=False)
            for frame in frames
            for r in self.resampler.resample(frame)
        ]
        return np.concatenate(out) if out else np.zeros(0, np.int16)


@dataclass
class _Speaker:
    participant_id: str
    captioner: object
    decoder: OpusDecoder | None = None
    fed: int = 0  # samples fed (the speaker's stream clock)
    shift: float | None = None  # session seconds minus stream seconds
    arrivals: deque = field(default_factory=lambda: deque(maxlen=2000))  # (stream s, wall)
    buffer: list = field(default_factory=list)  # vosk: PCM waiting for a 100 ms chunk
    buffered: int = 0
    seq: int = 0


class CaptionSession:
    def __init__(
        self,
        hearing_id: str,
        language: str,
        on_caption: Callable[[CaptionEvent], object],
        *,
        engine: CaptionEngine | None = None,
        partials: bool | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self.hearing_id = str(hearing_id)
        self.engine = engine or caption_engine(language)  # no_model when nothing is installed
        self.on_caption = on_caption
        self.partials = (
            getattr(settings, "TRIBUNAL_CAPTIONS_PARTIALS", False) if partials is None else partials
        )
        self.lane = caption_lane.lane(self.engine.engine)
        if loop is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                loop = None
        self.loop = loop
        self.started = time.monotonic()
        self.speakers: dict[str, _Speaker] = {}
        self.closed = False
        self._new_captioner()  # load the model now, not on the first word

    # ---- feeding (event loop) --------------------------------------------------------------
    def feed_packet(self, participant_id: str, packet: av.Packet | bytes) -> None:
        speaker = self._speaker(participant_id)
        if speaker.decoder is None:
            speaker.decoder = OpusDecoder()
        pcm = speaker.decoder.decode(packet)
        if len(pcm):
            self.feed_pcm(participant_id, pcm)

    def feed_pcm(self, participant_id: str, pcm: np.ndarray) -> None:
        if self.closed:
            return
        speaker = self._speaker(participant_id)
        now = time.monotonic()
        stream_now = speaker.fed / audio.SAMPLE_RATE
        session_now = now - self.started
        if speaker.shift is None:
            speaker.shift = session_now - stream_now
        elif session_now - (stream_now + speaker.shift) > GAP_SECONDS:
            self._flush(speaker)  # a pause (mute, caucus, lost packets): re-anchor the clock
            speaker.shift = session_now - stream_now
        speaker.fed += len(pcm)
        speaker.arrivals.append((speaker.fed / audio.SAMPLE_RATE, now))
        if isinstance(speaker.captioner, WhisperCaptioner):
            for utterance in speaker.captioner.accept(pcm):
                self._submit_utterance(speaker, utterance)
        else:
            speaker.buffer.append(pcm)
            speaker.buffered += len(pcm)
            if speaker.buffered >= VOSK_CHUNK:
                self._submit_vosk(speaker)

    def leave(self, participant_id: str) -> None:
        speaker = self.speakers.pop(str(participant_id), None)
        if speaker is not None:
            self._flush(speaker)

    def close(self, *, wait: float = 0.0) -> None:
        """Flush every speaker; with `wait`, block until the lane has delivered (tests)."""
        for participant_id in list(self.speakers):
            self.leave(participant_id)
        self.closed = True
        if wait:
            self.lane.wait_idle(wait)

    # ---- internals -------------------------------------------------------------------------
    def _new_captioner(self):
        if self.engine.engine == "vosk":
            return VoskCaptioner(self.engine)
        return WhisperCaptioner(self.engine, partials=self.partials)

    def _speaker(self, participant_id: str) -> _Speaker:
        key = str(participant_id)
        speaker = self.speakers.get(key)
        if speaker is None:
            speaker = self.speakers[key] = _Speaker(key, self._new_captioner())
        return speaker

    def _arrived(self, speaker: _Speaker, stream_seconds: float) -> float:
        for fed_until, wall in speaker.arrivals:
            if fed_until >= stream_seconds:
                return wall
        return speaker.arrivals[-1][1] if speaker.arrivals else time.monotonic()

    def _flush(self, speaker: _Speaker) -> None:
        if isinstance(speaker.captioner, WhisperCaptioner):
            for utterance in speaker.captioner.finish():
                self._submit_utterance(speaker, utterance)
        else:
            self._submit_vosk(speaker, final=True)

    def _submit_utterance(self, speaker: _Speaker, utterance) -> None:
        shift, arrived = speaker.shift or 0.0, self._arrived(speaker, utterance.end)
        captioner = speaker.captioner

        def done(text: str) -> None:
            if text:
                self._deliver(
                    speaker.participant_id, text, utterance.final, utterance.start + shift,
                    utterance.end + shift, utterance.seq, arrived,
                )  # fmt: skip

        job = caption_lane.Job(
            run=lambda: captioner.recognise(utterance), done=done, droppable=not utterance.final
        )
        self.lane.submit((id(self), speaker.participant_id), job)

    def _submit_vosk(self, speaker: _Speaker, final: bool = False) -> None:
        pcm = np.concatenate(speaker.buffer) if speaker.buffer else np.zeros(0, np.int16)
        speaker.buffer, speaker.buffered = [], 0
        captioner, shift = speaker.captioner, speaker.shift or 0.0
        fed = speaker.fed / audio.SAMPLE_RATE

        def run():
            return [*captioner.recognise(pcm), *(captioner.finish() if final else [])]

        def done(captions) -> None:
            for caption in captions:
                start = (caption.start if caption.start is not None else fed) + shift
                end = (caption.end if caption.end is not None else fed) + shift
                arrived = self._arrived(speaker, end - shift)
                self._deliver(
                    speaker.participant_id, caption.text, caption.final, start, end,
                    speaker.seq, arrived,
                )  # fmt: skip
                if caption.final:
                    speaker.seq += 1

        self.lane.submit((id(self), speaker.participant_id), caption_lane.Job(run, done))

    def _deliver(self, participant_id, text, final, start, end, seq, arrived) -> None:
        event = CaptionEvent(
            hearing_id=self.hearing_id,
            participant_id=participant_id,
            text=text,
            final=final,
            start=round(start, 3),
            end=round(end, 3),
            seq=seq,
            engine=self.engine.engine,
            latency=round(time.monotonic() - arrived, 3),
            at=time.monotonic(),
        )
        if self.loop is None:
            self._call(event)
            return
        try:
            self.loop.call_soon_threadsafe(self._call, event)
        except RuntimeError:  # the loop has closed: nobody is listening any more
            pass

    def _call(self, event: CaptionEvent) -> None:
        try:
            result = self.on_caption(event)
        except Exception:
            logger.exception("caption callback failed")
            return
        if inspect.isawaitable(result):
            asyncio.ensure_future(result)
