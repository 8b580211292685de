"""Speech engines behind one interface (`Recognizer`): vosk streams, faster-whisper batches.

recognizer = recognizer_for("whisper", "zh-hans")      # resolved from settings, cached
transcript = recognizer.transcribe("track.webm", language="zh-hans")
stream = recognizer_for("vosk", "en").stream(language="en")
for chunk in pcm_chunks: captions = stream.accept(chunk)
"""

from __future__ import annotations

from transcription import loader, store
from transcription.engines.base import CaptionStream, Recognizer


def recognizer_for(engine: str, language: str) -> Recognizer:
    """The process-wide recognizer for a hearing language; no_model / unsupported_language."""
    return loader.load(store.resolve(engine, language))


__all__ = ["CaptionStream", "Recognizer", "recognizer_for"]
