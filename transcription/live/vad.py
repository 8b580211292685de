"""Energy-based endpointing for live captions on a batch engine (whisper).

`Endpointer` cuts one speaker's 16 kHz PCM into utterances: speech starts when 20 ms frames
rise above the noise floor, an utterance ends after `silence` seconds without speech, or is cut
at `max_seconds`. While an utterance goes on, a snapshot is offered every `partial_every`
seconds for a partial caption. Times are seconds of audio fed (the speaker's stream clock).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from transcription.audio import SAMPLE_RATE

FRAME = SAMPLE_RATE // 50  # 20 ms


@dataclass(frozen=True)
class Utterance:
    pcm: np.ndarray  # int16, with a little audio before the speech
    start: float  # first speech frame, stream seconds
    end: float  # end of the last speech frame
    final: bool  # False: a snapshot of an utterance still going on (for a partial caption)
    seq: int  # utterance number within the stream; a partial and its final share it


def frame_db(frame: np.ndarray) -> float:
    rms = float(np.sqrt(np.mean(np.square(frame.astype(np.float32))))) if len(frame) else 0.0
    return 20.0 * np.log10(max(rms, 1.0) / 32768.0)


class Endpointer:
    def __init__(
        self,
        *,
        silence: float = 0.4,
        max_seconds: float = 6.0,
        min_speech: float = 0.2,
        partial_every: float = 0.0,
        threshold_db: float = -45.0,
        above_noise_db: float = 12.0,
        preroll: float = 0.2,
    ) -> None:
        self.silence_frames = max(1, round(silence * 50))
        self.max_frames = max(1, round(max_seconds * 50))
        self.min_speech_frames = max(1, round(min_speech * 50))
        self.partial_frames = round(partial_every * 50) if partial_every else 0
        self.threshold_db = threshold_db
        self.above_noise_db = above_noise_db
        self.noise_db = -60.0
        self._pending = np.zeros(0, np.int16)
        self._preroll: deque[np.ndarray] = deque(maxlen=max(1, round(preroll * 50)))
        self._frames: list[np.ndarray] = []  # the utterance so far (pre-roll included)
        self._frame_index = 0  # frames fed so far
        self._speech_start = 0  # frame index of the first speech frame
        self._last_speech = 0  # frame index after the last speech frame
        self._speech_count = 0
        self._since_partial = 0
        self._seq = 0
        self.active = False

    def is_speech(self, frame: np.ndarray) -> bool:
        level = frame_db(frame)
        speech = level > max(self.threshold_db, self.noise_db + self.above_noise_db)
        if not speech:  # follow the noise floor slowly, quickly downwards
            rate = 0.3 if level < self.noise_db else 0.03
            self.noise_db += rate * (level - self.noise_db)
        return speech

    def accept(self, pcm: np.ndarray) -> list[Utterance]:
        data = np.concatenate([self._pending, pcm.astype(np.int16, copy=False).reshape(-1)])
        whole = len(data) // FRAME * FRAME
        self._pending = data[whole:]
        out: list[Utterance] = []
        for offset in range(0, whole, FRAME):
            frame = data[offset : offset + FRAME]
            out.extend(self._frame(frame))
            self._frame_index += 1
        return out

    def finish(self) -> list[Utterance]:
        """End of the stream (or a long gap): the utterance in progress, if any."""
        self._pending = np.zeros(0, np.int16)
        return self._close() if self.active else []

    def _frame(self, frame: np.ndarray) -> list[Utterance]:
        speech = self.is_speech(frame)
        index = self._frame_index
        if not self.active:
            if not speech:
                self._preroll.append(frame)
                return []
            self.active = True
            self._frames = list(self._preroll)
            self._preroll.clear()
            self._speech_start = index
            self._speech_count = 0
            self._since_partial = 0
        self._frames.append(frame)
        if speech:
            self._last_speech = index + 1
            self._speech_count += 1
        if index + 1 - self._last_speech >= self.silence_frames:
            return self._close()
        if index + 1 - self._speech_start >= self.max_frames:
            return self._close()
        self._since_partial += 1
        if self.partial_frames and self._since_partial >= self.partial_frames:
            self._since_partial = 0
            if self._speech_count >= self.min_speech_frames:
                return [self._utterance(final=False)]
        return []

    def _utterance(self, *, final: bool) -> Utterance:
        return Utterance(
            pcm=np.concatenate(self._frames),
            start=self._speech_start / 50,
            end=self._last_speech / 50,
            final=final,
            seq=self._seq,
        )

    def _close(self) -> list[Utterance]:
        self.active = False
        keep = self._speech_count >= self.min_speech_frames
        result = [self._utterance(final=True)] if keep else []
        self._seq += 1 if keep else 0
        self._frames = []
        return result
