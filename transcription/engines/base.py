"""The one interface both engines implement."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from transcription.audio import AudioSource
from transcription.results import Caption, Transcript

if TYPE_CHECKING:
    from transcription.store import InstalledModel


@runtime_checkable
class CaptionStream(Protocol):
    """Streaming recognition of one speaker: feed 16 kHz mono int16 PCM, get captions."""

    def accept(self, pcm: bytes | np.ndarray) -> list[Caption]:
        """Feed a chunk (any length); returns new partial and/or final captions."""
        ...

    def finish(self) -> list[Caption]:
        """End of audio: returns the last final caption, if any words are pending."""
        ...


@runtime_checkable
class Recognizer(Protocol):
    engine: str
    model: InstalledModel
    streaming: bool  # True: stream() works (vosk); False: batch only (whisper)

    def transcribe(
        self, audio: AudioSource | np.ndarray, *, language: str, word_timestamps: bool = False
    ) -> Transcript:
        """Whole file or PCM array -> segments with start/end, text, confidence."""
        ...

    def stream(self, *, language: str | None = None) -> CaptionStream:
        """A new streaming session (one per speaker). Raises streaming_unsupported on whisper."""
        ...


def check_language(model: InstalledModel, language: str | None) -> None:
    from transcription import errors

    if language is not None and not model.covers(language):
        raise errors.unsupported_language(
            language,
            f"Model {model.name} covers {', '.join(model.languages)} only.",
        )
